use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// A polynomial with integer coefficients; `coeffs[i]` multiplies x^i.
/// Trailing zero coefficients are always trimmed, so the zero polynomial
/// has an empty coefficient vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polynomial {
    coeffs: Vec<i64>,
}

impl Polynomial {
    pub fn new(mut coeffs: Vec<i64>) -> Self {
        while coeffs.last() == Some(&0) {
            coeffs.pop();
        }
        Polynomial { coeffs }
    }

    /// Builds from highest degree first: `[3, -2, 1]` is 3x^2 - 2x + 1.
    pub fn from_descending(coeffs: &[i64]) -> Self {
        Self::new(coeffs.iter().rev().copied().collect())
    }

    pub fn zero() -> Self {
        Self::new(Vec::new())
    }

    pub fn constant(c: i64) -> Self {
        Self::new(vec![c])
    }

    pub fn monomial(c: i64, degree: usize) -> Self {
        let mut coeffs = vec![0; degree + 1];
        coeffs[degree] = c;
        Self::new(coeffs)
    }

    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    pub fn degree(&self) -> Option<usize> {
        if self.is_zero() {
            None
        } else {
            Some(self.coeffs.len() - 1)
        }
    }

    pub fn coefficient(&self, power: usize) -> i64 {
        self.coeffs.get(power).copied().unwrap_or(0)
    }

    /// Horner's method.
    pub fn eval(&self, x: i64) -> i64 {
        self.coeffs.iter().rev().fold(0, |acc, &c| acc * x + c)
    }

    pub fn eval_f64(&self, x: f64) -> f64 {
        self.coeffs
            .iter()
            .rev()
            .fold(0.0, |acc, &c| acc * x + c as f64)
    }

    pub fn derivative(&self) -> Self {
        Self::new(
            self.coeffs
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, &c)| c * i as i64)
                .collect(),
        )
    }

    pub fn nth_derivative(&self, n: usize) -> Self {
        (0..n).fold(self.clone(), |p, _| p.derivative())
    }

    /// self(inner(x)), evaluated with Horner's scheme on polynomials.
    pub fn compose(&self, inner: &Polynomial) -> Self {
        self.coeffs
            .iter()
            .rev()
            .fold(Polynomial::zero(), |acc, &c| &(&acc * inner) + &Polynomial::constant(c))
    }

    pub fn newton_root(&self, mut guess: f64, tolerance: f64, max_iter: usize) -> Option<f64> {
        let d = self.derivative();
        for _ in 0..max_iter {
            let fx = self.eval_f64(guess);
            if fx.abs() < tolerance {
                return Some(guess);
            }
            let dfx = d.eval_f64(guess);
            if dfx == 0.0 {
                return None;
            }
            guess -= fx / dfx;
        }
        if self.eval_f64(guess).abs() < tolerance {
            Some(guess)
        } else {
            None
        }
    }
}

impl fmt::Display for Polynomial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return write!(f, "0");
        }
        let mut first = true;
        for (power, &c) in self.coeffs.iter().enumerate().rev() {
            if c == 0 {
                continue;
            }
            if first {
                if c < 0 {
                    write!(f, "-")?;
                }
            } else {
                write!(f, " {} ", if c < 0 { '-' } else { '+' })?;
            }
            let abs = c.abs();
            if abs != 1 || power == 0 {
                write!(f, "{}", abs)?;
            }
            match power {
                0 => {}
                1 => write!(f, "x")?,
                _ => write!(f, "x^{}", power)?,
            }
            first = false;
        }
        Ok(())
    }
}

impl Add for &Polynomial {
    type Output = Polynomial;
    fn add(self, rhs: &Polynomial) -> Polynomial {
        let n = self.coeffs.len().max(rhs.coeffs.len());
        Polynomial::new((0..n).map(|i| self.coefficient(i) + rhs.coefficient(i)).collect())
    }
}

impl Sub for &Polynomial {
    type Output = Polynomial;
    fn sub(self, rhs: &Polynomial) -> Polynomial {
        let n = self.coeffs.len().max(rhs.coeffs.len());
        Polynomial::new((0..n).map(|i| self.coefficient(i) - rhs.coefficient(i)).collect())
    }
}

impl Mul for &Polynomial {
    type Output = Polynomial;
    fn mul(self, rhs: &Polynomial) -> Polynomial {
        if self.is_zero() || rhs.is_zero() {
            return Polynomial::zero();
        }
        let mut out = vec![0; self.coeffs.len() + rhs.coeffs.len() - 1];
        for (i, &a) in self.coeffs.iter().enumerate() {
            for (j, &b) in rhs.coeffs.iter().enumerate() {
                out[i + j] += a * b;
            }
        }
        Polynomial::new(out)
    }
}

