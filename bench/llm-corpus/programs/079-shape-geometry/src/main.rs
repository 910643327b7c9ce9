use std::cmp::Ordering;
use std::f64::consts::PI;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: f64,
    y: f64,
}

impl Point {
    fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    fn distance(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:.1}, {:.1})", self.x, self.y)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct BoundingBox {
    min: Point,
    max: Point,
}

impl BoundingBox {
    fn from_points(points: &[Point]) -> Self {
        let mut min = Point::new(f64::INFINITY, f64::INFINITY);
        let mut max = Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in points {
            min.x = min.x.min(p.x);
            min.y = min.y.min(p.y);
            max.x = max.x.max(p.x);
            max.y = max.y.max(p.y);
        }
        BoundingBox { min, max }
    }

    fn width(&self) -> f64 {
        self.max.x - self.min.x
    }

    fn height(&self) -> f64 {
        self.max.y - self.min.y
    }

    fn union(&self, other: &BoundingBox) -> BoundingBox {
        BoundingBox::from_points(&[self.min, self.max, other.min, other.max])
    }

    fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }
}

impl fmt::Display for BoundingBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{} .. {}", self.min, self.max);
        f.pad(&s)
    }
}

trait Shape: fmt::Debug {
    fn name(&self) -> String;
    fn area(&self) -> f64;
    fn perimeter(&self) -> f64;
    fn bounding_box(&self) -> BoundingBox;

    /// Isoperimetric quotient: 1.0 for a circle, smaller for less compact shapes.
    fn compactness(&self) -> f64 {
        let p = self.perimeter();
        if p == 0.0 {
            0.0
        } else {
            4.0 * PI * self.area() / (p * p)
        }
    }
}

#[derive(Debug)]
struct Circle {
    center: Point,
    radius: f64,
}

#[derive(Debug)]
struct Rectangle {
    origin: Point, // bottom-left corner
    width: f64,
    height: f64,
}

#[derive(Debug)]
struct Triangle {
    a: Point,
    b: Point,
    c: Point,
}

#[derive(Debug)]
struct Polygon {
    label: String,
    vertices: Vec<Point>,
}

#[derive(Debug, PartialEq)]
enum ShapeError {
    NonPositive(&'static str, f64),
    Degenerate(String),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NonPositive(what, v) => write!(f, "{} must be positive, got {}", what, v),
            ShapeError::Degenerate(why) => write!(f, "degenerate shape: {}", why),
        }
    }
}

impl Circle {
    fn new(center: Point, radius: f64) -> Result<Self, ShapeError> {
        if radius <= 0.0 {
            return Err(ShapeError::NonPositive("radius", radius));
        }
        Ok(Circle { center, radius })
    }
}

impl Rectangle {
    fn new(origin: Point, width: f64, height: f64) -> Result<Self, ShapeError> {
        if width <= 0.0 {
            return Err(ShapeError::NonPositive("width", width));
        }
        if height <= 0.0 {
            return Err(ShapeError::NonPositive("height", height));
        }
        Ok(Rectangle { origin, width, height })
    }
}

/// Twice the signed area of triangle (a, b, c).
fn cross(a: Point, b: Point, c: Point) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

impl Triangle {
    fn new(a: Point, b: Point, c: Point) -> Result<Self, ShapeError> {
        if cross(a, b, c).abs() < 1e-12 {
            return Err(ShapeError::Degenerate("triangle vertices are collinear".to_string()));
        }
        Ok(Triangle { a, b, c })
    }
}

impl Polygon {
    fn new(label: &str, vertices: Vec<Point>) -> Result<Self, ShapeError> {
        if vertices.len() < 3 {
            return Err(ShapeError::Degenerate(format!(
                "a polygon needs at least 3 vertices, got {}",
                vertices.len()
            )));
        }
        let polygon = Polygon {
            label: label.to_string(),
            vertices,
        };
        if polygon.area() < 1e-12 {
            return Err(ShapeError::Degenerate("polygon has zero area".to_string()));
        }
        Ok(polygon)
    }

    fn edges(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        let n = self.vertices.len();
        (0..n).map(move |i| (self.vertices[i], self.vertices[(i + 1) % n]))
    }
}

impl Shape for Circle {
    fn name(&self) -> String {
        format!("circle r={}", self.radius)
    }
    fn area(&self) -> f64 {
        PI * self.radius * self.radius
    }
    fn perimeter(&self) -> f64 {
        2.0 * PI * self.radius
    }
    fn bounding_box(&self) -> BoundingBox {
        BoundingBox {
            min: Point::new(self.center.x - self.radius, self.center.y - self.radius),
            max: Point::new(self.center.x + self.radius, self.center.y + self.radius),
        }
    }
}

impl Shape for Rectangle {
    fn name(&self) -> String {
        format!("rectangle {}x{}", self.width, self.height)
    }
    fn area(&self) -> f64 {
        self.width * self.height
    }
    fn perimeter(&self) -> f64 {
        2.0 * (self.width + self.height)
    }
    fn bounding_box(&self) -> BoundingBox {
        BoundingBox {
            min: self.origin,
            max: Point::new(self.origin.x + self.width, self.origin.y + self.height),
        }
    }
}

impl Shape for Triangle {
    fn name(&self) -> String {
        "triangle".to_string()
    }
    fn area(&self) -> f64 {
        cross(self.a, self.b, self.c).abs() / 2.0
    }
    fn perimeter(&self) -> f64 {
        self.a.distance(self.b) + self.b.distance(self.c) + self.c.distance(self.a)
    }
    fn bounding_box(&self) -> BoundingBox {
        BoundingBox::from_points(&[self.a, self.b, self.c])
    }
}

