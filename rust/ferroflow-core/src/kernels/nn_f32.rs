//! float32 softmax, log-softmax and sparse cross-entropy along the last axis, on blocks of whole rows.
//!
//! A [256, 10] softmax is 2560 `exp`s: libm's scalar `expf` plus a closure call per row took ~10 us, and
//! a row-at-a-time vector kernel still left 6 of 16 lanes idle and waited on each row's chain of
//! reductions. So a block of rows goes through flat passes: each row shifted by its maximum, then one
//! `exp` over the whole block (full vectors, independent iterations), then the row sums, one vectorized
//! `ln` or reciprocal over the block's sums, and the rows scaled. With AVX-512 the per-row passes use
//! masked vectors and `fast_math::{exp_ps, ln_ps}`; elsewhere plain loops over `fast_math::exp_f32`
//! compiled for the widest instruction set found (`simd::vectorized`). NaN, inf and -inf rows give what
//! the exact float64 path gives: the same row maximum, the same `x - max` and the same final formulas.

use crate::kernels::elementwise::max_nan;
use crate::kernels::fast_math::exp_f32;
use crate::kernels::simd::vectorized;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Floats per block of rows (at least one row): the two 16 KB scratch arrays stay in L1 between passes.
const BLOCK: usize = 4096;

/// Softmax (or log-softmax when `log`) of each `classes`-long row of `x` into the same row of `out`.
/// Returns false, doing nothing, when the scratch (two blocks, or two rows of more) cannot be allocated.
pub(super) fn softmax_rows(x: &[f32], classes: usize, out: &mut [f32], log: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(p) = avx512::Passes::new() {
        return softmax_blocks(p, x, classes, out, log);
    }
    softmax_blocks(Portable, x, classes, out, log)
}

/// `out[r] = -log_softmax(x[r])[labels[r]]` for each `classes`-long row `r` of `x`. Labels must be in
/// `[0, classes)` (the caller checks them). Returns false, doing nothing, when the scratch cannot be
/// allocated.
pub(super) fn sparse_rows(x: &[f32], classes: usize, labels: &[i64], out: &mut [f32]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(p) = avx512::Passes::new() {
        return sparse_blocks(p, x, classes, labels, out);
    }
    sparse_blocks(Portable, x, classes, labels, out)
}

/// The passes over a block of rows (`x` and `t` hold whole rows of `classes` floats; the per-row slices
/// `m`, `s`, `f` one float per row).
trait Passes: Copy {
    /// `t = x - m` with `m` the row's maximum, NaN if the row has a NaN (as `max_nan` folds it).
    fn shift(self, x: &[f32], classes: usize, t: &mut [f32], m: &mut [f32]);
    /// `dst = exp(src)` elementwise over the block.
    fn exp(self, src: &[f32], dst: &mut [f32]);
    /// `s[r] = sum(e[r])` for each row.
    fn row_sums(self, e: &[f32], classes: usize, s: &mut [f32]);
    /// `s = ln(s)` elementwise.
    fn ln(self, s: &mut [f32]);
    /// `d = src * f[r]` (`mul`) or `d = src - f[r]` on each row `r`. From a separate source, since a
    /// row's load right behind the previous row's overlapping masked store would wait for that store.
    fn rows_by(self, src: &[f32], classes: usize, f: &[f32], mul: bool, d: &mut [f32]);
}

/// One allocation for a block's `x - max`, its `exp`, and the per-row sums and maxima.
struct Scratch(Vec<f32>);

impl Scratch {
    fn new(rows: usize, classes: usize) -> Option<Self> {
        let n = rows.checked_mul(classes + 1)?.checked_mul(2)?;
        crate::tensor::try_vec(n, 0.0).ok().map(Scratch)
    }

    /// `(t, e, s, m)` for a block of `rows` rows (at most the `rows` of `new`).
    fn parts(&mut self, rows: usize, classes: usize) -> (&mut [f32], &mut [f32], &mut [f32], &mut [f32]) {
        let n = rows * classes;
        let (t, rest) = self.0.split_at_mut(n);
        let (e, rest) = rest.split_at_mut(n);
        let (s, rest) = rest.split_at_mut(rows);
        (t, e, s, &mut rest[..rows])
    }
}

