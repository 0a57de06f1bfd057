//! Matrix products over the last two axes with broadcast batch axes: the `gemm` crate for floats, a loop for ints.

use super::matmul_narrow;
use super::matmul_split_k::{split_k_pays, split_k_product};
use crate::error::{Error, Result};
use crate::shape::{broadcast_dims, fmt_dims};
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;

/// Below this many multiply-adds a product runs on one thread: waking the pool costs more than it saves.
const PARALLEL_FLOPS: usize = 1 << 18;

/// Products with fewer output rows stay on one thread too: splitting a 32-row product (a dense layer at
/// batch 32) makes both cores stream the whole weight matrix, which measured slower than one core in a
/// training step (about 240 against 180 us for 32x784 by 784x512 on the 2-core machine).
pub(super) const PARALLEL_MIN_ROWS: usize = 64;

/// Batches of products this small (multiply-adds each) run whole products in parallel, one per thread
/// at a time, instead of splitting each across the threads: attention's 256 products of 128 x 32 by
/// 32 x 128 ran at half the large-matrix rate split, each too small to share.
const PER_PRODUCT_PARALLEL_MAX_FLOPS: usize = 1 << 22;

/// The geometry of one batched product, with the element strides of each operand's batch axes.
struct Geometry {
    m: usize,
    n: usize,
    k: usize,
    batch: Vec<usize>,
    a_batch_strides: Vec<usize>,
    b_batch_strides: Vec<usize>,
    out_shape: Vec<usize>,
}

fn geometry(a: &[usize], b: &[usize], ta: bool, tb: bool) -> Result<Geometry> {
    if a.len() < 2 || b.len() < 2 {
        return Err(Error::invalid(format!(
            "matmul expects tensors of rank >= 2, received shapes {} and {}",
            fmt_dims(a),
            fmt_dims(b)
        )));
    }
    let (ra, rb) = (a.len(), b.len());
    let (m, ka) = if ta { (a[ra - 1], a[ra - 2]) } else { (a[ra - 2], a[ra - 1]) };
    let (kb, n) = if tb { (b[rb - 1], b[rb - 2]) } else { (b[rb - 2], b[rb - 1]) };
    if ka != kb {
        return Err(Error::invalid(format!(
            "Matrix size-incompatible: In[0]: {}, In[1]: {} (transpose_a={ta}, transpose_b={tb})",
            fmt_dims(a),
            fmt_dims(b)
        )));
    }
    let batch = broadcast_dims(&a[..ra - 2], &b[..rb - 2])?;
    let strides_for = |dims: &[usize], matrix: usize| -> Vec<usize> {
        // Element stride of each broadcast batch axis in a contiguous operand; 0 where it is broadcast.
        let mut strides = vec![0; batch.len()];
        let mut stride = matrix;
        for i in (0..dims.len()).rev() {
            let at = batch.len() - dims.len() + i;
            strides[at] = if dims[i] == 1 { 0 } else { stride };
            stride *= dims[i];
        }
        strides
    };
    let a_batch_strides = strides_for(&a[..ra - 2], a[ra - 2] * a[ra - 1]);
    let b_batch_strides = strides_for(&b[..rb - 2], b[rb - 2] * b[rb - 1]);
    let mut out_shape = batch.clone();
    out_shape.extend([m, n]);
    Ok(Geometry { m, n, k: ka, batch, a_batch_strides, b_batch_strides, out_shape })
}

impl Geometry {
    fn batch_count(&self) -> usize {
        self.batch.iter().product()
    }

    /// Offsets of batch `i` in `a` and `b`.
    fn offsets(&self, mut i: usize) -> (usize, usize) {
        let (mut oa, mut ob) = (0, 0);
        for ax in (0..self.batch.len()).rev() {
            let idx = i % self.batch[ax];
            i /= self.batch[ax];
            oa += idx * self.a_batch_strides[ax];
            ob += idx * self.b_batch_strides[ax];
        }
        (oa, ob)
    }
}

