//! Reductions (sum, mean, max, min, prod), argmax/argmin, and the gradient helpers that undo a reduction or a broadcast.

use super::elementwise::fast::{self, parallel, CHUNK};
use super::elementwise::{max_nan, min_nan, Num};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::ReduceOp;
use crate::shape::{fmt_dims, normalize_axes, normalize_axis};
use crate::tensor::{try_alloc, Tensor};
use ndarray::{ArrayD, IxDyn};
use rayon::prelude::*;

#[path = "reduce_f32.rs"]
mod f32_kernels;

/// Element types with a wider accumulator: f32 sums accumulate in f64, so a mean over 60000 values
/// keeps ~1e-7 relative accuracy; i32 accumulates in i64 and wraps back like TensorFlow's int32 sum.
trait Wide: Num {
    type W: Num;
    fn widen(self) -> Self::W;
    fn narrow(w: Self::W) -> Self;

    /// `accs[j] += widen(block[r * inner + j])` for every row `r` of `block` in order.
    fn add_cols(block: &[Self], inner: usize, accs: &mut [Self::W]) {
        for row in block.chunks_exact(inner) {
            for (a, &x) in accs.iter_mut().zip(row) {
                *a = a.add(x.widen());
            }
        }
    }
}

macro_rules! impl_wide {
    ($t:ty, $w:ty $(, $add_cols:path)?) => {
        impl Wide for $t {
            type W = $w;
            #[inline(always)]
            fn widen(self) -> $w {
                self as $w
            }
            #[inline(always)]
            fn narrow(w: $w) -> Self {
                w as $t
            }
            $(
                fn add_cols(block: &[Self], inner: usize, accs: &mut [$w]) {
                    $add_cols(block, inner, accs)
                }
            )?
        }
    };
}
impl_wide!(f32, f64, f32_kernels::add_cols);
impl_wide!(f64, f64);
impl_wide!(i32, i64);
impl_wide!(i64, i64);
impl_wide!(i8, i64);
impl_wide!(i16, i64);
impl_wide!(u8, u64);
impl_wide!(u16, u64);
impl_wide!(u32, u64);
impl_wide!(u64, u64);

/// One reduction: fold elements into an accumulator, merge partial accumulators (parallel splits),
/// and turn the accumulator of `n` elements into the result.
trait Reducer<T>: Copy + Send + Sync {
    type Acc: Copy + Send + Sync;
    fn init(self) -> Self::Acc;
    fn fold(self, acc: Self::Acc, x: T) -> Self::Acc;
    fn merge(self, a: Self::Acc, b: Self::Acc) -> Self::Acc;
    fn finish(self, a: Self::Acc, n: usize) -> T;

    /// Column-wise fold of a `[rows, inner]` block into `accs` (the bias gradient: sum over the batch).
    #[inline]
    fn fold_cols(self, block: &[T], inner: usize, accs: &mut [Self::Acc])
    where
        T: Copy,
    {
        for row in block.chunks_exact(inner) {
            for (a, &x) in accs.iter_mut().zip(row) {
                *a = self.fold(*a, x);
            }
        }
    }
}

#[derive(Clone, Copy)]
struct SumR {
    mean: bool,
}
#[derive(Clone, Copy)]
struct ProdR;
#[derive(Clone, Copy)]
struct MaxR;
#[derive(Clone, Copy)]
struct MinR;

impl<T: Wide> Reducer<T> for SumR {
    type Acc = T::W;
    fn init(self) -> T::W {
        T::W::ZERO
    }
    #[inline(always)]
    fn fold(self, acc: T::W, x: T) -> T::W {
        acc.add(x.widen())
    }
    fn merge(self, a: T::W, b: T::W) -> T::W {
        a.add(b)
    }
    fn fold_cols(self, block: &[T], inner: usize, accs: &mut [T::W]) {
        T::add_cols(block, inner, accs);
    }
    fn finish(self, a: T::W, n: usize) -> T {
        // Integer mean truncates (TensorFlow); an empty integer mean is 0 rather than a division trap.
        T::narrow(if self.mean { a.div(T::W::from_usize(n)) } else { a })
    }
}

