//! `Conv2D` and its two gradients on NHWC images: im2col into a patch matrix, then one matrix product.
//!
//! Each output position's receptive field (`kh * kw` pixels of `in_channels` each) becomes one row of the
//! patch matrix, so the convolution is `patches [rows, kh*kw*cin] · filter [kh*kw*cin, cout]`, run by the
//! `gemm` crate's packed kernels. The filter gradient is `patchesᵀ · gradient`; the input gradient is
//! `gradient · filterᵀ` folded back onto the pixels (col2im). Every product reads its operands in place
//! through strides (a group's filter columns, a transposed filter, the rows of a chunk of the gradient) and
//! writes straight into the output, so nothing is copied around the products. Patch matrices are built for
//! a few images at a time, small enough to stay in a core's cache from im2col to the product (`PATCH_LIMIT`
//! elements), and the batch's chunks run on the pool's threads side by side, however large the
//! batch.

use super::elementwise::fast::parallel;
use super::layout::row_major;
use super::matmul::num_like::GemmFloat;
use crate::conv_op::{axis_geometry, Window};
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
use crate::tensor::{try_alloc, Element, Tensor, TensorData};
use ndarray::ArrayD;
use rayon::prelude::*;
use std::ops::Range;

/// Elements of a patch matrix one thread builds and multiplies at a time: 512 KB of float32, so that it is
/// still in the core's L2 cache when the product reads it. One 64 MB matrix for a whole batch-128 ResNet
/// layer made each convolution wait on memory (9x slower than this for 16-channel layers). Tests use a small
/// limit so that their batches are split into chunks too.
const PATCH_LIMIT: usize = if cfg!(test) { 1 << 10 } else { 1 << 17 };

/// The sizes of one convolution, from its input and filter shapes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Geometry {
    pub(super) n: usize,
    pub(super) h: usize,
    pub(super) w: usize,
    pub(super) c: usize,
    pub(super) kh: usize,
    pub(super) kw: usize,
    /// Input channels of one group (the filter's third dimension).
    pub(super) cin: usize,
    pub(super) cout: usize,
    pub(super) groups: usize,
    pub(super) oh: usize,
    pub(super) ow: usize,
    /// Padding rows above and columns left of the image.
    pub(super) pad: [usize; 2],
    pub(super) strides: [usize; 2],
    pub(super) dilations: [usize; 2],
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
    pub(super) fn taps(&self) -> usize {
        self.kh * self.kw * self.cin
    }

    fn cout_per_group(&self) -> usize {
        self.cout / self.groups
    }

    /// Images per patch matrix, so that it holds at most `PATCH_LIMIT` elements (at least one image).
    fn images_per_chunk(&self) -> usize {
        (PATCH_LIMIT / (self.oh * self.ow * self.taps()).max(1)).clamp(1, self.n.max(1))
    }

    /// The first input pixel of filter row `ky` at output (oy, ox) when the row's `kw` taps read `kw`
    /// adjacent pixels of all channels, all inside the image (one group, no column dilation, no padding).
    #[inline]
    fn whole_row(&self, oy: usize, ox: usize, ky: usize) -> Option<(usize, usize)> {
        if self.groups != 1 || self.dilations[1] != 1 {
            return None;
        }
        let (iy, ix) = self.source(oy, ox, ky, 0)?;
        (ix + self.kw <= self.w).then_some((iy, ix))
    }

    /// The input pixel (row, column) that tap (ky, kx) of output (oy, ox) reads, or None in the padding.
    #[inline]
    fn source(&self, oy: usize, ox: usize, ky: usize, kx: usize) -> Option<(usize, usize)> {
        let iy = (oy * self.strides[0] + ky * self.dilations[0]).checked_sub(self.pad[0])?;
        let ix = (ox * self.strides[1] + kx * self.dilations[1]).checked_sub(self.pad[1])?;
        (iy < self.h && ix < self.w).then_some((iy, ix))
    }
}

