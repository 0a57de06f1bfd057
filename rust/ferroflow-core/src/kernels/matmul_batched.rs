//! One small float32 product of a batch (attention's per-head products) through the AVX-512 register tiles.
//!
//! Attention's products at 8 heads, batch 32 (256 products of 128 x 128 by 128 x 32, or their transposes)
//! ran through `gemm` at about 105 GFLOP/s on the 2-core Zen 4 machine, each product re-packing both
//! operands for a few microseconds of arithmetic; the tiles of `skinny`, which read both in place, took
//! 2.0-2.3 ms for such a batch against 2.4-2.6 ms. They need `b` by rows: a `b` stored by columns (`Kᵀ` in
//! the scores) stays with `gemm`, since copying it into rows first made the scores no faster (2.4-4.3
//! against 2.5-2.8 ms).

use crate::kernels::skinny::{product, Rhs, Strided};

/// Fewer rows than this leave the product to the other paths (the tiles are 8 rows high).
const MIN_ROWS: usize = 8;

/// `out = a·b` for an m x k `a` and a k x n `b`, each given as (elements, row stride, column stride),
/// into the row-major m x n `out`. Returns false, doing nothing, where the tiles do not apply (no
/// AVX-512, fewer than 8 rows, `b` not stored by rows).
pub(super) fn tile_product(
    (a, a_rs, a_cs): (&[f32], isize, isize),
    (b, b_rs, b_cs): (&[f32], isize, isize),
    (m, n, k): (usize, usize, usize),
    out: &mut [f32],
) -> bool {
    if m < MIN_ROWS || b_cs != 1 || b_rs < 0 || a_rs < 0 || a_cs < 0 || !crate::kernels::skinny::available() {
        return false;
    }
    let lhs = Strided { data: a, row_stride: a_rs as usize, col_stride: a_cs as usize };
    product(lhs, Rhs { data: b, row_stride: b_rs as usize }, (m, n, k), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(len: usize, seed: usize) -> Vec<f32> {
        (0..len).map(|i| ((i * 37 + seed * 11) % 23) as f32 / 7.0 - 1.5).collect()
    }

    /// The product by its definition, in float64.
    fn reference(
        a: (&[f32], isize, isize),
        b: (&[f32], isize, isize),
        (m, n, k): (usize, usize, usize),
    ) -> Vec<f64> {
        let at = |s: &[f32], rs: isize, cs: isize, i: usize, j: usize| {
            f64::from(s[i * rs as usize + j * cs as usize])
        };
        (0..m * n)
            .map(|o| (0..k).map(|p| at(a.0, a.1, a.2, o / n, p) * at(b.0, b.1, b.2, p, o % n)).sum())
            .collect()
    }

    #[test]
    fn matches_the_definition_for_both_layouts_of_a() {
        if !crate::kernels::skinny::available() {
            return;
        }
        // Attention's shapes (scores, weights times values) and ragged ones: rows not a multiple of the tile,
        // columns not a multiple of a vector.
        for &(m, n, k) in &[(128, 128, 32), (128, 32, 128), (13, 37, 5), (8, 1, 3), (40, 100, 64)] {
            let a_rows = values(m * k, 1);
            let b_rows = values(k * n, 2);
            let b = (&b_rows[..], n as isize, 1);
            for a in [(&a_rows[..], k as isize, 1), (&a_rows[..], 1, m as isize)] {
                let mut out = vec![f32::NAN; m * n];
                assert!(tile_product(a, b, (m, n, k), &mut out));
                for (got, want) in out.iter().zip(reference(a, b, (m, n, k))) {
                    assert!(
                        (f64::from(*got) - want).abs() <= 1e-4 * (1.0 + want.abs()),
                        "{m}x{n}x{k}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn declines_products_it_cannot_run() {
        let x = values(64, 0);
        let mut out = vec![0.0; 16];
        // Four rows: fewer than a tile; `b` stored by columns.
        assert!(!tile_product((&x, 4, 1), (&x, 4, 1), (4, 4, 4), &mut out));
        let mut out = vec![0.0; 64];
        assert!(!tile_product((&x, 8, 1), (&x, 1, 8), (8, 8, 8), &mut out));
    }
}
