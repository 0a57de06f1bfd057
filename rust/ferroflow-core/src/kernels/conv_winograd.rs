//! A 3 x 3, stride-1 float32 `Conv2D` (+ bias, + relu) on a few images by Winograd's F(2x2, 3x3): 16 multiplies per 2 x 2 block of outputs instead of 36.
//!
//! Lavin and Gray's minimal filtering: with the filter transformed to `U = G g Gᵀ` (4 x 4 per input and
//! output channel) and each 4 x 4 input patch to `V = Bᵀ d B`, a block of outputs is `Aᵀ (Σ_ci U ⊙ V) A`;
//! the sums over input channels are 16 independent products `M[k] = V[k] · U[k]` of (blocks x cin) by
//! (cin x cout), run with the same 6 x 16 register tile as `conv_direct`. A one-image prediction's second
//! convolution in the MNIST convnet (13 x 13 x 32 to 11 x 11 x 64) does 2.25x fewer multiplies this way.
//! The transforms add and subtract neighbouring pixels, so an infinity or NaN would spread to outputs
//! whose windows do not hold it: an image or filter that is not all finite goes through `conv_direct`.

use super::conv::Geometry;
use crate::error::Result;
use rayon::prelude::*;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Blocks (rows of each product) per register tile, and the fewest blocks an image must have.
const TILE_BLOCKS: usize = 6;

/// Whether this path takes the convolution `conv_direct` would: 3 x 3 filters at stride 1 without
/// dilation, input channels a multiple of 8 and at least 16 (fewer leave the transforms most of the
/// work), output channels a multiple of 16, and an image of at least 6 blocks of 2 x 2 outputs.
pub(super) fn takes(g: &Geometry) -> bool {
    g.kh == 3
        && g.kw == 3
        && g.strides == [1, 1]
        && g.dilations == [1, 1]
        && g.groups == 1
        && g.cin >= 16
        && g.cin.is_multiple_of(8)
        && g.cout.is_multiple_of(16)
        && g.cout > 0
        && g.oh.div_ceil(2) * g.ow.div_ceil(2) >= TILE_BLOCKS
        && super::skinny_avx2::available()
}

/// `out = relu?(conv2d(x, f) + bias)` image by image, for a convolution `takes` accepted.
pub(super) fn forward(
    x: &[f32],
    f: &[f32],
    g: &Geometry,
    bias: Option<&[f32]>,
    relu: bool,
    out: &mut [f32],
) -> Result<()> {
    assert!(takes(g), "winograd conv2d: an unsupported convolution");
    let (image_len, out_len) = (g.h * g.w * g.c, g.oh * g.ow * g.cout);
    assert!(
        x.len() >= g.n * image_len && f.len() >= 9 * g.cin * g.cout && out.len() >= g.n * out_len,
        "winograd conv2d: operand sizes"
    );
    assert!(bias.is_none_or(|b| b.len() >= g.cout), "winograd conv2d: bias size");
    let blocks = g.oh.div_ceil(2) * g.ow.div_ceil(2);
    let mut u = crate::buffer_pool::overwritable::<f32>(16 * g.cin * g.cout)?;
    let mut v = crate::buffer_pool::overwritable::<f32>(16 * blocks * g.cin)?;
    let mut m = crate::buffer_pool::overwritable::<f32>(16 * blocks * g.cout)?;
    let one_image = Geometry { n: 1, ..*g };
    // SAFETY (all four calls): AVX2/FMA checked by `takes`; the asserts above and the buffers' sizes bound
    // every element the transforms and products read and write.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        let filter_finite = filter_transform(f, g, &mut u);
        for (image, dst) in x.chunks_exact(image_len).zip(out.chunks_exact_mut(out_len)).take(g.n) {
            if !(filter_finite && input_transform(image, g, &mut v)) {
                super::conv_direct::forward(image, f, &one_image, bias, relu, dst);
                continue;
            }
            products(&v, &u, g, blocks, &mut m);
            output_transform(&m, g, blocks, bias, relu, dst);
        }
    }
    // Kept for the next call: fresh buffers of this size would be zero-filled first (a seventh of the time).
    [u, v, m].into_iter().for_each(crate::buffer_pool::give_back_vec);
    Ok(())
}

/// Whether any lane of `v` is infinite or NaN (`v - v` is NaN exactly then).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn not_finite(v: __m256) -> __m256 {
    let d = _mm256_sub_ps(v, v);
    _mm256_cmp_ps::<_CMP_UNORD_Q>(d, d)
}

