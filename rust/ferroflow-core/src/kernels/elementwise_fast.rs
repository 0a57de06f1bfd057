//! The elementwise engine: parallel slice maps and broadcasting zips with fast paths for the layouts training hits.

use crate::error::{Error, Result};
use crate::shape::broadcast_dims;
use crate::tensor::{checked_len, try_alloc, Element, Tensor};
use crate::threading::PARALLEL_THRESHOLD;
use ndarray::parallel::prelude::*;
use ndarray::{ArrayD, ArrayViewMutD, IxDyn, Zip};
use rayon::prelude::*;

/// Elements per rayon task: large enough that scheduling is noise, small enough to balance the cores.
pub(crate) const CHUNK: usize = 1 << 14;

/// Whether `n` elements of work are worth splitting across threads (never outside the pool: a small op
/// run inline on a caller's thread must not reach rayon's global pool).
#[inline]
pub(crate) fn parallel(n: usize) -> bool {
    n >= PARALLEL_THRESHOLD && crate::threading::current_threads() > 1
}

/// How many blocks of `block` elements go to one rayon task, so that tasks hold about `CHUNK` elements.
#[inline]
pub(crate) fn blocks_per_task(block: usize) -> usize {
    (CHUNK / block.max(1)).max(1)
}

#[inline(always)]
fn map_seq<T: Copy, U>(s: &[T], d: &mut [U], f: &impl Fn(T) -> U) {
    crate::kernels::simd::vectorized(|| {
        for (d, &s) in d.iter_mut().zip(s) {
            *d = f(s);
        }
    })
}

#[inline(always)]
fn zip_seq<T: Copy, U>(a: &[T], b: &[T], d: &mut [U], f: &impl Fn(T, T) -> U) {
    crate::kernels::simd::vectorized(|| {
        for ((d, &x), &y) in d.iter_mut().zip(a).zip(b) {
            *d = f(x, y);
        }
    })
}

/// `d[i] = f(s[i], y)`. `y` is moved into the vectorized loop's closure by value: a closure
/// capturing it (`|x| f(x, y)`) was reloaded through two pointers per element (the stores to `d` might
/// alias them), so a scalar or keepdims-column broadcast ran unvectorized, 2.5x slower than a same-shape
/// product on an AVX2 core.
#[inline(always)]
fn map_with_seq<T: Copy, U>(s: &[T], y: T, d: &mut [U], f: &impl Fn(T, T) -> U) {
    crate::kernels::simd::vectorized(move || {
        for (d, &x) in d.iter_mut().zip(s) {
            *d = f(x, y);
        }
    })
}

/// `dst[i] = f(src[i])`, split across the pool above the threshold.
pub(crate) fn map_into<T: Copy + Sync, U: Send>(src: &[T], dst: &mut [U], f: impl Fn(T) -> U + Sync) {
    if parallel(dst.len()) {
        dst.par_chunks_mut(CHUNK).zip(src.par_chunks(CHUNK)).for_each(|(d, s)| map_seq(s, d, &f));
    } else {
        map_seq(src, dst, &f);
    }
}

/// `dst[i] = f(a[i], b[i])`, split across the pool above the threshold.
fn zip_into<T: Copy + Sync, U: Send>(a: &[T], b: &[T], dst: &mut [U], f: impl Fn(T, T) -> U + Sync) {
    if parallel(dst.len()) {
        dst.par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .zip(b.par_chunks(CHUNK))
            .for_each(|((d, a), b)| zip_seq(a, b, d, &f));
    } else {
        zip_seq(a, b, dst, &f);
    }
}

/// Maps every element of `a` into a new standard-layout tensor.
pub(crate) fn map<T: Element, U: Element>(a: &ArrayD<T>, f: impl Fn(T) -> U + Sync) -> Result<Tensor> {
    let mut out = try_alloc::<U>(checked_len(a.shape(), U::DTYPE)?)?;
    match a.as_slice() {
        Some(s) => map_into(s, &mut out, f),
        None => out.iter_mut().zip(a.iter()).for_each(|(d, &s)| *d = f(s)),
    }
    Tensor::from_vec(a.shape(), out)
}

