//! AVX-512 register-tile products for a dense layer at small batch sizes, where one side of the product
//! is the batch (32 rows, or 32 shared entries for the weight gradient) and `gemm`'s packing of the
//! weight-sized operand costs more than the arithmetic (40-60 GFLOP/s per core measured in a batch-32
//! training step, against about 150 for these tiles). Also the fused weight-gradient + Adam step: each
//! gradient tile is applied to the parameter and moments straight from registers.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Output rows per register tile.
const TILE_ROWS: usize = 8;
/// 16-float vectors per tile row: 8 x 3 accumulators leave registers for the operands (8 x 3 measured
/// faster than 4 x 4, 6 x 4, 12 x 2 and 4 x 6 on a 32 x 392 by 392 x 512 product).
const TILE_VECS: usize = 3;
/// Output columns per tile.
const TILE_COLS: usize = TILE_VECS * 16;

/// Whether the CPU runs these kernels (AVX-512F); elsewhere callers use `gemm`.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX512: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *AVX512.get_or_init(|| std::arch::is_x86_feature_detected!("avx512f"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// A float32 matrix in strided storage (operand `a` of the tile and narrow products): element (i, j) is
/// `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub struct Strided<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
    pub col_stride: usize,
}

/// Operand `b` (k x n) with contiguous rows: element (p, j) at `data[p * row_stride + j]`.
#[derive(Clone, Copy)]
pub struct Rhs<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
}

impl Strided<'_> {
    /// Element (i, j).
    #[inline(always)]
    pub fn at(&self, i: usize, j: usize) -> f32 {
        self.data[i * self.row_stride + j * self.col_stride]
    }

    /// Whether `data` holds every element of an m x k matrix at these strides.
    pub fn holds(&self, m: usize, k: usize) -> bool {
        m == 0 || k == 0 || self.data.len() > (m - 1) * self.row_stride + (k - 1) * self.col_stride
    }
}

impl Rhs<'_> {
    fn holds(&self, k: usize, n: usize) -> bool {
        k == 0 || n == 0 || self.data.len() >= (k - 1) * self.row_stride + n
    }
}

/// Lane mask of the `v`-th vector of a tile whose columns start at `c0`, for `n` columns in all.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn lane_mask(n: usize, c0: usize, v: usize) -> u16 {
    let start = c0 + v * 16;
    if start >= n {
        0
    } else if n - start >= 16 {
        u16::MAX
    } else {
        ((1u32 << (n - start)) - 1) as u16
    }
}

/// The tile of `a·b` at rows `r0..r0 + TILE_ROWS` (rows past `m` repeat row m - 1) and columns
/// `c0..c0 + 16 V` (columns past `n` are 0), accumulated over the whole shared dimension `k` in registers.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn tile<const V: usize>(
    a: Strided<'_>,
    b: Rhs<'_>,
    (m, n, k): (usize, usize, usize),
    r0: usize,
    c0: usize,
) -> [[__m512; V]; TILE_ROWS] {
    let rows: [usize; TILE_ROWS] = std::array::from_fn(|r| (r0 + r).min(m - 1) * a.row_stride);
    let masks: [u16; V] = std::array::from_fn(|v| lane_mask(n, c0, v));
    let mut acc = [[_mm512_setzero_ps(); V]; TILE_ROWS];
    let (ap, bp) = (a.data.as_ptr(), b.data.as_ptr().add(c0));
    for p in 0..k {
        let brow = bp.add(p * b.row_stride);
        let w: [__m512; V] = std::array::from_fn(|v| _mm512_maskz_loadu_ps(masks[v], brow.add(v * 16)));
        let col = p * a.col_stride;
        for r in 0..TILE_ROWS {
            let x = _mm512_set1_ps(*ap.add(rows[r] + col));
            for v in 0..V {
                acc[r][v] = _mm512_fmadd_ps(x, w[v], acc[r][v]);
            }
        }
    }
    acc
}

