//! Gradients of the packed `eigh` and `svd` outputs (see `decompositions`), computed directly in f64.
//!
//! Where two eigenvalues (or singular values) are equal the factor 1/(difference) is taken as 0, as
//! TensorFlow's `reciprocal_no_nan` form does; the gradient of the vectors is not unique there anyway.

use super::{finish, matrix_dims};
use crate::error::{Error, Result};
use crate::tensor::Tensor;

fn check_same_shape(packed: &Tensor, g: &Tensor, what: &str) -> Result<()> {
    if packed.shape() != g.shape() {
        return Err(Error::invalid(format!(
            "{what} gradient: the incoming gradient has shape {:?}, expected {:?}",
            g.shape(),
            packed.shape()
        )));
    }
    Ok(())
}

fn inv_diff(a: f64, b: f64) -> f64 {
    let d = a - b;
    if d == 0.0 {
        0.0
    } else {
        1.0 / d
    }
}

/// d loss / d A for `eigh(A)`, lower-triangular as the forward op reads only the lower triangle:
/// G = V (diag(gw) + F o (V^T gV)) V^T with F_ij = 1/(w_j - w_i), then tril(G + G^T) with half the diagonal.
pub fn eigh_grad(packed: &Tensor, g: &Tensor) -> Result<Tensor> {
    check_same_shape(packed, g, "eigh")?;
    let (batch, rows, n) = matrix_dims(packed, "eigh gradient")?;
    if rows != n + 1 {
        return Err(Error::internal("eigh gradient: the packed decomposition has the wrong shape"));
    }
    let (p, gp) = (packed.to_f64_vec(), g.to_f64_vec());
    let mut out = Vec::with_capacity(batch * n * n);
    for b in 0..batch {
        let base = b * rows * n;
        let w = &p[base..base + n];
        let v = &p[base + n..base + rows * n];
        let gw = &gp[base..base + n];
        let gv = &gp[base + n..base + rows * n];
        // inner = diag(gw) + F o (V^T gV)
        let mut inner = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let vtg: f64 = (0..n).map(|r| v[r * n + i] * gv[r * n + j]).sum();
                inner[i * n + j] = if i == j { gw[i] } else { inv_diff(w[j], w[i]) * vtg };
            }
        }
        let full = sandwich(v, &inner, v, n, n, n);
        for i in 0..n {
            for j in 0..n {
                out.push(match i.cmp(&j) {
                    std::cmp::Ordering::Greater => full[i * n + j] + full[j * n + i],
                    std::cmp::Ordering::Equal => full[i * n + i],
                    std::cmp::Ordering::Less => 0.0,
                });
            }
        }
    }
    let mut shape = packed.shape().to_vec();
    let r = shape.len();
    shape[r - 2] = n;
    finish(shape, out, packed.dtype())
}

/// d loss / d A for the thin `svd(A)` (A is m x n, k = min(m, n)):
/// U [ (F o (U^T gU - gU^T U)) S + diag(gs) + S (F o (V^T gV - gV^T V)) ] V^T
/// + (I - U U^T) gU S^-1 V^T + U S^-1 gV^T (I - V V^T), with F_ij = 1/(s_j^2 - s_i^2).
pub fn svd_grad(x: &Tensor, packed: &Tensor, g: &Tensor) -> Result<Tensor> {
    check_same_shape(packed, g, "svd")?;
    let (batch, m, n) = matrix_dims(x, "svd gradient")?;
    let k = m.min(n);
    let rows = 1 + m + n;
    let (p, gp) = (packed.to_f64_vec(), g.to_f64_vec());
    let mut out = Vec::with_capacity(batch * m * n);
    for b in 0..batch {
        let base = b * rows * k;
        let s = &p[base..base + k];
        let u = &p[base + k..base + (1 + m) * k];
        let v = &p[base + (1 + m) * k..base + rows * k];
        let gs = &gp[base..base + k];
        let gu = &gp[base + k..base + (1 + m) * k];
        let gv = &gp[base + (1 + m) * k..base + rows * k];
        let utgu = at_b(u, gu, m, k);
        let vtgv = at_b(v, gv, n, k);
        let mut inner = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                inner[i * k + j] = if i == j {
                    gs[i]
                } else {
                    let f = inv_diff(s[j] * s[j], s[i] * s[i]);
                    f * (utgu[i * k + j] - utgu[j * k + i]) * s[j]
                        + s[i] * f * (vtgv[i * k + j] - vtgv[j * k + i])
                };
            }
        }
        let mut grad = sandwich(u, &inner, v, m, k, n);
        let inv_s: Vec<f64> = s.iter().map(|&x| if x == 0.0 { 0.0 } else { 1.0 / x }).collect();
        if m > k {
            // (gU - U (U^T gU)) S^-1 V^T
            let proj = ab(u, &utgu, m, k, k);
            let left: Vec<f64> = (0..m * k).map(|i| (gu[i] - proj[i]) * inv_s[i % k]).collect();
            add_ab_t(&mut grad, &left, v, m, k, n);
        }
        if n > k {
            // U S^-1 (gV - V (V^T gV))^T
            let proj = ab(v, &vtgv, n, k, k);
            let right: Vec<f64> = (0..n * k).map(|i| (gv[i] - proj[i]) * inv_s[i % k]).collect();
            add_ab_t(&mut grad, u, &right, m, k, n);
        }
        out.extend_from_slice(&grad);
    }
    finish(x.shape().to_vec(), out, x.dtype())
}

/// A^T B for A (r x k) and B (r x k), row-major: k x k.
fn at_b(a: &[f64], b: &[f64], r: usize, k: usize) -> Vec<f64> {
    let mut c = vec![0.0; k * k];
    for row in 0..r {
        for i in 0..k {
            let x = a[row * k + i];
            for j in 0..k {
                c[i * k + j] += x * b[row * k + j];
            }
        }
    }
    c
}

/// A B for A (r x k) and B (k x c).
fn ab(a: &[f64], b: &[f64], r: usize, k: usize, c: usize) -> Vec<f64> {
    let mut out = vec![0.0; r * c];
    for i in 0..r {
        for l in 0..k {
            let x = a[i * k + l];
            for j in 0..c {
                out[i * c + j] += x * b[l * c + j];
            }
        }
    }
    out
}

/// out += A B^T for A (r x k) and B (c x k).
fn add_ab_t(out: &mut [f64], a: &[f64], b: &[f64], r: usize, k: usize, c: usize) {
    for i in 0..r {
        for j in 0..c {
            out[i * c + j] += (0..k).map(|l| a[i * k + l] * b[j * k + l]).sum::<f64>();
        }
    }
}

/// L M R^T for L (r x k), M (k x k), R (c x k).
fn sandwich(l: &[f64], m: &[f64], r: &[f64], rows: usize, k: usize, cols: usize) -> Vec<f64> {
    let lm = ab(l, m, rows, k, k);
    let mut out = vec![0.0; rows * cols];
    add_ab_t(&mut out, &lm, r, rows, k, cols);
    out
}