/// `tf.linalg.matmul(a, b, transpose_a, transpose_b)`.
pub fn matmul(a: &Tensor, b: &Tensor, ta: bool, tb: bool) -> Result<Tensor> {
    if a.dtype() != b.dtype() {
        return Err(Error::dtype(format!(
            "MatMul expects inputs of the same dtype, received {} and {}",
            a.dtype(),
            b.dtype()
        )));
    }
    let g = geometry(a.shape(), b.shape(), ta, tb)?;
    match (a.data(), b.data()) {
        (TensorData::F32(x), TensorData::F32(y)) if matmul_narrow::applies(g.n, g.k) => {
            narrow_matmul(x, y, &g, ta, tb)
        }
        (TensorData::F32(x), TensorData::F32(y)) => float_matmul(x, y, &g, ta, tb),
        (TensorData::F64(x), TensorData::F64(y)) => float_matmul(x, y, &g, ta, tb),
        (TensorData::I32(x), TensorData::I32(y)) => int_matmul(x, y, &g, ta, tb),
        (TensorData::I64(x), TensorData::I64(y)) => int_matmul(x, y, &g, ta, tb),
        _ => Err(Error::dtype(format!("MatMul expects numeric tensors, received {}", a.dtype()))),
    }
}

/// Row and column strides of an operand's matrix, given its stored (rows, cols) and whether it is transposed.
fn strides(stored_cols: usize, transposed: bool) -> (isize, isize) {
    // (row stride, column stride) of the logical matrix in the row-major storage.
    if transposed {
        (1, stored_cols as isize)
    } else {
        (stored_cols as isize, 1)
    }
}

fn float_matmul<T: Element + num_like::GemmFloat + std::ops::AddAssign>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    g: &Geometry,
    ta: bool,
    tb: bool,
) -> Result<Tensor> {
    let a_s = a.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let b_s = b.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let (m, n, k) = (g.m, g.n, g.k);
    if m * n * k == 0 {
        // An empty shared dimension: the product is all zeros.
        return Tensor::from_vec(&g.out_shape, try_alloc::<T>(g.batch_count() * m * n)?);
    }
    // Every path below writes each output element (gemm without reading its destination).
    let mut out = crate::buffer_pool::overwritable::<T>(g.batch_count() * m * n)?;
    let a_cols = a.shape()[a.ndim() - 1];
    let b_cols = b.shape()[b.ndim() - 1];
    let (a_rs, a_cs) = strides(a_cols, ta);
    let (b_rs, b_cs) = strides(b_cols, tb);
    if g.batch_count() == 1 {
        product_into((a_s, a_rs, a_cs), (b_s, b_rs, b_cs), (m, n, k), &mut out)?;
        return Tensor::from_vec(&g.out_shape, out);
    }
    if b.ndim() == 2 && !ta {
        // A stack of matrices times one matrix (a dense layer on a sequence, [batch, time, k] · [k, n]):
        // the stacked rows are one (batch·m) x k matrix, and one product of it runs at the large-matrix
        // rate, where a product per batch entry splits each small product across the threads.
        product_into((a_s, a_rs, a_cs), (b_s, b_rs, b_cs), (g.batch_count() * m, n, k), &mut out)?;
        return Tensor::from_vec(&g.out_shape, out);
    }
    let batches = g.batch_count();
    let small = m * n * k <= PER_PRODUCT_PARALLEL_MAX_FLOPS;
    let product = |i: usize, dst: &mut [T], parallelism: gemm::Parallelism| {
        let (oa, ob) = g.offsets(i);
        let lhs = &a_s[oa..];
        let rhs = &b_s[ob..];
        // Small float32 products with `b` by rows take the AVX-512 tiles, which read both operands in
        // place: attention's 256 products of 128 x 128 by 128 x 32 took 2.0-2.3 ms as a batch against
        // 2.4-2.6 ms through `gemm`, which re-packs both for a few microseconds of arithmetic each. (A `b`
        // by columns, the scores' `Kᵀ`, stays with `gemm`: copying it into rows first was no faster.) One-row
        // products keep `gemm` here.
        if small && m > 1 && T::tile_product((lhs, a_rs, a_cs), (rhs, b_rs, b_cs), (m, n, k), dst) {
            return;
        }
        // SAFETY: `geometry` checked that `lhs` holds an m x k matrix and `rhs` a k x n matrix at these
        // strides (the slices start at each batch's offset and extend past its last element), and `dst`
        // is exactly m x n, row-major, and not aliased by the inputs.
        unsafe {
            gemm_product(dst, (m, n, k), (lhs.as_ptr(), a_rs, a_cs), (rhs.as_ptr(), b_rs, b_cs), parallelism);
        }
    };
    // The pool's size, not the calling thread's, decides: a plan run inline gives the same bits.
    // (A single product, a one-sample prediction's, skips the look-up: it costs a `getpid` call.)
    let threads = if batches > 1 { crate::threading::num_threads() } else { 1 };
    if threads > 1 && batches >= 2 * threads && small {
        // A few parts per thread, so that a thread held up by another program leaves its parts to the others.
        let parts = (threads * 4).min(batches);
        let pieces = crate::threading::split_rows(&mut out, m * n, parts);
        crate::threading::for_each_piece(pieces, |p, piece| {
            let first = crate::threading::part(batches, p, parts).start;
            for (j, dst) in piece.chunks_mut(m * n).enumerate() {
                product(first + j, dst, gemm::Parallelism::None);
            }
        });
    } else {
        let parallelism = gemm_parallelism(m, n, k);
        for (i, dst) in out.chunks_mut(m * n).enumerate() {
            product(i, dst, parallelism);
        }
    }
    Tensor::from_vec(&g.out_shape, out)
}

