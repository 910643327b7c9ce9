fn length(s: &String) -> usize {
    s.len()
}

pub fn run() -> usize {
    let name = String::from("crab");
    length(name)
}
