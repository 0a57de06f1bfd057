//! A recurrent kernel prepared once for the per-step products of a sequence op, each run on one thread.
//!
//! The sequence ops (`lstm_sequence.rs`) split the batch into row groups that run every step on their own
//! thread: the rows of a batch are independent recursions, so the groups never wait for each other, where
//! a product split across threads on every step paid a hand-off per step (the BlockLSTM op spent about
//! twice the product's own time per step on the AVX2 machine). Each group's step product is then small and
//! single-threaded, and the weight is prepared for it once per op: float32 packed into AVX2 panels on CPUs
//! without AVX-512 (`packed_weight_avx2.rs`), else a row-major copy that `gemm` reads on one thread.

use super::matmul::{gemm_product, num_like::GemmFloat};
use super::packed_weight_avx2::{self as packed, PackedWeight};
use crate::error::Result;
use crate::tensor::{try_alloc, Element};

/// A k x n weight stored row-major, for `gemm` on one thread.
pub(super) struct RowMajor<T> {
    w: Vec<T>,
    k: usize,
    n: usize,
}

impl<T: Element + GemmFloat> RowMajor<T> {
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
        assert!(m == 0 || a.len() >= (m - 1) * lda + k, "step product: operand sizes");
        // SAFETY: `a` holds m rows of k at stride lda (asserted), `w` is k x n row-major, `out` m x n.
        unsafe {
            gemm_product(
                &mut out[..m * n],
                (m, n, k),
                (a.as_ptr(), lda as isize, 1),
                (self.w.as_ptr(), n as isize, 1),
                gemm::Parallelism::None,
            )
        }
    }
}

/// The float types of the sequence ops, with their prepared step weight.
pub(super) trait StepProduct: Element + GemmFloat {
    /// The weight as every step's product reads it.
    type StepWeight: Sync;
    /// Prepares the k x n matrix whose element (i, j) is `w[i * rs + j * cs]`.
    fn step_weight(w: &[Self], kn: (usize, usize), strides: (usize, usize)) -> Result<Self::StepWeight>;
    /// `out = a · w` (`out` m x n, row-major) for the m x k `a` at row stride `lda`, on this thread.
    fn step_product(w: &Self::StepWeight, a: &[Self], lda: usize, m: usize, out: &mut [Self]);
}

/// float32's step weight: AVX2 panels where they are the fastest product this CPU has.
pub(super) enum F32StepWeight {
    Packed(PackedWeight),
    Rows(RowMajor<f32>),
}

impl StepProduct for f32 {
    type StepWeight = F32StepWeight;
    fn step_weight(w: &[f32], kn: (usize, usize), strides: (usize, usize)) -> Result<F32StepWeight> {
        // AVX-512 CPUs keep `gemm`'s 16-float kernels, twice the panels' width.
        if packed::available() && !super::skinny::available() {
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
}

impl StepProduct for f64 {
    type StepWeight = RowMajor<f64>;
    fn step_weight(w: &[f64], kn: (usize, usize), strides: (usize, usize)) -> Result<RowMajor<f64>> {
        RowMajor::new(w, kn, strides)
    }
    fn step_product(w: &RowMajor<f64>, a: &[f64], lda: usize, m: usize, out: &mut [f64]) {
        w.product(a, lda, m, out)
    }
}
