//! Max and average pooling of NHWC images and their gradients, a window of pixels reduced channel by channel.
//!
//! As in TensorFlow, padding never takes part: a max is over the window's pixels inside the image, and an
//! average divides by their count. The max gradient goes to the first pixel holding the maximum, in
//! row-major order of the window.

use super::elementwise::fast::parallel;
use crate::conv_op::{axis_geometry, PoolKind, Window};
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;
use std::ops::Range;

trait PoolFloat: Element + PartialOrd + std::ops::AddAssign + std::ops::Div<Output = Self> {
    const LOWEST: Self;
    fn count(n: usize) -> Self;
    fn nan(self) -> bool;

    /// Max pooling of one image into `out` by a vectorised kernel, or false (nothing done) where there is
    /// none for this type or CPU.
    fn max_pool_image(_image: &[Self], _g: &Geometry, _out: &mut [Self]) -> bool {
        false
    }
}
impl PoolFloat for f32 {
    const LOWEST: Self = f32::NEG_INFINITY;
    fn count(n: usize) -> Self {
        n as f32
    }
    fn nan(self) -> bool {
        self.is_nan()
    }
    fn max_pool_image(image: &[f32], g: &Geometry, out: &mut [f32]) -> bool {
        #[cfg(target_arch = "x86_64")]
        if super::skinny_avx2::available() && g.c.is_multiple_of(8) {
            assert!(
                image.len() >= g.h * g.w * g.c && out.len() >= g.oh * g.ow * g.c,
                "max pool: image sizes"
            );
            // SAFETY: AVX2 is present; the assert bounds every pixel read and written (windows are clipped
            // to the image by `span`).
            unsafe { max_pool_image_avx2(image, g, out) };
            return true;
        }
        false
    }
}

/// Max pooling of one float32 image, 8 channels of an output pixel held in a register while its window is
/// reduced. The crate's baseline target is SSE2, whose 4-lane loop without a blend, called per window
/// pixel, made max pooling a tenth of a one-image convnet prediction. The running max is a plain `maxps`
/// (one cycle, so the window's pixels do not wait on each other); NaNs are noted on the side and put back
/// at the end, since NaN propagates in TensorFlow's max pooling and `maxps` would drop one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn max_pool_image_avx2(image: &[f32], g: &Geometry, out: &mut [f32]) {
    use std::arch::x86_64::*;
    let (x, mut dst) = (image.as_ptr(), out.as_mut_ptr());
    for oy in 0..g.oh {
        for ox in 0..g.ow {
            let (rows, cols) = g.span(oy, ox);
            for c0 in (0..g.c).step_by(8) {
                let (mut best, mut nan) = (_mm256_set1_ps(f32::NEG_INFINITY), _mm256_setzero_ps());
                for iy in rows.clone() {
                    for ix in cols.clone() {
                        let v = _mm256_loadu_ps(x.add((iy * g.w + ix) * g.c + c0));
                        best = _mm256_max_ps(v, best);
                        nan = _mm256_or_ps(nan, _mm256_cmp_ps::<_CMP_UNORD_Q>(v, v));
                    }
                }
                _mm256_storeu_ps(dst.add(c0), _mm256_blendv_ps(best, _mm256_set1_ps(f32::NAN), nan));
            }
            dst = dst.add(g.c);
        }
    }
}

impl PoolFloat for f64 {
    const LOWEST: Self = f64::NEG_INFINITY;
    fn count(n: usize) -> Self {
        n as f64
    }
    fn nan(self) -> bool {
        self.is_nan()
    }
}

#[derive(Debug, Clone, Copy)]
struct Geometry {
    h: usize,
    w: usize,
    c: usize,
    oh: usize,
    ow: usize,
    size: [usize; 2],
    strides: [usize; 2],
    pad: [usize; 2],
}

impl Geometry {
    fn new(x: &[usize], size: [usize; 2], window: &Window) -> Result<(usize, Geometry)> {
        let [n, h, w, c] = match *x {
            [n, h, w, c] => [n, h, w, c],
            _ => {
                return Err(Error::invalid(format!(
                    "pooling expects 4-D images, received shape {}",
                    fmt_dims(x)
                )))
            }
        };
        let (oh, top) = axis_geometry(h, size[0], window.strides[0], 1, window.padding, 0)?;
        let (ow, left) = axis_geometry(w, size[1], window.strides[1], 1, window.padding, 1)?;
        Ok((n, Geometry { h, w, c, oh, ow, size, strides: window.strides, pad: [top, left] }))
    }

    /// The input rows and columns inside the image that output (oy, ox)'s window covers.
    fn span(&self, oy: usize, ox: usize) -> (Range<usize>, Range<usize>) {
        let clip = |o: usize, axis: usize, len: usize| {
            let start = o * self.strides[axis];
            let lo = start.saturating_sub(self.pad[axis]).min(len);
            let hi = (start + self.size[axis]).saturating_sub(self.pad[axis]).min(len);
            lo..hi
        };
        (clip(oy, 0, self.h), clip(ox, 1, self.w))
    }
}

