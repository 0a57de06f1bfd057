//! float32 `exp` (portable, AVX2 and AVX-512) and `ln` (AVX-512) that vectorize: Cephes-style range reductions and polynomials.
//!
//! libm's `expf` and `logf` are scalar calls, so a softmax over ten classes spent most of its time in
//! them. The `exp`s stay within 2 ulp of the exact result over the whole float32 range (tested against
//! f64), keep NaN, give 0 for -inf and large negative inputs, inf past `ln(f32::MAX)`, and subnormal
//! results where the exact value is subnormal. float64 kernels keep libm.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Inputs are clamped to `[LO, HI]` (NaN passes): exp(-104) is below half the smallest subnormal, so it
/// rounds to 0, and exp(89) overflows to inf; in between the result is computed as usual.
const LO: f32 = -104.0;
const HI: f32 = 89.0;
const LOG2E: f32 = std::f32::consts::LOG2_E;
/// ln 2 split in two (Cody-Waite): `n * LN2_HI` is exact for the |n| <= 150 used here.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// Cephes' `expf` polynomial: exp(r) ~ 1 + r + r^2 * P(r) on |r| <= ln(2) / 2.
const P: [f32; 6] = [1.987_569_2e-4, 1.398_2e-3, 8.333_452e-3, 4.166_579_6e-2, 0.166_666_65, 0.5];
/// 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, which then sits in the
/// low mantissa bits (round-to-nearest without `roundps`, which baseline x86-64 lacks).
const ROUND: f32 = 12_582_912.0;

/// `exp(x)` for float32, branch-free so that a loop over it vectorizes (plain multiply and add, no FMA:
/// baseline x86-64 would call a software `fmaf`).
#[inline(always)]
pub(crate) fn exp_f32(x: f32) -> f32 {
    // Written as comparisons so NaN falls through both (f32::max/min would drop it).
    let x = if x > HI { HI } else { x };
    let x = if x < LO { LO } else { x };
    let t = x * LOG2E + ROUND;
    let n = t - ROUND;
    let r = x - n * LN2_HI;
    let r = r - n * LN2_LO;
    let p = P.iter().skip(1).fold(P[0], |p, &c| p * r + c);
    let y = p * (r * r) + r + 1.0;
    // 2^n in two factors, both normal for n in [-150, 128]: y * 2^n1 is exact and the second product
    // rounds once, to a subnormal, a normal or inf. NaN's garbage n only scales a NaN.
    let n = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let n1 = n >> 1;
    let pow2 = |k: i32| f32::from_bits((k.wrapping_add(127) as u32) << 23);
    y * pow2(n1) * pow2(n.wrapping_sub(n1))
}

/// `exp` of 16 floats with AVX-512F; the same reduction and polynomial as `exp_f32`, with FMA and
/// `vscalefps` (which scales by 2^n with one rounding, to a subnormal or inf where due).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
pub(crate) fn exp_ps(x: __m512) -> __m512 {
    // min/max return their second operand when either is NaN, so NaN in `x` survives the clamp.
    let x = _mm512_max_ps(_mm512_set1_ps(LO), _mm512_min_ps(_mm512_set1_ps(HI), x));
    let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm512_mul_ps(
        x,
        _mm512_set1_ps(LOG2E),
    ));
    let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_HI), x);
    let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_LO), r);
    let mut p = _mm512_set1_ps(P[0]);
    for &c in &P[1..] {
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
    }
    let y = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0)));
    _mm512_scalef_ps(y, n)
}

/// `exp` of 8 floats with AVX2 and FMA: `exp_ps`'s reduction and polynomial, scaled by 2^n in two
/// factors as `exp_f32` does (AVX2 has no `vscalefps`), so subnormal results and overflow match it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn exp_ps256(x: __m256) -> __m256 {
    // min/max return their second operand when either is NaN, so NaN in `x` survives the clamp.
    let x = _mm256_max_ps(_mm256_set1_ps(LO), _mm256_min_ps(_mm256_set1_ps(HI), x));
    let n = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm256_mul_ps(
        x,
        _mm256_set1_ps(LOG2E),
    ));
    let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI), x);
    let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO), r);
    let mut p = _mm256_set1_ps(P[0]);
    for &c in &P[1..] {
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
    }
    let y = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0)));
    // 2^n = 2^n1 * 2^(n - n1), both factors normal for n in [-150, 128]; NaN's garbage n scales a NaN.
    let n = _mm256_cvtps_epi32(n);
    let n1 = _mm256_srai_epi32::<1>(n);
    let pow2 = |k: __m256i| {
        _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(k, _mm256_set1_epi32(127))))
    };
    _mm256_mul_ps(_mm256_mul_ps(y, pow2(n1)), pow2(_mm256_sub_epi32(n, n1)))
}

