pub fn run() -> u32 {
    let counter = 3;
    countr + 1
}
