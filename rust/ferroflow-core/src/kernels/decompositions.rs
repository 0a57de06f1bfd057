//! Symmetric eigendecomposition and SVD by Jacobi rotations, each packed into one output tensor.
//!
//! A graph node has one output, so `eigh` returns `[..., n + 1, n]` (row 0 the eigenvalues in ascending
//! order, rows 1.. the eigenvectors as columns) and `svd` returns `[..., 1 + m + n, k]` (row 0 the singular
//! values in descending order, then U's m rows, then V's n rows; k = min(m, n)). The Python layer slices
//! them apart. Jacobi methods are slower than Householder-based ones for large matrices but accurate to
//! working precision, simple and allocation-light; they are meant for matrices up to a few hundred rows.
//! All arithmetic is in f64; float32 results are rounded once.

#[path = "decompositions_grad.rs"]
pub(crate) mod grad;

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::kernels::elementwise::cast;
use crate::tensor::Tensor;

/// Sweeps after which a Jacobi iteration stops even if not converged (it converges quadratically: a
/// handful of sweeps suffice in practice).
const MAX_SWEEPS: usize = 60;

/// `[..., rows, cols]` as (batch, rows, cols).
pub(crate) fn matrix_dims(x: &Tensor, what: &str) -> Result<(usize, usize, usize)> {
    let s = x.shape();
    if s.len() < 2 {
        return Err(Error::invalid(format!("{what} expects a tensor of rank >= 2, received shape {s:?}")));
    }
    let (r, c) = (s[s.len() - 2], s[s.len() - 1]);
    Ok((s[..s.len() - 2].iter().product(), r, c))
}

/// Builds the output from f64 values in `dtype`.
pub(crate) fn finish(shape: Vec<usize>, data: Vec<f64>, dtype: DType) -> Result<Tensor> {
    let t = Tensor::from_vec(&shape, data)?;
    if dtype == DType::F64 {
        Ok(t)
    } else {
        cast(&t, dtype)
    }
}

fn require_float(x: &Tensor, what: &str) -> Result<()> {
    if matches!(x.dtype(), DType::F32 | DType::F64) {
        Ok(())
    } else {
        Err(Error::dtype(format!("{what} expects a float32 or float64 tensor, received {}", x.dtype())))
    }
}

/// Eigenvalues and eigenvectors of symmetric matrices; only the lower triangle is read (as in TensorFlow).
pub fn eigh(x: &Tensor) -> Result<Tensor> {
    require_float(x, "eigh")?;
    let (batch, n, cols) = matrix_dims(x, "eigh")?;
    if n != cols {
        return Err(Error::invalid(format!("eigh expects square matrices, received shape {:?}", x.shape())));
    }
    let values = x.to_f64_vec();
    let mut out = Vec::with_capacity(batch * (n + 1) * n);
    for b in 0..batch {
        let mut a = values[b * n * n..(b + 1) * n * n].to_vec();
        for i in 0..n {
            for j in i + 1..n {
                a[i * n + j] = a[j * n + i];
            }
        }
        let (w, v) = jacobi_eigh(&mut a, n);
        out.extend_from_slice(&w);
        out.extend_from_slice(&v);
    }
    let mut shape = x.shape().to_vec();
    let r = shape.len();
    shape[r - 2] = n + 1;
    finish(shape, out, x.dtype())
}

/// Cyclic Jacobi on a symmetric row-major `a` (destroyed): eigenvalues ascending and the row-major matrix
/// whose columns are the matching unit eigenvectors.
fn jacobi_eigh(a: &mut [f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = identity(n);
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum();
        if off <= total * 1e-32 || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // A <- J^T A J, with J the rotation in the (p, q) plane that zeroes a[p][q].
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                rotate_columns(&mut v, n, n, p, q, c, s);
            }
        }
    }
    let w: Vec<f64> = (0..n).map(|i| a[i * n + i]).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| w[i].total_cmp(&w[j]));
    let sorted_w = order.iter().map(|&i| w[i]).collect();
    (sorted_w, permute_columns(&v, n, n, &order))
}

/// Singular values (descending) with the thin U and V, by one-sided (Hestenes) Jacobi.
pub fn svd(x: &Tensor) -> Result<Tensor> {
    require_float(x, "svd")?;
    let (batch, m, n) = matrix_dims(x, "svd")?;
    let k = m.min(n);
    let values = x.to_f64_vec();
    let mut out = Vec::with_capacity(batch * (1 + m + n) * k);
    for b in 0..batch {
        let a = &values[b * m * n..(b + 1) * m * n];
        // Work on the tall orientation: columns are orthogonalized, so there must be no more of them than rows.
        let (s, u, v) = if m >= n {
            thin_svd(a.to_vec(), m, n)
        } else {
            let (s, u, v) = thin_svd(transpose(a, m, n), n, m);
            (s, v, u)
        };
        out.extend_from_slice(&s);
        out.extend_from_slice(&u);
        out.extend_from_slice(&v);
    }
    let mut shape = x.shape().to_vec();
    let r = shape.len();
    shape[r - 2] = 1 + m + n;
    shape[r - 1] = k;
    finish(shape, out, x.dtype())
}

