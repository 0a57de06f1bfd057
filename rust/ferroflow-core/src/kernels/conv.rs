//! `Conv2D` and its two gradients on NHWC images: im2col into a patch matrix, then one matrix product.
//!
//! Each output position's receptive field (`kh * kw` pixels of `in_channels` each) becomes one row of the
//! patch matrix, so the convolution is `patches [rows, kh*kw*cin] · filter [kh*kw*cin, cout]`, and it runs
//! on the project's tuned matrix product (`matmul`, with its skinny and split paths) rather than a
//! hand-written loop nest. The filter gradient is `patchesᵀ · gradient`; the input gradient is
//! `gradient · filterᵀ` folded back onto the pixels (col2im). Patch matrices are built for a bounded number
//! of images at a time, so memory stays within `PATCH_LIMIT` elements however large the batch.

use super::elementwise::fast::parallel;
use super::matmul::matmul;
use super::shape_ops::reshape_to_reusing;
use crate::conv_op::{axis_geometry, Window};
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;
use std::ops::Range;

/// Elements of the patch matrix built at once (64 MB of float32); tests use a small limit so that their
/// batches are split into chunks too.
const PATCH_LIMIT: usize = if cfg!(test) { 1 << 10 } else { 1 << 24 };

/// The sizes of one convolution, from its input and filter shapes.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    n: usize,
    h: usize,
    w: usize,
    c: usize,
    kh: usize,
    kw: usize,
    /// Input channels of one group (the filter's third dimension).
    cin: usize,
    cout: usize,
    groups: usize,
    oh: usize,
    ow: usize,
    pad: [usize; 2],
    strides: [usize; 2],
    dilations: [usize; 2],
}

impl Geometry {
    fn new(x: &[usize], f: &[usize], window: &Window) -> Result<Geometry> {
        let ([n, h, w, c], [kh, kw, cin, cout]) = (four(x, "conv2d input")?, four(f, "conv2d filter")?);
        if cin == 0 || c % cin != 0 || cout % (c / cin).max(1) != 0 {
            return Err(Error::invalid(format!(
                "conv2d: input of shape {} and filter of shape {} do not match: the input depth must be a multiple \
                 of the filter's input depth, and the filter's output depth a multiple of their ratio (the groups)",
                fmt_dims(x),
                fmt_dims(f)
            )));
        }
        let (oh, top) = axis_geometry(h, kh, window.strides[0], window.dilations[0], window.padding, 0)?;
        let (ow, left) = axis_geometry(w, kw, window.strides[1], window.dilations[1], window.padding, 1)?;
        Ok(Geometry {
            n,
            h,
            w,
            c,
            kh,
            kw,
            cin,
            cout,
            groups: c / cin,
            oh,
            ow,
            pad: [top, left],
            strides: window.strides,
            dilations: window.dilations,
        })
    }

    /// Columns of the patch matrix: one filter's taps.
    fn taps(&self) -> usize {
        self.kh * self.kw * self.cin
    }

    fn cout_per_group(&self) -> usize {
        self.cout / self.groups
    }

    /// Images per patch matrix, so that it holds at most `PATCH_LIMIT` elements (at least one image).
    fn images_per_chunk(&self) -> usize {
        (PATCH_LIMIT / (self.oh * self.ow * self.taps()).max(1)).clamp(1, self.n.max(1))
    }

    /// The input pixel (row, column) that tap (ky, kx) of output (oy, ox) reads, or None in the padding.
    #[inline]
    fn source(&self, oy: usize, ox: usize, ky: usize, kx: usize) -> Option<(usize, usize)> {
        let iy = (oy * self.strides[0] + ky * self.dilations[0]).checked_sub(self.pad[0])?;
        let ix = (ox * self.strides[1] + kx * self.dilations[1]).checked_sub(self.pad[1])?;
        (iy < self.h && ix < self.w).then_some((iy, ix))
    }
}

