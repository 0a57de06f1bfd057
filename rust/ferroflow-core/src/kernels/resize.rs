//! `tf.image.resize` of `[n, h, w, c]` images and its gradient: separable passes over the taps of each axis.
//!
//! The image size is read from the value, so a graph can resize images whose size is only known when it runs
//! (decoded files). Interpolating methods work in the float dtype of the input; nearest neighbour copies
//! pixels of any numeric dtype.

use super::elementwise::fast::parallel;
use super::resize_weights::{axis_taps, nearest_index, AxisTaps, ResizeMethod};
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;

/// A float sample type of the interpolating passes.
trait Sample: Element + std::ops::Mul<Output = Self> + std::ops::AddAssign {
    fn weight(w: f64) -> Self;
}
impl Sample for f32 {
    fn weight(w: f64) -> Self {
        w as f32
    }
}
impl Sample for f64 {
    fn weight(w: f64) -> Self {
        w
    }
}

/// (n, h, w, c) of a 4-D image batch, or an error naming the shape received.
fn dims4(shape: &[usize], what: &str) -> Result<[usize; 4]> {
    match *shape {
        [n, h, w, c] => Ok([n, h, w, c]),
        _ => Err(Error::invalid(format!(
            "{what} expects images of shape [batch, height, width, channels], received {}",
            fmt_dims(shape)
        ))),
    }
}

fn check_sizes(h: usize, w: usize, height: usize, width: usize) -> Result<()> {
    if h == 0 || w == 0 {
        return Err(Error::invalid(format!("resize needs images of a positive size, received {h}x{w}")));
    }
    if height == 0 || width == 0 {
        return Err(Error::invalid(format!(
            "output dimensions must be positive, received size [{height}, {width}]"
        )));
    }
    Ok(())
}

/// Runs `per_image(image_in, image_out)` over the batch, in parallel when the work is large.
fn each_image<T: Send + Sync, U: Send>(
    input: &[T],
    in_len: usize,
    out: &mut [U],
    out_len: usize,
    per_image: impl Fn(&[T], &mut [U]) + Sync,
) {
    if out_len == 0 || in_len == 0 {
        return;
    }
    if parallel(out.len().max(input.len())) && out.len() > out_len {
        out.par_chunks_mut(out_len).zip(input.par_chunks(in_len)).for_each(|(o, i)| per_image(i, o));
    } else {
        out.chunks_mut(out_len).zip(input.chunks(in_len)).for_each(|(o, i)| per_image(i, o));
    }
}

/// An axis's runs with their weights converted to the sample type once per op, not per row or pixel.
struct Runs<T> {
    taps: AxisTaps,
    weights: Vec<T>,
}

impl<T: Sample> Runs<T> {
    fn of(taps: AxisTaps) -> Runs<T> {
        let weights = taps.weights.iter().map(|&w| T::weight(w)).collect();
        Runs { taps, weights }
    }

    #[inline(always)]
    fn run(&self, o: usize) -> (usize, &[T]) {
        (self.taps.starts[o], &self.weights[self.taps.offsets[o]..self.taps.offsets[o + 1]])
    }

    fn outputs(&self) -> usize {
        self.taps.outputs()
    }
}

/// One image `[h, w, c]` resized to `[rows.outputs(), cols.outputs(), c]`: heights first (whole rows), then
/// widths. Each output sums its taps in order from zero, so every channel count gives the same bits.
fn resize_image<T: Sample>(x: &[T], out: &mut [T], w: usize, c: usize, rows: &Runs<T>, cols: &Runs<T>) {
    let row_len = w * c;
    let mut tall = vec![T::default(); rows.outputs() * row_len];
    for (o, dst) in tall.chunks_mut(row_len).enumerate() {
        let (start, weights) = rows.run(o);
        for (k, &wt) in weights.iter().enumerate() {
            let src = &x[(start + k) * row_len..(start + k + 1) * row_len];
            for (d, &s) in dst.iter_mut().zip(src) {
                *d += wt * s;
            }
        }
    }
    let out_row = cols.outputs() * c;
    for (src, dst) in tall.chunks(row_len).zip(out.chunks_mut(out_row)) {
        match c {
            1 => width_pass::<T, 1>(src, dst, cols),
            3 => width_pass::<T, 3>(src, dst, cols),
            4 => width_pass::<T, 4>(src, dst, cols),
            _ => {
                for (o, px) in dst.chunks_mut(c).enumerate() {
                    let (start, weights) = cols.run(o);
                    for (k, &wt) in weights.iter().enumerate() {
                        for (d, &s) in px.iter_mut().zip(&src[(start + k) * c..(start + k + 1) * c]) {
                            *d += wt * s;
                        }
                    }
                }
            }
        }
    }
}

