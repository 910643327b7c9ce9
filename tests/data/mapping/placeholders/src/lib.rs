pub trait Area {
    fn area(&self) -> f64;
}

pub struct Square(pub f64);

impl Area for Square {}