fn four(s: &[usize], what: &str) -> Result<[usize; 4]> {
    match *s {
        [a, b, c, d] => Ok([a, b, c, d]),
        _ => Err(Error::invalid(format!("{what} must be 4-dimensional, received shape {}", fmt_dims(s)))),
    }
}

/// The patch matrix `[images * oh * ow, taps]` of group `group`'s channels.
fn im2col<T: Element>(x: &[T], g: &Geometry, images: Range<usize>, group: usize) -> Result<Vec<T>> {
    let taps = g.taps();
    let mut col = try_alloc::<T>(images.len() * g.oh * g.ow * taps)?;
    let fill = |(r, row): (usize, &mut [T])| {
        let (b, p) = (images.start + r / (g.oh * g.ow), r % (g.oh * g.ow));
        let (oy, ox) = (p / g.ow, p % g.ow);
        for ky in 0..g.kh {
            for kx in 0..g.kw {
                let dst = &mut row[(ky * g.kw + kx) * g.cin..][..g.cin];
                match g.source(oy, ox, ky, kx) {
                    Some((iy, ix)) => {
                        let at = ((b * g.h + iy) * g.w + ix) * g.c + group * g.cin;
                        dst.copy_from_slice(&x[at..at + g.cin]);
                    }
                    None => dst.fill(T::default()),
                }
            }
        }
    };
    if taps == 0 {
        return Ok(col);
    }
    if parallel(col.len()) {
        col.par_chunks_mut(taps).enumerate().for_each(fill);
    } else {
        col.chunks_mut(taps).enumerate().for_each(fill);
    }
    Ok(col)
}

/// Adds the patch-matrix gradient `dcol` of `images` (group `group`) back onto the pixels of `dx`.
fn col2im<T: Element + std::ops::AddAssign>(
    dcol: &[T],
    g: &Geometry,
    images: Range<usize>,
    group: usize,
    dx: &mut [T],
) {
    let (image_len, taps, positions) = (g.h * g.w * g.c, g.taps(), g.oh * g.ow);
    if image_len == 0 || taps == 0 {
        return;
    }
    let first = images.start;
    let fold = |(i, image): (usize, &mut [T])| {
        for p in 0..positions {
            let row = &dcol[(i * positions + p) * taps..][..taps];
            let (oy, ox) = (p / g.ow, p % g.ow);
            for ky in 0..g.kh {
                for kx in 0..g.kw {
                    if let Some((iy, ix)) = g.source(oy, ox, ky, kx) {
                        let at = (iy * g.w + ix) * g.c + group * g.cin;
                        let src = &row[(ky * g.kw + kx) * g.cin..][..g.cin];
                        for (d, &s) in image[at..at + g.cin].iter_mut().zip(src) {
                            *d += s;
                        }
                    }
                }
            }
        }
    };
    let chunk = &mut dx[first * image_len..images.end * image_len];
    if parallel(dcol.len()) {
        chunk.par_chunks_mut(image_len).enumerate().for_each(fold);
    } else {
        chunk.chunks_mut(image_len).enumerate().for_each(fold);
    }
}

/// Columns `cols` of the row-major `[rows, width]` matrix `m`, as a contiguous `[rows, cols.len()]` tensor.
fn columns<T: Element>(m: &[T], rows: Range<usize>, width: usize, cols: Range<usize>) -> Result<Tensor> {
    let mut out = Vec::with_capacity(rows.len() * cols.len());
    for r in rows.clone() {
        out.extend_from_slice(&m[r * width + cols.start..r * width + cols.end]);
    }
    Tensor::from_vec(&[rows.len(), cols.len()], out)
}

fn slice_of<T: Element>(t: &Tensor) -> Result<&[T]> {
    t.array::<T>()?.as_slice().ok_or_else(|| Error::internal("conv2d: a product is not contiguous"))
}

