pub enum Shape {
    Circle,
    Square,
    Triangle,
}

pub fn sides(s: Shape) -> u32 {
    match s {
        Shape::Circle => 0,
        Shape::Square => 4,
    }
}
