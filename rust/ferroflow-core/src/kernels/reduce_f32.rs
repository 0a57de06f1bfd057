//! float32 column sums (the bias gradient, AVX-512 or a vectorized loop) and last-axis argmax/argmin (AVX-512).
//!
//! Summing a [256, 512] gradient to [512] one element at a time into a float64 accumulator row ran at
//! baseline-SSE width (~20 us). The column sum here keeps a tile of 128 columns in sixteen float64
//! registers while it walks down the rows, adding the rows in order, so each column's sum is
//! bit-identical to the one-element-at-a-time loop.
//!
//! ArgMax over [256, 10] allocated a vector per row (~5 us). Here a row of up to 16 floats is one masked
//! vector: an unordered compare finds the first NaN (which wins, as in NumPy), else the row's extreme
//! is reduced across lanes and the first lane equal to it is the index, which is the first extreme.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// `accs[j] += block[r * inner + j] as f64` for every row `r` in order (`block` holds whole rows). On
/// the calling thread: a [256, 512] block takes ~4.5 us, while one `for_each_part` round trip measured
/// 12-18 us on the 2-core development VM, so splitting the columns across the pool would not pay.
pub(super) fn add_cols(block: &[f32], inner: usize, accs: &mut [f64]) {
    if inner == 0 || accs.len() < inner {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if crate::kernels::skinny::available() {
        // SAFETY: AVX-512F was detected.
        unsafe { avx512::add_cols(block, inner, accs) };
        return;
    }
    portable_add_cols(block, inner, accs);
}

pub(super) fn portable_add_cols(block: &[f32], inner: usize, accs: &mut [f64]) {
    crate::kernels::simd::vectorized(|| {
        for row in block.chunks_exact(inner) {
            accs.iter_mut().zip(row).for_each(|(a, &x)| *a += x as f64);
        }
    });
}

/// `out[r]` = the index of the maximum (`is_max`) or minimum of each `len`-long row of `x` (`len >= 1`):
/// the first NaN if the row has one, else the first extreme. Returns false, doing nothing, without
/// AVX-512 (the caller's row loop then runs).
pub(super) fn arg_rows(x: &[f32], len: usize, is_max: bool, out: &mut [i64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if len > 0 && crate::kernels::skinny::available() {
        // SAFETY: AVX-512F was detected.
        unsafe { avx512::arg_rows(x, len, is_max, out) };
        return true;
    }
    false
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::*;

    /// Columns per register tile: 8 vectors of 16 floats, widened to 16 vectors of 8 doubles.
    const TILE: usize = 128;

    /// Lanes of the vector at offset `i` of a run of `len` floats.
    #[inline(always)]
    fn mask_at(len: usize, i: usize) -> u16 {
        if i >= len {
            0
        } else if len - i >= 16 {
            u16::MAX
        } else {
            (1u16 << (len - i)) - 1
        }
    }

    /// Adds rows of `G` 16-float groups starting at column `c0` (masked at `inner`) into `accs`.
    ///
    /// Safety: `block` holds whole rows of `inner` floats, `accs` at least `inner`; AVX-512F is available.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn tile<const G: usize>(block: &[f32], inner: usize, c0: usize, accs: &mut [f64]) {
        let masks: [u16; G] = std::array::from_fn(|g| mask_at(inner, c0 + 16 * g));
        let ap = accs.as_mut_ptr().add(c0);
        let mut lo: [__m512d; G] =
            std::array::from_fn(|g| _mm512_maskz_loadu_pd(masks[g] as u8, ap.add(16 * g)));
        let mut hi: [__m512d; G] =
            std::array::from_fn(|g| _mm512_maskz_loadu_pd((masks[g] >> 8) as u8, ap.add(16 * g + 8)));
        let full = masks.iter().all(|&m| m == u16::MAX);
        for row in block.chunks_exact(inner) {
            let p = row.as_ptr().add(c0);
            for g in 0..G {
                // Whole groups convert straight from memory (8 floats per `vcvtps2pd`); a partial one
                // loads masked and splits the vector.
                let (l, h) = if full {
                    (_mm256_loadu_ps(p.add(16 * g)), _mm256_loadu_ps(p.add(16 * g + 8)))
                } else {
                    let v = _mm512_maskz_loadu_ps(masks[g], p.add(16 * g));
                    (
                        _mm512_castps512_ps256(v),
                        _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(v))),
                    )
                };
                lo[g] = _mm512_add_pd(lo[g], _mm512_cvtps_pd(l));
                hi[g] = _mm512_add_pd(hi[g], _mm512_cvtps_pd(h));
            }
        }
        for g in 0..G {
            _mm512_mask_storeu_pd(ap.add(16 * g), masks[g] as u8, lo[g]);
            _mm512_mask_storeu_pd(ap.add(16 * g + 8), (masks[g] >> 8) as u8, hi[g]);
        }
    }

    /// Safety: AVX-512F is available; `inner >= 1` and `accs.len() >= inner`.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn add_cols(block: &[f32], inner: usize, accs: &mut [f64]) {
        let full = inner / TILE * TILE;
        for c0 in (0..full).step_by(TILE) {
            tile::<8>(block, inner, c0, accs);
        }
        // The last columns with as few groups as they need (a [256, 10] gradient is one masked group).
        match (inner - full).div_ceil(16) {
            0 => {}
            1 => tile::<1>(block, inner, full, accs),
            2 => tile::<2>(block, inner, full, accs),
            3 => tile::<3>(block, inner, full, accs),
            4 => tile::<4>(block, inner, full, accs),
            5 => tile::<5>(block, inner, full, accs),
            6 => tile::<6>(block, inner, full, accs),
            _ => tile::<7>(block, inner, full, accs),
        }
    }

    /// Safety: AVX-512F is available; `len >= 1`.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn arg_rows(x: &[f32], len: usize, is_max: bool, out: &mut [i64]) {
        // Lanes past the row's end read as the identity, so they never set the extreme.
        let pad = _mm512_set1_ps(if is_max { f32::NEG_INFINITY } else { f32::INFINITY });
        for (row, d) in x.chunks_exact(len).zip(out) {
            let p = row.as_ptr();
            let (mut ext, mut nan, mut first_nan) = (pad, 0u16, 0);
            for i in (0..len).step_by(16) {
                let v = _mm512_mask_loadu_ps(pad, mask_at(len, i), p.add(i));
                nan = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
                if nan != 0 {
                    first_nan = i;
                    break;
                }
                ext = if is_max { _mm512_max_ps(ext, v) } else { _mm512_min_ps(ext, v) };
            }
            if nan != 0 {
                *d = (first_nan + nan.trailing_zeros() as usize) as i64;
                continue;
            }
            let e = reduce(ext, is_max);
            // The first lane equal to the extreme: -0.0 == 0.0, and `x > best` never moved past the
            // first of those either.
            let ev = _mm512_set1_ps(e);
            for i in (0..len).step_by(16) {
                let k = mask_at(len, i);
                let hit = _mm512_mask_cmp_ps_mask::<_CMP_EQ_OQ>(k, _mm512_maskz_loadu_ps(k, p.add(i)), ev);
                if hit != 0 {
                    *d = (i + hit.trailing_zeros() as usize) as i64;
                    break;
                }
            }
        }
    }

    /// The maximum (`max`) or minimum of the 16 lanes of `v`, which holds no NaN.
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn reduce(v: __m512, max: bool) -> f32 {
        let op = |a, b| if max { _mm512_max_ps(a, b) } else { _mm512_min_ps(a, b) };
        let v = op(v, _mm512_shuffle_f32x4::<0b01_00_11_10>(v, v));
        let v = op(v, _mm512_shuffle_f32x4::<0b10_11_00_01>(v, v));
        let v = op(v, _mm512_permute_ps::<0b01_00_11_10>(v));
        let v = op(v, _mm512_permute_ps::<0b10_11_00_01>(v));
        _mm512_cvtss_f32(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in [-4, 4) with few distinct values (ties), and some -0.0 beside 0.0.
    fn values(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let v = ((s >> 59) as f32 - 16.0) * 0.25;
                if v == 0.0 && (s >> 40) & 1 == 1 {
                    -0.0
                } else {
                    v
                }
            })
            .collect()
    }

    #[test]
    fn column_sums_are_bit_identical_to_the_element_loop() {
        for inner in [1, 3, 10, 15, 16, 17, 100, 128, 129, 300, 512, 515] {
            for rows in [1, 2, 7, 64] {
                let x: Vec<f32> =
                    values(rows * inner, inner as u64).iter().map(|v| v * 1.1e-3 + 0.3).collect();
                let start: Vec<f64> = (0..inner).map(|j| j as f64 * 0.125).collect();
                let mut want = start.clone();
                for row in x.chunks_exact(inner) {
                    want.iter_mut().zip(row).for_each(|(a, &v)| *a += v as f64);
                }
                for (name, f) in [
                    ("dispatched", add_cols as fn(&[f32], usize, &mut [f64])),
                    ("portable", portable_add_cols),
                ] {
                    // One slot past the columns must stay untouched.
                    let mut got = start.clone();
                    got.push(-7.0);
                    f(&x, inner, &mut got);
                    assert_eq!(&got[..inner], &want[..], "{name} {rows}x{inner}");
                    assert_eq!(got[inner], -7.0, "{name} {rows}x{inner}");
                }
            }
        }
    }

    #[test]
    fn arg_rows_pick_the_first_extreme_or_the_first_nan() {
        let reference = |row: &[f32], is_max: bool| {
            // First NaN, else the first index whose value equals the extreme (by ==, so -0.0 == 0.0).
            if let Some(i) = row.iter().position(|v| v.is_nan()) {
                return i as i64;
            }
            let e = row.iter().copied().fold(row[0], |a, v| if (v > a) == is_max && v != a { v } else { a });
            row.iter().position(|&v| v == e).unwrap() as i64
        };
        for len in [1, 2, 3, 10, 16, 17, 31, 33, 100] {
            let rows = 23;
            let mut x = values(rows * len, len as u64 + 5);
            // NaN in some rows: in the first vector, in a later one, twice; rows of infinities.
            x[len / 2] = f32::NAN;
            x[len + len - 1] = f32::NAN;
            x[2 * len] = f32::NAN;
            x[2 * len + len - 1] = f32::NAN;
            x[3 * len..4 * len].fill(f32::NEG_INFINITY);
            x[4 * len..5 * len].fill(f32::INFINITY);
            x[5 * len..6 * len].fill(0.0);
            x[5 * len + len / 3] = -0.0;
            for is_max in [true, false] {
                let want: Vec<i64> = x.chunks(len).map(|r| reference(r, is_max)).collect();
                let mut got = vec![-1; rows];
                super::super::arg_rows_generic(&x, len, is_max, &mut got);
                assert_eq!(got, want, "generic len {len} max {is_max}");
                let mut got = vec![-1; rows];
                if arg_rows(&x, len, is_max, &mut got) {
                    assert_eq!(got, want, "AVX-512 len {len} max {is_max}");
                }
            }
        }
    }
}
