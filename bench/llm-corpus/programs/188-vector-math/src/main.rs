//! 2D/3D vector maths with operator overloading plus a small physics step demo.
//!
//! Worlds and bodies are configured with chained builders. Failures use a
//! `thiserror` enum that travels through several layers with `?`
//! (vector -> body -> world step -> world run -> main) and `anyhow` adds context
//! at the top.

use anyhow::{Context, Result};
use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
enum PhysicsError {
    #[error("cannot normalise vector {vector}: length is {length}")]
    CannotNormalize { vector: String, length: f64 },
    #[error("invalid mass {0} (must be positive and finite)")]
    InvalidMass(f64),
    #[error("invalid time step {0} (must be positive and finite)")]
    InvalidTimeStep(f64),
    #[error("body '{0}' is missing required field '{1}'")]
    MissingField(String, &'static str),
    #[error("restitution {0} must lie in [0, 1]")]
    InvalidRestitution(f64),
    #[error("duplicate body name '{0}'")]
    DuplicateBody(String),
    #[error("body '{body}' reached a non-finite state")]
    NonFinite { body: String },
    #[error("step {step} failed for body '{body}'")]
    StepFailed {
        body: String,
        step: usize,
        #[source]
        source: Box<PhysicsError>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Vec2 {
    x: f64,
    y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Vec3 {
    x: f64,
    y: f64,
    z: f64,
}

macro_rules! vector_ops {
    ($name:ident { $($field:ident),+ }) => {
        impl Add for $name {
            type Output = $name;
            fn add(self, o: $name) -> $name { $name { $($field: self.$field + o.$field),+ } }
        }
        impl Sub for $name {
            type Output = $name;
            fn sub(self, o: $name) -> $name { $name { $($field: self.$field - o.$field),+ } }
        }
        impl Mul<f64> for $name {
            type Output = $name;
            fn mul(self, s: f64) -> $name { $name { $($field: self.$field * s),+ } }
        }
        impl Mul<$name> for f64 {
            type Output = $name;
            fn mul(self, v: $name) -> $name { v * self }
        }
        impl Div<f64> for $name {
            type Output = $name;
            fn div(self, s: f64) -> $name { $name { $($field: self.$field / s),+ } }
        }
        impl Neg for $name {
            type Output = $name;
            fn neg(self) -> $name { $name { $($field: -self.$field),+ } }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, o: $name) { $(self.$field += o.$field;)+ }
        }
        impl SubAssign for $name {
            fn sub_assign(&mut self, o: $name) { $(self.$field -= o.$field;)+ }
        }
        impl $name {
            fn dot(self, o: $name) -> f64 { 0.0 $(+ self.$field * o.$field)+ }
            fn length(self) -> f64 { self.dot(self).sqrt() }
            fn is_finite(self) -> bool { true $(&& self.$field.is_finite())+ }
            fn normalized(self) -> Result<$name, PhysicsError> {
                let length = self.length();
                if !length.is_finite() || length < 1e-12 {
                    return Err(PhysicsError::CannotNormalize { vector: self.to_string(), length });
                }
                Ok(self / length)
            }
            fn distance(self, o: $name) -> f64 { (self - o).length() }
            fn project_onto(self, onto: $name) -> Result<$name, PhysicsError> {
                let n = onto.normalized()?;
                Ok(n * self.dot(n))
            }
            fn lerp(self, o: $name, t: f64) -> $name { self + (o - self) * t }
        }
    };
}

vector_ops!(Vec2 { x, y });
vector_ops!(Vec3 { x, y, z });

impl Vec2 {
    fn new(x: f64, y: f64) -> Self {
        Vec2 { x, y }
    }
    /// z component of the 3D cross product.
    fn cross(self, o: Vec2) -> f64 {
        self.x * o.y - self.y * o.x
    }
    fn perp(self) -> Vec2 {
        Vec2::new(-self.y, self.x)
    }
    fn rotated(self, angle: f64) -> Vec2 {
        let (s, c) = angle.sin_cos();
        Vec2::new(self.x * c - self.y * s, self.x * s + self.y * c)
    }
    fn angle_to(self, o: Vec2) -> Result<f64, PhysicsError> {
        let (a, b) = (self.normalized()?, o.normalized()?);
        Ok(a.dot(b).clamp(-1.0, 1.0).acos())
    }
}

impl Vec3 {
    const ZERO: Vec3 = Vec3 { x: 0.0, y: 0.0, z: 0.0 };

    fn new(x: f64, y: f64, z: f64) -> Self {
        Vec3 { x, y, z }
    }
    fn cross(self, o: Vec3) -> Vec3 {
        Vec3::new(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z, self.x * o.y - self.y * o.x)
    }
}

impl fmt::Display for Vec2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:.3}, {:.3})", self.x, self.y)
    }
}

impl fmt::Display for Vec3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:.3}, {:.3}, {:.3})", self.x, self.y, self.z)
    }
}