/// The width pass of one row for `C` channels known at compile time (grey, RGB, RGBA): a pixel's channels
/// accumulate in registers instead of a loop over a three-element slice per tap.
#[inline(always)]
fn width_pass<T: Sample, const C: usize>(src: &[T], dst: &mut [T], cols: &Runs<T>) {
    for (o, px) in dst.chunks_exact_mut(C).enumerate() {
        let (start, weights) = cols.run(o);
        let mut acc = [T::default(); C];
        for (k, &wt) in weights.iter().enumerate() {
            let p: &[T; C] = src[(start + k) * C..(start + k + 1) * C].try_into().expect("C channels");
            for ch in 0..C {
                acc[ch] += wt * p[ch];
            }
        }
        px.copy_from_slice(&acc);
    }
}

/// The gradient of `resize_image`: `g` `[rows.outputs(), cols.outputs(), c]` spread back onto `[h, w, c]`.
fn resize_image_grad<T: Sample>(g: &[T], out: &mut [T], w: usize, c: usize, rows: &Runs<T>, cols: &Runs<T>) {
    let (row_len, out_w) = (w * c, cols.outputs());
    let mut tall = vec![T::default(); rows.outputs() * row_len];
    for (src, dst) in g.chunks(out_w * c).zip(tall.chunks_mut(row_len)) {
        for (o, px) in src.chunks(c).enumerate() {
            let (start, weights) = cols.run(o);
            for (k, &wt) in weights.iter().enumerate() {
                for (d, &s) in dst[(start + k) * c..(start + k + 1) * c].iter_mut().zip(px) {
                    *d += wt * s;
                }
            }
        }
    }
    for (o, src) in tall.chunks(row_len).enumerate() {
        let (start, weights) = rows.run(o);
        for (k, &wt) in weights.iter().enumerate() {
            for (d, &s) in out[(start + k) * row_len..(start + k + 1) * row_len].iter_mut().zip(src) {
                *d += wt * s;
            }
        }
    }
}

fn interpolate<T: Sample>(
    x: &ArrayD<T>,
    size: [usize; 2],
    method: ResizeMethod,
    antialias: bool,
) -> Result<Tensor> {
    let [n, h, w, c] = dims4(x.shape(), "resize")?;
    let [height, width] = size;
    check_sizes(h, w, height, width)?;
    let rows = Runs::of(axis_taps(method, antialias, h, height));
    let cols = Runs::of(axis_taps(method, antialias, w, width));
    let shape = [n, height, width, c];
    let mut out = try_alloc::<T>(crate::tensor::checked_len(&shape, T::DTYPE)?)?;
    let std = x.as_standard_layout();
    let input = std.as_slice().ok_or_else(|| Error::internal("resize input is not contiguous"))?;
    each_image(input, h * w * c, &mut out, height * width * c, |i, o| resize_image(i, o, w, c, &rows, &cols));
    Tensor::from_vec(&shape, out)
}

fn nearest<T: Element>(x: &ArrayD<T>, size: [usize; 2]) -> Result<Tensor> {
    let [n, h, w, c] = dims4(x.shape(), "resize")?;
    let [height, width] = size;
    check_sizes(h, w, height, width)?;
    let rows: Vec<usize> = (0..height).map(|o| nearest_index(h, height, o)).collect();
    let cols: Vec<usize> = (0..width).map(|o| nearest_index(w, width, o)).collect();
    let shape = [n, height, width, c];
    let mut out = try_alloc::<T>(crate::tensor::checked_len(&shape, T::DTYPE)?)?;
    let std = x.as_standard_layout();
    let input = std.as_slice().ok_or_else(|| Error::internal("resize input is not contiguous"))?;
    each_image(input, h * w * c, &mut out, height * width * c, |i, o| {
        for (dst, &r) in o.chunks_mut(width * c).zip(&rows) {
            for (px, &col) in dst.chunks_mut(c).zip(&cols) {
                px.copy_from_slice(&i[(r * w + col) * c..(r * w + col + 1) * c]);
            }
        }
    });
    Tensor::from_vec(&shape, out)
}

