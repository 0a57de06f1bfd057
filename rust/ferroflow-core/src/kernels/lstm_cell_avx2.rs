//! The fused LSTM cell's float32 rows with AVX2 and FMA: eight units at a time, every gate's exp by `exp_ps256`.
//!
//! The same formulas as the AVX-512 rows (`lstm_cell_avx512.rs`) and the portable ones (the same tanh split
//! at |x| = 0.25), for CPUs without AVX-512, where the portable rows made the cell's gradient a large part
//! of a recurrent model's training step. Only a row's last, partial vector is read and written through
//! `vmaskmovps` (slow on some AMD cores), so any unit count works without a scalar tail.

use crate::kernels::fast_math::exp_ps256;
use std::arch::x86_64::*;

/// Whether the CPU has AVX2 and FMA (detected once).
pub(super) fn available() -> bool {
    crate::kernels::skinny_avx2::available()
}

/// The lanes of the vector at offset `j` of a run of `len` floats, as the sign bits `vmaskmovps` reads.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn mask_at(len: usize, j: usize) -> __m256i {
    let left = (len - j).min(8) as i32;
    _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
}

#[target_feature(enable = "avx2,fma")]
#[inline]
fn splat(v: f32) -> __m256 {
    _mm256_set1_ps(v)
}

/// 1 / (1 + e^-x): e^-x saturates to inf for very negative x, giving 0 without NaN.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn sigmoid(x: __m256) -> __m256 {
    let one = splat(1.0);
    _mm256_div_ps(one, _mm256_add_ps(one, exp_ps256(_mm256_sub_ps(_mm256_setzero_ps(), x))))
}

/// tanh as the portable rows compute it: the odd series below |x| = 0.25, 1 - 2 / (e^2x + 1) above.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn tanh(x: __m256) -> __m256 {
    let x2 = _mm256_mul_ps(x, x);
    let mut p = splat(62.0 / 2835.0);
    for c in [-17.0 / 315.0, 2.0 / 15.0, -1.0 / 3.0, 1.0] {
        p = _mm256_fmadd_ps(p, x2, splat(c));
    }
    let series = _mm256_mul_ps(x, p);
    let e = exp_ps256(_mm256_add_ps(x, x));
    let wide = _mm256_sub_ps(splat(1.0), _mm256_div_ps(splat(2.0), _mm256_add_ps(e, splat(1.0))));
    let small = _mm256_cmp_ps::<_CMP_LT_OQ>(x2, splat(0.0625));
    _mm256_blendv_ps(wide, series, small)
}

/// The gates of units `j..j+8` (lanes in `m`): i, f, g, o, the previous state and the new one.
struct Gates {
    i: __m256,
    f: __m256,
    g: __m256,
    o: __m256,
    c: __m256,
    c_new: __m256,
}

/// 8 floats at `p`, or only the lanes in `m` where `TAIL` (the others read as 0).
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn load<const TAIL: bool>(p: *const f32, m: __m256i) -> __m256 {
    if TAIL {
        _mm256_maskload_ps(p, m)
    } else {
        _mm256_loadu_ps(p)
    }
}

/// Stores 8 floats at `p`, or only the lanes in `m` where `TAIL`.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn store<const TAIL: bool>(p: *mut f32, m: __m256i, v: __m256) {
    if TAIL {
        _mm256_maskstore_ps(p, m, v)
    } else {
        _mm256_storeu_ps(p, v)
    }
}

/// Safety: `z` holds `4 u` readable floats and `c` `u`; lanes outside `m` are not read where `TAIL`, and
/// all 8 lanes from `j` are in bounds otherwise.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn gates<const TAIL: bool>(z: *const f32, c: *const f32, u: usize, j: usize, m: __m256i) -> Gates {
    let load = |p: *const f32| load::<TAIL>(p, m);
    let i = sigmoid(load(z.add(j)));
    let f = sigmoid(load(z.add(u + j)));
    let g = tanh(load(z.add(2 * u + j)));
    let o = sigmoid(load(z.add(3 * u + j)));
    let c = load(c.add(j));
    let c_new = _mm256_fmadd_ps(f, c, _mm256_mul_ps(i, g));
    Gates { i, f, g, o, c, c_new }
}

/// `[h | c']` of one row. Panics unless `z` is `4 u`, `c` is `u` and `out` is `2 u` long.
pub(super) fn forward_row(z: &[f32], c: &[f32], out: &mut [f32], u: usize) {
    assert!(z.len() == 4 * u && c.len() == u && out.len() == 2 * u, "LSTM cell row sizes");
    // SAFETY: available() was checked by the caller; the lengths above bound every masked access.
    unsafe { forward_row_avx2(z.as_ptr(), c.as_ptr(), out.as_mut_ptr(), u) }
}