#[derive(Debug, Clone)]
struct Body {
    name: String,
    mass: f64,
    position: Vec3,
    velocity: Vec3,
    drag: f64,
    restitution: f64,
}

impl Body {
    /// Quadratic air drag opposing the velocity.
    fn drag_force(&self) -> Result<Vec3, PhysicsError> {
        let speed = self.velocity.length();
        if self.drag == 0.0 || speed < 1e-9 {
            return Ok(Vec3::ZERO);
        }
        let direction = self.velocity.normalized()?;
        Ok(-direction * (self.drag * speed * speed))
    }

    fn energy(&self, gravity: Vec3, ground_y: f64) -> f64 {
        let kinetic = 0.5 * self.mass * self.velocity.dot(self.velocity);
        let potential = self.mass * gravity.length() * (self.position.y - ground_y);
        kinetic + potential
    }
}

#[derive(Debug, Clone, Default)]
struct BodyBuilder {
    name: String,
    mass: Option<f64>,
    position: Vec3,
    velocity: Vec3,
    drag: f64,
    restitution: f64,
}

impl BodyBuilder {
    fn new(name: &str) -> Self {
        BodyBuilder { name: name.to_string(), restitution: 0.5, ..Default::default() }
    }
    fn mass(mut self, mass: f64) -> Self {
        self.mass = Some(mass);
        self
    }
    fn position(mut self, p: Vec3) -> Self {
        self.position = p;
        self
    }
    fn velocity(mut self, v: Vec3) -> Self {
        self.velocity = v;
        self
    }
    fn drag(mut self, d: f64) -> Self {
        self.drag = d;
        self
    }
    fn restitution(mut self, r: f64) -> Self {
        self.restitution = r;
        self
    }
    /// Sets the velocity from a speed and a direction (which gets normalised).
    fn launch(mut self, speed: f64, direction: Vec3) -> Result<Self, PhysicsError> {
        self.velocity = direction.normalized()? * speed;
        Ok(self)
    }
    fn build(self) -> Result<Body, PhysicsError> {
        let mass = self.mass.ok_or_else(|| PhysicsError::MissingField(self.name.clone(), "mass"))?;
        if !(mass > 0.0 && mass.is_finite()) {
            return Err(PhysicsError::InvalidMass(mass));
        }
        if !(0.0..=1.0).contains(&self.restitution) {
            return Err(PhysicsError::InvalidRestitution(self.restitution));
        }
        if !self.position.is_finite() || !self.velocity.is_finite() {
            return Err(PhysicsError::NonFinite { body: self.name });
        }
        Ok(Body {
            name: self.name,
            mass,
            position: self.position,
            velocity: self.velocity,
            drag: self.drag,
            restitution: self.restitution,
        })
    }
}

#[derive(Debug)]
struct World {
    bodies: Vec<Body>,
    gravity: Vec3,
    dt: f64,
    ground_y: f64,
    steps: usize,
}

struct WorldBuilder {
    gravity: Vec3,
    dt: f64,
    ground_y: f64,
    bodies: Vec<BodyBuilder>,
}

impl WorldBuilder {
    fn new() -> Self {
        WorldBuilder { gravity: Vec3::new(0.0, -9.81, 0.0), dt: 0.01, ground_y: 0.0, bodies: Vec::new() }
    }
    fn gravity(mut self, g: Vec3) -> Self {
        self.gravity = g;
        self
    }
    fn time_step(mut self, dt: f64) -> Self {
        self.dt = dt;
        self
    }
    fn ground(mut self, y: f64) -> Self {
        self.ground_y = y;
        self
    }
    fn body(mut self, b: BodyBuilder) -> Self {
        self.bodies.push(b);
        self
    }
    fn build(self) -> Result<World, PhysicsError> {
        if !(self.dt > 0.0 && self.dt.is_finite()) {
            return Err(PhysicsError::InvalidTimeStep(self.dt));
        }
        let mut bodies: Vec<Body> = Vec::new();
        for b in self.bodies {
            let body = b.build()?;
            if bodies.iter().any(|x| x.name == body.name) {
                return Err(PhysicsError::DuplicateBody(body.name));
            }
            bodies.push(body);
        }
        Ok(World { bodies, gravity: self.gravity, dt: self.dt, ground_y: self.ground_y, steps: 0 })
    }
}

/// Semi-implicit Euler step with a bouncy ground plane.
fn integrate(body: &mut Body, gravity: Vec3, dt: f64, ground_y: f64) -> Result<(), PhysicsError> {
    let force = gravity * body.mass + body.drag_force()?;
    let acceleration = force / body.mass;
    body.velocity += acceleration * dt;
    body.position += body.velocity * dt;
    if body.position.y < ground_y {
        body.position.y = ground_y + (ground_y - body.position.y) * body.restitution;
        body.velocity.y = -body.velocity.y * body.restitution;
    }
    if !body.position.is_finite() || !body.velocity.is_finite() {
        return Err(PhysicsError::NonFinite { body: body.name.clone() });
    }
    Ok(())
}