/// `tf.image.resize` of a batch `[n, h, w, c]` to `[n, size[0], size[1], c]`. Nearest keeps the dtype; the
/// other methods need float32 or float64 images (the caller casts integers).
pub fn resize(x: &Tensor, size: [usize; 2], method: ResizeMethod, antialias: bool) -> Result<Tensor> {
    if method == ResizeMethod::Nearest {
        return crate::with_numeric!(x, a => nearest(a, size), _ => Err(Error::dtype(format!("resize expects numeric images, received {}", x.dtype()))));
    }
    match x.data() {
        TensorData::F32(a) => interpolate(a, size, method, antialias),
        TensorData::F64(a) => interpolate(a, size, method, antialias),
        _ => Err(Error::dtype(format!(
            "resize {method:?} expects float32 or float64 images, received {}",
            x.dtype()
        ))),
    }
}

fn spread<T: Sample>(
    g: &ArrayD<T>,
    original: &[usize],
    method: ResizeMethod,
    antialias: bool,
) -> Result<Tensor> {
    let [n, height, width, c] = dims4(g.shape(), "resize gradient")?;
    let [n0, h, w, c0] = dims4(original, "resize gradient")?;
    if (n, c) != (n0, c0) {
        return Err(Error::invalid(format!(
            "resize gradient of shape {} does not match images of shape {}",
            fmt_dims(g.shape()),
            fmt_dims(original)
        )));
    }
    check_sizes(h, w, height, width)?;
    let rows = Runs::of(axis_taps(method, antialias, h, height));
    let cols = Runs::of(axis_taps(method, antialias, w, width));
    let mut out = try_alloc::<T>(crate::tensor::checked_len(original, T::DTYPE)?)?;
    let std = g.as_standard_layout();
    let input = std.as_slice().ok_or_else(|| Error::internal("resize gradient is not contiguous"))?;
    each_image(input, height * width * c, &mut out, h * w * c, |i, o| {
        resize_image_grad(i, o, w, c, &rows, &cols)
    });
    Tensor::from_vec(original, out)
}

/// The gradient of `resize` with respect to images of shape `original` (nearest included: each input pixel
/// gathers the gradients of the outputs that copied it).
pub fn resize_grad(g: &Tensor, original: &[usize], method: ResizeMethod, antialias: bool) -> Result<Tensor> {
    match g.data() {
        TensorData::F32(a) => spread(a, original, method, antialias),
        TensorData::F64(a) => spread(a, original, method, antialias),
        _ => Err(Error::dtype(format!("resize gradient expects float32 or float64, received {}", g.dtype()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(shape: &[usize]) -> Tensor {
        let n: usize = shape.iter().product();
        Tensor::from_vec(shape, (0..n).map(|v| ((v * 37) % 101) as f64 / 10.0).collect::<Vec<f64>>()).unwrap()
    }

    #[test]
    fn bilinear_halving_averages_two_by_two_blocks() {
        let x = Tensor::from_vec(&[1, 2, 2, 1], vec![1.0f32, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(resize(&x, [1, 1], ResizeMethod::Bilinear, false).unwrap().to_f64_vec(), vec![2.5]);
        let n = Tensor::from_vec(&[1, 2, 2, 1], vec![1u8, 2, 3, 4]).unwrap();
        let up = resize(&n, [4, 4], ResizeMethod::Nearest, false).unwrap();
        assert_eq!(up.dtype(), crate::dtype::DType::U8);
        assert_eq!(&up.to_i64_vec()[..8], &[1, 1, 2, 2, 1, 1, 2, 2]);
        assert!(resize(&n, [4, 4], ResizeMethod::Bilinear, false).is_err());
        assert!(resize(&x, [0, 4], ResizeMethod::Bilinear, false).is_err());
    }

    #[test]
    fn the_gradient_is_the_adjoint_of_the_resize() {
        // <resize(x), g> == <x, resize_grad(g)> for every method, shrinking and growing, batch of 2, 3 channels.
        use ResizeMethod::*;
        for m in [Bilinear, Nearest, Bicubic, Area, Lanczos3, Gaussian, MitchellCubic] {
            for (shape, size) in [([2, 7, 5, 3], [3, 4]), ([2, 3, 4, 3], [8, 6])] {
                for antialias in [false, true] {
                    let x = image(&shape);
                    let g = image(&[shape[0], size[0], size[1], shape[3]]);
                    let y = resize(&x, size, m, antialias).unwrap();
                    let gx = resize_grad(&g, &shape, m, antialias).unwrap();
                    let dot = |a: &Tensor, b: &Tensor| -> f64 {
                        a.to_f64_vec().iter().zip(b.to_f64_vec()).map(|(p, q)| p * q).sum()
                    };
                    let (lhs, rhs) = (dot(&y, &g), dot(&x, &gx));
                    assert!(
                        (lhs - rhs).abs() < 1e-9 * lhs.abs().max(1.0),
                        "{m:?} {antialias}: {lhs} vs {rhs}"
                    );
                }
            }
        }
    }
}
