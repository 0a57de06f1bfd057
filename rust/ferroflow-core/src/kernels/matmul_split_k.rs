//! Products split along the shared dimension: each thread multiplies its part of the rows of a weight, and the partial products are summed.

use super::matmul::num_like;
use super::matmul::{gemm_product, PARALLEL_MIN_ROWS};
use crate::error::Result;
use crate::tensor::Element;

/// Few-row products split along the shared dimension from this many multiply-adds: a batch-32 dense
/// layer (12.8M) and a one-sample prediction through `Dense(512)` on 784 inputs (0.4M) split. The latter
/// reads a 1.6 MB weight, more than one core's L2: split, each core keeps its half in its own L2, and
/// back-to-back predictions (the other worker still spinning) went from 22 to 16 us on the 2-core AMD
/// machine; one after a 2 ms pause costs a wake-up, about 3 us more at the median (29-33 -> 34 us). On
/// the earlier Xeon machine, before the main thread joined the pool, splitting it cost 30 -> 54 us.
const SPLIT_K_FLOPS: usize = 1 << 18;

/// One-row products (a one-sample prediction) split from this many multiply-adds. On AVX-512 CPUs such a
/// product already splits for locality (`split_k_pays`'s local weight); on AVX2 ones the C API's
/// one-sample MNIST run (784 x 128, 100K) went from 9.9-10.7 to 7.3-8.3 us on the 2-core AMD machine, the
/// other worker polling after the previous run (`SavedModel::run`'s `keep_warm`). A caller without a
/// polling worker runs both parts itself (Python's one-sample `predict`: 20-24 us either way), and so does
/// one on a machine whose cores are all busy (10.8-11.5 us either way).
const ONE_ROW_SPLIT_FLOPS: usize = 1 << 16;

/// The largest part of a weight a core reads in a product split along the shared dimension for locality
/// (see `split_k_pays`): about its L2 (1 MB on the 2-core AMD machine).
const LOCAL_WEIGHT_BYTES: usize = 1 << 20;

/// Whether a product is better split along its shared dimension than across its rows or not at all: few
/// output rows (a dense layer at a small batch) but enough work for two threads, or a weight much larger
/// than the output (a batch-256 `Dense(512)` on 784 inputs), where each core then reads only its own
/// part of the weight, the part its share of the fused Adam step (`fused_adam`) just wrote into its L2.
/// In a batch-256 training step's profile that product went from 470 us (`gemm` on 2 threads) to 424 us,
/// and the Adam step after it from 507 to 485 us: the parts of the weight no longer move between cores.
///
/// The decision and the parts depend on the pool's size, not on the calling thread: a plan run inline on a
/// caller's thread (`run_cost`) then sums the same partial products in the same order as on the pool, so
/// a model's outputs are bitwise the same wherever its plan ran (the parts just run one after another).
pub(super) fn split_k_pays(m: usize, n: usize, k: usize, f32_rows: bool) -> bool {
    let threads = crate::threading::num_threads();
    let few_rows =
        m < PARALLEL_MIN_ROWS && m * n * k >= SPLIT_K_FLOPS || m == 1 && n * k >= ONE_ROW_SPLIT_FLOPS;
    // A weight at least twice the output's height, whose part fits a core's L2, with the register tiles
    // to run each part (float32, `b` with contiguous rows): `gemm` on each part measured no faster than
    // `gemm` on 2 threads.
    let local_weight = f32_rows
        && m <= k / 2
        && (k / threads.max(1)) * n * std::mem::size_of::<f32>() <= LOCAL_WEIGHT_BYTES
        && crate::kernels::skinny::available();
    threads > 1 && (few_rows || local_weight) && k >= 64 * threads
}

/// Outputs of at most this many elements are split into several parts per thread (see `split_k_product`).
const SMALL_SPLIT_OUTPUT: usize = 1 << 15;

/// `out = a·b` with the shared dimension split across the pool's threads: thread i multiplies the i-th
/// part of a's columns by the same part of b's rows, and the partial products are summed. Splitting rows
/// of `b` (a dense layer's weight) this way makes each core read only the rows that the fused Adam step
/// (`fused_adam`) just updated on that core, instead of every core streaming the whole matrix.
pub(super) fn split_k_product<T: Element + num_like::GemmFloat + std::ops::AddAssign>(
    (a_s, a_rs, a_cs): (&[T], isize, isize),
    (b_s, b_rs, b_cs): (&[T], isize, isize),
    (m, n, k): (usize, usize, usize),
    out: &mut [T],
) -> Result<()> {
    let threads = crate::threading::num_threads();
    // A small output (a few rows) is split further, so that a thread held up by another program on its
    // core leaves its unstarted parts to the others; each part costs one more m x n partial sum.
    let parts = if m == 1 && !crate::kernels::skinny::available() {
        // AVX2's one-row parts (`skinny_avx2`) cost a pass setup and a partial sum each: one per thread.
        threads
    } else if m * n <= SMALL_SPLIT_OUTPUT {
        (threads * super::fused_adam::PIECES_PER_THREAD).min(k / 64).max(threads)
    } else {
        threads
    };
    let mut partials =
        (1..parts).map(|_| crate::buffer_pool::overwritable::<T>(m * n)).collect::<Result<Vec<_>>>()?;
    let dsts: Vec<&mut [T]> =
        std::iter::once(&mut *out).chain(partials.iter_mut().map(|p| p.as_mut_slice())).collect();
    crate::threading::for_each_piece(dsts, |i, dst| {
        let ks = crate::threading::part(k, i, parts);
        let a_part = &a_s[ks.start * a_cs as usize..];
        let b_part = &b_s[ks.start * b_rs as usize..];
        if T::tile_product((a_part, a_rs, a_cs), (b_part, b_rs, b_cs), (m, n, ks.len()), dst) {
            return;
        }
        // SAFETY: columns ks of the m x k `a` start at element ks.start * a_cs and rows ks of the k x n
        // `b` at ks.start * b_rs, at the strides `float_matmul` computed for the whole operands; `dst` is
        // this thread's own m x n row-major buffer.
        unsafe {
            let (a_part, b_part) = (a_part.as_ptr(), b_part.as_ptr());
            gemm_product(
                dst,
                (m, n, ks.len()),
                (a_part, a_rs, a_cs),
                (b_part, b_rs, b_cs),
                gemm::Parallelism::None,
            );
        }
    });
    let add_partials = |at: usize, dst: &mut [T]| {
        for partial in &partials {
            super::simd::vectorized(|| {
                for (o, &p) in dst.iter_mut().zip(&partial[at..]) {
                    *o += p;
                }
            });
        }
    };
    if m * n < super::in_place::FUSED_PARALLEL {
        add_partials(0, out);
        partials.into_iter().for_each(crate::buffer_pool::give_back_vec);
        return Ok(());
    }
    // A large output (a batch-256 layer's, 512 KB): each thread sums its own contiguous part.
    crate::threading::for_each_piece(crate::threading::split_rows(out, 1, threads), |i, dst| {
        add_partials(crate::threading::part(m * n, i, threads).start, dst)
    });
    // The partial products' buffers serve the next large output (the step's next product, say).
    partials.into_iter().for_each(crate::buffer_pool::give_back_vec);
    Ok(())
}
