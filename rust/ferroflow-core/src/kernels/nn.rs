//! Fused neural-network kernels: stable softmax / log-softmax and the two softmax cross-entropy losses.

use super::elementwise::fast::{blocks_per_task, parallel};
use super::elementwise::{max_nan, Float};
use super::layout::row_major;
use crate::error::{Error, Result};
use crate::shape::{fmt_dims, normalize_axis};
use crate::tensor::{checked_len, try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;

#[path = "nn_f32.rs"]
mod f32_rows;

/// Runs `f(first_row, rows, out_rows)` over blocks of whole rows of `len` inputs and `olen` outputs: the
/// whole array at once when small, else several rows per rayon task.
pub(super) fn for_row_blocks<T: Sync, U: Send>(
    data: &[T],
    len: usize,
    out: &mut [U],
    olen: usize,
    f: impl Fn(usize, &[T], &mut [U]) + Sync,
) {
    if len == 0 || olen == 0 {
        return;
    }
    if parallel(data.len()) {
        let per = blocks_per_task(len);
        out.par_chunks_mut(per * olen)
            .zip(data.par_chunks(per * len))
            .enumerate()
            .for_each(|(t, (d, x))| f(t * per, x, d));
    } else {
        f(0, data, out);
    }
}

/// Runs `f(row_index, row, out_row)` over rows of `len` inputs and `olen` outputs, in parallel
/// (several rows per task) when the input is large.
fn for_rows<T: Sync, U: Send>(
    data: &[T],
    len: usize,
    out: &mut [U],
    olen: usize,
    f: impl Fn(usize, &[T], &mut [U]) + Sync,
) {
    for_row_blocks(data, len, out, olen, |first, x, d| {
        for (r, (d, x)) in d.chunks_mut(olen).zip(x.chunks(len)).enumerate() {
            f(first + r, x, d);
        }
    });
}

/// The last-axis softmax and sparse cross-entropy on a block of whole rows: float64 row by row with
/// libm's `exp`, float32 through the vectorized kernels of `nn_f32.rs`.
trait LastAxis: Float {
    fn softmax_rows(x: &[Self], classes: usize, out: &mut [Self], log: bool) {
        for (x, d) in x.chunks_exact(classes).zip(out.chunks_exact_mut(classes)) {
            softmax_row(x, d, log);
        }
    }

    /// Labels are in `[0, classes)`.
    fn sparse_rows(x: &[Self], classes: usize, labels: &[i64], out: &mut [Self]) {
        sparse_rows_exact(x, classes, labels, out);
    }
}

/// Labels are in `[0, classes)`.
fn sparse_rows_exact<T: Float>(x: &[T], classes: usize, labels: &[i64], out: &mut [T]) {
    for ((x, d), &l) in x.chunks_exact(classes).zip(out.iter_mut()).zip(labels) {
        let (m, s) = max_and_sum(x);
        // -log_softmax(x)[label] = log(sum(exp(x - m))) - (x[label] - m)
        *d = s.ln().sub(x[l as usize].sub(m));
    }
}

impl LastAxis for f64 {}

/// float32 falls back to the exact loops only where the vector kernels' scratch cannot be allocated.
impl LastAxis for f32 {
    fn softmax_rows(x: &[f32], classes: usize, out: &mut [f32], log: bool) {
        if !f32_rows::softmax_rows(x, classes, out, log) {
            for (x, d) in x.chunks_exact(classes).zip(out.chunks_exact_mut(classes)) {
                softmax_row(x, d, log);
            }
        }
    }

    fn sparse_rows(x: &[f32], classes: usize, labels: &[i64], out: &mut [f32]) {
        if !f32_rows::sparse_rows(x, classes, labels, out) {
            sparse_rows_exact(x, classes, labels, out);
        }
    }
}

/// The row maximum (NaN if any is NaN) and `sum(exp(x - max))`: the two halves of a stable log-sum-exp.
#[inline]
fn max_and_sum<T: Float>(x: &[T]) -> (T, T) {
    let m = x.iter().fold(T::LOWEST, |a, &v| max_nan(a, v));
    let s = x.iter().fold(T::ZERO, |a, &v| a.add(v.sub(m).exp()));
    (m, s)
}

fn softmax_row<T: Float>(x: &[T], d: &mut [T], log: bool) {
    if log {
        let (m, s) = max_and_sum(x);
        // (x - m) - ln(s), not x - (m + ln(s)): adding ln(s) to a large m would round it away.
        let ls = s.ln();
        for (d, &v) in d.iter_mut().zip(x) {
            *d = v.sub(m).sub(ls);
        }
    } else {
        let m = x.iter().fold(T::LOWEST, |a, &v| max_nan(a, v));
        let mut s = T::ZERO;
        for (d, &v) in d.iter_mut().zip(x) {
            *d = v.sub(m).exp();
            s = s.add(*d);
        }
        let inv = T::ONE.div(s);
        d.iter_mut().for_each(|d| *d = d.mul(inv));
    }
}

/// Softmax over the middle axis of a `[len, inner]` block (an axis other than the last).
fn softmax_strided<T: Float>(x: &[T], d: &mut [T], inner: usize, log: bool) {
    let mut m = vec![T::LOWEST; inner];
    for row in x.chunks_exact(inner) {
        m.iter_mut().zip(row).for_each(|(m, &v)| *m = max_nan(*m, v));
    }
    let mut s = vec![T::ZERO; inner];
    for (drow, row) in d.chunks_exact_mut(inner).zip(x.chunks_exact(inner)) {
        for (((o, &v), &m), s) in drow.iter_mut().zip(row).zip(&m).zip(s.iter_mut()) {
            *o = v.sub(m).exp();
            *s = s.add(*o);
        }
    }
    for (drow, row) in d.chunks_exact_mut(inner).zip(x.chunks_exact(inner)) {
        for (((o, &v), &m), &s) in drow.iter_mut().zip(row).zip(&m).zip(&s) {
            *o = if log { v.sub(m).sub(s.ln()) } else { o.div(s) };
        }
    }
}

fn softmax_typed<T: LastAxis>(a: &ArrayD<T>, axis: usize, log: bool) -> Result<Tensor> {
    let shape = a.shape();
    let (len, inner) = (shape[axis], shape[axis + 1..].iter().product::<usize>());
    // Both paths below write every element: a reused buffer skips the zero fill (see `buffer_pool`).
    let mut out = crate::buffer_pool::overwritable::<T>(checked_len(shape, T::DTYPE)?)?;
    let std = a.as_standard_layout();
    let data = std.as_slice().ok_or_else(|| Error::internal("standard layout array without a slice"))?;
    if inner == 1 {
        for_row_blocks(data, len, &mut out, len, |_, x, d| T::softmax_rows(x, len, d, log));
    } else {
        for_rows(data, len * inner, &mut out, len * inner, |_, x, d| softmax_strided(x, d, inner, log));
    }
    Tensor::from_vec(shape, out)
}

fn float_error(name: &str, t: &Tensor) -> Error {
    Error::dtype(format!("{name} expects float logits, received {}", t.dtype()))
}

/// `tf.nn.softmax` / `tf.nn.log_softmax` along `axis`, shifted by the maximum so it never overflows.
pub fn softmax(x: &Tensor, axis: i64, log: bool) -> Result<Tensor> {
    let name = if log { "LogSoftmax" } else { "Softmax" };
    let ax = normalize_axis(axis, x.rank())?;
    match x.data() {
        TensorData::F32(a) => softmax_typed(a, ax, log),
        TensorData::F64(a) => softmax_typed(a, ax, log),
        _ => Err(Error::dtype(format!("{name} expects a float tensor, received {}", x.dtype()))),
    }
}

/// Logits as a contiguous slice plus the class count, after checking the rank.
fn logits_rows<'a, T: Element>(name: &str, a: &'a ArrayD<T>) -> Result<(std::borrow::Cow<'a, [T]>, usize)> {
    let classes = match a.shape().last() {
        Some(&c) => c,
        None => return Err(Error::invalid(format!("{name} expects logits of rank >= 1, received a scalar"))),
    };
    Ok((row_major(a), classes))
}

