//! The float32 dropout mask with AVX-512: eight splitmix64 hashes per vector (64-bit lane multiplies),
//! the same values as the portable loop, which compilers do not vectorize (there is no 64-bit multiply
//! below AVX-512DQ): a batch-256 `Dense(512)` layer's mask, allocation included, 52 -> 20 us. The four
//! 64-bit multiplies per 16 elements now bound it; a 32-bit hash of equal quality (two rounds of
//! `lowbias32`) measured no faster, its 32-bit lane multiplies costing as much on this CPU.

/// `d[j] = scale` where the hash of element `start + j` keeps it, else 0: exactly `random::dropout_mask`'s
/// rule (`mix(key + i * GOLDEN) >> 32 >= threshold`). Returns false, doing nothing, without AVX-512.
pub(crate) fn fill_f32(d: &mut [f32], start: usize, key: u64, threshold: u64, scale: f32) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX512: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let ok = *AVX512.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq")
        });
        if ok {
            // SAFETY: AVX-512F and DQ are available; every store stays inside `d`.
            unsafe { fill_avx512(d, start, key, threshold, scale) };
            return true;
        }
    }
    let _ = (d, start, key, threshold, scale);
    false
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn fill_avx512(d: &mut [f32], start: usize, key: u64, threshold: u64, scale: f32) {
    use super::random::GOLDEN;
    use std::arch::x86_64::*;
    #[inline(always)]
    unsafe fn mix(z: __m512i) -> __m512i {
        let z = _mm512_xor_si512(z, _mm512_srli_epi64::<30>(z));
        let z = _mm512_mullo_epi64(z, _mm512_set1_epi64(0xBF58_476D_1CE4_E5B9_u64 as i64));
        let z = _mm512_xor_si512(z, _mm512_srli_epi64::<27>(z));
        let z = _mm512_mullo_epi64(z, _mm512_set1_epi64(0x94D0_49BB_1331_11EB_u64 as i64));
        _mm512_xor_si512(z, _mm512_srli_epi64::<31>(z))
    }
    let lane: [u64; 8] = std::array::from_fn(|l| l as u64);
    let lanes = _mm512_loadu_si512(lane.as_ptr().cast());
    let golden = _mm512_set1_epi64(GOLDEN as i64);
    // Hash inputs key + i * GOLDEN for i = start + j.. start + j + 7 (wrapping).
    let mut z0 = _mm512_add_epi64(
        _mm512_set1_epi64(key.wrapping_add((start as u64).wrapping_mul(GOLDEN)) as i64),
        _mm512_mullo_epi64(lanes, golden),
    );
    let step8 = _mm512_set1_epi64(GOLDEN.wrapping_mul(8) as i64);
    let thr = _mm512_set1_epi64(threshold as i64);
    let scale = _mm512_set1_ps(scale);
    let mut chunks = d.chunks_exact_mut(16);
    let keep = |z: __m512i| -> u16 {
        // The draw is the hash's top 32 bits, compared with the threshold as unsigned 64-bit values.
        _mm512_cmpge_epu64_mask(_mm512_srli_epi64::<32>(mix(z)), thr) as u16
    };
    for c in &mut chunks {
        let z1 = _mm512_add_epi64(z0, step8);
        let k = keep(z0) | (keep(z1) << 8);
        _mm512_storeu_ps(c.as_mut_ptr(), _mm512_maskz_mov_ps(k, scale));
        z0 = _mm512_add_epi64(z1, step8);
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let z1 = _mm512_add_epi64(z0, step8);
        let k = keep(z0) | (keep(z1) << 8);
        let tail = (1u32 << rest.len()) as u16 - 1;
        _mm512_mask_storeu_ps(rest.as_mut_ptr(), tail, _mm512_maskz_mov_ps(k, scale));
    }
}
