//! A weight packed once into 16-column panels and multiplied by small row blocks on one thread with AVX2 + FMA.
//!
//! A recurrent layer multiplies the same kernel by the previous step's output on every step (100 products
//! of 32 x 128 by 128 x 512 for an LSTM(128) at batch 64 on two threads). `gemm` packs the weight again on
//! every call; here it is packed once per sequence, so each step only streams the panels (from the core's
//! L2) through a 6 x 16 register tile: twelve accumulators, two panel vectors and one broadcast fill 15 of
//! the 16 vector registers. Measured against `gemm` on one core of the AVX2 machine (no AVX-512), 64 x 128 by
//! 128 x 512: 90 us against 102 us; 32 x 256 by 256 x 1024: 184 against 366 us.

use crate::error::Result;
use crate::tensor::try_alloc;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Columns per panel: two 8-float vectors.
const PANEL: usize = 16;
/// Rows per register tile.
const TILE_ROWS: usize = 6;

/// A k x n float32 matrix as `ceil(n / 16)` panels, each its k rows of 16 columns (zero past column n).
pub(super) struct PackedWeight {
    panels: Vec<f32>,
    k: usize,
    n: usize,
}

/// Whether the CPU has AVX2 and FMA (the tiles' instructions).
pub(super) fn available() -> bool {
    super::skinny_avx2::available()
}

impl PackedWeight {
    /// Packs the k x n matrix whose element (i, j) is `w[i * rs + j * cs]`. Panics if `w` is too short.
    pub(super) fn new(w: &[f32], (k, n): (usize, usize), (rs, cs): (usize, usize)) -> Result<Self> {
        assert!(
            k * n == 0 || w.len() > (k - 1) * rs + (n - 1) * cs,
            "packed weight: matrix outside its slice"
        );
        let mut panels = try_alloc::<f32>(n.div_ceil(PANEL) * k * PANEL)?;
        for (p, panel) in panels.chunks_exact_mut(k * PANEL).enumerate() {
            let cols = (n - p * PANEL).min(PANEL);
            for (i, row) in panel.chunks_exact_mut(PANEL).enumerate() {
                for (c, v) in row[..cols].iter_mut().enumerate() {
                    *v = w[i * rs + (p * PANEL + c) * cs];
                }
            }
        }
        Ok(PackedWeight { panels, k, n })
    }

    /// n, the matrix's columns.
    pub(super) fn cols(&self) -> usize {
        self.n
    }

    /// `out = a · w` for the m x k `a` (row stride `lda`) into the first n columns of m rows of `out` (row
    /// stride `ldo`). Panics if either slice is too short or AVX2/FMA is missing.
    pub(super) fn product(&self, a: &[f32], lda: usize, m: usize, out: &mut [f32], ldo: usize) {
        let (k, n) = (self.k, self.n);
        if m == 0 || n == 0 {
            return;
        }
        assert!(available(), "packed weight product without AVX2 and FMA");
        assert!(
            a.len() >= (m - 1) * lda + k && out.len() >= (m - 1) * ldo + n,
            "packed weight: operand sizes"
        );
        // SAFETY: AVX2/FMA checked above; the asserts bound every row of `a` and `out` the tiles touch, and
        // a partial last panel goes through a 16-column buffer.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            self.product_avx2(a.as_ptr(), lda, m, out.as_mut_ptr(), ldo)
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn product_avx2(&self, a: *const f32, lda: usize, m: usize, out: *mut f32, ldo: usize) {
        let (k, n) = (self.k, self.n);
        for (p, panel) in self.panels.chunks_exact(k * PANEL).enumerate() {
            let cols = (n - p * PANEL).min(PANEL);
            let mut r = 0;
            while r < m {
                let rows = (m - r).min(TILE_ROWS);
                let a_r = a.add(r * lda);
                if cols == PANEL {
                    tile_rows(rows, a_r, lda, panel.as_ptr(), k, out.add(r * ldo + p * PANEL), ldo);
                } else {
                    let mut buf = [0f32; TILE_ROWS * PANEL];
                    tile_rows(rows, a_r, lda, panel.as_ptr(), k, buf.as_mut_ptr(), PANEL);
                    for i in 0..rows {
                        std::ptr::copy_nonoverlapping(
                            buf.as_ptr().add(i * PANEL),
                            out.add((r + i) * ldo + p * PANEL),
                            cols,
                        );
                    }
                }
                r += rows;
            }
        }
    }
}

/// The tile for 1 to 6 rows.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn tile_rows(
    rows: usize,
    a: *const f32,
    lda: usize,
    panel: *const f32,
    k: usize,
    out: *mut f32,
    ldo: usize,
) {
    match rows {
        6 => tile::<6>(a, lda, panel, k, out, ldo),
        5 => tile::<5>(a, lda, panel, k, out, ldo),
        4 => tile::<4>(a, lda, panel, k, out, ldo),
        3 => tile::<3>(a, lda, panel, k, out, ldo),
        2 => tile::<2>(a, lda, panel, k, out, ldo),
        _ => tile::<1>(a, lda, panel, k, out, ldo),
    }
}

/// `ROWS` x 16 outputs: row i of `out` = row i of `a` (k floats) times the panel (k rows of 16).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn tile<const ROWS: usize>(
    a: *const f32,
    lda: usize,
    panel: *const f32,
    k: usize,
    out: *mut f32,
    ldo: usize,
) {
    let mut acc = [[_mm256_setzero_ps(); 2]; ROWS];
    for p in 0..k {
        let b0 = _mm256_loadu_ps(panel.add(p * PANEL));
        let b1 = _mm256_loadu_ps(panel.add(p * PANEL + 8));
        for (i, acc) in acc.iter_mut().enumerate() {
            let av = _mm256_broadcast_ss(&*a.add(i * lda + p));
            acc[0] = _mm256_fmadd_ps(av, b0, acc[0]);
            acc[1] = _mm256_fmadd_ps(av, b1, acc[1]);
        }
    }
    for (i, acc) in acc.iter().enumerate() {
        _mm256_storeu_ps(out.add(i * ldo), acc[0]);
        _mm256_storeu_ps(out.add(i * ldo + 8), acc[1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row count of the tile, full and partial panels, strided operands, a transposed weight.
    #[test]
    fn products_match_a_plain_loop() {
        if !available() {
            return;
        }
        for (m, k, n, transposed) in
            [(64, 128, 512, false), (13, 37, 41, false), (7, 512, 128, true), (1, 5, 3, true)]
        {
            let (lda, ldo) = (k + 3, n + 5);
            let a: Vec<f32> = (0..m * lda).map(|i| ((i * 7 % 13) as f32 - 6.0) * 0.25).collect();
            let w: Vec<f32> = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) * 0.5).collect();
            let (rs, cs) = if transposed { (1, k) } else { (n, 1) };
            let packed = PackedWeight::new(&w, (k, n), (rs, cs)).unwrap();
            let mut out = vec![-1f32; m * ldo];
            packed.product(&a, lda, m, &mut out, ldo);
            for i in 0..m {
                for j in 0..ldo {
                    let want =
                        if j < n { (0..k).map(|p| a[i * lda + p] * w[p * rs + j * cs]).sum() } else { -1.0 };
                    // Quarter and half multiples: every product and partial sum is exact in float32.
                    assert_eq!(out[i * ldo + j], want, "{m}x{k}x{n} ({i}, {j})");
                }
            }
        }
    }
}