fn sparse_typed<T: LastAxis>(a: &ArrayD<T>, labels: &[i64]) -> Result<Tensor> {
    let (data, classes) = logits_rows("SparseSoftmaxCrossEntropy", a)?;
    if let Some(&bad) = labels.iter().find(|&&l| l < 0 || l >= classes as i64) {
        return Err(Error::invalid(format!("label value {bad} is outside the valid range [0, {classes})")));
    }
    let rows = labels.len();
    let mut out = try_alloc::<T>(rows)?;
    for_row_blocks(&data, classes, &mut out, 1, |first, x, d| {
        T::sparse_rows(x, classes, &labels[first..first + d.len()], d)
    });
    Tensor::from_vec(&a.shape()[..a.ndim() - 1], out)
}

/// Integer labels as int64, borrowed when they already are (iterating an `ArrayD` element by element cost
/// about as much as the whole float32 loss over 256 rows).
fn labels_i64(labels: &Tensor) -> std::borrow::Cow<'_, [i64]> {
    use std::borrow::Cow;
    match labels.data() {
        TensorData::I64(a) => a.as_slice().map_or_else(|| Cow::Owned(labels.to_i64_vec()), Cow::Borrowed),
        TensorData::I32(a) => Cow::Owned(
            a.as_slice().map_or_else(|| labels.to_i64_vec(), |s| s.iter().map(|&v| v as i64).collect()),
        ),
        _ => Cow::Owned(labels.to_i64_vec()),
    }
}

