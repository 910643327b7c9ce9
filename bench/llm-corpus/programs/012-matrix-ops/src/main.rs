use std::fmt;
use std::ops::{Add, Index, IndexMut, Mul, Neg, Sub};
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
enum MatrixError {
    #[error("dimension mismatch: {0}x{1} vs {2}x{3}")]
    DimensionMismatch(usize, usize, usize, usize),
    #[error("matrix must be square, got {0}x{1}")]
    NotSquare(usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn zeros(rows: usize, cols: usize) -> Self {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }

    fn identity(n: usize) -> Self {
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    fn from_rows(rows: &[&[f64]]) -> Self {
        let r = rows.len();
        let c = rows.first().map(|row| row.len()).unwrap_or(0);
        assert!(rows.iter().all(|row| row.len() == c), "ragged rows");
        Matrix { rows: r, cols: c, data: rows.iter().flat_map(|row| row.iter().copied()).collect() }
    }

    fn transpose(&self) -> Matrix {
        let mut t = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                t[(j, i)] = self[(i, j)];
            }
        }
        t
    }

    fn try_add(&self, other: &Matrix) -> Result<Matrix, MatrixError> {
        if self.rows != other.rows || self.cols != other.cols {
            return Err(MatrixError::DimensionMismatch(self.rows, self.cols, other.rows, other.cols));
        }
        Ok(Matrix {
            rows: self.rows,
            cols: self.cols,
            data: self.data.iter().zip(&other.data).map(|(a, b)| a + b).collect(),
        })
    }

    fn try_mul(&self, other: &Matrix) -> Result<Matrix, MatrixError> {
        if self.cols != other.rows {
            return Err(MatrixError::DimensionMismatch(self.rows, self.cols, other.rows, other.cols));
        }
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self[(i, k)];
                for j in 0..other.cols {
                    out[(i, j)] += a * other[(k, j)];
                }
            }
        }
        Ok(out)
    }

    /// Determinant via Gaussian elimination with partial pivoting.
    fn determinant(&self) -> Result<f64, MatrixError> {
        if self.rows != self.cols {
            return Err(MatrixError::NotSquare(self.rows, self.cols));
        }
        let n = self.rows;
        let mut m = self.clone();
        let mut det = 1.0;
        for col in 0..n {
            let pivot = (col..n)
                .max_by(|&a, &b| m[(a, col)].abs().partial_cmp(&m[(b, col)].abs()).unwrap())
                .unwrap();
            if m[(pivot, col)].abs() < 1e-12 {
                return Ok(0.0);
            }
            if pivot != col {
                for j in 0..n {
                    m.data.swap(pivot * n + j, col * n + j);
                }
                det = -det;
            }
            let p = m[(col, col)];
            det *= p;
            for r in (col + 1)..n {
                let factor = m[(r, col)] / p;
                for j in col..n {
                    let v = m[(col, j)];
                    m[(r, j)] -= factor * v;
                }
            }
        }
        Ok(det)
    }

    fn scale(&self, k: f64) -> Matrix {
        Matrix { rows: self.rows, cols: self.cols, data: self.data.iter().map(|x| x * k).collect() }
    }
}

impl Index<(usize, usize)> for Matrix {
    type Output = f64;
    fn index(&self, (r, c): (usize, usize)) -> &f64 {
        &self.data[r * self.cols + c]
    }
}

impl IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (r, c): (usize, usize)) -> &mut f64 {
        &mut self.data[r * self.cols + c]
    }
}

impl<'a> Add for &'a Matrix {
    type Output = Matrix;
    fn add(self, rhs: &'a Matrix) -> Matrix {
        self.try_add(rhs).expect("matrix addition")
    }
}

impl<'a> Sub for &'a Matrix {
    type Output = Matrix;
    fn sub(self, rhs: &'a Matrix) -> Matrix {
        self.try_add(&rhs.scale(-1.0)).expect("matrix subtraction")
    }
}

impl<'a> Mul for &'a Matrix {
    type Output = Matrix;
    fn mul(self, rhs: &'a Matrix) -> Matrix {
        self.try_mul(rhs).expect("matrix multiplication")
    }
}

impl Mul<f64> for &Matrix {
    type Output = Matrix;
    fn mul(self, k: f64) -> Matrix {
        self.scale(k)
    }
}

impl Neg for &Matrix {
    type Output = Matrix;
    fn neg(self) -> Matrix {
        self.scale(-1.0)
    }
}

impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in 0..self.rows {
            write!(f, "[")?;
            for j in 0..self.cols {
                if j > 0 {
                    write!(f, " ")?;
                }
                write!(f, "{:>8.2}", self[(i, j)])?;
            }
            writeln!(f, " ]")?;
        }
        Ok(())
    }
}

fn main() {
    let a = Matrix::from_rows(&[&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], &[7.0, 8.0, 10.0]]);
    let b = Matrix::from_rows(&[&[2.0, 0.0, 1.0], &[1.0, 3.0, 0.0], &[0.0, 1.0, 4.0]]);
    let c = Matrix::from_rows(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]]);

    println!("A =\n{}", a);
    println!("B =\n{}", b);
    println!("C (3x2) =\n{}", c);
    println!("A + B =\n{}", &a + &b);
    println!("A - B =\n{}", &a - &b);
    println!("A * B =\n{}", &a * &b);
    println!("A * C =\n{}", &a * &c);
    println!("-A * 0.5 =\n{}", &(-&a) * 0.5);
    println!("C^T =\n{}", c.transpose());

    let i3 = Matrix::identity(3);
    println!("A * I == A: {}", &a * &i3 == a);
    println!("(A*B)^T == B^T * A^T: {}", (&a * &b).transpose() == &b.transpose() * &a.transpose());

    for (name, m) in [("A", &a), ("B", &b), ("I", &i3), ("C", &c)] {
        match m.determinant() {
            Ok(d) => println!("det({}) = {:.4}", name, d),
            Err(e) => println!("det({}) failed: {}", name, e),
        }
    }
    let singular = Matrix::from_rows(&[&[1.0, 2.0], &[2.0, 4.0]]);
    println!("det(singular) = {:.4}", singular.determinant().unwrap());

    match a.try_add(&c) {
        Ok(m) => println!("unexpected:\n{}", m),
        Err(e) => println!("A + C error: {}", e),
    }
    match c.try_mul(&c) {
        Ok(m) => println!("unexpected:\n{}", m),
        Err(e) => println!("C * C error: {}", e),
    }
}
