//! Layer-normalization kernels over the last axis of `[rows, C]`: the normalization with its scale and offset,
//! and both halves of its gradient, each in one pass over the rows.
//!
//! Composed from elementwise ops, a Transformer's LayerNormalization made about ten passes over its
//! activations each way (a fifth of a training step). Rows are independent, so each row's statistics are
//! computed where the row is used: two passes over the row (mean, then the centred variance, which stays
//! accurate when the mean is large) in the row's dtype, the coefficients in float64. The parameter
//! gradients are column sums over fixed blocks of rows added in block order, the same bits on any number of
//! threads.

use super::batch_norm::channel_sums;
use super::elementwise::Num;
use super::nn::for_row_blocks;
use super::simd::vectorized;
use crate::error::Result;

/// Sum of `f(i)` over `0..n` in eight lanes (so that the loop vectorizes), lanes added last.
#[inline(always)]
pub(super) fn lane_sum<T: Num>(n: usize, f: impl Fn(usize) -> T) -> f64 {
    let mut acc = [T::ZERO; 8];
    let full = n / 8 * 8;
    for i in (0..full).step_by(8) {
        for (k, a) in acc.iter_mut().enumerate() {
            *a = a.add(f(i + k));
        }
    }
    let tail: f64 = (full..n).map(|i| f(i).to_f64()).sum();
    acc.iter().map(|a| a.to_f64()).sum::<f64>() + tail
}

/// The mean and `1 / sqrt(variance + epsilon)` of one row.
#[inline(always)]
fn row_stats<T: Num>(x: &[T], epsilon: f64) -> (T, T) {
    let n = x.len().max(1) as f64;
    let mean = lane_sum(x.len(), |i| x[i]) / n;
    let m = T::from_f64(mean);
    let var = lane_sum(x.len(), |i| {
        let d = x[i].sub(m);
        d.mul(d)
    }) / n;
    (m, T::from_f64(1.0 / (var + epsilon).sqrt()))
}

/// Runs `body(row_index, x_row, out_row)` over the rows of `x` and `out` (both `rows * c`), blocks of rows in
/// parallel when large (`nn::for_row_blocks`), each block in the CPU's widest vector instructions.
pub(super) fn per_row<T: Num + Send + Sync>(
    x: &[T],
    out: &mut [T],
    c: usize,
    body: impl Fn(usize, &[T], &mut [T]) + Sync,
) {
    for_row_blocks(x, c, out, c, |first, xs, os| {
        vectorized(|| {
            for (k, (row, o)) in xs.chunks_exact(c).zip(os.chunks_exact_mut(c)).enumerate() {
                body(first + k, row, o);
            }
        })
    });
}

/// `(x - mean) / sqrt(variance + epsilon) * gamma + beta` per row.
pub(crate) fn forward<T: Num + Send + Sync>(
    x: &[T],
    gamma: &[T],
    beta: &[T],
    c: usize,
    epsilon: f64,
) -> Result<Vec<T>> {
    // Every element is written below: a reused buffer skips the zero fill (see `buffer_pool`).
    let mut out = crate::buffer_pool::overwritable::<T>(x.len())?;
    per_row(x, &mut out, c, |_, row, o| {
        let (m, r) = row_stats(row, epsilon);
        for j in 0..row.len() {
            o[j] = row[j].sub(m).mul(r).mul(gamma[j]).add(beta[j]);
        }
    });
    Ok(out)
}

/// The input gradient: with `h` the normalized row and `d = dy * gamma`,
/// `dx = rstd * (d - mean(d) - h * mean(d * h))`.
pub(crate) fn grad_input<T: Num + Send + Sync>(
    dy: &[T],
    x: &[T],
    gamma: &[T],
    c: usize,
    epsilon: f64,
) -> Result<Vec<T>> {
    let mut out = crate::buffer_pool::overwritable::<T>(x.len())?;
    per_row(x, &mut out, c, |r, row, o| {
        let (m, rstd) = row_stats(row, epsilon);
        let g = &dy[r * c..(r + 1) * c];
        let n = row.len().max(1) as f64;
        let mean_d = T::from_f64(lane_sum(row.len(), |j| g[j].mul(gamma[j])) / n);
        let mean_dh =
            T::from_f64(lane_sum(row.len(), |j| g[j].mul(gamma[j]).mul(row[j].sub(m).mul(rstd))) / n);
        for j in 0..row.len() {
            let h = row[j].sub(m).mul(rstd);
            o[j] = rstd.mul(g[j].mul(gamma[j]).sub(mean_d).sub(h.mul(mean_dh)));
        }
    });
    Ok(out)
}