/// Per-example `-log_softmax(logits)[label]` for integer class labels shaped like `logits[..., 0]`.
pub fn sparse_softmax_cross_entropy(logits: &Tensor, labels: &Tensor) -> Result<Tensor> {
    const NAME: &str = "SparseSoftmaxCrossEntropy";
    if !labels.dtype().is_int() {
        return Err(Error::dtype(format!(
            "{NAME} expects int32 or int64 labels, received {}",
            labels.dtype()
        )));
    }
    let ls = logits.shape();
    if ls.is_empty() || labels.shape() != &ls[..ls.len() - 1] {
        return Err(Error::invalid(format!(
            "{NAME} expects labels of shape {} for logits of shape {}, received labels of shape {}",
            fmt_dims(&ls[..ls.len().saturating_sub(1)]),
            fmt_dims(ls),
            fmt_dims(labels.shape())
        )));
    }
    let labels = labels_i64(labels);
    match logits.data() {
        TensorData::F32(a) => sparse_typed(a, &labels),
        TensorData::F64(a) => sparse_typed(a, &labels),
        _ => Err(float_error(NAME, logits)),
    }
}

fn dense_typed<T: Float>(a: &ArrayD<T>, y: &ArrayD<T>) -> Result<Tensor> {
    let (data, classes) = logits_rows("SoftmaxCrossEntropy", a)?;
    let (labels, _) = logits_rows("SoftmaxCrossEntropy", y)?;
    let rows: usize = a.shape()[..a.ndim() - 1].iter().product();
    let mut out = try_alloc::<T>(rows)?;
    for_rows(&data, classes, &mut out, 1, |r, x, d| {
        let (m, s) = max_and_sum(x);
        let ls = s.ln();
        let y = &labels[r * classes..(r + 1) * classes];
        // -sum(y * log_softmax(x)) = sum(y * ((m - x) + ln(s))), grouped to keep precision at large m.
        d[0] = x.iter().zip(y).fold(T::ZERO, |acc, (&v, &p)| acc.add(p.mul(m.sub(v).add(ls))));
    });
    Tensor::from_vec(&a.shape()[..a.ndim() - 1], out)
}

/// Per-example `-sum(labels * log_softmax(logits), axis=-1)` for probability labels shaped like logits.
pub fn softmax_cross_entropy(logits: &Tensor, labels: &Tensor) -> Result<Tensor> {
    const NAME: &str = "SoftmaxCrossEntropy";
    if logits.shape() != labels.shape() {
        return Err(Error::invalid(format!(
            "{NAME} expects logits and labels of the same shape, received {} and {}",
            fmt_dims(logits.shape()),
            fmt_dims(labels.shape())
        )));
    }
    match (logits.data(), labels.data()) {
        (TensorData::F32(a), TensorData::F32(y)) => dense_typed(a, y),
        (TensorData::F64(a), TensorData::F64(y)) => dense_typed(a, y),
        (TensorData::F32(_) | TensorData::F64(_), _) => Err(Error::dtype(format!(
            "{NAME} expects labels of the logits' dtype {}, received {}",
            logits.dtype(),
            labels.dtype()
        ))),
        _ => Err(float_error(NAME, logits)),
    }
}

#[cfg(test)]
#[path = "nn_tests.rs"]
mod tests;