impl Shape for Polygon {
    fn name(&self) -> String {
        format!("{} ({} vertices)", self.label, self.vertices.len())
    }
    /// Shoelace formula; works for any simple polygon in either winding order.
    fn area(&self) -> f64 {
        self.edges()
            .map(|(p, q)| p.x * q.y - q.x * p.y)
            .sum::<f64>()
            .abs()
            / 2.0
    }
    fn perimeter(&self) -> f64 {
        self.edges().map(|(p, q)| p.distance(q)).sum()
    }
    fn bounding_box(&self) -> BoundingBox {
        BoundingBox::from_points(&self.vertices)
    }
}

fn regular_polygon(label: &str, sides: usize, radius: f64, center: Point) -> Result<Polygon, ShapeError> {
    let vertices = (0..sides)
        .map(|i| {
            let angle = 2.0 * PI * i as f64 / sides as f64;
            Point::new(center.x + radius * angle.cos(), center.y + radius * angle.sin())
        })
        .collect();
    Polygon::new(label, vertices)
}

fn main() {
    let candidates: Vec<Result<Box<dyn Shape>, ShapeError>> = vec![
        Circle::new(Point::new(0.0, 0.0), 2.0).map(|s| Box::new(s) as Box<dyn Shape>),
        Rectangle::new(Point::new(3.0, -1.0), 4.0, 2.5).map(|s| Box::new(s) as Box<dyn Shape>),
        Triangle::new(Point::new(-4.0, 0.0), Point::new(-1.0, 0.0), Point::new(-2.5, 4.0))
            .map(|s| Box::new(s) as Box<dyn Shape>),
        Polygon::new(
            "L-shape",
            vec![
                Point::new(0.0, 3.0),
                Point::new(4.0, 3.0),
                Point::new(4.0, 4.0),
                Point::new(1.0, 4.0),
                Point::new(1.0, 7.0),
                Point::new(0.0, 7.0),
            ],
        )
        .map(|s| Box::new(s) as Box<dyn Shape>),
        regular_polygon("hexagon", 6, 1.5, Point::new(6.0, 5.0)).map(|s| Box::new(s) as Box<dyn Shape>),
        Circle::new(Point::new(-6.0, -3.0), 0.75).map(|s| Box::new(s) as Box<dyn Shape>),
        // invalid shapes are reported and skipped
        Circle::new(Point::new(0.0, 0.0), -1.0).map(|s| Box::new(s) as Box<dyn Shape>),
        Triangle::new(Point::new(0.0, 0.0), Point::new(1.0, 1.0), Point::new(2.0, 2.0))
            .map(|s| Box::new(s) as Box<dyn Shape>),
        Polygon::new("line", vec![Point::new(0.0, 0.0), Point::new(1.0, 0.0)])
            .map(|s| Box::new(s) as Box<dyn Shape>),
    ];

    let mut shapes: Vec<Box<dyn Shape>> = Vec::new();
    for candidate in candidates {
        match candidate {
            Ok(shape) => shapes.push(shape),
            Err(e) => println!("skipped invalid shape: {}", e),
        }
    }

    shapes.sort_by(|a, b| b.area().partial_cmp(&a.area()).unwrap_or(Ordering::Equal));

    println!(
        "\n{:<26} {:>8} {:>10} {:>12}  {:<26}",
        "shape (largest first)", "area", "perimeter", "compactness", "bounding box"
    );
    println!("{}", "-".repeat(88));
    for s in &shapes {
        println!(
            "{:<26} {:>8.3} {:>10.3} {:>12.3}  {:<26}",
            s.name(),
            s.area(),
            s.perimeter(),
            s.compactness(),
            s.bounding_box()
        );
    }

    let total_area: f64 = shapes.iter().map(|s| s.area()).sum();
    let scene = shapes
        .iter()
        .map(|s| s.bounding_box())
        .reduce(|acc, b| acc.union(&b));
    println!("\ntotal area {:.3}", total_area);
    if let Some(bb) = scene {
        println!(
            "scene bounding box {} ({:.1} x {:.1})",
            bb,
            bb.width(),
            bb.height()
        );
    }
    if let Some(longest) = shapes
        .iter()
        .max_by(|a, b| a.perimeter().partial_cmp(&b.perimeter()).unwrap_or(Ordering::Equal))
    {
        println!("longest perimeter: {} ({:.3})", longest.name(), longest.perimeter());
    }

    let probe = Point::new(0.5, 3.5);
    let hits: Vec<String> = shapes
        .iter()
        .filter(|s| s.bounding_box().contains(probe))
        .map(|s| s.name())
        .collect();
    println!("bounding boxes containing {}: {:?}", probe, hits);

    // Sanity checks against closed-form results.
    let square = Polygon::new(
        "square",
        vec![
            Point::new(0.0, 0.0),
            Point::new(2.0, 0.0),
            Point::new(2.0, 2.0),
            Point::new(0.0, 2.0),
        ],
    )
    .expect("valid square");
    assert!((square.area() - 4.0).abs() < 1e-12);
    assert!((square.perimeter() - 8.0).abs() < 1e-12);
    let unit = Circle::new(Point::new(0.0, 0.0), 1.0).expect("valid circle");
    assert!((unit.compactness() - 1.0).abs() < 1e-12);
    println!("sanity checks passed");
}