/// `[sum(dy), sum(dy * h)]` over the rows (the offset's and the scale's gradients), as `2 * c` values.
pub(crate) fn grad_sums<T: Num + Send + Sync>(dy: &[T], x: &[T], c: usize, epsilon: f64) -> Vec<T> {
    let c = c.max(1);
    let rows = x.len() / c;
    let sums = channel_sums(rows, c, 2, |range, acc| {
        let (s_dy, s_dyh) = acc.split_at_mut(c);
        vectorized(|| {
            for r in range {
                let row = &x[r * c..(r + 1) * c];
                let g = &dy[r * c..(r + 1) * c];
                let (m, rstd) = row_stats(row, epsilon);
                for j in 0..c {
                    s_dy[j] += g[j].to_f64();
                    s_dyh[j] += g[j].mul(row[j].sub(m).mul(rstd)).to_f64();
                }
            }
        })
    });
    sums.into_iter().map(T::from_f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook formulas in float64, row by row.
    fn reference(x: &[f64], gamma: &[f64], beta: &[f64], dy: &[f64], c: usize, eps: f64) -> [Vec<f64>; 3] {
        let (mut y, mut dx, mut sums) = (vec![], vec![], vec![0.0; 2 * c]);
        for (row, g) in x.chunks(c).zip(dy.chunks(c)) {
            let mean = row.iter().sum::<f64>() / c as f64;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / c as f64;
            let r = 1.0 / (var + eps).sqrt();
            let h: Vec<f64> = row.iter().map(|v| (v - mean) * r).collect();
            let d: Vec<f64> = (0..c).map(|j| g[j] * gamma[j]).collect();
            let md = d.iter().sum::<f64>() / c as f64;
            let mdh = (0..c).map(|j| d[j] * h[j]).sum::<f64>() / c as f64;
            for j in 0..c {
                y.push(h[j] * gamma[j] + beta[j]);
                dx.push(r * (d[j] - md - h[j] * mdh));
                sums[j] += g[j];
                sums[c + j] += g[j] * h[j];
            }
        }
        [y, dx, sums]
    }

    #[test]
    fn matches_the_formulas_on_wide_and_ragged_rows() {
        // 768 columns (a Transformer's width, whole lanes) and 13 (a tail), with a large mean.
        for (rows, c) in [(300, 768), (7, 13), (1, 1)] {
            let v = |k: usize, s: f64| {
                (0..k).map(|i| ((i * 37 % 101) as f64 / 50.0 - 1.0) * s).collect::<Vec<f64>>()
            };
            let x: Vec<f64> = v(rows * c, 3.0).into_iter().map(|e| e + 100.0).collect();
            let (gamma, beta, dy) = (v(c, 1.5), v(c, 0.5), v(rows * c, 2.0));
            let [y, dx, sums] = reference(&x, &gamma, &beta, &dy, c, 1e-3);
            let f = |a: &[f64]| a.iter().map(|&e| e as f32).collect::<Vec<f32>>();
            let close = |got: &[f32], want: &[f64], tol: f64| {
                for (g, w) in got.iter().zip(want) {
                    assert!((*g as f64 - w).abs() <= tol * (1.0 + w.abs()), "{g} vs {w} ({rows}x{c})");
                }
            };
            close(&forward(&f(&x), &f(&gamma), &f(&beta), c, 1e-3).unwrap(), &y, 2e-4);
            close(&grad_input(&f(&dy), &f(&x), &f(&gamma), c, 1e-3).unwrap(), &dx, 2e-3);
            close(&grad_sums(&f(&dy), &f(&x), c, 1e-3), &sums, 2e-3);
            // float64 is exact to rounding.
            let y64 = forward(&x, &gamma, &beta, c, 1e-3).unwrap();
            assert!(y64.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-9));
        }
    }
}