impl<T: Wide> Reducer<T> for ProdR {
    type Acc = T::W;
    fn init(self) -> T::W {
        T::W::ONE
    }
    #[inline(always)]
    fn fold(self, acc: T::W, x: T) -> T::W {
        acc.mul(x.widen())
    }
    fn merge(self, a: T::W, b: T::W) -> T::W {
        a.mul(b)
    }
    fn finish(self, a: T::W, _n: usize) -> T {
        T::narrow(a)
    }
}

macro_rules! impl_extreme {
    ($r:ty, $id:ident, $pick:ident) => {
        impl<T: Num> Reducer<T> for $r {
            type Acc = T;
            fn init(self) -> T {
                T::$id
            }
            #[inline(always)]
            fn fold(self, acc: T, x: T) -> T {
                $pick(acc, x)
            }
            fn merge(self, a: T, b: T) -> T {
                $pick(a, b)
            }
            fn finish(self, a: T, _n: usize) -> T {
                a
            }
        }
    };
}
impl_extreme!(MaxR, LOWEST, max_nan);
impl_extreme!(MinR, HIGHEST, min_nan);

/// Folds a contiguous run with eight independent accumulators: the loop vectorises, and each
/// accumulator sees an eighth of the values, which also shrinks rounding error.
#[inline]
fn fold_slice<T: Copy, R: Reducer<T>>(r: R, s: &[T]) -> R::Acc {
    let mut lanes = [r.init(); 8];
    let chunks = s.chunks_exact(8);
    let mut total = chunks.remainder().iter().fold(r.init(), |a, &x| r.fold(a, x));
    for c in chunks {
        for (a, &x) in lanes.iter_mut().zip(c) {
            *a = r.fold(*a, x);
        }
    }
    for a in lanes {
        total = r.merge(total, a);
    }
    total
}

/// Folds one long run, splitting it across the pool when large. Partial results are merged in a
/// fixed order, so the result does not depend on the thread count.
fn fold_run<T: Copy + Sync, R: Reducer<T>>(r: R, s: &[T]) -> R::Acc {
    if parallel(s.len()) {
        let parts: Vec<R::Acc> = s.par_chunks(CHUNK).map(|c| fold_slice(r, c)).collect();
        parts.into_iter().fold(r.init(), |a, b| r.merge(a, b))
    } else {
        fold_slice(r, s)
    }
}

/// Reduces the middle axis of a contiguous `[outer, len, inner]` array into `out` (`[outer, inner]`).
fn reduce_middle<T: Copy + Send + Sync, R: Reducer<T>>(
    r: R,
    data: &[T],
    (outer, len, inner): (usize, usize, usize),
    out: &mut [T],
) {
    if len == 0 {
        // Empty sums are 0, empty products 1, empty float means NaN.
        out.fill(r.finish(r.init(), 0));
        return;
    }
    let many_outer = outer >= 4 * crate::threading::current_threads();
    if inner == 1 {
        if parallel(data.len()) && many_outer {
            let per = fast::blocks_per_task(len);
            out.par_chunks_mut(per).zip(data.par_chunks(per * len)).for_each(|(d, x)| {
                for (d, row) in d.iter_mut().zip(x.chunks_exact(len)) {
                    *d = r.finish(fold_slice(r, row), len);
                }
            });
        } else {
            for (d, row) in out.iter_mut().zip(data.chunks_exact(len)) {
                *d = r.finish(fold_run(r, row), len);
            }
        }
        return;
    }
    let finish = |d: &mut [T], accs: &[R::Acc]| {
        for (d, &a) in d.iter_mut().zip(accs) {
            *d = r.finish(a, len);
        }
    };
    if parallel(data.len()) && many_outer {
        out.par_chunks_mut(inner).zip(data.par_chunks(len * inner)).for_each_init(
            || vec![r.init(); inner],
            |accs, (d, x)| {
                accs.fill(r.init());
                r.fold_cols(x, inner, accs);
                finish(d, accs);
            },
        );
        return;
    }
    let mut accs = vec![r.init(); inner];
    for (d, x) in out.chunks_exact_mut(inner).zip(data.chunks_exact(len * inner)) {
        accs.fill(r.init());
        if parallel(x.len()) {
            // Few outputs, many rows: fold blocks of rows in parallel, merge them in order.
            let rows = fast::blocks_per_task(inner).max(64);
            let parts: Vec<Vec<R::Acc>> = x
                .par_chunks(rows * inner)
                .map(|b| {
                    let mut p = vec![r.init(); inner];
                    r.fold_cols(b, inner, &mut p);
                    p
                })
                .collect();
            for p in parts {
                accs.iter_mut().zip(p).for_each(|(a, b)| *a = r.merge(*a, b));
            }
        } else {
            r.fold_cols(x, inner, &mut accs);
        }
        finish(d, &accs);
    }
}

