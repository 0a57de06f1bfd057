//! Float32 products with a short shared side (a dense layer's input gradient `dy·Wᵀ` through a
//! classifier with a few outputs): `b` (k x n, k <= 32) is copied into contiguous rows and the output
//! row blocks go to the register-tile kernel, split across threads. `gemm` packs and tiles for long
//! shared sides: it took 38 us on the batch-256 `[256, 10]·[10, 512]` inside a training step.

use crate::error::Result;
use crate::kernels::skinny::{self, Rhs, Strided};
use crate::tensor::try_alloc;
use rayon::prelude::*;

/// The longest shared side handled here.
const SHORT_K: usize = 32;

/// Multiply-adds from which the row blocks are split across threads.
const PARALLEL_FLOPS: usize = 1 << 18;

/// `out = a·b` (a: m x k and b: k x n at the given element strides, out row-major m x n) when k is short
/// and the tile kernel runs here; Ok(false), doing nothing, otherwise.
pub(super) fn product(
    (a, a_rs, a_cs): (&[f32], isize, isize),
    (b, b_rs, b_cs): (&[f32], isize, isize),
    (m, n, k): (usize, usize, usize),
    out: &mut [f32],
) -> Result<bool> {
    if k > SHORT_K || m < 2 * 8 || !skinny::available() {
        return Ok(false);
    }
    let (a_rs, a_cs, b_rs, b_cs) = (a_rs as usize, a_cs as usize, b_rs as usize, b_cs as usize);
    let mut rows = try_alloc::<f32>(k * n)?;
    for (p, row) in rows.chunks_exact_mut(n).enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = b[p * b_rs + j * b_cs];
        }
    }
    let rhs = Rhs { data: &rows, row_stride: n };
    let threads = if m * n * k >= PARALLEL_FLOPS { crate::threading::current_threads() } else { 1 };
    // Parts of whole 8-row tiles, the last one taking the remainder, so every part has at least one tile
    // (m >= 16 and there are at most m / 8 parts).
    let parts = threads.min(m / 8).max(1);
    let per = m / parts / 8 * 8;
    let mut blocks: Vec<(usize, &mut [f32])> = Vec::with_capacity(parts);
    let mut rest = out;
    for i in 0..parts {
        let rows = if i + 1 == parts { rest.len() / n } else { per };
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(rows * n);
        blocks.push((i * per, head));
        rest = tail;
    }
    let block = |(first, dst): (usize, &mut [f32])| {
        let lhs = Strided { data: &a[first * a_rs..], row_stride: a_rs, col_stride: a_cs };
        let done = skinny::product(lhs, rhs, (dst.len() / n, n, k), dst);
        assert!(done, "every part has a full tile of rows");
    };
    if parts > 1 {
        blocks.into_par_iter().for_each(block);
    } else {
        blocks.into_iter().for_each(block); // no rayon call at all off the pool (see `threading::current_threads`)
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_shared_products_match_the_definition() {
        if !skinny::available() {
            return;
        }
        // Multiples of 1/32 below 1: every partial sum is exact in float32, whatever the order.
        let values =
            |len: usize, s: usize| (0..len).map(|i| (((i * 7 + s) % 13) as f32 - 6.0) / 32.0).collect();
        for (m, n, k) in [(256, 512, 10), (20, 70, 3), (16, 1, 32), (1000, 600, 5)] {
            let (a, b): (Vec<f32>, Vec<f32>) = (values(m * k, 1), values(n * k, 2)); // b stored n x k: transposed
            let mut out = vec![f32::NAN; m * n];
            let threads = crate::threading::install(|| {
                product((&a, k as isize, 1), (&b, 1, k as isize), (m, n, k), &mut out).unwrap()
            });
            assert!(threads);
            for i in 0..m {
                for j in 0..n {
                    let want: f32 = (0..k).map(|p| a[i * k + p] * b[j * k + p]).sum();
                    assert_eq!(out[i * n + j], want, "({m}, {n}, {k}) at ({i}, {j})");
                }
            }
        }
        let mut out = vec![0f32; 15 * 4];
        assert!(
            !product((&[0.0; 30], 2, 1), (&[0.0; 8], 4, 1), (15, 4, 2), &mut out).unwrap(),
            "too few rows"
        );
    }
}