/// `out = a·b` (out row-major m x n). Returns false, doing nothing, where AVX-512 is missing (except for
/// the one-row products `skinny_avx2` runs with AVX2 + FMA) or `a` has 2 to 7 rows, fewer than a tile. A
/// single row (a one-sample prediction, which a tile would compute 8 times) takes the vector kernel instead.
pub fn product(a: Strided<'_>, b: Rhs<'_>, (m, n, k): (usize, usize, usize), out: &mut [f32]) -> bool {
    if m < TILE_ROWS && m != 1 {
        return false;
    }
    assert!(a.holds(m, k) && b.holds(k, n) && out.len() == m * n, "tile product operands out of bounds");
    if !available() {
        return super::skinny_avx2::product(a, b, (m, n, k), out);
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: AVX-512F is available and the operands hold the elements the kernels read (checked above).
    unsafe {
        if m == 1 {
            vector_product_avx512(a, b, (n, k), out);
        } else {
            product_avx512(a, b, (m, n, k), out);
        }
    }
    true
}

/// Output columns per pass of the vector kernel: 16 registers of accumulators.
const VECTOR_COLS: usize = 256;

/// `out = a·b` for a one-row `a`: each pass keeps up to 256 output columns in registers while it streams
/// the rows of `b`, each row scaled by one entry of `a`. On a 392 x 512 part of a one-sample prediction's
/// weight, in L2, 12 us with `gemm` against 7 us here. A last pass narrower than 256 columns keeps only
/// the registers it fills: a 784 x 128 weight (the MNIST classifier's first layer) took 7.0 us with 16
/// accumulators, half of them masked off, and takes 3.6 us with 8 (same sums in the same order).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn vector_product_avx512(a: Strided<'_>, b: Rhs<'_>, (n, k): (usize, usize), out: &mut [f32]) {
    let mut c0 = 0;
    while c0 < n {
        let left = n - c0;
        c0 += if left > VECTOR_COLS / 2 {
            vector_pass::<{ VECTOR_COLS / 16 }>(a, b, (n, k), c0, out)
        } else if left > 64 {
            vector_pass::<8>(a, b, (n, k), c0, out)
        } else if left > 32 {
            vector_pass::<4>(a, b, (n, k), c0, out)
        } else {
            vector_pass::<2>(a, b, (n, k), c0, out)
        };
    }
}

/// Columns `c0..c0 + 16 V` of a one-row product (those past `n` masked off); returns the columns done.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn vector_pass<const V: usize>(
    a: Strided<'_>,
    b: Rhs<'_>,
    (n, k): (usize, usize),
    c0: usize,
    out: &mut [f32],
) -> usize {
    let masks: [u16; V] = std::array::from_fn(|v| lane_mask(n, c0, v));
    let mut acc = [_mm512_setzero_ps(); V];
    let bp = b.data.as_ptr().add(c0);
    for p in 0..k {
        let x = _mm512_set1_ps(a.at(0, p));
        let row = bp.add(p * b.row_stride);
        for v in 0..V {
            acc[v] = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(masks[v], row.add(v * 16)), acc[v]);
        }
    }
    for v in 0..V {
        _mm512_mask_storeu_ps(out.as_mut_ptr().add(c0 + v * 16), masks[v], acc[v]);
    }
    V * 16
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn product_avx512(a: Strided<'_>, b: Rhs<'_>, (m, n, k): (usize, usize, usize), out: &mut [f32]) {
    if m == 0 || n == 0 {
        return;
    }
    // Column tiles outside, row tiles inside: the k x 48 panel of `b` is reused from L1/L2 by every row
    // tile, and `a` (the batch) is small. A last panel of at most 32 columns (512 = 10 x 48 + 32) takes
    // two-vector tiles instead of computing a third, empty vector.
    for c0 in (0..n).step_by(TILE_COLS) {
        if n - c0 <= 32 {
            product_panel::<2>(a, b, (m, n, k), c0, out);
        } else {
            product_panel::<TILE_VECS>(a, b, (m, n, k), c0, out);
        }
    }
}

/// Columns `c0..c0 + 16 V` of `out = a·b`, a row tile at a time.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn product_panel<const V: usize>(
    a: Strided<'_>,
    b: Rhs<'_>,
    (m, n, k): (usize, usize, usize),
    c0: usize,
    out: &mut [f32],
) {
    let masks: [u16; V] = std::array::from_fn(|v| lane_mask(n, c0, v));
    for r0 in (0..m).step_by(TILE_ROWS) {
        let acc = tile::<V>(a, b, (m, n, k), r0, c0);
        for (r, acc) in acc.iter().enumerate().take(m - r0) {
            let dst = out.as_mut_ptr().add((r0 + r) * n + c0);
            for v in 0..V {
                _mm512_mask_storeu_ps(dst.add(v * 16), masks[v], acc[v]);
            }
        }
    }
}

