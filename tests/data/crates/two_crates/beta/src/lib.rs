pub fn beta() -> u8 {
    missing_value
}
