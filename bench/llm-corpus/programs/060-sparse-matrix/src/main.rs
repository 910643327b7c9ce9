use std::fmt;

#[derive(Debug, PartialEq)]
enum SparseError {
    IndexOutOfBounds { row: usize, col: usize, rows: usize, cols: usize },
    DimensionMismatch { expected: usize, found: usize },
}

impl fmt::Display for SparseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SparseError::IndexOutOfBounds { row, col, rows, cols } => write!(
                f,
                "entry ({}, {}) is outside a {}x{} matrix",
                row, col, rows, cols
            ),
            SparseError::DimensionMismatch { expected, found } => write!(
                f,
                "vector has length {}, expected {}",
                found, expected
            ),
        }
    }
}

impl std::error::Error for SparseError {}

/// Compressed sparse row matrix: the non-zeros of row `r` are
/// `values[row_ptr[r]..row_ptr[r + 1]]` at columns `col_idx[..]` (sorted).
#[derive(Debug, Clone, PartialEq)]
struct CsrMatrix {
    rows: usize,
    cols: usize,
    row_ptr: Vec<usize>,
    col_idx: Vec<usize>,
    values: Vec<f64>,
}

impl CsrMatrix {
    /// Builds from (row, col, value) triplets; duplicates are summed and
    /// explicit zeros are dropped.
    fn from_triplets(rows: usize, cols: usize, triplets: &[(usize, usize, f64)]) -> Result<Self, SparseError> {
        if let Some(&(row, col, _)) = triplets.iter().find(|t| t.0 >= rows || t.1 >= cols) {
            return Err(SparseError::IndexOutOfBounds { row, col, rows, cols });
        }
        let mut sorted = triplets.to_vec();
        sorted.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

        let mut merged: Vec<(usize, usize, f64)> = Vec::with_capacity(sorted.len());
        for (r, c, v) in sorted {
            match merged.last_mut() {
                Some(last) if last.0 == r && last.1 == c => last.2 += v,
                _ => merged.push((r, c, v)),
            }
        }
        merged.retain(|t| t.2 != 0.0);

        let mut row_ptr = vec![0usize; rows + 1];
        for &(r, _, _) in &merged {
            row_ptr[r + 1] += 1;
        }
        for i in 0..rows {
            row_ptr[i + 1] += row_ptr[i];
        }
        Ok(CsrMatrix {
            rows,
            cols,
            row_ptr,
            col_idx: merged.iter().map(|t| t.1).collect(),
            values: merged.iter().map(|t| t.2).collect(),
        })
    }

    fn nnz(&self) -> usize {
        self.values.len()
    }

    fn density(&self) -> f64 {
        self.nnz() as f64 / (self.rows * self.cols) as f64
    }

    fn row(&self, r: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.row_ptr[r]..self.row_ptr[r + 1];
        self.col_idx[range.clone()]
            .iter()
            .copied()
            .zip(self.values[range].iter().copied())
    }

    fn get(&self, r: usize, c: usize) -> f64 {
        let start = self.row_ptr[r];
        let cols = &self.col_idx[start..self.row_ptr[r + 1]];
        match cols.binary_search(&c) {
            Ok(pos) => self.values[start + pos],
            Err(_) => 0.0,
        }
    }

    fn mul_vec(&self, x: &[f64]) -> Result<Vec<f64>, SparseError> {
        if x.len() != self.cols {
            return Err(SparseError::DimensionMismatch {
                expected: self.cols,
                found: x.len(),
            });
        }
        Ok((0..self.rows)
            .map(|r| self.row(r).map(|(c, v)| v * x[c]).sum::<f64>())
            .collect())
    }

    /// Transpose via counting sort on column indices: O(nnz + rows + cols).
    fn transpose(&self) -> CsrMatrix {
        let mut row_ptr = vec![0usize; self.cols + 1];
        for &c in &self.col_idx {
            row_ptr[c + 1] += 1;
        }
        for i in 0..self.cols {
            row_ptr[i + 1] += row_ptr[i];
        }
        let mut next = row_ptr.clone();
        let mut col_idx = vec![0usize; self.nnz()];
        let mut values = vec![0.0; self.nnz()];
        for r in 0..self.rows {
            for k in self.row_ptr[r]..self.row_ptr[r + 1] {
                let c = self.col_idx[k];
                let dest = next[c];
                col_idx[dest] = r;
                values[dest] = self.values[k];
                next[c] += 1;
            }
        }
        CsrMatrix {
            rows: self.cols,
            cols: self.rows,
            row_ptr,
            col_idx,
            values,
        }
    }