/// `U[ci][k][co]`, k = 4i + j, of `G g Gᵀ` for each input and output channel (8 output channels a vector);
/// false when the filter holds an infinity or NaN. An input channel's 16 planes lie together, so that its
/// stores are not 4 KB apart (with k outermost they were, and each stalled the filter's loads).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn filter_transform(f: &[f32], g: &Geometry, u: &mut [f32]) -> bool {
    let (cin, cout) = (g.cin, g.cout);
    let half = _mm256_set1_ps(0.5);
    let mut bad = _mm256_setzero_ps();
    for ci in 0..cin {
        for co in (0..cout).step_by(8) {
            let mut t = [[_mm256_setzero_ps(); 3]; 3];
            for (ky, row) in t.iter_mut().enumerate() {
                for (kx, tap) in row.iter_mut().enumerate() {
                    *tap = _mm256_loadu_ps(f.as_ptr().add(((ky * 3 + kx) * cin + ci) * cout + co));
                    bad = _mm256_or_ps(bad, not_finite(*tap));
                }
            }
            // G g: rows g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2.
            let mut gg = [[_mm256_setzero_ps(); 3]; 4];
            for c in 0..3 {
                let (a, b, d) = (t[0][c], t[1][c], t[2][c]);
                let outer = _mm256_add_ps(a, d);
                gg[0][c] = a;
                gg[1][c] = _mm256_mul_ps(_mm256_add_ps(outer, b), half);
                gg[2][c] = _mm256_mul_ps(_mm256_sub_ps(outer, b), half);
                gg[3][c] = d;
            }
            // (G g) Gᵀ: each row [a, b, c] becomes [a, (a + b + c) / 2, (a - b + c) / 2, c].
            for (i, [a, b, c]) in gg.into_iter().enumerate() {
                let outer = _mm256_add_ps(a, c);
                let row = [
                    a,
                    _mm256_mul_ps(_mm256_add_ps(outer, b), half),
                    _mm256_mul_ps(_mm256_sub_ps(outer, b), half),
                    c,
                ];
                for (j, value) in row.into_iter().enumerate() {
                    _mm256_storeu_ps(u.as_mut_ptr().add((ci * 16 + i * 4 + j) * cout + co), value);
                }
            }
        }
    }
    _mm256_movemask_ps(bad) == 0
}

/// `V[k][block][ci]` of `Bᵀ d B` for each 4 x 4 input patch (8 channels a vector; pixels in the padding
/// are zeros); false when the image holds an infinity or NaN.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn input_transform(image: &[f32], g: &Geometry, v: &mut [f32]) -> bool {
    let (bw, blocks, cin) = (g.ow.div_ceil(2), g.oh.div_ceil(2) * g.ow.div_ceil(2), g.cin);
    let mut bad = _mm256_setzero_ps();
    for block in 0..blocks {
        let (y0, x0) = (2 * (block / bw), 2 * (block % bw));
        for c0 in (0..cin).step_by(8) {
            let mut d = [[_mm256_setzero_ps(); 4]; 4];
            for (r, row) in d.iter_mut().enumerate() {
                let Some(iy) = (y0 + r).checked_sub(g.pad[0]).filter(|&iy| iy < g.h) else { continue };
                for (c, value) in row.iter_mut().enumerate() {
                    if let Some(ix) = (x0 + c).checked_sub(g.pad[1]).filter(|&ix| ix < g.w) {
                        *value = _mm256_loadu_ps(image.as_ptr().add((iy * g.w + ix) * g.c + c0));
                        bad = _mm256_or_ps(bad, not_finite(*value));
                    }
                }
            }
            // Bᵀ d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3.
            let mut e = [[_mm256_setzero_ps(); 4]; 4];
            for c in 0..4 {
                e[0][c] = _mm256_sub_ps(d[0][c], d[2][c]);
                e[1][c] = _mm256_add_ps(d[1][c], d[2][c]);
                e[2][c] = _mm256_sub_ps(d[2][c], d[1][c]);
                e[3][c] = _mm256_sub_ps(d[1][c], d[3][c]);
            }
            // (Bᵀ d) B: each row [a, b, c, d] becomes [a - c, b + c, c - b, b - d].
            for (i, [a, b, c, dd]) in e.into_iter().enumerate() {
                let row =
                    [_mm256_sub_ps(a, c), _mm256_add_ps(b, c), _mm256_sub_ps(c, b), _mm256_sub_ps(b, dd)];
                for (j, value) in row.into_iter().enumerate() {
                    _mm256_storeu_ps(v.as_mut_ptr().add(((i * 4 + j) * blocks + block) * cin + c0), value);
                }
            }
        }
    }
    _mm256_movemask_ps(bad) == 0
}

