//! A one-group float32 `Conv2D` (+ bias, + relu) computed straight from the NHWC pixels with AVX2 + FMA, without a patch matrix.
//!
//! im2col + `gemm` pays for building the patch matrix, packing the filter and a separate pass for the
//! bias and relu, costs that only a large product wins back. Two cases lose to them: a first layer's few
//! taps (3 x 3 over one channel makes a product with k = 9, where packing and the epilogue are most of the
//! time) and a one-image prediction (121 x 288 by 288 x 64 for the MNIST convnet's second layer). Here a
//! register tile of 6 output pixels by 16 channels (twelve accumulators, gemm's own 6 x 16 shape) sums
//! `pixel[ci] * filter[ky, kx, ci, :]` over the taps, reading the pixels where they lie (a tap in the
//! padding reads a row of zeros), then adds the bias and applies relu in registers and stores once.
//! Measured on one core of the 2-core AVX2 machine: the convnet's one-image layers 28 -> 4 us (26 x 26 x 32
//! from one channel) and 52-65 -> 42 us (11 x 11 x 64 from 32 channels).

use super::conv::Geometry;
use super::elementwise::fast::parallel;
use rayon::prelude::*;
#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// Output pixels per register tile.
const TILE_PIXELS: usize = 6;
/// Output channels per register tile: two 8-float vectors.
const TILE_CHANNELS: usize = 16;
/// Taps (kh * kw * cin) below which the direct kernel takes any batch: `gemm` with k this small spends
/// most of its time packing.
const FEW_TAPS: usize = 64;
/// Output pixels (n * oh * ow) up to which it takes a convolution whose filter is small: a prediction on a
/// few images, where building the patch matrix and packing the filter cost as much as the product.
const FEW_PIXELS: usize = 1024;
/// The largest filter (taps * cout elements, 256 KB of float32) the few-pixels rule takes: every tile
/// streams the whole filter, which must stay in a core's L2 cache (a deep layer's 3 x 3 x 512 x 512 filter
/// is 9 MB, and `gemm` packs it once for all the pixels instead).
const SMALL_FILTER: usize = 1 << 16;

/// Whether the direct kernel takes this convolution: float32 (the caller's part), one group, output
/// channels a multiple of 8, AVX2 + FMA present, and few taps, or few output pixels and a small filter.
pub(super) fn takes(g: &Geometry) -> bool {
    g.groups == 1
        && g.cout.is_multiple_of(8)
        && g.cout > 0
        && (g.taps() < FEW_TAPS || (g.n * g.oh * g.ow <= FEW_PIXELS && g.taps() * g.cout <= SMALL_FILTER))
        && super::skinny_avx2::available()
}

/// `out = relu?(conv2d(x, f) + bias)` for a convolution `takes` accepted; `out` holds `n * oh * ow * cout`
/// elements. Output rows (one image row each) run side by side on the pool's threads when large.
pub(super) fn forward(x: &[f32], f: &[f32], g: &Geometry, bias: Option<&[f32]>, relu: bool, out: &mut [f32]) {
    assert!(takes(g), "direct conv2d: an unsupported convolution");
    assert!(
        x.len() >= g.n * g.h * g.w * g.c
            && f.len() >= g.taps() * g.cout
            && out.len() >= g.n * g.oh * g.ow * g.cout,
        "direct conv2d: operand sizes"
    );
    assert!(bias.is_none_or(|b| b.len() >= g.cout), "direct conv2d: bias size");
    let zeros = vec![0f32; g.cin.max(1)];
    let row_len = g.ow * g.cout;
    let run_row = |(r, row): (usize, &mut [f32])| {
        // SAFETY: AVX2/FMA checked by `takes`; the asserts above bound every pixel, filter and output
        // element the tiles read or write (taps outside the image read `zeros`).
        #[cfg(target_arch = "x86_64")]
        unsafe {
            output_row(x, f, g, bias, relu, &zeros, r, row)
        }
    };
    let out = &mut out[..g.n * g.oh * row_len];
    if parallel(out.len() * g.taps()) {
        out.par_chunks_mut(row_len).enumerate().for_each(run_row);
    } else {
        out.chunks_mut(row_len).enumerate().for_each(run_row);
    }
}

/// One output row `r` (image `r / oh`, row `r % oh`): every tile of 6 pixels by 16 channels, then the
/// 8-channel remainder when cout is not a multiple of 16.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)]
unsafe fn output_row(
    x: &[f32],
    f: &[f32],
    g: &Geometry,
    bias: Option<&[f32]>,
    relu: bool,
    zeros: &[f32],
    r: usize,
    row: &mut [f32],
) {
    let (b, oy) = (r / g.oh, r % g.oh);
    let image = &x[b * g.h * g.w * g.c..][..g.h * g.w * g.c];
    let mut c0 = 0;
    while c0 < g.cout {
        let vectors = if g.cout - c0 >= TILE_CHANNELS { 2 } else { 1 };
        for start in (0..g.ow).step_by(TILE_PIXELS) {
            // A row's last tile moves left to end at the row's end when the row has 6 pixels: it recomputes
            // a few pixels (the same sums in the same order, so the same bits) but stays a full tile.
            let ox0 = if start + TILE_PIXELS > g.ow { g.ow.saturating_sub(TILE_PIXELS) } else { start };
            let pixels = (g.ow - ox0).min(TILE_PIXELS);
            let interior = pixels == TILE_PIXELS && inside_columns(g, ox0);
            let acc = match (interior, vectors == 2) {
                (true, true) => interior_tile::<2>(image, f, g, oy, ox0, c0),
                (true, false) => interior_tile::<1>(image, f, g, oy, ox0, c0),
                (false, true) => tile::<2>(image, f, g, zeros, oy, ox0, pixels, c0),
                (false, false) => tile::<1>(image, f, g, zeros, oy, ox0, pixels, c0),
            };
            for (p, sums) in acc.iter().enumerate().take(pixels) {
                let dst = row.as_mut_ptr().add((ox0 + p) * g.cout + c0);
                for (v, &sum) in sums.iter().enumerate().take(vectors) {
                    let b = bias.map(|b| _mm256_loadu_ps(b.as_ptr().add(c0 + v * 8)));
                    _mm256_storeu_ps(dst.add(v * 8), bias_relu(sum, b, relu));
                }
            }
        }
        c0 += vectors * 8;
    }
}