/// Runs `per_image(index, image_out)` over the batch's output images, in parallel when large.
fn each_image<T: Send>(out: &mut [T], len: usize, work: usize, per_image: impl Fn(usize, &mut [T]) + Sync) {
    if len == 0 {
        return;
    }
    if parallel(work) {
        out.par_chunks_mut(len).enumerate().for_each(|(i, o)| per_image(i, o));
    } else {
        out.chunks_mut(len).enumerate().for_each(|(i, o)| per_image(i, o));
    }
}

fn pool<T: PoolFloat>(x: &ArrayD<T>, kind: PoolKind, size: [usize; 2], window: &Window) -> Result<Tensor> {
    let (n, g) = Geometry::new(x.shape(), size, window)?;
    let std = x.as_standard_layout();
    let xs = std.as_slice().ok_or_else(|| Error::internal("pool input is not contiguous"))?;
    let out_len = g.oh * g.ow * g.c;
    // Every output pixel is filled before its window is reduced into it: no zero fill needed first.
    let mut out = crate::buffer_pool::overwritable::<T>(n * out_len)?;
    each_image(&mut out, out_len, xs.len(), |b, image_out| {
        let image = &xs[b * g.h * g.w * g.c..(b + 1) * g.h * g.w * g.c];
        if kind == PoolKind::Max && T::max_pool_image(image, &g, image_out) {
            return;
        }
        // Pixel by pixel in row order, the output position counted rather than divided out of the index
        // (two divisions a pixel cost more than a small window's comparisons).
        let (mut oy, mut ox) = (0, 0);
        for px in image_out.chunks_mut(g.c) {
            let (rows, cols) = g.span(oy, ox);
            ox += 1;
            if ox == g.ow {
                (oy, ox) = (oy + 1, 0);
            }
            let count = rows.len() * cols.len();
            px.fill(if kind == PoolKind::Max { T::LOWEST } else { T::default() });
            for iy in rows {
                for ix in cols.clone() {
                    let src = &image[(iy * g.w + ix) * g.c..][..g.c];
                    match kind {
                        // A select rather than a branch, so the channel loop vectorises; NaN propagates, as
                        // in TensorFlow.
                        PoolKind::Max => px.iter_mut().zip(src).for_each(|(d, &s)| {
                            *d = if (s > *d) | s.nan() { s } else { *d };
                        }),
                        PoolKind::Avg => px.iter_mut().zip(src).for_each(|(d, &s)| *d += s),
                    }
                }
            }
            if kind == PoolKind::Avg && count > 0 {
                let count = T::count(count);
                px.iter_mut().for_each(|d| *d = *d / count);
            }
        }
    });
    Tensor::from_vec(&[n, g.oh, g.ow, g.c], out)
}

fn pool_grad<T: PoolFloat>(
    dy: &ArrayD<T>,
    x: &ArrayD<T>,
    kind: PoolKind,
    size: [usize; 2],
    window: &Window,
) -> Result<Tensor> {
    let (n, g) = Geometry::new(x.shape(), size, window)?;
    if dy.shape() != [n, g.oh, g.ow, g.c] {
        return Err(Error::invalid(format!(
            "pooling gradient of shape {} does not match the pooled shape {}",
            fmt_dims(dy.shape()),
            fmt_dims(&[n, g.oh, g.ow, g.c])
        )));
    }
    let (xstd, dystd) = (x.as_standard_layout(), dy.as_standard_layout());
    let xs = xstd.as_slice().ok_or_else(|| Error::internal("pool input is not contiguous"))?;
    let dys = dystd.as_slice().ok_or_else(|| Error::internal("pool gradient is not contiguous"))?;
    let image_len = g.h * g.w * g.c;
    let mut dx = try_alloc::<T>(n * image_len)?;
    each_image(&mut dx, image_len, xs.len(), |b, dimage| {
        let image = &xs[b * image_len..(b + 1) * image_len];
        let grads = &dys[b * g.oh * g.ow * g.c..(b + 1) * g.oh * g.ow * g.c];
        let mut best = vec![0usize; g.c];
        let mut best_value = vec![T::LOWEST; g.c];
        for (p, gpx) in grads.chunks(g.c).enumerate() {
            let (rows, cols) = g.span(p / g.ow, p % g.ow);
            match kind {
                PoolKind::Avg => {
                    let count = T::count((rows.len() * cols.len()).max(1));
                    for iy in rows {
                        for ix in cols.clone() {
                            let dst = &mut dimage[(iy * g.w + ix) * g.c..][..g.c];
                            dst.iter_mut().zip(gpx).for_each(|(d, &s)| *d += s / count);
                        }
                    }
                }
                PoolKind::Max => {
                    window_argmax(image, &g, (rows, cols), &mut best, &mut best_value);
                    for (&at, &s) in best.iter().zip(gpx) {
                        if at != usize::MAX {
                            dimage[at] += s;
                        }
                    }
                }
            }
        }
    });
    Tensor::from_vec(x.shape(), dx)
}