    fn to_dense(&self) -> Vec<Vec<f64>> {
        let mut dense = vec![vec![0.0; self.cols]; self.rows];
        for r in 0..self.rows {
            for (c, v) in self.row(r) {
                dense[r][c] = v;
            }
        }
        dense
    }
}

impl fmt::Display for CsrMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in 0..self.rows {
            write!(f, "  [")?;
            for c in 0..self.cols {
                let v = self.get(r, c);
                if v == 0.0 {
                    write!(f, "{:>7}", ".")?;
                } else {
                    write!(f, "{:>7.2}", v)?;
                }
            }
            writeln!(f, " ]")?;
        }
        Ok(())
    }
}

fn dense_mul(dense: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
    dense
        .iter()
        .map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum::<f64>())
        .collect()
}

fn approx_eq(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

fn main() {
    let triplets = vec![
        (0, 0, 4.0),
        (0, 2, -1.0),
        (1, 1, 3.0),
        (1, 4, 2.0),
        (2, 0, -1.0),
        (2, 2, 5.0),
        (2, 5, 1.5),
        (3, 3, 7.0),
        (4, 1, 2.5),
        (4, 4, 1.0),
        (0, 2, -0.5), // duplicate of (0, 2): summed
        (3, 5, 0.0),  // explicit zero: dropped
    ];
    let a = CsrMatrix::from_triplets(5, 6, &triplets).expect("valid triplets");
    println!("A ({}x{}, nnz {}, density {:.1}%):", a.rows, a.cols, a.nnz(), a.density() * 100.0);
    print!("{}", a);
    println!("row_ptr = {:?}", a.row_ptr);
    println!("col_idx = {:?}", a.col_idx);
    println!("values  = {:?}\n", a.values);

    let x = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let y = a.mul_vec(&x).expect("matching dimensions");
    println!("A * {:?} = {:?}", x, y);
    assert!(approx_eq(&y, &dense_mul(&a.to_dense(), &x)));

    let t = a.transpose();
    println!("\nA^T ({}x{}):", t.rows, t.cols);
    print!("{}", t);
    assert_eq!(t.transpose(), a, "transposing twice gives A back");
    for r in 0..a.rows {
        for c in 0..a.cols {
            assert_eq!(a.get(r, c), t.get(c, r));
        }
    }

    let z = vec![1.0, -1.0, 0.5, 2.0, 0.0];
    let tz = t.mul_vec(&z).expect("matching dimensions");
    println!("A^T * {:?} = {:?}", z, tz);
    assert!(approx_eq(&tz, &dense_mul(&t.to_dense(), &z)));

    println!("\nerror handling:");
    match CsrMatrix::from_triplets(2, 2, &[(0, 0, 1.0), (2, 1, 3.0)]) {
        Ok(_) => println!("  unexpectedly accepted"),
        Err(e) => println!("  from_triplets: {}", e),
    }
    match a.mul_vec(&[1.0, 2.0]) {
        Ok(_) => println!("  unexpectedly accepted"),
        Err(e) => println!("  mul_vec: {}", e),
    }

    // A large 1-D Laplacian (tridiagonal): applied to a vector of ones every
    // interior row sums to zero, the two boundary rows to one.
    let n = 100_000;
    let mut lap = Vec::with_capacity(3 * n);
    for i in 0..n {
        lap.push((i, i, 2.0));
        if i > 0 {
            lap.push((i, i - 1, -1.0));
        }
        if i + 1 < n {
            lap.push((i, i + 1, -1.0));
        }
    }
    let l = CsrMatrix::from_triplets(n, n, &lap).expect("valid laplacian");
    let ones = vec![1.0; n];
    let ly = l.mul_vec(&ones).expect("matching dimensions");
    println!(
        "\n{}x{} Laplacian: nnz {}, density {:.5}%, (L*1)[0] = {}, (L*1)[n/2] = {}, sum = {}",
        n,
        n,
        l.nnz(),
        l.density() * 100.0,
        ly[0],
        ly[n / 2],
        ly.iter().sum::<f64>()
    );
    assert_eq!(l.transpose(), l, "the Laplacian is symmetric");
}