/// Reduces any set of axes of a contiguous array; `out` is in row-major order of the kept axes.
fn reduce_into<T: Copy + Send + Sync, R: Reducer<T>>(
    r: R,
    data: &[T],
    shape: &[usize],
    axes: &[usize],
    out: &mut [T],
) {
    // Drop unit axes, then merge neighbours that are both kept or both reduced: most reductions
    // become `[outer, len, inner]` with a single reduced group.
    let mut groups: Vec<(usize, bool)> = Vec::new();
    for (i, &d) in shape.iter().enumerate().filter(|(_, &d)| d != 1) {
        let red = axes.contains(&i);
        match groups.last_mut() {
            Some((size, r)) if *r == red => *size *= d,
            _ => groups.push((d, red)),
        }
    }
    let reduced: Vec<usize> = (0..groups.len()).filter(|&i| groups[i].1).collect();
    if reduced.len() <= 1 {
        let (outer, len, inner) = match reduced.first() {
            Some(&g) => {
                let prod = |gs: &[(usize, bool)]| gs.iter().map(|g| g.0).product::<usize>();
                (prod(&groups[..g]), groups[g].0, prod(&groups[g + 1..]))
            }
            None => (data.len(), 1, 1),
        };
        return reduce_middle(r, data, (outer, len, inner), out);
    }
    // Several reduced groups ([R, K, R]): gather by precomputed offsets, one output at a time.
    let mut strides = vec![1usize; groups.len()];
    for i in (0..groups.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * groups[i + 1].0;
    }
    let mut offsets = vec![0usize];
    for &g in &reduced {
        let (size, stride) = (groups[g].0, strides[g]);
        offsets = offsets.iter().flat_map(|&o| (0..size).map(move |k| o + k * stride)).collect();
    }
    let kept: Vec<(usize, usize)> =
        (0..groups.len()).filter(|&i| !groups[i].1).map(|i| (groups[i].0, strides[i])).collect();
    let n = offsets.len();
    let one = |(o, d): (usize, &mut T)| {
        let (mut rest, mut base) = (o, 0);
        for &(size, stride) in kept.iter().rev() {
            base += (rest % size) * stride;
            rest /= size;
        }
        *d = r.finish(offsets.iter().fold(r.init(), |a, &off| r.fold(a, data[base + off])), n);
    };
    if parallel(data.len()) {
        out.par_iter_mut().enumerate().for_each(one);
    } else {
        out.iter_mut().enumerate().for_each(one);
    }
}

fn reduce_typed<T: Wide>(op: ReduceOp, a: &ArrayD<T>, shape: &[usize], axes: &[usize]) -> Result<Vec<T>> {
    let out_len: usize =
        shape.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, &d)| d).product();
    let count: usize = axes.iter().map(|&i| shape[i]).product();
    if count == 0 && out_len > 0 && matches!(op, ReduceOp::Max | ReduceOp::Min) {
        return Err(Error::invalid(format!(
            "{op:?} of an empty axis: reducing shape {} over axes {axes:?} has no identity",
            fmt_dims(shape)
        )));
    }
    let mut out = try_alloc::<T>(out_len)?;
    if out_len == 0 {
        return Ok(out);
    }
    let std = a.as_standard_layout();
    let data = std.as_slice().ok_or_else(|| Error::internal("standard layout array without a slice"))?;
    match op {
        ReduceOp::Sum => reduce_into(SumR { mean: false }, data, shape, axes, &mut out),
        ReduceOp::Mean => reduce_into(SumR { mean: true }, data, shape, axes, &mut out),
        ReduceOp::Prod => reduce_into(ProdR, data, shape, axes, &mut out),
        ReduceOp::Max => reduce_into(MaxR, data, shape, axes, &mut out),
        ReduceOp::Min => reduce_into(MinR, data, shape, axes, &mut out),
    }
    Ok(out)
}