fn softmax_blocks<P: Passes>(p: P, x: &[f32], classes: usize, out: &mut [f32], log: bool) -> bool {
    if classes == 0 {
        return true;
    }
    let per = (BLOCK / classes).max(1);
    let rows = (x.len() / classes).min(per);
    let Some(mut scratch) = Scratch::new(rows, classes) else { return false };
    for (x, d) in x.chunks(per * classes).zip(out.chunks_mut(per * classes)) {
        let (t, e, s, m) = scratch.parts(x.len() / classes, classes);
        p.shift(x, classes, t, m);
        p.exp(t, e);
        p.row_sums(e, classes, s);
        if log {
            // (x - m) - ln(s), not x - (m + ln(s)): adding ln(s) to a large m would round it away.
            p.ln(s);
            p.rows_by(t, classes, s, false, d);
        } else {
            vectorized(|| s.iter_mut().for_each(|s| *s = 1.0 / *s));
            p.rows_by(e, classes, s, true, d);
        }
    }
    true
}

fn sparse_blocks<P: Passes>(p: P, x: &[f32], classes: usize, labels: &[i64], out: &mut [f32]) -> bool {
    if classes == 0 {
        return true;
    }
    let per = (BLOCK / classes).max(1);
    let rows = (x.len() / classes).min(per);
    let Some(mut scratch) = Scratch::new(rows, classes) else { return false };
    let blocks = x.chunks(per * classes).zip(labels.chunks(per)).zip(out.chunks_mut(per));
    for ((x, labels), d) in blocks {
        let (t, e, s, m) = scratch.parts(x.len() / classes, classes);
        p.shift(x, classes, t, m);
        p.exp(t, e);
        p.row_sums(e, classes, s);
        p.ln(s);
        for (r, ((d, &l), (&ls, &m))) in d.iter_mut().zip(labels).zip(s.iter().zip(m.iter())).enumerate() {
            // -log_softmax(x)[label] = log(sum(exp(x - m))) - (x[label] - m)
            *d = ls - (x[r * classes + l as usize] - m);
        }
    }
    true
}

/// The passes as plain loops, vectorized by the compiler.
#[derive(Clone, Copy)]
struct Portable;

impl Passes for Portable {
    fn shift(self, x: &[f32], classes: usize, t: &mut [f32], m: &mut [f32]) {
        vectorized(|| {
            for ((x, t), m) in x.chunks_exact(classes).zip(t.chunks_exact_mut(classes)).zip(m) {
                *m = x.iter().fold(f32::NEG_INFINITY, |a, &v| max_nan(a, v));
                t.iter_mut().zip(x).for_each(|(t, &v)| *t = v - *m);
            }
        });
    }

    fn exp(self, src: &[f32], dst: &mut [f32]) {
        vectorized(|| dst.iter_mut().zip(src).for_each(|(d, &v)| *d = exp_f32(v)));
    }

    fn row_sums(self, e: &[f32], classes: usize, s: &mut [f32]) {
        // Eight partial sums per row: they vectorize, and a long row's rounding error grows 8x slower.
        vectorized(|| {
            for (e, s) in e.chunks_exact(classes).zip(s) {
                let mut lanes = [0f32; 8];
                let chunks = e.chunks_exact(8);
                let tail: f32 = chunks.remainder().iter().sum();
                for c in chunks {
                    lanes.iter_mut().zip(c).for_each(|(a, &v)| *a += v);
                }
                *s = lanes.iter().sum::<f32>() + tail;
            }
        });
    }

    fn ln(self, s: &mut [f32]) {
        s.iter_mut().for_each(|s| *s = s.ln());
    }

