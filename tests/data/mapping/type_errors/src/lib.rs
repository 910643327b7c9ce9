pub struct Point {
    pub x: i32,
    pub y: i32,
}

fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn need_copy<T: Copy>(t: T) -> T {
    t
}

pub fn run() -> i32 {
    let p = Point { x: 1 };
    let n: i32 = "3".parse_int();
    need_copy(String::new());
    add(p.x) + n
}