/// Cephes' `logf` polynomial: ln(1 + f) ~ f - f^2 / 2 + f^3 * Q(f) on sqrt(1/2) - 1 <= f <= sqrt(2) - 1.
const Q: [f32; 9] = [
    7.037_683_6e-2,
    -1.151_461e-1,
    1.167_699_9e-1,
    -1.242_014_1e-1,
    1.424_932_3e-1,
    -1.666_805_8e-1,
    2.000_071_4e-1,
    -2.499_999_4e-1,
    3.333_333e-1,
];

/// `ln` of 16 floats with AVX-512F, within 2 ulp for positive normal inputs (the softmax sums it takes
/// are at least 1); NaN and negative inputs give NaN, inf gives inf, 0 and -0 give -inf.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
pub(crate) fn ln_ps(x: __m512) -> __m512 {
    // x = m * 2^e with m in [1, 2), then m in [sqrt(1/2), sqrt(2)) so that f = m - 1 (exact) is small.
    let m = _mm512_getmant_ps::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_NAN>(x);
    let e = _mm512_getexp_ps(x);
    let big = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(m, _mm512_set1_ps(std::f32::consts::SQRT_2));
    let m = _mm512_mask_mul_ps(m, big, m, _mm512_set1_ps(0.5));
    let e = _mm512_mask_add_ps(e, big, e, _mm512_set1_ps(1.0));
    let f = _mm512_sub_ps(m, _mm512_set1_ps(1.0));
    let z = _mm512_mul_ps(f, f);
    let mut q = _mm512_set1_ps(Q[0]);
    for &c in &Q[1..] {
        q = _mm512_fmadd_ps(q, f, _mm512_set1_ps(c));
    }
    // ln x = e ln 2 + f - z / 2 + f z Q(f), with ln 2 split (Cody-Waite) and the small terms first.
    let y = _mm512_mul_ps(_mm512_mul_ps(q, f), z);
    let y = _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_LO), y);
    let y = _mm512_fnmadd_ps(z, _mm512_set1_ps(0.5), y);
    let y = _mm512_add_ps(f, y);
    let y = _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_HI), y);
    // inf and 0 have an infinite exponent, which the split ln 2 turns into inf - inf: set them apart.
    let inf = _mm512_set1_ps(f32::INFINITY);
    let y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, inf), inf);
    _mm512_mask_mov_ps(
        y,
        _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, _mm512_setzero_ps()),
        _mm512_set1_ps(f32::NEG_INFINITY),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units of the last place between `got` and the exact `want`, counting the ulp at the
    /// result's magnitude (subnormal results count in the subnormal spacing).
    fn ulps(got: f32, want: f64) -> f64 {
        if want == 0.0 {
            return if got == 0.0 { 0.0 } else { f64::INFINITY };
        }
        let w = want as f32;
        let ulp =
            if w.is_infinite() { f32::MAX as f64 } else { (f32::from_bits(w.to_bits() + 1) - w) as f64 };
        if w.is_infinite() {
            return if got == w { 0.0 } else { f64::INFINITY };
        }
        (got as f64 - want).abs() / ulp
    }

    /// Inputs covering the range: 2^21 evenly spaced in [-110, 95], every 4999th float pattern of that
    /// range (mostly tiny magnitudes), and the edges of the clamp and of the subnormal results.
    fn inputs() -> Vec<f32> {
        let n = 1 << 21;
        let mut v: Vec<f32> = (0..n).map(|i| (-110.0 + 205.0 * i as f64 / n as f64) as f32).collect();
        v.extend((0u32..=u32::MAX).step_by(4999).map(f32::from_bits).filter(|x| (-110.0..95.0).contains(x)));
        v.extend([0.0, -0.0, 1.0, -1.0, 88.72, 88.73, -87.33, -103.9, -103.98, -104.0, 89.0, -150.0, 500.0]);
        v
    }

    fn check(name: &str, f: impl Fn(&[f32]) -> Vec<f32>) {
        let x = inputs();
        let y = f(&x);
        let mut worst = (0.0, 0.0f32);
        for (&x, &y) in x.iter().zip(&y) {
            let e = ulps(y, (x as f64).exp());
            if e > worst.0 {
                worst = (e, x);
            }
        }
        assert!(worst.0 <= 2.0, "{name}: {} ulp at x = {:e}", worst.0, worst.1);
        let special = f(&[f32::NAN, f32::NEG_INFINITY, f32::INFINITY, -1e30, 1e30]);
        assert!(special[0].is_nan(), "{name}: {special:?}");
        assert_eq!(&special[1..], &[0.0, f32::INFINITY, 0.0, f32::INFINITY], "{name}");
    }

    #[test]
    fn portable_exp_within_two_ulp() {
        check("exp_f32", |x| x.iter().map(|&v| exp_f32(v)).collect());
    }

    #[test]
    fn portable_exp_subnormals_and_overflow_edge() {
        // exp(-100) = 3.7e-44 is subnormal: the exact value, not 0.
        let y = exp_f32(-100.0);
        assert!(y > 0.0 && ulps(y, (-100f64).exp()) <= 1.0, "{y:e}");
        assert_eq!(exp_f32(88.8), f32::INFINITY);
        assert!(exp_f32(88.7).is_finite());
    }

    /// `f` applied to `x` 16 floats at a time. Callers check that AVX-512F is available.
    #[cfg(target_arch = "x86_64")]
    fn by_vectors(x: &[f32], f: unsafe fn(__m512) -> __m512) -> Vec<f32> {
        x.chunks(16)
            .flat_map(|c| {
                let mut buf = [1f32; 16];
                buf[..c.len()].copy_from_slice(c);
                let mut out = [0f32; 16];
                // SAFETY: AVX-512F was detected by the caller; both buffers hold 16 floats.
                unsafe { _mm512_storeu_ps(out.as_mut_ptr(), f(_mm512_loadu_ps(buf.as_ptr()))) };
                out[..c.len()].to_vec()
            })
            .collect()
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx512_exp_within_two_ulp() {
        if !crate::kernels::skinny::available() {
            return;
        }
        check("exp_ps", |x| by_vectors(x, |v| unsafe { exp_ps(v) }));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_exp_within_two_ulp() {
        if !crate::kernels::skinny_avx2::available() {
            return;
        }
        check("exp_ps256", |x| {
            x.chunks(8)
                .flat_map(|c| {
                    let mut buf = [1f32; 8];
                    buf[..c.len()].copy_from_slice(c);
                    let mut out = [0f32; 8];
                    // SAFETY: AVX2 and FMA were detected above; both buffers hold 8 floats.
                    unsafe { _mm256_storeu_ps(out.as_mut_ptr(), exp_ps256(_mm256_loadu_ps(buf.as_ptr()))) };
                    out[..c.len()].to_vec()
                })
                .collect()
        });
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx512_ln_within_two_ulp() {
        if !crate::kernels::skinny::available() {
            return;
        }
        // Log-spaced over [1e-37, 1e37], dense around 1 (where ln is small), and the sums' range [1, 1e4].
        let n = 1 << 20;
        let mut x: Vec<f32> = (0..n).map(|i| 10f64.powf(-37.0 + 74.0 * i as f64 / n as f64) as f32).collect();
        x.extend((0..n).map(|i| (0.9 + 0.2 * i as f64 / n as f64) as f32));
        x.extend((0..n).map(|i| (1.0 + 1e4 * i as f64 / n as f64) as f32));
        x.extend([1.0, 2.0, 0.5, std::f32::consts::SQRT_2, 1.414_213_4, f32::MAX, f32::MIN_POSITIVE]);
        let y = by_vectors(&x, |v| unsafe { ln_ps(v) });
        for (&x, &y) in x.iter().zip(&y) {
            let want = (x as f64).ln();
            let ulp = (want as f32).abs();
            let ulp = (f32::from_bits(ulp.to_bits() + 1) - ulp) as f64;
            assert!((y as f64 - want).abs() <= 2.0 * ulp, "ln({x:e}) = {y:e}, want {want:e}");
        }
        let special = by_vectors(&[f32::NAN, -1.0, f32::INFINITY, 0.0, -0.0], |v| unsafe { ln_ps(v) });
        assert!(special[0].is_nan() && special[1].is_nan(), "{special:?}");
        assert_eq!(&special[2..], &[f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY]);
    }
}