    fn rows_by(self, src: &[f32], classes: usize, f: &[f32], mul: bool, d: &mut [f32]) {
        vectorized(|| {
            for ((d, src), &f) in d.chunks_exact_mut(classes).zip(src.chunks_exact(classes)).zip(f) {
                if mul {
                    d.iter_mut().zip(src).for_each(|(d, &v)| *d = v * f);
                } else {
                    d.iter_mut().zip(src).for_each(|(d, &v)| *d = v - f);
                }
            }
        });
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::*;
    use crate::kernels::fast_math::{exp_ps, ln_ps};

    /// The passes with AVX-512F; a value exists only where the CPU has it.
    #[derive(Clone, Copy)]
    pub(super) struct Passes(());

    impl Passes {
        pub(super) fn new() -> Option<Self> {
            crate::kernels::skinny::available().then_some(Passes(()))
        }
    }

    /// Lanes of the vector at offset `i` of a run of `len` floats.
    #[inline(always)]
    fn mask_at(len: usize, i: usize) -> u16 {
        if len - i >= 16 {
            u16::MAX
        } else {
            (1u16 << (len - i)) - 1
        }
    }

    /// The maximum (`max`) or the sum of the 16 lanes: halves, quarters, pairs, neighbours.
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn reduce(v: __m512, max: bool) -> f32 {
        let op = |a, b| if max { _mm512_max_ps(a, b) } else { _mm512_add_ps(a, b) };
        let v = op(v, _mm512_shuffle_f32x4::<0b01_00_11_10>(v, v));
        let v = op(v, _mm512_shuffle_f32x4::<0b10_11_00_01>(v, v));
        let v = op(v, _mm512_permute_ps::<0b01_00_11_10>(v));
        let v = op(v, _mm512_permute_ps::<0b10_11_00_01>(v));
        _mm512_cvtss_f32(v)
    }

    /// The maximum of `len >= 1` floats at `p`, NaN if any is NaN: `vmaxps` would drop NaN, so an
    /// unordered compare tracks it. Also returns the first vector (the whole row when `len <= 16`).
    ///
    /// Safety: `p` points to `len` readable floats; AVX-512F is available.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn row_max(p: *const f32, len: usize) -> (f32, __m512) {
        let neg_inf = _mm512_set1_ps(f32::NEG_INFINITY);
        let first = _mm512_mask_loadu_ps(neg_inf, mask_at(len, 0), p);
        let (mut m, mut nan) = (first, _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(first, first));
        for i in (16..len).step_by(16) {
            let v = _mm512_mask_loadu_ps(neg_inf, mask_at(len, i), p.add(i));
            nan |= _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
            m = _mm512_max_ps(m, v);
        }
        let m = if nan != 0 { f32::NAN } else { reduce(m, true) };
        (m, first)
    }

    impl super::Passes for Passes {
        fn shift(self, x: &[f32], classes: usize, t: &mut [f32], m: &mut [f32]) {
            // SAFETY: the value exists only with AVX-512F; each row's loads and stores stay in the row.
            unsafe { shift(x, classes, t, m) }
        }

        fn exp(self, src: &[f32], dst: &mut [f32]) {
            // SAFETY: as above; the loop stays within the shorter slice.
            unsafe { exp(src, dst) }
        }

        fn row_sums(self, e: &[f32], classes: usize, s: &mut [f32]) {
            // SAFETY: as above; each row's loads stay in the row.
            unsafe { row_sums(e, classes, s) }
        }

        fn ln(self, s: &mut [f32]) {
            // SAFETY: as above; the loop stays within the slice.
            unsafe { ln(s) }
        }

