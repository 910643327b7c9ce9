pub fn alpha() -> u8 {
    "not a number"
}