/// Whether every tap of the 6 output pixels from column `ox0` reads a column inside the image.
fn inside_columns(g: &Geometry, ox0: usize) -> bool {
    let first = ox0 * g.strides[1];
    let last = (ox0 + TILE_PIXELS - 1) * g.strides[1] + (g.kw - 1) * g.dilations[1];
    first >= g.pad[1] && last - g.pad[1] < g.w
}

/// `tile` for 6 pixels whose taps all read columns inside the image (`inside_columns`): pixel p's taps are
/// pixel 0's shifted by `p * stride` pixels, so one pointer walks the taps (no per-tap bounds checks), and
/// the accumulators stay in registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn interior_tile<const V: usize>(
    image: &[f32],
    f: &[f32],
    g: &Geometry,
    oy: usize,
    ox0: usize,
    c0: usize,
) -> [[__m256; 2]; TILE_PIXELS] {
    let mut acc = [[_mm256_setzero_ps(); 2]; TILE_PIXELS];
    let step = g.strides[1] * g.c; // elements between the tile's pixels
    let ix0 = ox0 * g.strides[1] - g.pad[1];
    for ky in 0..g.kh {
        let Some(iy) = (oy * g.strides[0] + ky * g.dilations[0]).checked_sub(g.pad[0]).filter(|&iy| iy < g.h)
        else {
            continue; // the whole filter row lies in the padding
        };
        let mut w = f.as_ptr().add(ky * g.kw * g.cin * g.cout + c0);
        for kx in 0..g.kw {
            let x = image.as_ptr().add((iy * g.w + ix0 + kx * g.dilations[1]) * g.c);
            for ci in 0..g.cin {
                let mut wv = [_mm256_setzero_ps(); V];
                for (v, lane) in wv.iter_mut().enumerate() {
                    *lane = _mm256_loadu_ps(w.add(v * 8));
                }
                for (p, sums) in acc.iter_mut().enumerate() {
                    let a = _mm256_broadcast_ss(&*x.add(p * step + ci));
                    for v in 0..V {
                        sums[v] = _mm256_fmadd_ps(a, wv[v], sums[v]);
                    }
                }
                w = w.add(g.cout);
            }
        }
    }
    acc
}

/// A fused convolution's epilogue on 8 channels' sums: the bias added after the sums (as the separate ops
/// add it, so the results round the same), then relu as a select rather than max, so that NaN passes
/// through as the relu kernel lets it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) unsafe fn bias_relu(sum: __m256, bias: Option<__m256>, relu: bool) -> __m256 {
    let y = match bias {
        Some(b) => _mm256_add_ps(sum, b),
        None => sum,
    };
    if !relu {
        return y;
    }
    _mm256_blendv_ps(y, _mm256_setzero_ps(), _mm256_cmp_ps::<_CMP_LT_OQ>(y, _mm256_setzero_ps()))
}

/// The sums of `pixels` (at most 6) output pixels from column `ox0` of output row `oy` for the `V` 8-channel
/// vectors from channel `c0`; the tile's unused pixels read zeros and are not stored.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile<const V: usize>(
    image: &[f32],
    f: &[f32],
    g: &Geometry,
    zeros: &[f32],
    oy: usize,
    ox0: usize,
    pixels: usize,
    c0: usize,
) -> [[__m256; 2]; TILE_PIXELS] {
    let mut acc = [[_mm256_setzero_ps(); 2]; TILE_PIXELS];
    for ky in 0..g.kh {
        let Some(iy) = (oy * g.strides[0] + ky * g.dilations[0]).checked_sub(g.pad[0]).filter(|&iy| iy < g.h)
        else {
            continue; // the whole filter row lies in the padding
        };
        for kx in 0..g.kw {
            let mut src = [zeros.as_ptr(); TILE_PIXELS];
            for (p, s) in src.iter_mut().enumerate().take(pixels) {
                let ix = ((ox0 + p) * g.strides[1] + kx * g.dilations[1]).checked_sub(g.pad[1]);
                if let Some(ix) = ix.filter(|&ix| ix < g.w) {
                    *s = image.as_ptr().add((iy * g.w + ix) * g.c);
                }
            }
            let mut w = f.as_ptr().add((ky * g.kw + kx) * g.cin * g.cout + c0);
            for ci in 0..g.cin {
                // A loop, not `array::from_fn`: a closure would not inherit AVX2 and would call each load.
                let mut wv = [_mm256_setzero_ps(); V];
                for (v, lane) in wv.iter_mut().enumerate() {
                    *lane = _mm256_loadu_ps(w.add(v * 8));
                }
                for p in 0..TILE_PIXELS {
                    let a = _mm256_broadcast_ss(&*src[p].add(ci));
                    for v in 0..V {
                        acc[p][v] = _mm256_fmadd_ps(a, wv[v], acc[p][v]);
                    }
                }
                w = w.add(g.cout);
            }
        }
    }
    acc
}