impl Mul<i64> for &Polynomial {
    type Output = Polynomial;
    fn mul(self, k: i64) -> Polynomial {
        Polynomial::new(self.coeffs.iter().map(|c| c * k).collect())
    }
}

impl Neg for &Polynomial {
    type Output = Polynomial;
    fn neg(self) -> Polynomial {
        self * -1
    }
}

macro_rules! forward_owned {
    ($trait:ident, $method:ident) => {
        impl $trait for Polynomial {
            type Output = Polynomial;
            fn $method(self, rhs: Polynomial) -> Polynomial {
                (&self).$method(&rhs)
            }
        }
    };
}

forward_owned!(Add, add);
forward_owned!(Sub, sub);
forward_owned!(Mul, mul);

impl Neg for Polynomial {
    type Output = Polynomial;
    fn neg(self) -> Polynomial {
        -&self
    }
}

fn main() {
    let p = Polynomial::from_descending(&[3, -2, 1]); // 3x^2 - 2x + 1
    let q = Polynomial::from_descending(&[1, -4]); // x - 4

    println!("p(x)      = {}", p);
    println!("q(x)      = {}", q);
    println!("deg p     = {:?}", p.degree());
    println!("p + q     = {}", &p + &q);
    println!("p - q     = {}", &p - &q);
    println!("p * q     = {}", &p * &q);
    println!("-p        = {}", -&p);
    println!("3p        = {}", &p * 3);
    println!("p'        = {}", p.derivative());
    println!("p''       = {}", p.nth_derivative(2));
    println!("p'''      = {}", p.nth_derivative(3));
    println!("p(q(x))   = {}", p.compose(&q));

    println!("\n  x | p(x) | q(x) | (p*q)(x)");
    for x in -2..=3 {
        println!(
            "{:>3} | {:>4} | {:>4} | {:>8}",
            x,
            p.eval(x),
            q.eval(x),
            (&p * &q).eval(x)
        );
    }

    // Sanity checks of the algebra.
    assert_eq!(p.to_string(), "3x^2 - 2x + 1");
    assert_eq!((&p * &q).eval(5), p.eval(5) * q.eval(5));
    assert_eq!(p.compose(&q).eval(7), p.eval(q.eval(7)));
    let product_rule = &(&p.derivative() * &q) + &(&p * &q.derivative());
    assert_eq!((&p * &q).derivative(), product_rule);
    assert_eq!(&(&p + &q) - &q, p);
    assert!((&p - &p).is_zero());

    println!("\nPretty-printing edge cases:");
    let samples = vec![
        Polynomial::from_descending(&[-1, 0, 1, 0]),
        Polynomial::from_descending(&[1, 0, 0, 0, -1]),
        Polynomial::from_descending(&[0, 0, 7]),
        Polynomial::monomial(-5, 1),
        Polynomial::monomial(1, 1),
        Polynomial::zero(),
        Polynomial::from_descending(&[2, -1, 0, -3]),
    ];
    for s in &samples {
        println!("  {:<22} degree {:?}", s.to_string(), s.degree());
    }

    let x_minus_1 = Polynomial::from_descending(&[1, -1]);
    let mut power = Polynomial::constant(1);
    for _ in 0..5 {
        power = power * x_minus_1.clone();
    }
    println!("\n(x - 1)^5 = {}", power);
    assert_eq!(power.eval(1), 0);

    println!("\nNewton's method:");
    let sqrt2 = Polynomial::from_descending(&[1, 0, -2]);
    match sqrt2.newton_root(1.0, 1e-12, 50) {
        Some(r) => println!("  root of {:<16} near 1.0: {:.12}", sqrt2.to_string(), r),
        None => println!("  no root found for {}", sqrt2),
    }
    let cubic = Polynomial::from_descending(&[1, 0, -2, -5]);
    match cubic.newton_root(2.0, 1e-12, 50) {
        Some(r) => println!("  root of {:<16} near 2.0: {:.12}", cubic.to_string(), r),
        None => println!("  no root found for {}", cubic),
    }
    let no_real = Polynomial::from_descending(&[1, 0, 1]);
    match no_real.newton_root(0.0, 1e-12, 50) {
        Some(r) => println!("  root of {}: {}", no_real, r),
        None => println!("  {} has no real root reachable from 0.0", no_real),
    }
}