fn standard<T: Element>(a: &ArrayD<T>) -> std::borrow::Cow<'_, [T]> {
    match a.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(a.iter().copied().collect()),
    }
}

/// The images of each chunk of the batch.
fn chunks(g: &Geometry) -> impl Iterator<Item = Range<usize>> + use<> {
    let (step, n) = (g.images_per_chunk(), g.n);
    (0..n).step_by(step).map(move |s| s..(s + step).min(n))
}

fn forward<T: Element>(x: &ArrayD<T>, f: &ArrayD<T>, window: &Window) -> Result<Tensor> {
    let g = Geometry::new(x.shape(), f.shape(), window)?;
    let (xs, fs) = (standard(x), standard(f));
    let out_shape = [g.n, g.oh, g.ow, g.cout];
    let (taps, cpg, positions) = (g.taps(), g.cout_per_group(), g.oh * g.ow);
    if g.n * positions * g.cout == 0 || taps == 0 {
        return Tensor::from_vec(&out_shape, try_alloc::<T>(g.n * positions * g.cout)?);
    }
    let filters: Vec<Tensor> = (0..g.groups)
        .map(|k| columns(&fs, 0..taps, g.cout, k * cpg..(k + 1) * cpg))
        .collect::<Result<_>>()?;
    if g.groups == 1 && g.images_per_chunk() >= g.n {
        // One product whose [rows, cout] result is already the NHWC output.
        let patches = Tensor::from_vec(&[g.n * positions, taps], im2col(&xs, &g, 0..g.n, 0)?)?;
        let mut out = matmul(&patches, &filters[0], false, false)?;
        return reshape_to_reusing(&mut out, &out_shape)
            .unwrap_or_else(|| super::shape_ops::reshape_to(&out, &out_shape));
    }
    let mut out = try_alloc::<T>(g.n * positions * g.cout)?;
    for images in chunks(&g) {
        for (k, filter) in filters.iter().enumerate() {
            let patches =
                Tensor::from_vec(&[images.len() * positions, taps], im2col(&xs, &g, images.clone(), k)?)?;
            let part = matmul(&patches, filter, false, false)?;
            let part = slice_of::<T>(&part)?;
            for (r, src) in part.chunks(cpg).enumerate() {
                let at = (images.start * positions + r) * g.cout + k * cpg;
                out[at..at + cpg].copy_from_slice(src);
            }
        }
    }
    Tensor::from_vec(&out_shape, out)
}

/// The output gradient rows of `images`, group `k`'s channels, as a `[rows, cout / groups]` tensor.
fn gradient_rows<T: Element>(dy: &[T], g: &Geometry, images: &Range<usize>, k: usize) -> Result<Tensor> {
    let positions = g.oh * g.ow;
    let cpg = g.cout_per_group();
    columns(dy, images.start * positions..images.end * positions, g.cout, k * cpg..(k + 1) * cpg)
}

fn backprop_input<T: Element + std::ops::AddAssign>(
    dy: &ArrayD<T>,
    f: &ArrayD<T>,
    x_shape: &[usize],
    window: &Window,
) -> Result<Tensor> {
    let g = Geometry::new(x_shape, f.shape(), window)?;
    check_gradient(dy.shape(), &g)?;
    let (dys, fs) = (standard(dy), standard(f));
    let mut dx = try_alloc::<T>(g.n * g.h * g.w * g.c)?;
    let (taps, cpg) = (g.taps(), g.cout_per_group());
    if dx.is_empty() || taps == 0 || g.oh * g.ow * g.cout == 0 {
        return Tensor::from_vec(x_shape, dx);
    }
    let filters: Vec<Tensor> = (0..g.groups)
        .map(|k| columns(&fs, 0..taps, g.cout, k * cpg..(k + 1) * cpg))
        .collect::<Result<_>>()?;
    for images in chunks(&g) {
        for (k, filter) in filters.iter().enumerate() {
            let rows = gradient_rows(&dys, &g, &images, k)?;
            let dcol = matmul(&rows, filter, false, true)?;
            col2im(slice_of::<T>(&dcol)?, &g, images.clone(), k, &mut dx);
        }
    }
    Tensor::from_vec(x_shape, dx)
}

