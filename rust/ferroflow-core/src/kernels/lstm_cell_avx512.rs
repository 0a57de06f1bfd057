//! The fused LSTM cell's float32 rows with AVX-512F: sixteen units at a time, every gate's exp by `exp_ps`.
//!
//! The portable rows (`lstm_cell.rs`) compile for baseline x86-64, where the five exps per unit run four
//! wide at best; in a recurrent model's training step the cell's gradient was then the largest cost. These
//! rows compute the same formulas (the same tanh split at |x| = 0.25) with masked loads and stores, so any
//! unit count works without a scalar tail.

use crate::kernels::fast_math::exp_ps;
use std::arch::x86_64::*;

/// Whether the CPU has AVX-512F (detected once).
pub(super) fn available() -> bool {
    crate::kernels::skinny::available()
}

/// Lanes of the vector at offset `j` of a run of `len` floats.
#[inline(always)]
fn mask_at(len: usize, j: usize) -> u16 {
    if len - j >= 16 {
        u16::MAX
    } else {
        (1u16 << (len - j)) - 1
    }
}

#[target_feature(enable = "avx512f")]
#[inline]
fn splat(v: f32) -> __m512 {
    _mm512_set1_ps(v)
}

/// 1 / (1 + e^-x): e^-x saturates to inf for very negative x, giving 0 without NaN.
#[target_feature(enable = "avx512f")]
#[inline]
fn sigmoid(x: __m512) -> __m512 {
    let one = splat(1.0);
    _mm512_div_ps(one, _mm512_add_ps(one, exp_ps(_mm512_sub_ps(_mm512_setzero_ps(), x))))
}

/// tanh as the portable rows compute it: the odd series below |x| = 0.25, 1 - 2 / (e^2x + 1) above.
#[target_feature(enable = "avx512f")]
#[inline]
fn tanh(x: __m512) -> __m512 {
    let x2 = _mm512_mul_ps(x, x);
    let mut p = splat(62.0 / 2835.0);
    for c in [-17.0 / 315.0, 2.0 / 15.0, -1.0 / 3.0, 1.0] {
        p = _mm512_fmadd_ps(p, x2, splat(c));
    }
    let series = _mm512_mul_ps(x, p);
    let e = exp_ps(_mm512_add_ps(x, x));
    let wide = _mm512_sub_ps(splat(1.0), _mm512_div_ps(splat(2.0), _mm512_add_ps(e, splat(1.0))));
    let small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x2, splat(0.0625));
    _mm512_mask_blend_ps(small, wide, series)
}

/// The gates of units `j..j+16` (lanes in `m`): i, f, g, o, the previous state and the new one.
struct Gates {
    i: __m512,
    f: __m512,
    g: __m512,
    o: __m512,
    c: __m512,
    c_new: __m512,
}

/// Safety: `z` holds `4 u` readable floats and `c` `u`; lanes outside `m` are not read.
#[target_feature(enable = "avx512f")]
#[inline]
unsafe fn gates(z: *const f32, c: *const f32, u: usize, j: usize, m: u16) -> Gates {
    let load = |p: *const f32| _mm512_maskz_loadu_ps(m, p);
    let i = sigmoid(load(z.add(j)));
    let f = sigmoid(load(z.add(u + j)));
    let g = tanh(load(z.add(2 * u + j)));
    let o = sigmoid(load(z.add(3 * u + j)));
    let c = load(c.add(j));
    let c_new = _mm512_fmadd_ps(f, c, _mm512_mul_ps(i, g));
    Gates { i, f, g, o, c, c_new }
}

/// `[h | c']` of one row. Panics unless `z` is `4 u`, `c` is `u` and `out` is `2 u` long.
pub(super) fn forward_row(z: &[f32], c: &[f32], out: &mut [f32], u: usize) {
    assert!(z.len() == 4 * u && c.len() == u && out.len() == 2 * u, "LSTM cell row sizes");
    // SAFETY: available() was checked by the caller; the lengths above bound every masked access.
    unsafe { forward_row_avx512(z.as_ptr(), c.as_ptr(), out.as_mut_ptr(), u) }
}

#[target_feature(enable = "avx512f")]
unsafe fn forward_row_avx512(z: *const f32, c: *const f32, out: *mut f32, u: usize) {
    for j in (0..u).step_by(16) {
        let m = mask_at(u, j);
        let gt = gates(z, c, u, j, m);
        _mm512_mask_storeu_ps(out.add(j), m, _mm512_mul_ps(gt.o, tanh(gt.c_new)));
        _mm512_mask_storeu_ps(out.add(u + j), m, gt.c_new);
    }
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
    unsafe { backward_row_avx512(z.as_ptr(), c.as_ptr(), g.as_ptr(), dz, dc, u) }
}

/// Both gradients of one row in one pass over its gates: `dz` (`4 u`) and the previous state's `dc` (`u`).
pub(super) fn backward_row_both(z: &[f32], c: &[f32], g: &[f32], dz: &mut [f32], dc: &mut [f32], u: usize) {
    assert!(
        z.len() == 4 * u && c.len() == u && g.len() == 2 * u && dz.len() == 4 * u && dc.len() == u,
        "LSTM cell row sizes"
    );
    // SAFETY: as in forward_row.
    unsafe { backward_row_avx512(z.as_ptr(), c.as_ptr(), g.as_ptr(), dz.as_mut_ptr(), dc.as_mut_ptr(), u) }
}

/// Writes the gradient for `z` where `dz` is not null and the previous state's where `dc` is not null.
#[target_feature(enable = "avx512f")]
unsafe fn backward_row_avx512(
    z: *const f32,
    c: *const f32,
    g: *const f32,
    dz: *mut f32,
    dc_out: *mut f32,
    u: usize,
) {
    let one = splat(1.0);
    for j in (0..u).step_by(16) {
        let m = mask_at(u, j);
        let gt = gates(z, c, u, j, m);
        let dh = _mm512_maskz_loadu_ps(m, g.add(j));
        let dc_in = _mm512_maskz_loadu_ps(m, g.add(u + j));
        let tc = tanh(gt.c_new);
        // dL/dc' from both outputs: directly, and through h = o tanh(c').
        let dc = _mm512_fmadd_ps(_mm512_mul_ps(dh, gt.o), _mm512_fnmadd_ps(tc, tc, one), dc_in);
        if !dc_out.is_null() {
            _mm512_mask_storeu_ps(dc_out.add(j), m, _mm512_mul_ps(dc, gt.f));
        }
        if dz.is_null() {
            continue;
        }
        let slope = |s: __m512| _mm512_mul_ps(s, _mm512_sub_ps(one, s));
        let di = _mm512_mul_ps(_mm512_mul_ps(dc, gt.g), slope(gt.i));
        let df = _mm512_mul_ps(_mm512_mul_ps(dc, gt.c), slope(gt.f));
        let dg = _mm512_mul_ps(_mm512_mul_ps(dc, gt.i), _mm512_fnmadd_ps(gt.g, gt.g, one));
        let d_o = _mm512_mul_ps(_mm512_mul_ps(dh, tc), slope(gt.o));
        _mm512_mask_storeu_ps(dz.add(j), m, di);
        _mm512_mask_storeu_ps(dz.add(u + j), m, df);
        _mm512_mask_storeu_ps(dz.add(2 * u + j), m, dg);
        _mm512_mask_storeu_ps(dz.add(3 * u + j), m, d_o);
    }
}
