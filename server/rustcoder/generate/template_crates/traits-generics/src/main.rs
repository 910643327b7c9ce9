use std::fmt::Display;

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String;
    fn describe(&self) -> String {
        format!("{} with area {:.2}", self.name(), self.area())
    }
}

struct Circle {
    radius: f64,
}

struct Rect {
    width: f64,
    height: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.radius * self.radius
    }
    fn name(&self) -> String {
        "circle".into()
    }
}

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.width * self.height
    }
    fn name(&self) -> String {
        "rectangle".into()
    }
}

fn total_area(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

fn largest<T: PartialOrd + Copy>(items: &[T]) -> Option<T> {
    let mut iter = items.iter().copied();
    let first = iter.next()?;
    Some(iter.fold(first, |best, x| if x > best { x } else { best }))
}

fn labelled<T>(label: &str, value: T) -> String
where
    T: Display,
{
    format!("{label}: {value}")
}

fn main() {
    let shapes: Vec<Box<dyn Shape>> =
        vec![Box::new(Circle { radius: 1.0 }), Box::new(Rect { width: 2.0, height: 3.0 })];
    for shape in &shapes {
        println!("{}", shape.describe());
    }
    println!("{}", labelled("total", total_area(&shapes)));
    println!("{:?}", largest(&[3, 9, 2]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_add_up() {
        let shapes: Vec<Box<dyn Shape>> = vec![Box::new(Rect { width: 1.0, height: 2.0 })];
        assert_eq!(total_area(&shapes), 2.0);
        assert_eq!(shapes[0].describe(), "rectangle with area 2.00");
    }

    #[test]
    fn largest_works_for_any_ordered_copy_type() {
        assert_eq!(largest(&[1.5, -2.0]), Some(1.5));
        assert_eq!(largest::<char>(&[]), None);
        assert_eq!(labelled("n", 3), "n: 3");
    }
}