#[target_feature(enable = "avx2,fma")]
unsafe fn forward_row_avx2(z: *const f32, c: *const f32, out: *mut f32, u: usize) {
    let full = u / 8 * 8;
    let all = _mm256_set1_epi32(-1);
    for j in (0..full).step_by(8) {
        forward_vector::<false>(z, c, out, u, j, all);
    }
    if full < u {
        forward_vector::<true>(z, c, out, u, full, mask_at(u, full));
    }
}

/// Units `j..j+8` (lanes in `m` where `TAIL`) of `forward_row_avx2`.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn forward_vector<const TAIL: bool>(
    z: *const f32,
    c: *const f32,
    out: *mut f32,
    u: usize,
    j: usize,
    m: __m256i,
) {
    let gt = gates::<TAIL>(z, c, u, j, m);
    store::<TAIL>(out.add(j), m, _mm256_mul_ps(gt.o, tanh(gt.c_new)));
    store::<TAIL>(out.add(u + j), m, gt.c_new);
}

/// One row of the gradient for `z` (`out` `4 u` long) or for the previous state (`wrt_state`, `u` long),
/// given the row `g` (`2 u`) of the gradient of `[h | c']`. Panics on other lengths.
pub(super) fn backward_row(z: &[f32], c: &[f32], g: &[f32], out: &mut [f32], u: usize, wrt_state: bool) {
    let width = if wrt_state { u } else { 4 * u };
    assert!(
        z.len() == 4 * u && c.len() == u && g.len() == 2 * u && out.len() == width,
        "LSTM cell row sizes"
    );
    let (dz, dc) = if wrt_state {
        (std::ptr::null_mut(), out.as_mut_ptr())
    } else {
        (out.as_mut_ptr(), std::ptr::null_mut())
    };
    // SAFETY: as in forward_row; the one non-null output is `width` long.
    unsafe { backward_row_avx2(z.as_ptr(), c.as_ptr(), g.as_ptr(), dz, dc, u) }
}

/// Both gradients of one row in one pass over its gates: `dz` (`4 u`) and the previous state's `dc` (`u`).
pub(super) fn backward_row_both(z: &[f32], c: &[f32], g: &[f32], dz: &mut [f32], dc: &mut [f32], u: usize) {
    assert!(
        z.len() == 4 * u && c.len() == u && g.len() == 2 * u && dz.len() == 4 * u && dc.len() == u,
        "LSTM cell row sizes"
    );
    // SAFETY: as in forward_row.
    unsafe { backward_row_avx2(z.as_ptr(), c.as_ptr(), g.as_ptr(), dz.as_mut_ptr(), dc.as_mut_ptr(), u) }
}

/// Writes the gradient for `z` where `dz` is not null and the previous state's where `dc` is not null.
#[target_feature(enable = "avx2,fma")]
unsafe fn backward_row_avx2(
    z: *const f32,
    c: *const f32,
    g: *const f32,
    dz: *mut f32,
    dc_out: *mut f32,
    u: usize,
) {
    let full = u / 8 * 8;
    let all = _mm256_set1_epi32(-1);
    for j in (0..full).step_by(8) {
        backward_vector::<false>((z, c, g), (dz, dc_out), u, j, all);
    }
    if full < u {
        backward_vector::<true>((z, c, g), (dz, dc_out), u, full, mask_at(u, full));
    }
}

/// Units `j..j+8` (lanes in `m` where `TAIL`) of `backward_row_avx2`.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn backward_vector<const TAIL: bool>(
    (z, c, g): (*const f32, *const f32, *const f32),
    (dz, dc_out): (*mut f32, *mut f32),
    u: usize,
    j: usize,
    m: __m256i,
) {
    let one = splat(1.0);
    let gt = gates::<TAIL>(z, c, u, j, m);
    let dh = load::<TAIL>(g.add(j), m);
    let dc_in = load::<TAIL>(g.add(u + j), m);
    let tc = tanh(gt.c_new);
    // dL/dc' from both outputs: directly, and through h = o tanh(c').
    let dc = _mm256_fmadd_ps(_mm256_mul_ps(dh, gt.o), _mm256_fnmadd_ps(tc, tc, one), dc_in);
    if !dc_out.is_null() {
        store::<TAIL>(dc_out.add(j), m, _mm256_mul_ps(dc, gt.f));
    }
    if dz.is_null() {
        return;
    }
    let slope = |s: __m256| _mm256_mul_ps(s, _mm256_sub_ps(one, s));
    let di = _mm256_mul_ps(_mm256_mul_ps(dc, gt.g), slope(gt.i));
    let df = _mm256_mul_ps(_mm256_mul_ps(dc, gt.c), slope(gt.f));
    let dg = _mm256_mul_ps(_mm256_mul_ps(dc, gt.i), _mm256_fnmadd_ps(gt.g, gt.g, one));
    let d_o = _mm256_mul_ps(_mm256_mul_ps(dh, tc), slope(gt.o));
    store::<TAIL>(dz.add(j), m, di);
    store::<TAIL>(dz.add(u + j), m, df);
    store::<TAIL>(dz.add(2 * u + j), m, dg);
    store::<TAIL>(dz.add(3 * u + j), m, d_o);
}
