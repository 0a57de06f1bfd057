//! Float32 relu and its gradient written over their input's buffer, without masked stores on AVX2 CPUs.
//!
//! Written as plain loops (`*v = if *v < 0 { 0 } else { *v }`), LLVM drops the store of the unchanged
//! elements and vectorizes what is left with masked stores. AVX-512 masked stores are cheap, but AVX2's
//! `vmaskmovps` store is microcoded on AMD cores: an in-place relu of 196K floats took 102 us there
//! against 43 us for a negation. The AVX2 loops below store every element (`max`/`and`), as the
//! out-of-place kernels do; AVX-512 CPUs and others keep the plain loops.

/// Whether the plain loop's masked stores are cheap: AVX-512, or no AVX2 (no masked stores at all).
fn plain_loops_pay() -> bool {
    crate::kernels::skinny::available() || !crate::kernels::skinny_avx2::available()
}

/// `d[i] = d[i] < 0 ? 0 : d[i]` (NaN and -0.0 stay as they are, as `elementwise::unary`'s relu).
pub(crate) fn relu(d: &mut [f32]) {
    if plain_loops_pay() {
        super::simd::vectorized(|| d.iter_mut().for_each(|v| *v = super::in_place::relu(*v)));
        return;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: AVX2 is available (`plain_loops_pay` is false only then).
    unsafe {
        avx2::relu(d)
    }
}

/// `g[i] = x[i] > 0 ? g[i] : 0` (relu's gradient; a NaN input passes no gradient).
pub(crate) fn relu_grad(g: &mut [f32], x: &[f32]) {
    assert_eq!(g.len(), x.len(), "relu gradient operands differ in length");
    if plain_loops_pay() {
        super::simd::vectorized(|| {
            for (g, &x) in g.iter_mut().zip(x) {
                *g = super::in_place::relu_grad(*g, x);
            }
        });
        return;
    }
    #[cfg(target_arch = "x86_64")]
    // SAFETY: AVX2 is available (`plain_loops_pay` is false only then); the lengths are equal (asserted).
    unsafe {
        avx2::relu_grad(g, x)
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn relu(d: &mut [f32]) {
        let zero = _mm256_setzero_ps();
        let mut chunks = d.chunks_exact_mut(8);
        for c in &mut chunks {
            let p = c.as_mut_ptr();
            // `max(0, x)` returns its second operand when either is NaN, and x for x = -0.0 (0 > -0 is false).
            _mm256_storeu_ps(p, _mm256_max_ps(zero, _mm256_loadu_ps(p)));
        }
        for v in chunks.into_remainder() {
            *v = super::super::in_place::relu(*v);
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn relu_grad(g: &mut [f32], x: &[f32]) {
        let zero = _mm256_setzero_ps();
        let mut gc = g.chunks_exact_mut(8);
        let mut xc = x.chunks_exact(8);
        for (g, x) in (&mut gc).zip(&mut xc) {
            let keep = _mm256_cmp_ps::<_CMP_GT_OQ>(_mm256_loadu_ps(x.as_ptr()), zero);
            _mm256_storeu_ps(g.as_mut_ptr(), _mm256_and_ps(keep, _mm256_loadu_ps(g.as_ptr())));
        }
        for (g, &x) in gc.into_remainder().iter_mut().zip(xc.remainder()) {
            *g = super::super::in_place::relu_grad(*g, x);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relu_and_its_gradient_match_the_plain_definitions_bit_for_bit() {
        let specials = [f32::NAN, -0.0, 0.0, f32::INFINITY, f32::NEG_INFINITY, -1e-45, 1e-45];
        for len in [0, 1, 7, 8, 9, 37, 1000] {
            let x: Vec<f32> = (0..len)
                .map(|i| if i % 5 == 0 { specials[i / 5 % specials.len()] } else { (i as f32 * 0.37).sin() })
                .collect();
            let mut got = x.clone();
            super::relu(&mut got);
            let want: Vec<f32> = x.iter().map(|&v| if v < 0.0 { 0.0 } else { v }).collect();
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "relu, length {len}");

            let g0: Vec<f32> = (0..len).map(|i| i as f32 - 3.5).collect();
            let mut g = g0.clone();
            super::relu_grad(&mut g, &x);
            let want: Vec<f32> = g0.iter().zip(&x).map(|(&g, &x)| if x > 0.0 { g } else { 0.0 }).collect();
            assert_eq!(bits(&g), bits(&want), "relu gradient, length {len}");
        }
    }
}
