fn sieve(limit: usize) -> Vec<usize> {
    let mut is_prime = vec![true; limit + 1];
    let mut primes = Vec::new();
    for n in 2..=limit {
        if is_prime[n] {
            primes.push(n);
            let mut multiple = n * n;
            while multiple <= limit {
                is_prime[multiple] = false;
                multiple += n;
            }
        }
    }
    primes
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: u64, b: u64) -> Option<u64> {
    if a == 0 || b == 0 {
        return Some(0);
    }
    (a / gcd(a, b)).checked_mul(b)
}

#[derive(Debug, Clone, PartialEq)]
struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn new(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        assert_eq!(data.len(), rows * cols, "data does not fit {rows}x{cols}");
        Matrix { rows, cols, data }
    }

    fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    fn mul(&self, other: &Matrix) -> Option<Matrix> {
        if self.cols != other.rows {
            return None;
        }
        let mut data = vec![0.0; self.rows * other.cols];
        for r in 0..self.rows {
            for c in 0..other.cols {
                data[r * other.cols + c] = (0..self.cols).map(|k| self.get(r, k) * other.get(k, c)).sum();
            }
        }
        Some(Matrix::new(self.rows, other.cols, data))
    }
}

fn approx_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn main() {
    println!("primes: {:?}", sieve(30));
    println!("gcd(84, 36) = {}, lcm = {:?}", gcd(84, 36), lcm(84, 36));
    let m = Matrix::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]);
    println!("{:?}", m.mul(&m));
    println!("0.1 + 0.2 == 0.3? {}", approx_eq(0.1 + 0.2, 0.3));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_and_divisors() {
        assert_eq!(sieve(20), vec![2, 3, 5, 7, 11, 13, 17, 19]);
        assert_eq!(gcd(0, 5), 5);
        assert_eq!(lcm(4, 6), Some(12));
        assert_eq!(lcm(u64::MAX, u64::MAX - 1), None);
    }

    #[test]
    fn matrix_product_and_shapes() {
        let a = Matrix::new(1, 2, vec![1.0, 2.0]);
        let b = Matrix::new(2, 1, vec![3.0, 4.0]);
        assert_eq!(a.mul(&b), Some(Matrix::new(1, 1, vec![11.0])));
        assert_eq!(a.mul(&a), None);
        assert!(approx_eq(0.1 + 0.2, 0.3));
    }
}