/// Left-pads `dims` with ones to `rank` axes.
fn padded(dims: &[usize], rank: usize) -> Vec<usize> {
    let mut p = vec![1; rank - dims.len()];
    p.extend_from_slice(dims);
    p
}

/// When `small` broadcasts against `out` only over leading axes (a bias row `[M]` against `[N, M]`),
/// returns its length: output element `i` then pairs with `small[i % len]`.
fn suffix_len(small: &[usize], out: &[usize]) -> Option<usize> {
    if small.len() > out.len() {
        return None;
    }
    let p = padded(small, out.len());
    // All ones (a scalar) is one value for the whole output: `prefix_block`'s single block, not rows of one.
    let first = p.iter().position(|&d| d != 1)?;
    (p[first..] == out[first..]).then(|| p[first..].iter().product())
}

/// When `small` broadcasts against `out` only over trailing axes (`[N, 1]` against `[N, M]`, the shape
/// a keepdims reduction leaves), returns the block length `k`: output `i` pairs with `small[i / k]`.
fn prefix_block(small: &[usize], out: &[usize]) -> Option<usize> {
    if small.len() > out.len() {
        return None;
    }
    let p = padded(small, out.len());
    let split = p.iter().rposition(|&d| d != 1).map_or(0, |i| i + 1);
    (p[..split] == out[..split]).then(|| out[split..].iter().product())
}

/// `d[i] = f(a[i], b[i % b.len()])`, split by whole rows of `b`.
fn suffix_into<T: Copy + Sync, U: Send>(a: &[T], b: &[T], d: &mut [U], f: impl Fn(T, T) -> U + Sync) {
    // A short row (3 channels) repeats into one of about 256 elements, so the inner loop stays long enough to
    // vectorize: outputs still pair with `b[i % b.len()]`, as rows start at multiples of the short length.
    let tiled: Vec<T>;
    let b = if b.len() < 64 && d.len() > b.len() {
        tiled = b.iter().cycle().take(b.len() * (256 / b.len())).copied().collect();
        &tiled[..]
    } else {
        b
    };
    let m = b.len();
    let rows = |d: &mut [U], a: &[T]| {
        for (d, a) in d.chunks_mut(m).zip(a.chunks(m)) {
            zip_seq(a, b, d, &f);
        }
    };
    if parallel(d.len()) && m >= CHUNK {
        // Few long rows: split inside each row instead of across rows.
        for (d, a) in d.chunks_mut(m).zip(a.chunks(m)) {
            zip_into(a, b, d, &f);
        }
    } else if parallel(d.len()) {
        let task = m * blocks_per_task(m);
        d.par_chunks_mut(task).zip(a.par_chunks(task)).for_each(|(d, a)| rows(d, a));
    } else {
        rows(d, a);
    }
}

/// `d[i] = f(a[i], b[i / k])`, split by whole blocks of `k` output elements.
fn prefix_into<T: Copy + Sync, U: Send>(
    a: &[T],
    b: &[T],
    k: usize,
    d: &mut [U],
    f: impl Fn(T, T) -> U + Sync,
) {
    let blocks = |d: &mut [U], a: &[T], b: &[T]| {
        for ((d, a), &y) in d.chunks_mut(k).zip(a.chunks(k)).zip(b) {
            map_with_seq(a, y, d, &f);
        }
    };
    if parallel(d.len()) && k >= CHUNK {
        // Few long blocks (a scalar is one block): split inside each block.
        for ((d, a), &y) in d.chunks_mut(k).zip(a.chunks(k)).zip(b) {
            d.par_chunks_mut(CHUNK).zip(a.par_chunks(CHUNK)).for_each(|(d, s)| map_with_seq(s, y, d, &f));
        }
    } else if parallel(d.len()) {
        let per = blocks_per_task(k);
        d.par_chunks_mut(k * per)
            .zip(a.par_chunks(k * per))
            .zip(b.par_chunks(per))
            .for_each(|((d, a), b)| blocks(d, a, b));
    } else {
        blocks(d, a, b);
    }
}