/// Threads for a `gemm` call: one below `PARALLEL_FLOPS` or `PARALLEL_MIN_ROWS`, else the pool's.
fn gemm_parallelism(m: usize, n: usize, k: usize) -> gemm::Parallelism {
    let threads = crate::threading::current_threads();
    if m * n * k >= PARALLEL_FLOPS && m >= PARALLEL_MIN_ROWS && threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    }
}

/// `out = a·b` for one m x k `a` and k x n `b` given as (elements, row stride, column stride), into the
/// row-major m x n `out`, by the fastest path for the shape (split shared side, AVX-512 tiles, short shared
/// side, or `gemm`). Kernels that run many small products (a recurrent sequence) call it on their own
/// buffers instead of building a tensor per product.
pub(super) fn product_into<T: Element + num_like::GemmFloat + std::ops::AddAssign>(
    (a_s, a_rs, a_cs): (&[T], isize, isize),
    (b_s, b_rs, b_cs): (&[T], isize, isize),
    (m, n, k): (usize, usize, usize),
    out: &mut [T],
) -> Result<()> {
    let extent = |rows: usize, cols: usize, rs: isize, cs: isize| {
        if rows * cols == 0 {
            0
        } else {
            (rows - 1) * rs as usize + (cols - 1) * cs as usize + 1
        }
    };
    if out.len() != m * n || a_s.len() < extent(m, k, a_rs, a_cs) || b_s.len() < extent(k, n, b_rs, b_cs) {
        return Err(Error::internal("matrix product operands do not hold their matrices"));
    }
    if m * n * k == 0 {
        out.iter_mut().for_each(|o| *o = T::zero());
        return Ok(());
    }
    let f32 = T::DTYPE == crate::DType::F32;
    if split_k_pays(m, n, k, f32 && b_cs == 1) {
        return split_k_product((a_s, a_rs, a_cs), (b_s, b_rs, b_cs), (m, n, k), out);
    }
    if f32 && b_rs == 1 && b_cs != 1 && split_k_pays(m, n, k, true) {
        // A transposed weight (a gradient's `dy · Wᵀ`): the split product's tiles need contiguous rows, and a
        // row-major copy of the k x n matrix costs far less than `gemm` loses reading it by columns (64 x 512
        // by 512 x 128: 270 us through `gemm`, about 150 us split). The k x n matrix is stored as n rows of k.
        let mut rows = try_alloc::<T>(k * n)?;
        super::layout::transpose_into(b_s, (n, k, b_cs as usize), &mut rows);
        return split_k_product((a_s, a_rs, a_cs), (&rows, n as isize, 1), (m, n, k), out);
    }
    if m < PARALLEL_MIN_ROWS && T::tile_product((a_s, a_rs, a_cs), (b_s, b_rs, b_cs), (m, n, k), out) {
        return Ok(());
    }
    if T::short_shared_product((a_s, a_rs, a_cs), (b_s, b_rs, b_cs), (m, n, k), out)? {
        return Ok(());
    }
    // SAFETY: the extents checked above put every element of both matrices inside their slices, and `out`
    // is exactly m x n, row-major, and not aliased by the inputs.
    unsafe {
        gemm_product(
            out,
            (m, n, k),
            (a_s.as_ptr(), a_rs, a_cs),
            (b_s.as_ptr(), b_rs, b_cs),
            gemm_parallelism(m, n, k),
        );
    }
    Ok(())
}

