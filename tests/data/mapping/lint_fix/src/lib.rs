pub fn spin(mut n: u32) -> u32 {
    while true {
        n += 1;
        if n > 10 {
            break;
        }
    }
    n
}