/// Adam's constants: step size, `1 - beta_1`, `1 - beta_2`, epsilon.
#[derive(Clone, Copy)]
pub struct AdamStep {
    pub alpha: f32,
    pub one_minus_beta_1: f32,
    pub one_minus_beta_2: f32,
    pub epsilon: f32,
}

/// Rows `first..first + rows` of the gradient `g = xᵀ·dy` (`x: k x m`, `dy: k x n`, both contiguous)
/// applied by Adam to `p`, `ms`, `vs` (those rows, row-major), a register tile at a time. Returns false,
/// doing nothing, where AVX-512 is missing.
#[allow(clippy::too_many_arguments)]
pub fn adam_rows(
    x: &[f32],
    dy: &[f32],
    (m, n, k): (usize, usize, usize),
    first: usize,
    (p, ms, vs): (&mut [f32], &mut [f32], &mut [f32]),
    step: AdamStep,
) -> bool {
    if !available() {
        return false;
    }
    let rows = p.len() / n.max(1);
    let xt = Strided { data: x.get(first..).unwrap_or(&[]), row_stride: 1, col_stride: m };
    let dy = Rhs { data: dy, row_stride: n };
    assert!(
        first + rows <= m
            && xt.holds(rows, k)
            && dy.holds(k, n)
            && ms.len() == p.len()
            && vs.len() == p.len(),
        "fused Adam operands out of bounds"
    );
    #[cfg(target_arch = "x86_64")]
    // SAFETY: AVX-512F is available and every operand holds the elements read and written (checked above).
    unsafe {
        adam_rows_avx512(xt, dy, (rows, n, k), (p, ms, vs), step);
    }
    true
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn adam_rows_avx512(
    xt: Strided<'_>,
    dy: Rhs<'_>,
    (rows, n, k): (usize, usize, usize),
    (p, ms, vs): (&mut [f32], &mut [f32], &mut [f32]),
    s: AdamStep,
) {
    if rows == 0 || n == 0 {
        return;
    }
    let (alpha, b1) = (_mm512_set1_ps(s.alpha), _mm512_set1_ps(s.one_minus_beta_1));
    let (b2, eps) = (_mm512_set1_ps(s.one_minus_beta_2), _mm512_set1_ps(s.epsilon));
    let constants = (alpha, b1, b2, eps);
    // Column panels outside, as in `product`: the k x 48 panel of `dy` stays in the inner caches for every
    // row tile, while rows outside re-read all of `dy` (512 KB at batch 256) per row tile, from L2 at
    // best, with the parameter and moments streaming through it; isolated on 2 threads, the batch-256
    // step went 476 -> 469 us and the batch-32 one 114 -> 109 us. A last panel of at most 32 columns
    // takes two-vector tiles.
    for c0 in (0..n).step_by(TILE_COLS) {
        for r0 in (0..rows).step_by(TILE_ROWS) {
            if n - c0 <= 32 {
                adam_tile::<2>(xt, dy, (rows, n, k), (r0, c0), (&mut *p, &mut *ms, &mut *vs), constants);
            } else {
                adam_tile::<TILE_VECS>(
                    xt,
                    dy,
                    (rows, n, k),
                    (r0, c0),
                    (&mut *p, &mut *ms, &mut *vs),
                    constants,
                );
            }
        }
    }
}

/// One register tile of the gradient, applied by Adam to the same tile of `p`, `ms` and `vs`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn adam_tile<const V: usize>(
    xt: Strided<'_>,
    dy: Rhs<'_>,
    (rows, n, k): (usize, usize, usize),
    (r0, c0): (usize, usize),
    (p, ms, vs): (&mut [f32], &mut [f32], &mut [f32]),
    (alpha, b1, b2, eps): (__m512, __m512, __m512, __m512),
) {
    let acc = tile::<V>(xt, dy, (rows, n, k), r0, c0);
    for (r, acc) in acc.iter().enumerate().take(rows - r0) {
        let at = (r0 + r) * n + c0;
        let (pp, mp, vp) = (p.as_mut_ptr().add(at), ms.as_mut_ptr().add(at), vs.as_mut_ptr().add(at));
        for (v, &g) in acc.iter().enumerate() {
            let mask = lane_mask(n, c0, v);
            if mask == 0 {
                break;
            }
            let o = v * 16;
            // The same operation order as `optim::apply_adam`: m += (g - m)(1 - b1),
            // v += (g² - v)(1 - b2), p -= alpha m / (sqrt(v) + eps), without contraction.
            let mv = _mm512_maskz_loadu_ps(mask, mp.add(o));
            let mv = _mm512_add_ps(mv, _mm512_mul_ps(_mm512_sub_ps(g, mv), b1));
            let vv = _mm512_maskz_loadu_ps(mask, vp.add(o));
            let vv = _mm512_add_ps(vv, _mm512_mul_ps(_mm512_sub_ps(_mm512_mul_ps(g, g), vv), b2));
            let pv = _mm512_maskz_loadu_ps(mask, pp.add(o));
            let update = _mm512_div_ps(_mm512_mul_ps(alpha, mv), _mm512_add_ps(_mm512_sqrt_ps(vv), eps));
            _mm512_mask_storeu_ps(mp.add(o), mask, mv);
            _mm512_mask_storeu_ps(vp.add(o), mask, vv);
            _mm512_mask_storeu_ps(pp.add(o), mask, _mm512_sub_ps(pv, update));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(len: usize, seed: usize) -> Vec<f32> {
        // Multiples of 1/32 below 1 in magnitude: every partial sum below is exact in float32.
        (0..len).map(|i| (((i * 7 + seed * 3) % 13) as f32 - 6.0) / 32.0).collect()
    }

    #[test]
    fn tile_products_match_the_definition_at_ragged_sizes() {
        if !available() {
            return;
        }
        // One-row passes of every width: 512 (16 + 16 vectors), 300 (16 + 4), 130 (16), 128 (8), 70 (8), 40 (4),
        // 16 (2).
        for (m, n, k) in
            [(32, 512, 392), (8, 70, 3), (13, 16, 1), (9, 130, 33), (8, 128, 784), (8, 300, 5), (8, 40, 7)]
        {
            let (a, b) = (values(m * k, 1), values(k * n, 2));
            for transposed in [false, true] {
                let a_view: Vec<f32> = if transposed {
                    (0..m * k).map(|t| a[(t % m) * k + t / m]).collect() // stored k x m
                } else {
                    a.clone()
                };
                let (row_stride, col_stride) = if transposed { (1, m) } else { (k, 1) };
                let mut out = vec![f32::NAN; m * n];
                let lhs = Strided { data: &a_view, row_stride, col_stride };
                assert!(product(lhs, Rhs { data: &b, row_stride: n }, (m, n, k), &mut out));
                assert!(!product(lhs, Rhs { data: &b, row_stride: n }, (7, n, k), &mut out[..7 * n]));
                // One row: the vector kernel, checked below with the rest.
                let mut first = vec![f32::NAN; n];
                assert!(product(lhs, Rhs { data: &b, row_stride: n }, (1, n, k), &mut first));
                assert_eq!(first, out[..n], "({m}, {n}, {k}) transposed={transposed}: one row");
                for i in 0..m {
                    for j in 0..n {
                        let want: f32 = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
                        assert_eq!(
                            out[i * n + j],
                            want,
                            "({m}, {n}, {k}) transposed={transposed} at ({i}, {j})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn fused_adam_rows_match_the_gradient_then_the_update() {
        if !available() {
            return;
        }
        let (m, n, k) = (11, 70, 6); // partial row tile and partial column vectors
        let (x, dy) = (values(k * m, 3), values(k * n, 4));
        let step = AdamStep { alpha: 0.01, one_minus_beta_1: 0.1, one_minus_beta_2: 0.001, epsilon: 1e-7 };
        let (first, rows) = (3, 7);
        let mut p = values(rows * n, 5);
        let mut ms = values(rows * n, 6);
        let mut vs: Vec<f32> = values(rows * n, 7).iter().map(|v| v * v).collect();
        let (p0, m0, v0) = (p.clone(), ms.clone(), vs.clone());
        assert!(adam_rows(&x, &dy, (m, n, k), first, (&mut p, &mut ms, &mut vs), step));
        for r in 0..rows {
            for j in 0..n {
                let g: f32 = (0..k).map(|q| x[q * m + first + r] * dy[q * n + j]).sum();
                let i = r * n + j;
                let mw = m0[i] + (g - m0[i]) * step.one_minus_beta_1;
                let vw = v0[i] + (g * g - v0[i]) * step.one_minus_beta_2;
                let pw = p0[i] - step.alpha * mw / (vw.sqrt() + step.epsilon);
                assert_eq!((ms[i], vs[i], p[i]), (mw, vw, pw), "row {r} column {j}");
            }
        }
    }
}
