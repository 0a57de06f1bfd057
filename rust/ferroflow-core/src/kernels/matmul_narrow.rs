//! Products with at most 16 output columns: a classifier layer's forward and weight-gradient products,
//! where general GEMM's packing and 6-column tiles cost several times the arithmetic (a batch-256
//! `256x512 @ 512x10` took 110 us with `gemm`, 35 us here). A narrow shared side (the input gradient
//! `dy @ Wᵀ`) measured no faster than `gemm`, which keeps it.

pub use super::skinny::Strided;
use rayon::prelude::*;

/// The widest side handled here: one 16-float row (one AVX-512 register) per output row.
pub const NARROW: usize = 16;

/// Output rows accumulated together, so each row of `b` loaded is used this many times.
const ROWS: usize = 8;

/// Multiply-adds from which the output rows are split across threads: a batch-256 classifier layer
/// (256 x 512 x 10, 1.3M) splits, which halved its 20 us while the training loop keeps the workers awake.
pub(crate) const PARALLEL_FLOPS: usize = 1 << 20;

/// Whether these kernels handle an m x k by k x n float32 product: at most 16 output columns, on a CPU
/// with AVX-512 (elsewhere `gemm` runs it).
pub fn applies(n: usize, k: usize) -> bool {
    n <= NARROW && n > 0 && k > 0 && super::skinny::available()
}

/// `out = a·b` for `a: m x k`, `b: k x n`, `out` row-major m x n. Panics unless `applies(n, k)`.
pub fn product(a: Strided<'_>, b: Strided<'_>, (m, n, k): (usize, usize, usize), out: &mut [f32]) {
    assert!(applies(n, k) && out.len() == m * n, "narrow product called outside its domain");
    if m == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    narrow_output(a, b, (m, n, k), out);
}

/// n <= 16: each group of 8 output rows accumulates one 16-wide register per row over the shared index,
/// loading `b`'s rows with an n-lane mask. A `b` with strided rows (a transposed operand) is first copied
/// into a contiguous k x n block; one with contiguous rows (a weight, a batch gradient) is read in place:
/// copying the 512 x 10 classifier weight was most of a one-sample prediction's 4 us in that layer.
#[cfg(target_arch = "x86_64")]
fn narrow_output(a: Strided<'_>, b: Strided<'_>, (m, n, k): (usize, usize, usize), out: &mut [f32]) {
    let copied: Vec<f32>;
    let rows_of_b: &[f32] = if b.col_stride == 1 && b.row_stride == n {
        &b.data[..k * n]
    } else {
        copied = (0..k * n).map(|t| b.at(t / n, t % n)).collect();
        &copied
    };
    // Rows past the end of `a` in the last group are computed from its last row and not stored.
    assert!(a.holds(m, k) && rows_of_b.len() == k * n);
    let group = |(g, dst): (usize, &mut [f32])| {
        // SAFETY: AVX-512 was detected (`applies`); every row index read is clamped to m - 1, so reads of
        // `a` stay inside the m x k matrix it holds (checked above); `b`'s k rows of n floats are read with
        // an n-lane mask; `dst` holds whole rows of n <= 16 floats.
        unsafe { row_group(a, rows_of_b, (g * ROWS, m, n, k), dst) }
    };
    if m * n * k >= PARALLEL_FLOPS && crate::threading::current_threads() > 1 {
        out.par_chunks_mut(ROWS * n).enumerate().for_each(group);
    } else {
        out.chunks_mut(ROWS * n).enumerate().for_each(group);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn row_group(
    a: Strided<'_>,
    b: &[f32],
    (first, m, n, k): (usize, usize, usize, usize),
    dst: &mut [f32],
) {
    use std::arch::x86_64::*;
    let rows: [usize; ROWS] = std::array::from_fn(|r| (first + r).min(m - 1) * a.row_stride);
    let mut acc = [_mm512_setzero_ps(); ROWS];
    let (ap, bp) = (a.data.as_ptr(), b.as_ptr());
    let mask: __mmask16 = ((1u32 << n) - 1) as u16;
    for p in 0..k {
        let w = _mm512_maskz_loadu_ps(mask, bp.add(p * n));
        let col = p * a.col_stride;
        for r in 0..ROWS {
            acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(*ap.add(rows[r] + col)), w, acc[r]);
        }
    }
    for (r, row) in dst.chunks_exact_mut(n).enumerate() {
        _mm512_mask_storeu_ps(row.as_mut_ptr(), mask, acc[r]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(m: usize, n: usize, k: usize, transposed: bool) {
        let a: Vec<f32> = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 4.0).collect();
        let b: Vec<f32> = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
        // `a` stored as k x m when transposed, as a weight-gradient product reads it.
        let a_view = if transposed {
            let mut t = vec![0f32; m * k];
            for i in 0..m {
                for p in 0..k {
                    t[p * m + i] = a[i * k + p];
                }
            }
            t
        } else {
            a.clone()
        };
        let (rs, cs) = if transposed { (1, m) } else { (k, 1) };
        // `b` read in place (contiguous rows) and, stored n x k, through a transposed view (copied first).
        let b_t: Vec<f32> = (0..n * k).map(|t| b[(t % k) * n + t / k]).collect();
        let b_views = [
            Strided { data: &b, row_stride: n, col_stride: 1 },
            Strided { data: &b_t, row_stride: 1, col_stride: k },
        ];
        for b_view in b_views {
            let mut out = vec![f32::NAN; m * n];
            product(Strided { data: &a_view, row_stride: rs, col_stride: cs }, b_view, (m, n, k), &mut out);
            for i in 0..m {
                for j in 0..n {
                    // Multiples of 1/32 below 2^10 in magnitude: every partial sum is exact in float32.
                    let want: f32 = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
                    assert_eq!(
                        out[i * n + j],
                        want,
                        "({m}, {n}, {k}) at ({i}, {j}), b strides {}",
                        b_view.col_stride
                    );
                }
            }
        }
    }

    #[test]
    fn narrow_products_match_the_definition() {
        if !applies(10, 512) {
            return; // no AVX-512: matmul never calls these kernels
        }
        for transposed in [false, true] {
            check(256, 10, 512, transposed); // full and no partial row group
            check(13, 16, 37, transposed); // a partial group
            check(3, 1, 5, transposed);
        }
        check(600, 10, 512, false); // parallel row groups
    }
}
