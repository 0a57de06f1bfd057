//! Batch-normalization kernels on channels-last tensors seen as `[rows, C]`: moments, normalization, gradients.
//!
//! Channel sums run over fixed blocks of rows, sized by the data and not by the thread count, and the
//! blocks' partial sums are added in block order: the bits are the same on any number of threads. Sums are
//! float64, and the moments are taken about the first row (a shifted single pass), which keeps the variance
//! accurate when the mean is large against the spread. Every other pass is a per-channel affine map of one
//! or two inputs, with the channel coefficients computed once in float64.

use super::elementwise::fast::{blocks_per_task, parallel};
use super::elementwise::Num;
use super::layout::row_major;
use super::simd::vectorized;
use crate::batch_norm_op::BatchNormOp;
use crate::error::{Error, Result};
use crate::tensor::{Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;
use std::ops::Range;

/// Evaluates `op` on its inputs (already checked by shape inference).
pub fn compute(op: &BatchNormOp, inputs: &[Tensor]) -> Result<Tensor> {
    match inputs[0].data() {
        TensorData::F32(_) => typed::<f32>(op, inputs),
        TensorData::F64(_) => typed::<f64>(op, inputs),
        _ => Err(Error::dtype(format!(
            "{} expects float32 or float64 values, received {}",
            op.type_name(),
            inputs[0].dtype()
        ))),
    }
}

fn typed<T: Num + Send + Sync>(op: &BatchNormOp, inputs: &[Tensor]) -> Result<Tensor> {
    let arrays = inputs.iter().map(|t| t.array::<T>()).collect::<Result<Vec<_>>>()?;
    if let Some(out) = layer_norm(op, &arrays)? {
        return Ok(out);
    }
    let x = if matches!(op, BatchNormOp::GradSums { .. } | BatchNormOp::GradInput { .. }) { 1 } else { 0 };
    let shape = arrays[x].shape().to_vec();
    let c = shape.last().copied().unwrap_or(1).max(1);
    let rows = arrays[x].len() / c;
    let xs = row_major(arrays[x]);
    check_lengths(op, &arrays, x, c)?;
    // A `[C]` parameter or `[2, C]` moments/sums as float64 (shape inference checked the channel counts).
    let vector = |i: usize| -> Vec<f64> { arrays[i].iter().map(|v| v.to_f64()).collect() };
    let out: Vec<T> = match *op {
        BatchNormOp::Moments => moments(&xs, rows, c).into_iter().map(T::from_f64).collect(),
        BatchNormOp::MomentsGrad => {
            let (m, g) = (vector(1), vector(2));
            let n = rows.max(1) as f64;
            let a: Vec<f64> = (0..c).map(|j| 2.0 * g[c + j] / n).collect();
            let b: Vec<f64> = (0..c).map(|j| g[j] / n - a[j] * m[j]).collect();
            affine(&xs, None, c, &[a, b])?
        }
        BatchNormOp::Training { epsilon } => {
            let (m, gamma, beta) = (vector(1), vector(2), vector(3));
            let a: Vec<f64> = (0..c).map(|j| gamma[j] / (m[c + j] + epsilon).sqrt()).collect();
            let b: Vec<f64> = (0..c).map(|j| beta[j] - m[j] * a[j]).collect();
            affine(&xs, None, c, &[a, b])?
        }
        BatchNormOp::GradSums { epsilon } => {
            let (dy, m) = (row_major(arrays[0]), vector(2));
            let mut s = grad_sums(&dy, &xs, rows, c, &m[..c]);
            for j in 0..c {
                s[c + j] /= (m[c + j] + epsilon).sqrt();
            }
            s.into_iter().map(T::from_f64).collect()
        }
        BatchNormOp::GradInput { epsilon } => {
            let (dy, m, gamma, sums) = (row_major(arrays[0]), vector(2), vector(3), vector(4));
            let n = rows.max(1) as f64;
            let mut coef = [vec![0.0; c], vec![0.0; c], vec![0.0; c]];
            for j in 0..c {
                let inv = 1.0 / (m[c + j] + epsilon).sqrt();
                let a = gamma[j] * inv;
                let c1 = -a * inv * sums[c + j] / n;
                coef[0][j] = c1;
                coef[1][j] = -a * sums[j] / n - c1 * m[j];
                coef[2][j] = a;
            }
            let [c1, c0, a] = coef;
            affine(&xs, Some(&dy), c, &[c1, c0, a])?
        }
        BatchNormOp::LayerNorm { .. }
        | BatchNormOp::LayerNormGradSums { .. }
        | BatchNormOp::LayerNormGradInput { .. } => {
            unreachable!("handled by layer_norm above")
        }
    };
    let out_shape =
        if matches!(op, BatchNormOp::Moments | BatchNormOp::GradSums { .. }) { vec![2, c] } else { shape };
    Tensor::from_vec(&out_shape, out)
}

/// The layer-normalization forms (`kernels::layer_norm`); None for the batch-normalization ones.
fn layer_norm<T: Num + Send + Sync>(op: &BatchNormOp, arrays: &[&ArrayD<T>]) -> Result<Option<Tensor>> {
    use super::layer_norm::{forward, grad_input, grad_sums};
    let x = match op {
        BatchNormOp::LayerNorm { .. } => 0,
        BatchNormOp::LayerNormGradSums { .. } | BatchNormOp::LayerNormGradInput { .. } => 1,
        _ => return Ok(None),
    };
    let shape = arrays[x].shape().to_vec();
    let c = shape.last().copied().unwrap_or(1);
    check_lengths(op, arrays, x, c)?;
    let slices: Vec<std::borrow::Cow<'_, [T]>> = arrays.iter().map(|a| row_major(a)).collect();
    let out = match *op {
        BatchNormOp::LayerNorm { epsilon } => forward(&slices[0], &slices[1], &slices[2], c, epsilon)?,
        BatchNormOp::LayerNormGradInput { epsilon } => {
            grad_input(&slices[0], &slices[1], &slices[2], c, epsilon)?
        }
        BatchNormOp::LayerNormGradSums { epsilon } => {
            return Ok(Some(Tensor::from_vec(&[2, c], grad_sums(&slices[0], &slices[1], c, epsilon))?));
        }
        _ => return Ok(None),
    };
    Ok(Some(Tensor::from_vec(&shape, out)?))
}

/// Shapes only known when the graph runs: every input must hold as many values as its role needs.
fn check_lengths<T: Element>(op: &BatchNormOp, arrays: &[&ArrayD<T>], x: usize, c: usize) -> Result<()> {
    let n = arrays[x].len();
    let expected: &[usize] = match op {
        BatchNormOp::Moments => &[n],
        BatchNormOp::MomentsGrad => &[n, 2 * c, 2 * c],
        BatchNormOp::Training { .. } => &[n, 2 * c, c, c],
        BatchNormOp::GradSums { .. } => &[n, n, 2 * c],
        BatchNormOp::GradInput { .. } => &[n, n, 2 * c, c, 2 * c],
        BatchNormOp::LayerNorm { .. } => &[n, c, c],
        BatchNormOp::LayerNormGradSums { .. } => &[n, n],
        BatchNormOp::LayerNormGradInput { .. } => &[n, n, c],
    };
    for (i, (a, &want)) in arrays.iter().zip(expected).enumerate() {
        if a.len() != want {
            return Err(Error::invalid(format!(
                "{}: input {i} has shape {:?}, which does not fit {c} channels and {n} values (it needs {want})",
                op.type_name(),
                a.shape()
            )));
        }
    }
    Ok(())
}

/// For each block of rows, `body(rows, acc)` adds the block's contributions into `acc` (`width * c` values);
/// the blocks' sums are then added in block order.
pub(super) fn channel_sums(
    rows: usize,
    c: usize,
    width: usize,
    body: impl Fn(Range<usize>, &mut [f64]) + Sync,
) -> Vec<f64> {
    let step = blocks_per_task(c);
    let blocks = rows.div_ceil(step).max(1);
    let mut partial = vec![0f64; blocks * width * c];
    let run = |(i, acc): (usize, &mut [f64])| body(i * step..((i + 1) * step).min(rows), acc);
    if blocks > 1 && parallel(rows * c) {
        partial.par_chunks_mut(width * c).enumerate().for_each(run);
    } else {
        partial.chunks_mut(width * c).enumerate().for_each(run);
    }
    let mut total = vec![0f64; width * c];
    for block in partial.chunks(width * c) {
        total.iter_mut().zip(block).for_each(|(t, &b)| *t += b);
    }
    total
}

/// `[mean (c values), biased variance (c values)]` of the columns of `x` (`rows * c`).
fn moments<T: Num + Sync>(x: &[T], rows: usize, c: usize) -> Vec<f64> {
    let shift: Vec<f64> =
        x.iter().take(c).map(|v| v.to_f64()).chain(std::iter::repeat(0.0)).take(c).collect();
    let sums = channel_sums(rows, c, 2, |r, acc| {
        let (s1, s2) = acc.split_at_mut(c);
        vectorized(|| {
            for row in x[r.start * c..r.end * c].chunks_exact(c) {
                for (((a, b), v), s) in s1.iter_mut().zip(s2.iter_mut()).zip(row).zip(&shift) {
                    let d = v.to_f64() - s;
                    *a += d;
                    *b += d * d;
                }
            }
        })
    });
    let n = rows as f64;
    let mut out = vec![0.0; 2 * c];
    for j in 0..c {
        let m = sums[j] / n;
        out[j] = shift[j] + m;
        out[c + j] = (sums[c + j] / n - m * m).max(0.0);
    }
    out
}

/// `[sum(dy), sum(dy * (x - mean))]` per channel.
fn grad_sums<T: Num + Sync>(dy: &[T], x: &[T], rows: usize, c: usize, mean: &[f64]) -> Vec<f64> {
    channel_sums(rows, c, 2, |r, acc| {
        let (s1, s2) = acc.split_at_mut(c);
        let span = r.start * c..r.end * c;
        vectorized(|| {
            for (g, v) in dy[span.clone()].chunks_exact(c).zip(x[span.clone()].chunks_exact(c)) {
                for ((((a, b), g), v), m) in s1.iter_mut().zip(s2.iter_mut()).zip(g).zip(v).zip(mean) {
                    let g = g.to_f64();
                    *a += g;
                    *b += g * (v.to_f64() - m);
                }
            }
        })
    })
}

/// Per channel `j`: `coef[0][j] * x + coef[1][j]`, plus `coef[2][j] * y` when `y` is given.
fn affine<T: Num + Send + Sync>(x: &[T], y: Option<&[T]>, c: usize, coef: &[Vec<f64>]) -> Result<Vec<T>> {
    // Coefficients repeat into tiles of about 256 values (whole rows), so the inner loop is long enough to
    // vectorize even for a handful of channels; tiles start at row boundaries, so they stay aligned.
    let tile = c * (256 / c).max(1);
    let tiled: Vec<Vec<T>> =
        coef.iter().map(|v| v.iter().cycle().take(tile).map(|&f| T::from_f64(f)).collect()).collect();
    // Every element is written below, so the buffer needs no zero fill (and a failed allocation is an error).
    let mut out = crate::buffer_pool::overwritable::<T>(x.len())?;
    let run = |start: usize, o: &mut [T]| {
        for (k, o) in o.chunks_mut(tile).enumerate() {
            let at = start + k * tile;
            let xs = &x[at..at + o.len()];
            vectorized(|| match y {
                None => {
                    for (((o, &v), &a), &b) in o.iter_mut().zip(xs).zip(&tiled[0]).zip(&tiled[1]) {
                        *o = v.mul(a).add(b);
                    }
                }
                Some(y) => {
                    let ys = &y[at..at + o.len()];
                    let (a, b, e) = (&tiled[0], &tiled[1], &tiled[2]);
                    for (((((o, &v), &w), &a), &b), &e) in o.iter_mut().zip(xs).zip(ys).zip(a).zip(b).zip(e) {
                        *o = v.mul(a).add(b).add(w.mul(e));
                    }
                }
            })
        }
    };
    if parallel(x.len()) {
        let task = tile * blocks_per_task(tile);
        out.par_chunks_mut(task).enumerate().for_each(|(i, o)| run(i * task, o));
    } else {
        run(0, &mut out);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "batch_norm_tests.rs"]
mod tests;
