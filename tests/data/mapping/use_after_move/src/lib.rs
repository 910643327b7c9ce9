fn consume(v: Vec<u32>) -> usize {
    v.len()
}

pub fn run() -> usize {
    let data = vec![1, 2, 3];
    let n = consume(data);
    n + data.len()
}

pub fn in_loop() {
    let s = String::from("x");
    for _ in 0..2 {
        drop(s);
    }
}