/// SVD of a row-major m x n matrix with m >= n: (s, U m x n, V n x n), all row-major.
fn thin_svd(mut b: Vec<f64>, m: usize, n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut v = identity(n);
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for r in 0..m {
                    let (bp, bq) = (b[r * n + p], b[r * n + q]);
                    alpha += bp * bp;
                    beta += bq * bq;
                    gamma += bp * bq;
                }
                if gamma == 0.0 || gamma.abs() <= 1e-15 * (alpha * beta).sqrt() {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                rotate_columns(&mut b, m, n, p, q, c, s);
                rotate_columns(&mut v, n, n, p, q, c, s);
            }
        }
        if !rotated {
            break;
        }
    }
    let norms: Vec<f64> = (0..n).map(|j| (0..m).map(|r| b[r * n + j].powi(2)).sum::<f64>().sqrt()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| norms[j].total_cmp(&norms[i]));
    let s: Vec<f64> = order.iter().map(|&j| norms[j]).collect();
    let mut u = permute_columns(&b, m, n, &order);
    let v = permute_columns(&v, n, n, &order);
    // Below this a singular value is zero to working precision and its column of B is rounding noise.
    let tiny = s[0] * (m as f64) * f64::EPSILON * 4.0;
    for (j, &sj) in s.iter().enumerate() {
        if sj > tiny && sj > 0.0 {
            for r in 0..m {
                u[r * n + j] /= sj;
            }
        } else {
            complete_column(&mut u, m, n, j);
        }
    }
    (s, u, v)
}

/// Replaces column `j` of the row-major m x n `u` by a unit vector orthogonal to the columns before it
/// (a zero singular value leaves its left vector free; TensorFlow returns such a completion too).
fn complete_column(u: &mut [f64], m: usize, n: usize, j: usize) {
    for e in 0..m {
        let mut col: Vec<f64> = (0..m).map(|r| if r == e { 1.0 } else { 0.0 }).collect();
        for other in 0..j {
            let dot: f64 = (0..m).map(|r| u[r * n + other] * col[r]).sum();
            for (r, c) in col.iter_mut().enumerate() {
                *c -= dot * u[r * n + other];
            }
        }
        let norm = col.iter().map(|c| c * c).sum::<f64>().sqrt();
        if norm > 1e-6 {
            for (r, c) in col.iter().enumerate() {
                u[r * n + j] = c / norm;
            }
            return;
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    v
}

fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut t = vec![0.0; a.len()];
    for r in 0..rows {
        for c in 0..cols {
            t[c * rows + r] = a[r * cols + c];
        }
    }
    t
}

/// Columns p and q of the row-major `rows x cols` matrix become `c p - s q` and `s p + c q`.
fn rotate_columns(a: &mut [f64], rows: usize, cols: usize, p: usize, q: usize, c: f64, s: f64) {
    for r in 0..rows {
        let (ap, aq) = (a[r * cols + p], a[r * cols + q]);
        a[r * cols + p] = c * ap - s * aq;
        a[r * cols + q] = s * ap + c * aq;
    }
}

fn permute_columns(a: &[f64], rows: usize, cols: usize, order: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; rows * order.len()];
    for r in 0..rows {
        for (j, &src) in order.iter().enumerate() {
            out[r * order.len() + j] = a[r * cols + src];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matmul(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for l in 0..k {
                for j in 0..n {
                    c[i * n + j] += a[i * k + l] * b[l * n + j];
                }
            }
        }
        c
    }

    fn pseudo_random(len: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn eigh_reconstructs_and_orders_the_eigenvalues() {
        let n = 7;
        let r = pseudo_random(n * n, 3);
        let a: Vec<f64> = (0..n * n).map(|i| r[i] + r[(i % n) * n + i / n]).collect();
        let (w, v) = jacobi_eigh(&mut a.clone(), n);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
        let vw: Vec<f64> = (0..n * n).map(|i| v[i] * w[i % n]).collect();
        let back = matmul(&vw, &transpose(&v, n, n), n, n, n);
        for (x, y) in back.iter().zip(&a) {
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
    }

    #[test]
    fn svd_reconstructs_tall_and_wide_and_rank_deficient_matrices() {
        for (m, n) in [(6, 4), (3, 5), (5, 5)] {
            let mut a = pseudo_random(m * n, (m * 10 + n) as u64);
            if m == n {
                for c in 0..n {
                    a[(m - 1) * n + c] = a[c]; // two equal rows: rank m - 1
                }
            }
            let t = Tensor::from_vec(&[m, n], a.clone()).unwrap();
            let packed = svd(&t).unwrap().to_f64_vec();
            let k = m.min(n);
            let (s, rest) = packed.split_at(k);
            let (u, v) = rest.split_at(m * k);
            assert!(s.windows(2).all(|p| p[0] >= p[1]));
            let us: Vec<f64> = (0..m * k).map(|i| u[i] * s[i % k]).collect();
            let back = matmul(&us, &transpose(v, n, k), m, k, n);
            for (x, y) in back.iter().zip(&a) {
                assert!((x - y).abs() < 1e-12, "{m}x{n}: {x} vs {y}");
            }
            let utu = matmul(&transpose(u, m, k), u, k, m, k);
            for i in 0..k {
                for j in 0..k {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((utu[i * k + j] - want).abs() < 1e-12, "{m}x{n}: U^T U");
                }
            }
        }
    }
}