fn broadcast_view<'a, T>(a: &'a ArrayD<T>, shape: &[usize]) -> Result<ndarray::ArrayViewD<'a, T>> {
    a.broadcast(IxDyn(shape)).ok_or_else(|| {
        Error::internal(format!(
            "cannot broadcast {:?} to {:?} after a successful shape check",
            a.shape(),
            shape
        ))
    })
}

/// NumPy-broadcasting `f(a, b)`: slice fast paths for equal shapes, a scalar, a bias row or a keepdims
/// column, otherwise ndarray's broadcasting `Zip`.
pub(crate) fn zip<T: Element, U: Element>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    f: impl Fn(T, T) -> U + Sync + Send,
) -> Result<Tensor> {
    let shape = broadcast_dims(a.shape(), b.shape())?;
    let n = checked_len(&shape, U::DTYPE)?;
    let mut out = try_alloc::<U>(n)?;
    if n == 0 {
        return Tensor::from_vec(&shape, out);
    }
    if let (Some(sa), Some(sb)) = (a.as_slice(), b.as_slice()) {
        // A broadcastable operand with as many elements as the output has the output's element order.
        let (full_a, full_b) = (sa.len() == n, sb.len() == n);
        if full_a && full_b {
            zip_into(sa, sb, &mut out, &f);
            return Tensor::from_vec(&shape, out);
        }
        if full_a {
            if suffix_len(b.shape(), &shape).is_some() {
                suffix_into(sa, sb, &mut out, &f);
                return Tensor::from_vec(&shape, out);
            }
            if let Some(k) = prefix_block(b.shape(), &shape) {
                prefix_into(sa, sb, k, &mut out, &f);
                return Tensor::from_vec(&shape, out);
            }
        }
        if full_b {
            if suffix_len(a.shape(), &shape).is_some() {
                suffix_into(sb, sa, &mut out, |y, x| f(x, y));
                return Tensor::from_vec(&shape, out);
            }
            if let Some(k) = prefix_block(a.shape(), &shape) {
                prefix_into(sb, sa, k, &mut out, |y, x| f(x, y));
                return Tensor::from_vec(&shape, out);
            }
        }
    }
    let (av, bv) = (broadcast_view(a, &shape)?, broadcast_view(b, &shape)?);
    let mut ov =
        ArrayViewMutD::from_shape(IxDyn(&shape), &mut out[..]).map_err(|e| Error::internal(e.to_string()))?;
    let z = Zip::from(&mut ov).and(&av).and(&bv);
    if parallel(n) {
        z.par_for_each(|o, &x, &y| *o = f(x, y));
    } else {
        z.for_each(|o, &x, &y| *o = f(x, y));
    }
    Tensor::from_vec(&shape, out)
}