/// Reduces `x` over normalized `axes` and wraps the result with `out_shape` (same element count).
fn reduce_as(op: ReduceOp, x: &Tensor, axes: &[usize], out_shape: &[usize]) -> Result<Tensor> {
    let shape = x.shape();
    crate::with_numeric!(x, a => Tensor::from_vec(out_shape, reduce_typed(op, a, shape, axes)?),
        _ => Err(Error::dtype(format!("{op:?} expects a numeric tensor, received {}", x.dtype()))))
}

/// `tf.reduce_*`: `axes == None` reduces everything; negative axes count from the end.
pub fn reduce(op: ReduceOp, x: &Tensor, axes: Option<&[i64]>, keepdims: bool) -> Result<Tensor> {
    let axes = normalize_axes(axes, x.rank())?;
    let out_shape: Vec<usize> = x
        .shape()
        .iter()
        .enumerate()
        .filter_map(|(i, &d)| match (axes.contains(&i), keepdims) {
            (false, _) => Some(d),
            (true, true) => Some(1),
            (true, false) => None,
        })
        .collect();
    reduce_as(op, x, &axes, &out_shape)
}

/// NumPy's rule: the first NaN wins for both argmax and argmin; otherwise the first extreme wins.
#[inline(always)]
fn better<T: Num>(x: T, best: T, is_max: bool) -> bool {
    !best.is_nan() && (x.is_nan() || if is_max { x > best } else { x < best })
}

/// `out[r]` = the index of the extreme of each `len`-long row of `x` (`len >= 1`), one row at a time.
fn arg_rows_generic<T: Num>(x: &[T], len: usize, is_max: bool, out: &mut [i64]) {
    for (row, d) in x.chunks_exact(len).zip(out) {
        let (mut best, mut at) = (row[0], 0);
        for (k, &v) in row.iter().enumerate().skip(1) {
            if better(v, best, is_max) {
                (best, at) = (v, k);
            }
        }
        *d = at as i64;
    }
}

/// The extreme of each contiguous row (argmax over the last axis); float32 has a vector kernel.
trait ArgRows: Num {
    fn arg_rows(x: &[Self], len: usize, is_max: bool, out: &mut [i64]) {
        arg_rows_generic(x, len, is_max, out);
    }
}

impl ArgRows for f64 {}
impl ArgRows for i32 {}
impl ArgRows for i64 {}
impl ArgRows for i8 {}
impl ArgRows for i16 {}
impl ArgRows for u8 {}
impl ArgRows for u16 {}
impl ArgRows for u32 {}
impl ArgRows for u64 {}
impl ArgRows for f32 {
    fn arg_rows(x: &[f32], len: usize, is_max: bool, out: &mut [i64]) {
        if !f32_kernels::arg_rows(x, len, is_max, out) {
            arg_rows_generic(x, len, is_max, out);
        }
    }
}

fn arg_typed<T: ArgRows>(a: &ArrayD<T>, axis: usize, is_max: bool) -> Result<Vec<i64>> {
    let shape = a.shape();
    let (outer, len, inner) =
        (shape[..axis].iter().product::<usize>(), shape[axis], shape[axis + 1..].iter().product::<usize>());
    let mut out = try_alloc::<i64>(outer * inner)?;
    if out.is_empty() {
        return Ok(out);
    }
    if len == 0 {
        return Err(Error::invalid(format!(
            "{} over an empty axis {axis} of shape {}",
            if is_max { "ArgMax" } else { "ArgMin" },
            fmt_dims(shape)
        )));
    }
    let std = a.as_standard_layout();
    let data = std.as_slice().ok_or_else(|| Error::internal("standard layout array without a slice"))?;
    if inner == 1 {
        // Contiguous rows (the accuracy metric's argmax over classes): no per-row scratch.
        if parallel(data.len()) {
            let per = fast::blocks_per_task(len);
            out.par_chunks_mut(per)
                .zip(data.par_chunks(per * len))
                .for_each(|(d, x)| T::arg_rows(x, len, is_max, d));
        } else {
            T::arg_rows(data, len, is_max, &mut out);
        }
        return Ok(out);
    }
    let block = |d: &mut [i64], x: &[T]| {
        let mut best: Vec<T> = x[..inner].to_vec();
        d.fill(0);
        for (k, row) in x.chunks_exact(inner).enumerate().skip(1) {
            for ((b, i), &v) in best.iter_mut().zip(d.iter_mut()).zip(row) {
                if better(v, *b, is_max) {
                    (*b, *i) = (v, k as i64);
                }
            }
        }
    };
    if parallel(data.len()) && outer > 1 {
        out.par_chunks_mut(inner).zip(data.par_chunks(len * inner)).for_each(|(d, x)| block(d, x));
    } else {
        out.chunks_mut(inner).zip(data.chunks(len * inner)).for_each(|(d, x)| block(d, x));
    }
    Ok(out)
}