/// `dst.copy_from_slice(src)`, without a `memcpy` call for the few elements of a thin image's pixel (a
/// first layer's single channel), where the call costs more than the copy.
#[inline]
fn copy_short<T: Copy>(dst: &mut [T], src: &[T]) {
    if dst.len() <= 8 {
        for (d, s) in dst.iter_mut().zip(src) {
            *d = *s;
        }
    } else {
        dst.copy_from_slice(src);
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
    // Every element is written below (a copied pixel or a padding zero): no zero fill needed first.
    let mut col = crate::buffer_pool::overwritable::<T>(images.len() * g.oh * g.ow * taps)?;
    let fill = |(r, row): (usize, &mut [T])| {
        let (b, p) = (images.start + r / (g.oh * g.ow), r % (g.oh * g.ow));
        let (oy, ox) = (p / g.ow, p % g.ow);
        for ky in 0..g.kh {
            let taps_row = &mut row[ky * g.kw * g.cin..][..g.kw * g.cin];
            if let Some((iy, ix)) = g.whole_row(oy, ox, ky) {
                // The row's pixels sit side by side in the image: one copy instead of one per tap.
                let at = ((b * g.h + iy) * g.w + ix) * g.c;
                copy_short(taps_row, &x[at..at + taps_row.len()]);
                continue;
            }
            for (kx, dst) in taps_row.chunks_exact_mut(g.cin).enumerate() {
                match g.source(oy, ox, ky, kx) {
                    Some((iy, ix)) => {
                        let at = ((b * g.h + iy) * g.w + ix) * g.c + group * g.cin;
                        copy_short(dst, &x[at..at + g.cin]);
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

/// Adds the patch-matrix gradient `dcol` of a chunk's images (group `group`) back onto their pixels, `dx`
/// (the chunk's own images, one after another).
fn col2im<T: Element + std::ops::AddAssign>(dcol: &[T], g: &Geometry, group: usize, dx: &mut [T]) {
    let (image_len, taps, positions) = (g.h * g.w * g.c, g.taps(), g.oh * g.ow);
    if image_len == 0 || taps == 0 {
        return;
    }
    for (i, image) in dx.chunks_mut(image_len).enumerate() {
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
    }
}

/// A matrix operand in place: its first element and the element strides between rows and columns.
#[derive(Clone, Copy)]
struct Operand<T> {
    ptr: *const T,
    row_stride: usize,
    col_stride: usize,
}

/// `dst (+)= a · b` for an `m x k` `a` and a `k x n` `b`, into rows `dst_row_stride` apart; split across the
/// pool's threads when `may_split` and it is large (not when the caller already runs chunks side by side).
///
/// # Safety
/// `a`, `b` and `dst` must address every element of their matrices at these strides, and `dst` must not
/// overlap `a` or `b`.
unsafe fn product<T: GemmFloat>(
    dst: *mut T,
    dst_row_stride: usize,
    (m, n, k): (usize, usize, usize),
    a: Operand<T>,
    b: Operand<T>,
    accumulate: bool,
    may_split: bool,
) {
    if m == 0 || n == 0 {
        return;
    }
    let threads = crate::threading::current_threads();
    let parallelism = if may_split && m * n * k >= (1 << 18) && threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    gemm::gemm(
        m,
        n,
        k,
        dst,
        1,
        dst_row_stride as isize,
        accumulate,
        a.ptr,
        a.col_stride as isize,
        a.row_stride as isize,
        b.ptr,
        b.col_stride as isize,
        b.row_stride as isize,
        if accumulate { T::one() } else { T::zero() },
        T::one(),
        false,
        false,
        false,
        parallelism,
    );
}

/// The images of each chunk of the batch.
fn chunks(g: &Geometry) -> impl Iterator<Item = Range<usize>> + use<> {
    let (step, n) = (g.images_per_chunk(), g.n);
    (0..n).step_by(step).map(move |s| s..(s + step).min(n))
}

/// Runs `work(chunk index, images, that chunk's part of out)` for each chunk of `g`'s batch, where `out`
/// holds `per_image` elements per image: side by side on the pool's threads when there are several chunks
/// (each product then stays on its thread), else the one chunk with its product split across threads. Every
/// element is computed the same way either way, so results do not depend on where the kernel ran.
fn each_chunk<T: Send>(
    g: &Geometry,
    out: &mut [T],
    per_image: usize,
    work: impl Fn(Range<usize>, &mut [T], bool) -> Result<()> + Sync,
) -> Result<()> {
    let step = g.images_per_chunk();
    if per_image == 0 || out.is_empty() {
        return Ok(());
    }
    let side_by_side = g.n > step && crate::threading::current_threads() > 1;
    let run = |(i, part): (usize, &mut [T])| {
        let start = i * step;
        work(start..(start + step).min(g.n), part, !side_by_side)
    };
    if side_by_side {
        out.par_chunks_mut(step * per_image).enumerate().try_for_each(run)
    } else {
        out.chunks_mut(step * per_image).enumerate().try_for_each(run)
    }
}

/// What a fused convolution applies to its output rows while they are in cache: a per-channel bias, then
/// optionally relu.
struct Epilogue<'a, T> {
    bias: &'a [T],
    relu: bool,
}

fn forward<T: Element + GemmFloat + PartialOrd + std::ops::Add<Output = T>>(
    x: &ArrayD<T>,
    f: &ArrayD<T>,
    window: &Window,
    epilogue: Option<Epilogue<'_, T>>,
) -> Result<Tensor> {
    let g = Geometry::new(x.shape(), f.shape(), window)?;
    let (xs, fs) = (row_major(x), row_major(f));
    let out_shape = [g.n, g.oh, g.ow, g.cout];
    let (taps, cpg, positions) = (g.taps(), g.cout_per_group(), g.oh * g.ow);
    let mut out = crate::buffer_pool::overwritable::<T>(g.n * positions * g.cout)?;
    if taps == 0 {
        out.fill(T::default());
    }
    if out.is_empty() || taps == 0 {
        if let Some(e) = &epilogue {
            out.chunks_exact_mut(g.cout).for_each(|row| apply_epilogue(row, e));
        }
        return Tensor::from_vec(&out_shape, out);
    }
    let per_image = positions * g.cout;
    each_chunk(&g, &mut out, per_image, |images, chunk_out, may_split| {
        let rows = images.len() * positions;
        for k in 0..g.groups {
            let patches = im2col(&xs, &g, images.clone(), k)?;
            // chunk_out[rows, group k's columns] = patches · filter[:, group k's columns]
            // SAFETY: patches is rows x taps; the filter block is taps x cpg at row stride cout from column
            // k * cpg; the destination block is rows x cpg at row stride cout inside the chunk's output.
            unsafe {
                product(
                    chunk_out.as_mut_ptr().add(k * cpg),
                    g.cout,
                    (rows, cpg, taps),
                    Operand { ptr: patches.as_ptr(), row_stride: taps, col_stride: 1 },
                    Operand { ptr: fs.as_ptr().add(k * cpg), row_stride: g.cout, col_stride: 1 },
                    false,
                    may_split,
                );
            }
        }
        if let Some(e) = &epilogue {
            // After the product, not as its starting value, so the sums round exactly as the separate ops'.
            chunk_out.chunks_exact_mut(g.cout).for_each(|row| apply_epilogue(row, e));
        }
        Ok(())
    })?;
    Tensor::from_vec(&out_shape, out)
}

/// `forward` for float32, through the direct kernels (`conv_direct`, and `conv_winograd` for the 3 x 3
/// filters among them) where they take the convolution.
fn forward_f32(
    x: &ArrayD<f32>,
    f: &ArrayD<f32>,
    window: &Window,
    epilogue: Option<Epilogue<'_, f32>>,
) -> Result<Tensor> {
    let g = Geometry::new(x.shape(), f.shape(), window)?;
    if !super::conv_direct::takes(&g) {
        return forward(x, f, window, epilogue);
    }
    let (xs, fs) = (row_major(x), row_major(f));
    let mut out = crate::buffer_pool::overwritable::<f32>(g.n * g.oh * g.ow * g.cout)?;
    let (bias, relu) = epilogue.map_or((None, false), |e| (Some(e.bias), e.relu));
    if super::conv_winograd::takes(&g) {
        super::conv_winograd::forward(&xs, &fs, &g, bias, relu, &mut out)?;
    } else {
        super::conv_direct::forward(&xs, &fs, &g, bias, relu, &mut out);
    }
    Tensor::from_vec(&[g.n, g.oh, g.ow, g.cout], out)
}

/// Adds the bias to one output pixel's channels and applies relu (a select, not `max`, so NaN passes
/// through as the relu kernel lets it).
fn apply_epilogue<T: Element + PartialOrd + std::ops::Add<Output = T>>(row: &mut [T], e: &Epilogue<'_, T>) {
    if e.relu {
        row.iter_mut().zip(e.bias).for_each(|(v, &b)| {
            let y = *v + b;
            *v = if y < T::default() { T::default() } else { y };
        });
    } else {
        row.iter_mut().zip(e.bias).for_each(|(v, &b)| *v = *v + b);
    }
}

fn backprop_input<T: Element + GemmFloat + std::ops::AddAssign>(
    dy: &ArrayD<T>,
    f: &ArrayD<T>,
    x_shape: &[usize],
    window: &Window,
) -> Result<Tensor> {
    let g = Geometry::new(x_shape, f.shape(), window)?;
    check_gradient(dy.shape(), &g)?;
    let (dys, fs) = (row_major(dy), row_major(f));
    let mut dx = try_alloc::<T>(g.n * g.h * g.w * g.c)?;
    let (taps, cpg, positions) = (g.taps(), g.cout_per_group(), g.oh * g.ow);
    if dx.is_empty() || taps == 0 || positions * g.cout == 0 {
        return Tensor::from_vec(x_shape, dx);
    }
    each_chunk(&g, &mut dx, g.h * g.w * g.c, |images, chunk_dx, may_split| {
        let rows = images.len() * positions;
        let mut dcol = crate::buffer_pool::overwritable::<T>(rows * taps)?;
        for k in 0..g.groups {
            // dcol = dy[rows of the chunk, group k's columns] · filter[:, group k's columns]ᵀ
            // SAFETY: the gradient block is rows x cpg at row stride cout; the filter block read transposed is
            // cpg x taps (element (i, j) at j * cout + i); dcol is rows x taps and owned here.
            unsafe {
                product(
                    dcol.as_mut_ptr(),
                    taps,
                    (rows, taps, cpg),
                    Operand {
                        ptr: dys.as_ptr().add(images.start * positions * g.cout + k * cpg),
                        row_stride: g.cout,
                        col_stride: 1,
                    },
                    Operand { ptr: fs.as_ptr().add(k * cpg), row_stride: 1, col_stride: g.cout },
                    false,
                    may_split,
                );
            }
            col2im(&dcol, &g, k, chunk_dx);
        }
        Ok(())
    })?;
    Tensor::from_vec(x_shape, dx)
}

fn backprop_filter<T: Element + GemmFloat + std::ops::AddAssign>(
    x: &ArrayD<T>,
    dy: &ArrayD<T>,
    f_shape: &[usize],
    window: &Window,
) -> Result<Tensor> {
    let g = Geometry::new(x.shape(), f_shape, window)?;
    check_gradient(dy.shape(), &g)?;
    let (xs, dys) = (row_major(x), row_major(dy));
    let (taps, cpg, positions) = (g.taps(), g.cout_per_group(), g.oh * g.ow);
    let mut df = try_alloc::<T>(taps * g.cout)?;
    if df.is_empty() || g.n * positions == 0 {
        return Tensor::from_vec(f_shape, df);
    }
    // Each part sums the products of a fixed run of chunks into its own filter gradient, and the parts are
    // added in order: as many parts as the pool has threads, wherever this runs, so the sums are the same.
    let chunk_list: Vec<Range<usize>> = chunks(&g).collect();
    let parts = crate::threading::num_threads().clamp(1, chunk_list.len());
    let side_by_side = parts > 1 && crate::threading::current_threads() > 1;
    let mut partials: Vec<Vec<T>> =
        (1..parts).map(|_| try_alloc::<T>(taps * g.cout)).collect::<Result<_>>()?;
    let accumulate = |p: usize, dst: &mut [T]| -> Result<()> {
        for images in &chunk_list[crate::threading::part(chunk_list.len(), p, parts)] {
            let rows = images.len() * positions;
            for k in 0..g.groups {
                let patches = im2col(&xs, &g, images.clone(), k)?;
                // dst[:, group k's columns] += patchesᵀ · dy[rows of the chunk, group k's columns]
                // SAFETY: patches read transposed is taps x rows (element (i, j) at j * taps + i); the gradient
                // block is rows x cpg at row stride cout; dst's block is taps x cpg at row stride cout.
                unsafe {
                    product(
                        dst.as_mut_ptr().add(k * cpg),
                        g.cout,
                        (taps, cpg, rows),
                        Operand { ptr: patches.as_ptr(), row_stride: 1, col_stride: taps },
                        Operand {
                            ptr: dys.as_ptr().add(images.start * positions * g.cout + k * cpg),
                            row_stride: g.cout,
                            col_stride: 1,
                        },
                        true,
                        !side_by_side,
                    );
                }
            }
        }
        Ok(())
    };
    let mut all: Vec<&mut [T]> =
        std::iter::once(df.as_mut_slice()).chain(partials.iter_mut().map(|v| v.as_mut_slice())).collect();
    if side_by_side {
        all.par_iter_mut().enumerate().try_for_each(|(p, dst)| accumulate(p, dst))?;
    } else {
        all.iter_mut().enumerate().try_for_each(|(p, dst)| accumulate(p, dst))?;
    }
    for partial in &partials {
        df.iter_mut().zip(partial).for_each(|(d, &v)| *d += v);
    }
    Tensor::from_vec(f_shape, df)
}

/// The image size a `Conv2DBackpropInput` produces: the values of an integer vector (TensorFlow's
/// `input_sizes`), or the shape of a float tensor of that size.
pub fn input_sizes(t: &Tensor) -> Result<Vec<usize>> {
    if !t.dtype().is_index() {
        return Ok(t.shape().to_vec());
    }
    let values = t.to_i64_vec();
    if t.rank() != 1 || values.len() != 4 || values.iter().any(|&v| v < 0) {
        return Err(Error::invalid(format!(
            "conv2d_backprop_input expects input_sizes of four non-negative values, received {values:?} of shape {}",
            fmt_dims(t.shape())
        )));
    }
    Ok(values.into_iter().map(|v| v as usize).collect())
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
        (TensorData::F32(a), TensorData::F32(b)) => forward_f32(a, b, window, None),
        (TensorData::F64(a), TensorData::F64(b)) => forward(a, b, window, None),
        _ => Err(dtype_error("conv2d", x, f)),
    }
}

/// `conv2d(x, f) + bias`, then relu when `relu`: a convolution layer's forward pass in one kernel, the bias
/// and activation applied to each chunk's output rows while they are in cache. None when the operands are
/// not ones it takes (mixed dtypes, a bias that is not one value per output channel): the caller then runs
/// the ops one by one.
pub fn conv2d_bias(
    x: &Tensor,
    f: &Tensor,
    bias: &Tensor,
    window: &Window,
    relu: bool,
) -> Option<Result<Tensor>> {
    let cout = *f.shape().get(3)?;
    if bias.shape() != [cout] || f.rank() != 4 {
        return None;
    }
    match (x.data(), f.data(), bias.data()) {
        (TensorData::F32(a), TensorData::F32(b), TensorData::F32(c)) => {
            Some(forward_f32(a, b, window, Some(Epilogue { bias: c.as_slice()?, relu })))
        }
        (TensorData::F64(a), TensorData::F64(b), TensorData::F64(c)) => {
            Some(forward(a, b, window, Some(Epilogue { bias: c.as_slice()?, relu })))
        }
        _ => None,
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
