pub struct Pair {
    pub left: u32,
    pub right: u32,
}

pub fn double(x: u32) -> u32 {
    let p = Pair { left: x, rigth: x };
    p.left * 2
}
