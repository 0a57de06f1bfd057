//! A recurrent kernel prepared once for the per-step products of a sequence op.
//!
//! On CPUs with AVX2 and FMA (AVX-512 ones included) the float32 sequence ops (`lstm_sequence.rs`) split the
//! batch into row groups that run every step on their own thread: the rows of a batch are independent
//! recursions, so the groups never wait for each other, where a product split across threads on every step
//! paid a hand-off per step (the BlockLSTM op spent about twice the product's own time per step on the AVX2
//! machine). Each group's step product is then small and single-threaded, through float32 panels packed once
//! per op (`packed_weight_avx2.rs`). Elsewhere (float64, CPUs without AVX2) the batch stays one group and
//! each step runs `matmul`'s own path for the shape (`product_into`: split shared side or `gemm`) on a
//! row-major copy of the weight, as the op did before the groups.

use super::matmul::{num_like::GemmFloat, product_into};
use super::packed_weight_avx2::{self as packed, PackedWeight};
use crate::error::Result;
use crate::tensor::{try_alloc, Element};

/// A k x n weight stored row-major, for `gemm` on one thread.
pub(super) struct RowMajor<T> {
    w: Vec<T>,
    k: usize,
    n: usize,
}

impl<T: Element + GemmFloat + std::ops::AddAssign> RowMajor<T> {
    /// Copies the k x n matrix whose element (i, j) is `w[i * rs + j * cs]`.
    fn new(w: &[T], (k, n): (usize, usize), (rs, cs): (usize, usize)) -> Result<Self> {
        let mut rows = try_alloc::<T>(k * n)?;
        if cs == 1 {
            for (i, row) in rows.chunks_exact_mut(n.max(1)).enumerate().take(k) {
                row.copy_from_slice(&w[i * rs..i * rs + n]);
            }
        } else {
            for (i, row) in rows.chunks_exact_mut(n.max(1)).enumerate().take(k) {
                for (j, v) in row.iter_mut().enumerate() {
                    *v = w[i * rs + j * cs];
                }
            }
        }
        Ok(RowMajor { w: rows, k, n })
    }

    fn product(&self, a: &[T], lda: usize, m: usize, out: &mut [T]) {
        let (k, n) = (self.k, self.n);
        let done =
            product_into((a, lda as isize, 1), (&self.w[..], n as isize, 1), (m, n, k), &mut out[..m * n]);
        // The extents were fixed when the op checked its shapes: an error here is a bug, not bad input.
        if let Err(e) = done {
            panic!("step product: {e}");
        }
    }
}

/// The float types of the sequence ops, with their prepared step weight.
pub(super) trait StepProduct: Element + GemmFloat {
    /// The weight as every step's product reads it.
    type StepWeight: Sync;
    /// Prepares the k x n matrix whose element (i, j) is `w[i * rs + j * cs]`.
    fn step_weight(w: &[Self], kn: (usize, usize), strides: (usize, usize)) -> Result<Self::StepWeight>;
    /// `out = a · w` (`out` m x n, row-major) for the m x k `a` at row stride `lda`: on this thread for a
    /// weight that `splits_rows`, else with `matmul`'s own parallel split.
    fn step_product(w: &Self::StepWeight, a: &[Self], lda: usize, m: usize, out: &mut [Self]);
    /// Whether the batch is split into row groups, one per thread, for this weight.
    fn splits_rows(w: &Self::StepWeight) -> bool;
}

/// float32's step weight: AVX2 panels where they are the fastest product this CPU has.
pub(super) enum F32StepWeight {
    Packed(PackedWeight),
    Rows(RowMajor<f32>),
}

impl StepProduct for f32 {
    type StepWeight = F32StepWeight;
    fn step_weight(w: &[f32], kn: (usize, usize), strides: (usize, usize)) -> Result<F32StepWeight> {
        // AVX-512 CPUs too: on the Zen 4 machine (AVX-512 at half width per cycle) the LSTM benchmark's
        // training step took 21-29 ms with the row groups against 30-34 ms with one group whose step
        // products split across the threads, and predict 6.5-7.2 against 10.5 ms.
        if packed::available() {
            Ok(F32StepWeight::Packed(PackedWeight::new(w, kn, strides)?))
        } else {
            Ok(F32StepWeight::Rows(RowMajor::new(w, kn, strides)?))
        }
    }
    fn step_product(w: &F32StepWeight, a: &[f32], lda: usize, m: usize, out: &mut [f32]) {
        match w {
            F32StepWeight::Packed(p) => p.product(a, lda, m, out, p.cols()),
            F32StepWeight::Rows(r) => r.product(a, lda, m, out),
        }
    }
    fn splits_rows(w: &F32StepWeight) -> bool {
        matches!(w, F32StepWeight::Packed(_))
    }
}

impl StepProduct for f64 {
    type StepWeight = RowMajor<f64>;
    fn step_weight(w: &[f64], kn: (usize, usize), strides: (usize, usize)) -> Result<RowMajor<f64>> {
        RowMajor::new(w, kn, strides)
    }
    fn step_product(w: &RowMajor<f64>, a: &[f64], lda: usize, m: usize, out: &mut [f64]) {
        w.product(a, lda, m, out)
    }
    fn splits_rows(_: &RowMajor<f64>) -> bool {
        false
    }
}

/// Groups of at least this many batch rows run the steps on one thread (smaller ones waste the tiles).
const MIN_GROUP_ROWS: usize = 8;
/// A batch large enough gets up to this many groups per thread, of at least `MIN_SHARED_GROUP_ROWS` rows:
/// the threads claim groups one by one (`for_each_piece`), so when another process holds up one core its
/// thread's second group goes to a thread that is running. One group per thread left the whole op waiting
/// for the held-up thread (the LSTM benchmark's steps took 0.53-0.69x Keras-on-JAX's time beside two busy
/// loops against 0.43x quiet). The price is one more read of the step weight per step and group, small
/// beside a 16-row product.
const GROUPS_PER_THREAD: usize = 2;
const MIN_SHARED_GROUP_ROWS: usize = 16;

/// How many row groups the batch is split into where the weight's products run on one thread
/// (`StepProduct::splits_rows`; else one): one per thread of at least `MIN_GROUP_ROWS` rows, and up to
/// `GROUPS_PER_THREAD` per thread where each still has `MIN_SHARED_GROUP_ROWS`.
pub(super) fn row_groups<T: StepProduct>(batch: usize, weight: &T::StepWeight) -> usize {
    if !T::splits_rows(weight) {
        return 1;
    }
    let threads = crate::threading::num_threads().max(1);
    let groups = (batch / MIN_GROUP_ROWS).clamp(1, threads);
    if groups < threads {
        return groups;
    }
    (batch / MIN_SHARED_GROUP_ROWS).clamp(threads, GROUPS_PER_THREAD * threads)
}

/// `data` as blocks of `batch` rows of `width` (one per step), each cut into the groups' rows:
/// `result[g][s]` is group g's rows of step s.
pub(super) fn group_step_rows<T>(
    data: &mut [T],
    batch: usize,
    width: usize,
    groups: usize,
) -> Vec<Vec<&mut [T]>> {
    let mut by_group: Vec<Vec<&mut [T]>> = (0..groups).map(|_| Vec::new()).collect();
    for step in data.chunks_exact_mut(batch * width) {
        for (g, piece) in crate::threading::split_rows(step, width, groups).into_iter().enumerate() {
            by_group[g].push(piece);
        }
    }
    by_group
}