/// Per channel, the index in `image` of the first pixel holding the window's maximum (a NaN wins), or
/// `usize::MAX` for a window with no pixel inside the image.
fn window_argmax<T: PoolFloat>(
    image: &[T],
    g: &Geometry,
    (rows, cols): (Range<usize>, Range<usize>),
    best: &mut [usize],
    best_value: &mut [T],
) {
    best_value.fill(T::LOWEST);
    best.fill(usize::MAX);
    for iy in rows {
        for ix in cols.clone() {
            let at = (iy * g.w + ix) * g.c;
            for (ch, &s) in image[at..at + g.c].iter().enumerate() {
                if best[ch] == usize::MAX || s > best_value[ch] || (s.nan() && !best_value[ch].nan()) {
                    best_value[ch] = s;
                    best[ch] = at + ch;
                }
            }
        }
    }
}

/// The gradient of max pooling's gradient with respect to the pooled gradient: each output takes `gx`
/// (shaped like the images `x`) at the pixel its window's maximum came from.
fn max_pool_grad_grad<T: PoolFloat>(
    gx: &ArrayD<T>,
    x: &ArrayD<T>,
    size: [usize; 2],
    window: &Window,
) -> Result<Tensor> {
    let (n, g) = Geometry::new(x.shape(), size, window)?;
    if gx.shape() != x.shape() {
        return Err(Error::invalid(format!(
            "the gradient of a max-pooling gradient has shape {}, where the images have shape {}",
            fmt_dims(gx.shape()),
            fmt_dims(x.shape())
        )));
    }
    let (xstd, gstd) = (x.as_standard_layout(), gx.as_standard_layout());
    let xs = xstd.as_slice().ok_or_else(|| Error::internal("pool input is not contiguous"))?;
    let gs = gstd.as_slice().ok_or_else(|| Error::internal("pool gradient is not contiguous"))?;
    let (image_len, out_len) = (g.h * g.w * g.c, g.oh * g.ow * g.c);
    let mut out = try_alloc::<T>(n * out_len)?;
    each_image(&mut out, out_len, xs.len(), |b, image_out| {
        let (image, grads) = (&xs[b * image_len..][..image_len], &gs[b * image_len..][..image_len]);
        let (mut best, mut best_value) = (vec![0usize; g.c], vec![T::LOWEST; g.c]);
        for (p, px) in image_out.chunks_mut(g.c).enumerate() {
            window_argmax(image, &g, g.span(p / g.ow, p % g.ow), &mut best, &mut best_value);
            for (d, &at) in px.iter_mut().zip(&best) {
                *d = if at == usize::MAX { T::default() } else { grads[at] };
            }
        }
    });
    Tensor::from_vec(&[n, g.oh, g.ow, g.c], out)
}

/// `tf.nn.max_pool2d` / `avg_pool2d` of NHWC images with a `size` window.
pub fn pool2d(x: &Tensor, kind: PoolKind, size: [usize; 2], window: &Window) -> Result<Tensor> {
    match x.data() {
        TensorData::F32(a) => pool(a, kind, size, window),
        TensorData::F64(a) => pool(a, kind, size, window),
        _ => Err(Error::dtype(format!("pooling expects float32 or float64 images, received {}", x.dtype()))),
    }
}

/// The gradient of `pool2d` on images `x`, from the pooled gradient `dy`.
pub fn pool2d_grad(
    dy: &Tensor,
    x: &Tensor,
    kind: PoolKind,
    size: [usize; 2],
    window: &Window,
) -> Result<Tensor> {
    match (dy.data(), x.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => pool_grad(a, b, kind, size, window),
        (TensorData::F64(a), TensorData::F64(b)) => pool_grad(a, b, kind, size, window),
        _ => Err(Error::dtype(format!(
            "pooling gradient expects float32 or float64 tensors of one dtype, received {} and {}",
            dy.dtype(),
            x.dtype()
        ))),
    }
}

/// The gradient of max pooling's gradient with respect to the pooled gradient (TensorFlow's MaxPoolGradGrad).
pub fn max_pool2d_grad_grad(gx: &Tensor, x: &Tensor, size: [usize; 2], window: &Window) -> Result<Tensor> {
    match (gx.data(), x.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => max_pool_grad_grad(a, b, size, window),
        (TensorData::F64(a), TensorData::F64(b)) => max_pool_grad_grad(a, b, size, window),
        _ => Err(Error::dtype(format!(
            "MaxPoolGradGrad expects float32 or float64 tensors of one dtype, received {} and {}",
            gx.dtype(),
            x.dtype()
        ))),
    }
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