fn backprop_filter<T: Element + std::ops::AddAssign>(
    x: &ArrayD<T>,
    dy: &ArrayD<T>,
    f_shape: &[usize],
    window: &Window,
) -> Result<Tensor> {
    let g = Geometry::new(x.shape(), f_shape, window)?;
    check_gradient(dy.shape(), &g)?;
    let (xs, dys) = (standard(x), standard(dy));
    let (taps, cpg, positions) = (g.taps(), g.cout_per_group(), g.oh * g.ow);
    let mut df = try_alloc::<T>(taps * g.cout)?;
    if df.is_empty() || g.n * positions == 0 {
        return Tensor::from_vec(f_shape, df);
    }
    for images in chunks(&g) {
        for k in 0..g.groups {
            let patches =
                Tensor::from_vec(&[images.len() * positions, taps], im2col(&xs, &g, images.clone(), k)?)?;
            let rows = gradient_rows(&dys, &g, &images, k)?;
            let part = matmul(&patches, &rows, true, false)?;
            for (t, src) in slice_of::<T>(&part)?.chunks(cpg).enumerate() {
                for (d, &s) in df[t * g.cout + k * cpg..][..cpg].iter_mut().zip(src) {
                    *d += s;
                }
            }
        }
    }
    Tensor::from_vec(f_shape, df)
}

fn check_gradient(dy: &[usize], g: &Geometry) -> Result<()> {
    if dy != [g.n, g.oh, g.ow, g.cout] {
        return Err(Error::invalid(format!(
            "conv2d gradient of shape {} does not match the convolution's output shape {}",
            fmt_dims(dy),
            fmt_dims(&[g.n, g.oh, g.ow, g.cout])
        )));
    }
    Ok(())
}

fn dtype_error(what: &str, a: &Tensor, b: &Tensor) -> Error {
    Error::dtype(format!(
        "{what} expects float32 or float64 tensors of one dtype, received {} and {}",
        a.dtype(),
        b.dtype()
    ))
}

/// `tf.nn.conv2d` of NHWC `x` with the filter `f` `[kh, kw, cin, cout]`.
pub fn conv2d(x: &Tensor, f: &Tensor, window: &Window) -> Result<Tensor> {
    match (x.data(), f.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => forward(a, b, window),
        (TensorData::F64(a), TensorData::F64(b)) => forward(a, b, window),
        _ => Err(dtype_error("conv2d", x, f)),
    }
}

/// The gradient of `conv2d` with respect to images of shape `x_shape`, from the output gradient `dy`.
pub fn conv2d_backprop_input(dy: &Tensor, f: &Tensor, x_shape: &[usize], window: &Window) -> Result<Tensor> {
    match (dy.data(), f.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => backprop_input(a, b, x_shape, window),
        (TensorData::F64(a), TensorData::F64(b)) => backprop_input(a, b, x_shape, window),
        _ => Err(dtype_error("conv2d_backprop_input", dy, f)),
    }
}

/// The gradient of `conv2d` with respect to a filter of shape `f_shape`, from the output gradient `dy`.
pub fn conv2d_backprop_filter(x: &Tensor, dy: &Tensor, f_shape: &[usize], window: &Window) -> Result<Tensor> {
    match (x.data(), dy.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => backprop_filter(a, b, f_shape, window),
        (TensorData::F64(a), TensorData::F64(b)) => backprop_filter(a, b, f_shape, window),
        _ => Err(dtype_error("conv2d_backprop_filter", x, dy)),
    }
}

#[cfg(test)]
#[path = "conv_tests.rs"]
mod tests;
