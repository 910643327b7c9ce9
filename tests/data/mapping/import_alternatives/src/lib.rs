pub fn compare(a: u32, b: u32) -> Ordering {
    a.cmp(&b)
}
