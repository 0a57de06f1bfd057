//! AVX2 + FMA version of `skinny`'s one-row product (a one-sample prediction's dense layers), for CPUs
//! without AVX-512.
//!
//! Same sums in the same order as the AVX-512 kernel (each output accumulates `a[p] * b[p, j]` over `p`
//! with one fused multiply-add per step), so both give the same bits; the vectors hold 8 floats and a pass
//! keeps up to 12 of them (96 columns) in registers. Measured against `gemm` on one core of the 2-core AMD
//! machine without AVX-512: 1 x 1600 by 1600 x 10 (a convnet's classifier) 2.0 us against 7.1-7.7, 1600 x 64
//! 4.8-7.6 against 9.6-10.1, 784 x 128 5.9-6.5 against 7.2, 784 x 256 even. Wider weights (784 x 512: 35 us
//! against `gemm`'s 29, memory-bound) and several rows (a 4 x 24 register tile ran at 43 GFLOP/s where
//! `gemm`'s packed 6 x 16 kernel reaches 64-91) stay with `gemm`.

use super::skinny::{Rhs, Strided};
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// The widest weight (output columns) this kernel takes; wider ones measured faster through `gemm`.
const MAX_COLS: usize = 256;

/// Whether the CPU has AVX2 and FMA.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *AVX2.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `out = a·b` (out row-major m x n) for one row `a` and at most `MAX_COLS` columns, the operands already
/// checked to hold their elements; false, doing nothing, for other shapes or where AVX2/FMA is missing.
pub(super) fn product(a: Strided<'_>, b: Rhs<'_>, (m, n, k): (usize, usize, usize), out: &mut [f32]) -> bool {
    if m != 1 || n > MAX_COLS || !available() {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: AVX2 and FMA are available; the caller checked that the operands hold every element read.
    unsafe {
        vector_product(a, b, (n, k), out);
    }
    true
}

/// Lane mask (all ones in the lanes kept) of the `v`-th vector of columns starting at `c0`, `n` in all.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn lane_mask(n: usize, c0: usize, v: usize) -> __m256i {
    let start = c0 + v * 8;
    let keep = n.saturating_sub(start).min(8) as i32;
    _mm256_cmpgt_epi32(_mm256_set1_epi32(keep), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
}

/// A vector of 8 columns from `ptr`: a plain load when the pass is `FULL` (every lane inside the matrix),
/// else a masked one, which costs more on AMD's cores, so only a last partial pass pays for masks.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn load<const FULL: bool>(ptr: *const f32, mask: __m256i) -> __m256 {
    if FULL {
        _mm256_loadu_ps(ptr)
    } else {
        _mm256_maskload_ps(ptr, mask)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn store<const FULL: bool>(ptr: *mut f32, mask: __m256i, value: __m256) {
    if FULL {
        _mm256_storeu_ps(ptr, value)
    } else {
        _mm256_maskstore_ps(ptr, mask, value)
    }
}

/// Output columns per pass of the one-row kernel: 12 registers of accumulators.
const VECTOR_COLS: usize = 96;

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn vector_product(a: Strided<'_>, b: Rhs<'_>, (n, k): (usize, usize), out: &mut [f32]) {
    let mut c0 = 0;
    while c0 < n {
        let left = n - c0;
        c0 += if left >= VECTOR_COLS {
            vector_pass::<{ VECTOR_COLS / 8 }, true>(a, b, (n, k), c0, out)
        } else if left > 64 {
            vector_pass::<{ VECTOR_COLS / 8 }, false>(a, b, (n, k), c0, out)
        } else if left > 32 {
            vector_pass::<8, false>(a, b, (n, k), c0, out)
        } else if left > 16 {
            vector_pass::<4, false>(a, b, (n, k), c0, out)
        } else {
            vector_pass::<2, false>(a, b, (n, k), c0, out)
        };
    }
}

/// Columns `c0..c0 + 8 V` of a one-row product (those past `n` masked off); returns the columns done.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn vector_pass<const V: usize, const FULL: bool>(
    a: Strided<'_>,
    b: Rhs<'_>,
    (n, k): (usize, usize),
    c0: usize,
    out: &mut [f32],
) -> usize {
    let masks: [__m256i; V] = std::array::from_fn(|v| lane_mask(n, c0, v));
    let mut acc = [_mm256_setzero_ps(); V];
    let bp = b.data.as_ptr().add(c0);
    for p in 0..k {
        let x = _mm256_set1_ps(a.at(0, p));
        let row = bp.add(p * b.row_stride);
        for v in 0..V {
            acc[v] = _mm256_fmadd_ps(x, load::<FULL>(row.add(v * 8), masks[v]), acc[v]);
        }
    }
    for v in 0..V {
        store::<FULL>(out.as_mut_ptr().add(c0 + v * 8), masks[v], acc[v]);
    }
    V * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_products_match_the_definition_and_the_avx512_kernels_bits() {
        if !available() {
            return;
        }
        let values = |len: usize, seed: usize| -> Vec<f32> {
            (0..len).map(|i| ((i * 7 + seed * 3) % 13) as f32 * 0.37 - 2.1).collect()
        };
        // Passes of 12 full vectors, then 12, 8, 4 and 2 partial ones.
        for (n, k) in [(256, 392), (200, 3), (70, 33), (40, 1600), (10, 1600), (5, 9), (1, 4)] {
            let (a, b) = (values(k, 1), values(k * n, 2));
            let lhs = Strided { data: &a, row_stride: k, col_stride: 1 };
            let rhs = Rhs { data: &b, row_stride: n };
            let mut out = vec![f32::NAN; n];
            assert!(product(lhs, rhs, (1, n, k), &mut out));
            for (j, &got) in out.iter().enumerate() {
                // The kernels' order: one fused multiply-add per shared index.
                let want = (0..k).fold(0.0f32, |s, p| a[p].mul_add(b[p * n + j], s));
                assert_eq!(got, want, "({n}, {k}) at column {j}");
            }
            if super::super::skinny::available() {
                let mut wide = vec![f32::NAN; n];
                assert!(super::super::skinny::product(lhs, rhs, (1, n, k), &mut wide));
                assert_eq!(wide, out, "({n}, {k}): AVX-512 and AVX2 kernels differ");
            }
        }
        let (a, b) = (values(8, 1), values(8 * 300, 2));
        let mut out = vec![0.0; 2 * 300];
        let lhs = Strided { data: &a, row_stride: 4, col_stride: 1 };
        assert!(!product(lhs, Rhs { data: &b, row_stride: 300 }, (1, 300, 8), &mut out[..300]), "wide: gemm");
        assert!(!product(lhs, Rhs { data: &b, row_stride: 300 }, (2, 300, 4), &mut out), "two rows: gemm");
    }
}