/// `M[k] = V[k] · U[:, k]` for the 16 k, side by side on the pool's threads when large (each plane is
/// computed the same way wherever it runs, so the bits do not depend on the threads).
#[cfg(target_arch = "x86_64")]
unsafe fn products(v: &[f32], u: &[f32], g: &Geometry, blocks: usize, m: &mut [f32]) {
    let plane = |(k, mk): (usize, &mut [f32])| {
        // SAFETY: as the caller's; each plane writes only its own part of `m`.
        unsafe { plane_product(v, u, g, blocks, k, mk) }
    };
    let m = &mut m[..16 * blocks * g.cout];
    // About 2 million multiply-adds (25 us on one core) and up are worth the hand-off.
    if super::elementwise::fast::parallel(16 * blocks * g.cin * g.cout / 8) {
        m.par_chunks_mut(blocks * g.cout).enumerate().for_each(plane);
    } else {
        m.chunks_mut(blocks * g.cout).enumerate().for_each(plane);
    }
}

/// Plane k of `products`: (blocks x cin) by (cin x cout) into `mk`, tiles of 6 blocks by 16 channels (the
/// last tile of blocks moved back to end at the last block; its overlap is recomputed with the same sums).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn plane_product(v: &[f32], u: &[f32], g: &Geometry, blocks: usize, k: usize, mk: &mut [f32]) {
    let (cin, cout) = (g.cin, g.cout);
    let (vk, uk) = (v.as_ptr().add(k * blocks * cin), u.as_ptr().add(k * cout));
    let mk = mk.as_mut_ptr();
    for start in (0..blocks).step_by(TILE_BLOCKS) {
        let b0 = start.min(blocks - TILE_BLOCKS);
        for c0 in (0..cout).step_by(16) {
            let mut acc = [[_mm256_setzero_ps(); 2]; TILE_BLOCKS];
            let mut w = uk.add(c0);
            let a = vk.add(b0 * cin);
            for ci in 0..cin {
                let (w0, w1) = (_mm256_loadu_ps(w), _mm256_loadu_ps(w.add(8)));
                for (p, sums) in acc.iter_mut().enumerate() {
                    let x = _mm256_broadcast_ss(&*a.add(p * cin + ci));
                    sums[0] = _mm256_fmadd_ps(x, w0, sums[0]);
                    sums[1] = _mm256_fmadd_ps(x, w1, sums[1]);
                }
                w = w.add(16 * cout);
            }
            for (p, sums) in acc.iter().enumerate() {
                let dst = mk.add((b0 + p) * cout + c0);
                _mm256_storeu_ps(dst, sums[0]);
                _mm256_storeu_ps(dst.add(8), sums[1]);
            }
        }
    }
}

/// Each block's 2 x 2 outputs `Aᵀ m A` from its 16 sums, then the bias and relu, stored where they fall
/// inside the output (an odd height or width leaves the last blocks half outside).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn output_transform(
    m: &[f32],
    g: &Geometry,
    blocks: usize,
    bias: Option<&[f32]>,
    relu: bool,
    out: &mut [f32],
) {
    let (bw, cout) = (g.ow.div_ceil(2), g.cout);
    for block in 0..blocks {
        let (y0, x0) = (2 * (block / bw), 2 * (block % bw));
        for co in (0..cout).step_by(8) {
            let plane = m.as_ptr().add(block * cout + co);
            let at = |k: usize| plane.add(k * blocks * cout);
            // Aᵀ m: rows m0 + m1 + m2 and m1 - m2 - m3 (each of 4 columns).
            let (mut top, mut bottom) = ([_mm256_setzero_ps(); 4], [_mm256_setzero_ps(); 4]);
            for (c, (t, b)) in top.iter_mut().zip(&mut bottom).enumerate() {
                let load = |k: usize| _mm256_loadu_ps(at(k));
                let (m0, m1, m2, m3) = (load(c), load(4 + c), load(8 + c), load(12 + c));
                *t = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
                *b = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
            }
            let s = [top, bottom];
            let b = bias.map(|b| _mm256_loadu_ps(b.as_ptr().add(co)));
            for (r, [a, bb, c, d]) in s.into_iter().enumerate() {
                // (Aᵀ m) A: each row [a, b, c, d] becomes [a + b + c, b - c - d].
                let row = [_mm256_add_ps(_mm256_add_ps(a, bb), c), _mm256_sub_ps(_mm256_sub_ps(bb, c), d)];
                for (c, y) in row.into_iter().enumerate() {
                    let (oy, ox) = (y0 + r, x0 + c);
                    if oy < g.oh && ox < g.ow {
                        let y = super::conv_direct::bias_relu(y, b, relu);
                        _mm256_storeu_ps(out.as_mut_ptr().add((oy * g.ow + ox) * cout + co), y);
                    }
                }
            }
        }
    }
}
