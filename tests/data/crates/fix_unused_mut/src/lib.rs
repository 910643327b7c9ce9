pub fn answer() -> i32 {
    let mut value = 42;
    value
}