/// `tf.argmax` / `tf.argmin` along one axis, as int32 or int64.
pub fn arg_extreme(x: &Tensor, axis: i64, out: DType, is_max: bool) -> Result<Tensor> {
    let name = if is_max { "ArgMax" } else { "ArgMin" };
    if !matches!(out, DType::I32 | DType::I64) {
        return Err(Error::dtype(format!("{name} output_type must be int32 or int64, received {out}")));
    }
    let ax = normalize_axis(axis, x.rank())?;
    let idx = crate::with_numeric!(x, a => arg_typed(a, ax, is_max)?,
        _ => return Err(Error::dtype(format!("{name} expects a numeric tensor, received {}", x.dtype()))));
    let mut shape = x.shape().to_vec();
    shape.remove(ax);
    if out == DType::I64 {
        Tensor::from_vec(&shape, idx)
    } else {
        Tensor::from_vec(&shape, idx.into_iter().map(|v| v as i32).collect())
    }
}

/// The backward of a reduction: `g` (shaped like the reduction's output) repeated over the reduced
/// axes of `x`. The result has `g`'s dtype and `x`'s shape.
pub fn unreduce_like(g: &Tensor, x: &Tensor, axes: Option<&[i64]>, keepdims: bool) -> Result<Tensor> {
    let axes = normalize_axes(axes, x.rank())?;
    let mut kept = x.shape().to_vec();
    for &a in &axes {
        kept[a] = 1;
    }
    if g.len() != kept.iter().product::<usize>() {
        return Err(Error::invalid(format!(
            "gradient of shape {} does not match reducing shape {} over axes {axes:?} (keepdims={keepdims})",
            fmt_dims(g.shape()),
            fmt_dims(x.shape())
        )));
    }
    let target = x.shape();
    crate::with_numeric!(g, a => {
        let v = a.view().into_shape_with_order(IxDyn(&kept)).map_err(|e| Error::internal(e.to_string()))?;
        fast::broadcast_to(v, target)
    }, _ => Err(Error::dtype(format!("a reduction gradient must be a number tensor, received {}", g.dtype()))))
}

/// The backward of broadcasting: sums `g` over the leading axes `shape` lacks and over the axes where
/// `shape` has 1, giving exactly `shape`.
pub fn reduce_to_shape(g: &Tensor, shape: &[usize]) -> Result<Tensor> {
    let gs = g.shape();
    if gs == shape {
        return Ok(g.clone());
    }
    let incompatible = || {
        Error::invalid(format!(
            "cannot sum a gradient of shape {} down to shape {}: the shapes are not broadcast-compatible",
            fmt_dims(gs),
            fmt_dims(shape)
        ))
    };
    // Leading 1s of `shape` beyond g's rank add no elements.
    let lead = shape.len().saturating_sub(gs.len());
    if shape[..lead].iter().any(|&d| d != 1) {
        return Err(incompatible());
    }
    let s = &shape[lead..];
    let extra = gs.len() - s.len();
    let mut axes: Vec<usize> = (0..extra).collect();
    for (i, (&sd, &gd)) in s.iter().zip(&gs[extra..]).enumerate() {
        if sd == 1 && gd != 1 {
            axes.push(extra + i);
        } else if sd != gd {
            return Err(incompatible());
        }
    }
    reduce_as(ReduceOp::Sum, g, &axes, shape)
}

#[cfg(test)]
#[path = "reduce_tests.rs"]
mod tests;