        fn rows_by(self, src: &[f32], classes: usize, f: &[f32], mul: bool, d: &mut [f32]) {
            // SAFETY: as above; each row's loads and stores stay in the row.
            unsafe { rows_by(src, classes, f, mul, d) }
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn shift(x: &[f32], classes: usize, t: &mut [f32], m: &mut [f32]) {
        for ((x, t), m) in x.chunks_exact(classes).zip(t.chunks_exact_mut(classes)).zip(m) {
            let (max, first) = row_max(x.as_ptr(), classes);
            *m = max;
            let mv = _mm512_set1_ps(max);
            // A row of up to 16 is already in `first`.
            _mm512_mask_storeu_ps(t.as_mut_ptr(), mask_at(classes, 0), _mm512_sub_ps(first, mv));
            for i in (16..classes).step_by(16) {
                let k = mask_at(classes, i);
                let v = _mm512_maskz_loadu_ps(k, x.as_ptr().add(i));
                _mm512_mask_storeu_ps(t.as_mut_ptr().add(i), k, _mm512_sub_ps(v, mv));
            }
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn exp(src: &[f32], dst: &mut [f32]) {
        let n = src.len().min(dst.len());
        for i in (0..n).step_by(16) {
            let k = mask_at(n, i);
            _mm512_mask_storeu_ps(
                dst.as_mut_ptr().add(i),
                k,
                exp_ps(_mm512_maskz_loadu_ps(k, src.as_ptr().add(i))),
            );
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn row_sums(e: &[f32], classes: usize, s: &mut [f32]) {
        for (e, s) in e.chunks_exact(classes).zip(s) {
            let mut acc = _mm512_setzero_ps();
            for i in (0..classes).step_by(16) {
                acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(mask_at(classes, i), e.as_ptr().add(i)));
            }
            *s = reduce(acc, false);
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn ln(s: &mut [f32]) {
        let n = s.len();
        for i in (0..n).step_by(16) {
            let (k, p) = (mask_at(n, i), s.as_mut_ptr().add(i));
            // Lanes past the end read 1 (ln 1 = 0) and are not stored.
            _mm512_mask_storeu_ps(p, k, ln_ps(_mm512_mask_loadu_ps(_mm512_set1_ps(1.0), k, p)));
        }
    }

    #[target_feature(enable = "avx512f")]
    unsafe fn rows_by(src: &[f32], classes: usize, f: &[f32], mul: bool, d: &mut [f32]) {
        for ((d, src), &f) in d.chunks_exact_mut(classes).zip(src.chunks_exact(classes)).zip(f) {
            let fv = _mm512_set1_ps(f);
            for i in (0..classes).step_by(16) {
                let k = mask_at(classes, i);
                let v = _mm512_maskz_loadu_ps(k, src.as_ptr().add(i));
                let v = if mul { _mm512_mul_ps(v, fv) } else { _mm512_sub_ps(v, fv) };
                _mm512_mask_storeu_ps(d.as_mut_ptr().add(i), k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic logits in [-8, 8), shifted per row by 0, +1e4 or -1e4 (x - max stays exact there).
    fn logits(rows: usize, classes: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..rows * classes)
            .map(|i| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let u = (s >> 40) as f32 / (1u64 << 24) as f32 * 16.0 - 8.0;
                u + [0.0, 1e4, -1e4][(i / classes) % 3]
            })
            .collect()
    }

    fn softmax_ref(x: &[f32]) -> (Vec<f64>, Vec<f64>) {
        let m = x.iter().map(|&v| v as f64).fold(f64::NEG_INFINITY, f64::max);
        let s: f64 = x.iter().map(|&v| (v as f64 - m).exp()).sum();
        (
            x.iter().map(|&v| (v as f64 - m).exp() / s).collect(),
            x.iter().map(|&v| v as f64 - m - s.ln()).collect(),
        )
    }

    fn portable_softmax_rows(x: &[f32], classes: usize, out: &mut [f32], log: bool) -> bool {
        softmax_blocks(Portable, x, classes, out, log)
    }

    fn portable_sparse_rows(x: &[f32], classes: usize, labels: &[i64], out: &mut [f32]) -> bool {
        sparse_blocks(Portable, x, classes, labels, out)
    }

    type Softmax = fn(&[f32], usize, &mut [f32], bool) -> bool;
    type Sparse = fn(&[f32], usize, &[i64], &mut [f32]) -> bool;

    /// The dispatched kernels (AVX-512 where the CPU has it) and the portable ones.
    const KERNELS: [(&str, Softmax, Sparse); 2] = [
        ("dispatched", softmax_rows, sparse_rows),
        ("portable", portable_softmax_rows, portable_sparse_rows),
    ];

    #[test]
    fn ragged_rows_match_a_float64_reference() {
        for (name, softmax, sparse) in KERNELS {
            // Small blocks, and sizes that span several blocks of rows (4096 floats), or rows of more.
            let small = [1, 2, 3, 10, 15, 16, 17, 32, 33, 100]
                .into_iter()
                .flat_map(|c| [1, 3, 7, 37].map(|r| (r, c)));
            for (rows, classes) in small.chain([(500, 10), (1400, 3), (3, 5000), (2, 4099)]) {
                let x = logits(rows, classes, (rows * 131 + classes) as u64);
                let labels: Vec<i64> = (0..rows).map(|r| ((r * 7 + 3) % classes) as i64).collect();
                let (mut p, mut lp, mut loss) = (vec![0.0; x.len()], vec![0.0; x.len()], vec![0.0; rows]);
                assert!(softmax(&x, classes, &mut p, false) && softmax(&x, classes, &mut lp, true));
                assert!(sparse(&x, classes, &labels, &mut loss));
                for r in 0..rows {
                    let (want_p, want_lp) = softmax_ref(&x[r * classes..(r + 1) * classes]);
                    for k in 0..classes {
                        let (g, w) = (p[r * classes + k] as f64, want_p[k]);
                        assert!(
                            (g - w).abs() <= 1e-6 * w,
                            "{name} softmax {rows}x{classes} [{r},{k}]: {g} vs {w}"
                        );
                        let (g, w) = (lp[r * classes + k] as f64, want_lp[k]);
                        assert!(
                            (g - w).abs() <= 1e-6 * (1.0 + w.abs()),
                            "{name} log {rows}x{classes}: {g} vs {w}"
                        );
                    }
                    let (g, w) = (loss[r] as f64, -want_lp[labels[r] as usize]);
                    assert!(
                        (g - w).abs() <= 1e-6 * (1.0 + w.abs()),
                        "{name} loss {rows}x{classes}: {g} vs {w}"
                    );
                }
            }
        }
    }

    /// NaN, inf and huge values give what the exact path (libm exp, one row at a time) gives: the same
    /// NaN and infinity pattern and close finite values.
    #[test]
    fn special_values_as_in_the_exact_path() {
        let mut tail_nan = vec![0.5f32; 20];
        tail_nan[17] = f32::NAN;
        let mut long_inf = vec![-3.0f32; 40];
        long_inf[35] = f32::INFINITY;
        let rows: Vec<Vec<f32>> = vec![
            vec![f32::NAN, 1.0, 2.0],
            vec![1.0, 2.0, f32::NAN],
            vec![f32::NEG_INFINITY; 3],
            vec![f32::INFINITY, 0.0, 1.0],
            vec![f32::NEG_INFINITY, 0.0, 1.0],
            vec![1e30, -1e30, 0.0],
            vec![f32::MAX, -f32::MAX],
            vec![-90.0, 0.0, 5.0],
            tail_nan,
            long_inf,
        ];
        let same =
            |g: f32, w: f32| (g.is_nan() && w.is_nan()) || g == w || (g - w).abs() <= 1e-6 * (1.0 + w.abs());
        for (name, softmax, sparse) in KERNELS {
            for x in &rows {
                let c = x.len();
                for log in [false, true] {
                    let (mut got, mut want) = (vec![0.0; c], vec![0.0; c]);
                    assert!(softmax(x, c, &mut got, log));
                    crate::kernels::nn::softmax_row(x, &mut want, log);
                    assert!(
                        got.iter().zip(&want).all(|(&g, &w)| same(g, w)),
                        "{name} log={log} {x:?}: {got:?} vs {want:?}"
                    );
                }
                for label in [0, c - 1] {
                    let mut got = [0.0];
                    assert!(sparse(x, c, &[label as i64], &mut got));
                    let (m, s) = crate::kernels::nn::max_and_sum(x);
                    let want = s.ln() - (x[label] - m);
                    assert!(same(got[0], want), "{name} loss {x:?}[{label}]: {} vs {want}", got[0]);
                }
            }
        }
    }
}