/// `dst = a·b` with `gemm`, for an m x k `a` and a k x n `b` at the given (row, column) element strides,
/// into the row-major m x n `dst`.
///
/// # Safety
/// `a` and `b` must address every element of their matrices at those strides.
pub(super) unsafe fn gemm_product<T: num_like::GemmFloat>(
    dst: &mut [T],
    (m, n, k): (usize, usize, usize),
    (a, a_rs, a_cs): (*const T, isize, isize),
    (b, b_rs, b_cs): (*const T, isize, isize),
    parallelism: gemm::Parallelism,
) {
    debug_assert_eq!(dst.len(), m * n);
    gemm::gemm(
        m,
        n,
        k,
        dst.as_mut_ptr(),
        1,
        n as isize,
        false,
        a,
        a_cs,
        a_rs,
        b,
        b_cs,
        b_rs,
        T::zero(),
        T::one(),
        false,
        false,
        false,
        parallelism,
    );
}

/// A float32 product with at most 16 output columns (see `matmul_narrow`).
fn narrow_matmul(a: &ArrayD<f32>, b: &ArrayD<f32>, g: &Geometry, ta: bool, tb: bool) -> Result<Tensor> {
    use matmul_narrow::{product, Strided};
    let a_s = a.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let b_s = b.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let (a_rs, a_cs) = strides(a.shape()[a.ndim() - 1], ta);
    let (b_rs, b_cs) = strides(b.shape()[b.ndim() - 1], tb);
    let (m, n, k) = (g.m, g.n, g.k);
    let mut out = try_alloc::<f32>(g.batch_count() * m * n)?;
    for (i, dst) in out.chunks_mut(m * n).enumerate() {
        let (oa, ob) = g.offsets(i);
        let lhs = Strided { data: &a_s[oa..], row_stride: a_rs as usize, col_stride: a_cs as usize };
        let rhs = Strided { data: &b_s[ob..], row_stride: b_rs as usize, col_stride: b_cs as usize };
        product(lhs, rhs, (m, n, k), dst);
    }
    Tensor::from_vec(&g.out_shape, out)
}