impl World {
    fn step(&mut self) -> Result<(), PhysicsError> {
        let step = self.steps;
        for body in self.bodies.iter_mut() {
            integrate(body, self.gravity, self.dt, self.ground_y).map_err(|e| PhysicsError::StepFailed {
                body: body.name.clone(),
                step,
                source: Box::new(e),
            })?;
        }
        self.steps += 1;
        Ok(())
    }

    fn run(&mut self, steps: usize) -> Result<(), PhysicsError> {
        for _ in 0..steps {
            self.step()?;
        }
        Ok(())
    }

    fn print_state(&self) {
        println!("t = {:.2}s (step {})", self.steps as f64 * self.dt, self.steps);
        for b in &self.bodies {
            println!(
                "  {:<6} pos {}  vel {}  speed {:>6.2} m/s  energy {:>8.2} J",
                b.name,
                b.position,
                b.velocity,
                b.velocity.length(),
                b.energy(self.gravity, self.ground_y)
            );
        }
    }
}

fn vector_demo() -> Result<(), PhysicsError> {
    let a = Vec2::new(3.0, 4.0);
    let b = Vec2::new(1.0, -2.0);
    println!("2D: a = {a}, b = {b}");
    println!("  a + b = {}, a - b = {}, 2a = {}, -b = {}", a + b, a - b, 2.0 * a, -b);
    println!("  |a| = {}, a.b = {}, a x b = {}", a.length(), a.dot(b), a.cross(b));
    println!("  unit(a) = {}, perp(a) = {}", a.normalized()?, a.perp());
    println!("  angle(a, b) = {:.2} deg", a.angle_to(b)?.to_degrees());
    println!("  a rotated 90 deg = {}", a.rotated(std::f64::consts::FRAC_PI_2));
    println!("  projection of a onto x-axis = {}", a.project_onto(Vec2::new(5.0, 0.0))?);
    println!("  midpoint = {}, distance = {:.3}", a.lerp(b, 0.5), a.distance(b));

    let u = Vec3::new(1.0, 2.0, 3.0);
    let v = Vec3::new(-2.0, 0.5, 4.0);
    let w = u.cross(v);
    println!("3D: u = {u}, v = {v}");
    println!("  u x v = {w}  (w.u = {:.1e}, w.v = {:.1e})", w.dot(u), w.dot(v));
    let mut acc = Vec3::ZERO;
    acc += u;
    acc -= v * 0.5;
    println!("  u - v/2 = {acc}, unit = {}", acc.normalized()?);
    Ok(())
}

fn main() -> Result<()> {
    vector_demo().context("vector algebra demo failed")?;

    println!("\n--- Physics demo ---");
    let mut world = WorldBuilder::new()
        .gravity(Vec3::new(0.0, -9.81, 0.0))
        .time_step(0.01)
        .ground(0.0)
        .body(
            BodyBuilder::new("ball")
                .mass(0.45)
                .position(Vec3::new(0.0, 2.0, 0.0))
                .launch(18.0, Vec3::new(1.0, 1.0, 0.2))?
                .drag(0.01)
                .restitution(0.6),
        )
        .body(BodyBuilder::new("crate").mass(20.0).position(Vec3::new(5.0, 10.0, 0.0)).restitution(0.2))
        .build()
        .context("building the demo world")?;

    world.print_state();
    for _ in 0..4 {
        world.run(75).context("simulating the demo world")?;
        world.print_state();
    }

    println!("\n--- Error handling ---");
    let err = WorldBuilder::new()
        .body(BodyBuilder::new("ghost").mass(-1.0))
        .build()
        .context("building a world with a bad body")
        .unwrap_err();
    println!("expected: {err:#}");

    let err = WorldBuilder::new()
        .body(BodyBuilder::new("twin").mass(1.0))
        .body(BodyBuilder::new("twin").mass(2.0))
        .build()
        .context("building a world with duplicate names")
        .unwrap_err();
    println!("expected: {err:#}");

    let err = BodyBuilder::new("dart").launch(5.0, Vec3::ZERO).context("launching without a direction").unwrap_err();
    println!("expected: {err:#}");

    let err = WorldBuilder::new().time_step(0.0).build().context("zero time step").unwrap_err();
    println!("expected: {err:#}");

    let mut unstable = WorldBuilder::new()
        .time_step(0.5)
        .body(
            BodyBuilder::new("feather")
                .mass(0.01)
                .position(Vec3::new(0.0, 100.0, 0.0))
                .velocity(Vec3::new(30.0, 0.0, 0.0))
                .drag(0.05),
        )
        .build()
        .context("building the unstable world")?;
    match unstable.run(50).context("running with a far too large time step") {
        Ok(()) => println!("unexpectedly stable"),
        Err(e) => {
            println!("expected divergence:");
            for (depth, cause) in e.chain().enumerate() {
                println!("  {}{}", "  ".repeat(depth), cause);
            }
        }
    }
    Ok(())
}