/// Three-way broadcasting `cond ? x : y` (tf.where v2).
pub(crate) fn zip3<T: Element>(c: &ArrayD<bool>, x: &ArrayD<T>, y: &ArrayD<T>) -> Result<Tensor> {
    let shape = broadcast_dims(&broadcast_dims(c.shape(), x.shape())?, y.shape())?;
    let n = checked_len(&shape, T::DTYPE)?;
    let mut out = try_alloc::<T>(n)?;
    let pick = |o: &mut T, &c: &bool, &x: &T, &y: &T| *o = if c { x } else { y };
    if let (Some(sc), Some(sx), Some(sy)) = (c.as_slice(), x.as_slice(), y.as_slice()) {
        if sc.len() == n && sx.len() == n && sy.len() == n {
            let run = |d: &mut [T], c: &[bool], x: &[T], y: &[T]| {
                for (((d, c), x), y) in d.iter_mut().zip(c).zip(x).zip(y) {
                    pick(d, c, x, y);
                }
            };
            if parallel(n) {
                out.par_chunks_mut(CHUNK)
                    .zip(sc.par_chunks(CHUNK))
                    .zip(sx.par_chunks(CHUNK).zip(sy.par_chunks(CHUNK)))
                    .for_each(|((d, c), (x, y))| run(d, c, x, y));
            } else {
                run(&mut out, sc, sx, sy);
            }
            return Tensor::from_vec(&shape, out);
        }
        if let (true, true, Some(k)) = (sx.len() == n, sy.len() == n, prefix_block(c.shape(), &shape)) {
            select_blocks(sc, sx, sy, k, &mut out);
            return Tensor::from_vec(&shape, out);
        }
    }
    let (cv, xv, yv) = (broadcast_view(c, &shape)?, broadcast_view(x, &shape)?, broadcast_view(y, &shape)?);
    let mut ov =
        ArrayViewMutD::from_shape(IxDyn(&shape), &mut out[..]).map_err(|e| Error::internal(e.to_string()))?;
    let z = Zip::from(&mut ov).and(&cv).and(&xv).and(&yv);
    if parallel(n) {
        z.par_for_each(pick);
    } else {
        z.for_each(pick);
    }
    Tensor::from_vec(&shape, out)
}

/// `where` with one condition per block of `k` outputs (a scalar condition, or `[n, 1, 1, 1]` choosing whole
/// images): each block is one copy from `x` or `y`.
fn select_blocks<T: Copy + Send + Sync>(c: &[bool], x: &[T], y: &[T], k: usize, d: &mut [T]) {
    if k == 0 {
        return;
    }
    let copy = |(i, d): (usize, &mut [T])| {
        let from = if c[i] { x } else { y };
        d.copy_from_slice(&from[i * k..(i + 1) * k]);
    };
    if parallel(d.len()) && c.len() > 1 {
        d.par_chunks_mut(k).enumerate().for_each(copy);
    } else {
        d.chunks_mut(k).enumerate().for_each(copy);
    }
}

/// Broadcasts `a` to `shape` into a new standard-layout tensor (the backward of a reduction).
pub(crate) fn broadcast_to<T: Element>(a: ndarray::ArrayViewD<'_, T>, shape: &[usize]) -> Result<Tensor> {
    let n = checked_len(shape, T::DTYPE)?;
    let mut out = try_alloc::<T>(n)?;
    if n == 0 {
        return Tensor::from_vec(shape, out);
    }
    if let (Some(sa), Some(k)) = (a.as_slice(), prefix_block(a.shape(), shape)) {
        let fill = |d: &mut [T], b: &[T]| d.chunks_mut(k).zip(b).for_each(|(d, &y)| d.fill(y));
        if parallel(n) && k >= CHUNK {
            for (d, &y) in out.chunks_mut(k).zip(sa) {
                d.par_chunks_mut(CHUNK).for_each(|c| c.fill(y));
            }
        } else if parallel(n) {
            let per = blocks_per_task(k);
            out.par_chunks_mut(k * per).zip(sa.par_chunks(per)).for_each(|(d, b)| fill(d, b));
        } else {
            fill(&mut out, sa);
        }
        return Tensor::from_vec(shape, out);
    }
    let av = a.broadcast(IxDyn(shape)).ok_or_else(|| {
        Error::invalid(format!(
            "cannot broadcast shape {} to {}",
            crate::shape::fmt_dims(a.shape()),
            crate::shape::fmt_dims(shape)
        ))
    })?;
    let mut ov =
        ArrayViewMutD::from_shape(IxDyn(shape), &mut out[..]).map_err(|e| Error::internal(e.to_string()))?;
    let z = Zip::from(&mut ov).and(&av);
    if parallel(n) {
        z.par_for_each(|o, &x| *o = x);
    } else {
        z.for_each(|o, &x| *o = x);
    }
    Tensor::from_vec(shape, out)
}