fn int_matmul<T: Element + std::ops::Mul<Output = T> + std::ops::Add<Output = T> + num_like::WrappingInt>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    g: &Geometry,
    ta: bool,
    tb: bool,
) -> Result<Tensor> {
    let a_s = a.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let b_s = b.as_slice().ok_or_else(|| Error::internal("matmul input is not contiguous"))?;
    let (m, n, k) = (g.m, g.n, g.k);
    let (a_rs, a_cs) = strides(a.shape()[a.ndim() - 1], ta);
    let (b_rs, b_cs) = strides(b.shape()[b.ndim() - 1], tb);
    let mut out = try_alloc::<T>(g.batch_count() * m * n)?;
    for (bi, dst) in out.chunks_mut(m * n.max(1)).enumerate().take(g.batch_count()) {
        let (oa, ob) = g.offsets(bi);
        for i in 0..m {
            for j in 0..n {
                let mut acc = T::default();
                for p in 0..k {
                    let x = a_s[oa + i * a_rs as usize + p * a_cs as usize];
                    let y = b_s[ob + p * b_rs as usize + j * b_cs as usize];
                    acc = acc.wrapping_add_(x.wrapping_mul_(y));
                }
                dst[i * n + j] = acc;
            }
        }
    }
    Tensor::from_vec(&g.out_shape, out)
}

#[path = "matmul_short_k.rs"]
mod short_k;

pub(super) mod num_like {
    //! The few numeric capabilities the matmul kernels need from each element type.
    pub trait GemmFloat: Copy + 'static {
        fn zero() -> Self;
        fn one() -> Self;
        /// `out = a·b` with the AVX-512 tile kernels (`kernels::skinny`), for `b` with contiguous rows
        /// (`b_cs == 1`); false, doing nothing, where they do not apply.
        fn tile_product(
            _a: (&[Self], isize, isize),
            _b: (&[Self], isize, isize),
            _mnk: (usize, usize, usize),
            _out: &mut [Self],
        ) -> bool {
            false
        }
        /// `out = a·b` for a short shared side (`super::short_k`); false where it does not apply.
        fn short_shared_product(
            _a: (&[Self], isize, isize),
            _b: (&[Self], isize, isize),
            _mnk: (usize, usize, usize),
            _out: &mut [Self],
        ) -> crate::error::Result<bool> {
            Ok(false)
        }
    }
    impl GemmFloat for f32 {
        fn zero() -> Self {
            0.0
        }
        fn one() -> Self {
            1.0
        }
        fn tile_product(
            (a, a_rs, a_cs): (&[f32], isize, isize),
            (b, b_rs, b_cs): (&[f32], isize, isize),
            mnk: (usize, usize, usize),
            out: &mut [f32],
        ) -> bool {
            use crate::kernels::skinny::{product, Rhs, Strided};
            b_cs == 1
                && product(
                    Strided { data: a, row_stride: a_rs as usize, col_stride: a_cs as usize },
                    Rhs { data: b, row_stride: b_rs as usize },
                    mnk,
                    out,
                )
        }
        fn short_shared_product(
            a: (&[f32], isize, isize),
            b: (&[f32], isize, isize),
            mnk: (usize, usize, usize),
            out: &mut [f32],
        ) -> crate::error::Result<bool> {
            super::short_k::product(a, b, mnk, out)
        }
    }
    impl GemmFloat for f64 {
        fn zero() -> Self {
            0.0
        }
        fn one() -> Self {
            1.0
        }
    }
    /// Integer products wrap on overflow, as TensorFlow's do, instead of panicking.
    pub trait WrappingInt: Copy {
        fn wrapping_add_(self, o: Self) -> Self;
        fn wrapping_mul_(self, o: Self) -> Self;
    }
    impl WrappingInt for i32 {
        fn wrapping_add_(self, o: Self) -> Self {
            self.wrapping_add(o)
        }
        fn wrapping_mul_(self, o: Self) -> Self {
            self.wrapping_mul(o)
        }
    }
    impl WrappingInt for i64 {
        fn wrapping_add_(self, o: Self) -> Self {
            self.wrapping_add(o)
        }
        fn wrapping_mul_(self, o: Self) -> Self {
            self.wrapping_mul(o)
        }
    }
}

#[cfg(test)]
#[path = "matmul_tests.rs"]
mod tests;
