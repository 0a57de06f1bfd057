//! Reductions, softmax and cross-entropy, one-hot, argmax and random numbers on the GPU (kernels in
//! `kernels/reduce.cu`, `softmax.cu` and `random.cu`).

use super::device::CudaDevice;
use super::device_tensor::DeviceTensor;
use crate::cuda_args;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::ReduceOp;

/// Row kernels take one block per row, up to this many blocks (each loops over further rows).
const MAX_ROW_BLOCKS: usize = 65_535;

fn row_grid(rows: usize) -> u32 {
    rows.clamp(1, MAX_ROW_BLOCKS) as u32
}

pub fn reduce_code(op: ReduceOp) -> Option<i32> {
    match op {
        ReduceOp::Sum => Some(0),
        ReduceOp::Mean => Some(1),
        ReduceOp::Max => Some(2),
        ReduceOp::Min => Some(3),
        ReduceOp::Prod => None,
    }
}

/// `[outer, r, inner]` when the sorted `axes` are one contiguous run of `shape`'s axes, else None.
pub fn contiguous_split(shape: &[usize], axes: &[usize]) -> Option<(usize, usize, usize)> {
    if axes.is_empty() {
        return Some((shape.iter().product(), 1, 1));
    }
    let (first, last) = (axes[0], axes[axes.len() - 1]);
    if last - first + 1 != axes.len() {
        return None;
    }
    let outer = shape[..first].iter().product();
    let r = shape[first..=last].iter().product();
    let inner = shape[last + 1..].iter().product();
    Some((outer, r, inner))
}

/// Reduces float32 `x` over the sorted, contiguous `axes` into `out_shape`.
pub fn reduce(
    dev: &'static CudaDevice,
    code: i32,
    x: &DeviceTensor,
    axes: &[usize],
    out_shape: &[usize],
) -> Result<DeviceTensor> {
    if x.dtype() != DType::F32 {
        return Err(Error::dtype(format!("reductions on a GPU take float32, received {}", x.dtype())));
    }
    let (outer, r, inner) = contiguous_split(x.shape(), axes).ok_or_else(|| {
        Error::invalid(format!("GPU reductions take contiguous axes, received {axes:?} of {:?}", x.shape()))
    })?;
    let y = DeviceTensor::empty(dev, DType::F32, out_shape)?;
    if y.is_empty() {
        return Ok(y);
    }
    let (xp, yp) = (x.ptr(), y.ptr());
    let (outer, r64, inner64) = (outer as u64, r as u64, inner as u64);
    if inner == 1 {
        let mut params = cuda_args![xp, yp, outer, r64, code];
        // SAFETY: x holds outer * r values and y outer.
        unsafe { dev.launch("reduce_rows_f32", row_grid(outer as usize), &mut params) }?;
    } else {
        let mut params = cuda_args![xp, yp, outer, r64, inner64, code];
        // SAFETY: x holds outer * r * inner values and y outer * inner.
        unsafe { dev.launch_over("reduce_cols_f32", outer as usize * inner, &mut params) }?;
    }
    Ok(y)
}

fn rows_cols(x: &DeviceTensor) -> (u64, u64) {
    let cols = *x.shape().last().unwrap_or(&1);
    ((x.len() / cols.max(1)) as u64, cols as u64)
}

/// Softmax (or log-softmax) of float32 `x` over its last axis.
pub fn softmax(dev: &'static CudaDevice, x: &DeviceTensor, log: bool) -> Result<DeviceTensor> {
    let y = DeviceTensor::empty(dev, DType::F32, x.shape())?;
    if y.is_empty() {
        return Ok(y);
    }
    let (rows, cols) = rows_cols(x);
    let (xp, yp, log) = (x.ptr(), y.ptr(), log as i32);
    let mut params = cuda_args![xp, yp, rows, cols, log];
    // SAFETY: x and y hold rows * cols values.
    unsafe { dev.launch("softmax_rows_f32", row_grid(rows as usize), &mut params) }?;
    Ok(y)
}

/// Per-example sparse softmax cross-entropy of float32 logits `[..., classes]` and int32/int64 labels `[...]`.
pub fn sparse_xent(
    dev: &'static CudaDevice,
    logits: &DeviceTensor,
    labels: &DeviceTensor,
) -> Result<DeviceTensor> {
    let (rows, cols) = rows_cols(logits);
    if labels.len() as u64 != rows || !matches!(labels.dtype(), DType::I32 | DType::I64) {
        return Err(Error::invalid(format!(
            "sparse softmax cross-entropy takes one int32 or int64 label per row of logits {:?}, received {} {:?}",
            logits.shape(),
            labels.dtype(),
            labels.shape()
        )));
    }
    let y = DeviceTensor::empty(dev, DType::F32, &logits.shape()[..logits.shape().len() - 1])?;
    if y.is_empty() {
        return Ok(y);
    }
    let (lp, bp, yp, wide) = (logits.ptr(), labels.ptr(), y.ptr(), (labels.dtype() == DType::I64) as i32);
    let mut params = cuda_args![lp, bp, wide, yp, rows, cols];
    // SAFETY: logits hold rows * cols values, labels and y rows.
    unsafe { dev.launch("sparse_xent_rows_f32", row_grid(rows as usize), &mut params) }?;
    Ok(y)
}

/// float32 one-hot rows along a new last axis.
pub fn one_hot(
    dev: &'static CudaDevice,
    indices: &DeviceTensor,
    depth: usize,
    on: f32,
    off: f32,
) -> Result<DeviceTensor> {
    let mut shape = indices.shape().to_vec();
    shape.push(depth);
    let y = DeviceTensor::empty(dev, DType::F32, &shape)?;
    let (ip, wide, yp, n, d) =
        (indices.ptr(), (indices.dtype() == DType::I64) as i32, y.ptr(), indices.len() as u64, depth as u64);
    let mut params = cuda_args![ip, wide, yp, n, d, on, off];
    // SAFETY: indices hold n values, y n * depth.
    unsafe { dev.launch_over("one_hot_f32", y.len(), &mut params) }?;
    Ok(y)
}

/// int64 index of the first maximum along the last axis.
pub fn argmax_last(dev: &'static CudaDevice, x: &DeviceTensor) -> Result<DeviceTensor> {
    let (rows, cols) = rows_cols(x);
    if cols == 0 {
        return Err(Error::invalid("ArgMax over an empty axis"));
    }
    let y = DeviceTensor::empty(dev, DType::I64, &x.shape()[..x.shape().len() - 1])?;
    let (xp, yp) = (x.ptr(), y.ptr());
    let mut params = cuda_args![xp, yp, rows, cols];
    // SAFETY: x holds rows * cols values, y rows.
    unsafe { dev.launch_over("argmax_rows_f32", rows as usize, &mut params) }?;
    Ok(y)
}

/// Inverted dropout's keep-mask (`1 / (1 - rate)` or 0) for `shape`, from Philox with `seed` at step `run`.
pub fn dropout_mask(
    dev: &'static CudaDevice,
    shape: &[usize],
    rate: f32,
    seed: u64,
    run: u64,
) -> Result<DeviceTensor> {
    let y = DeviceTensor::empty(dev, DType::F32, shape)?;
    let (yp, n) = (y.ptr(), y.len() as u64);
    let mut params = cuda_args![yp, n, seed, run, rate];
    // SAFETY: y holds n float32 values.
    unsafe { dev.launch_over("dropout_mask_f32", y.len().div_ceil(4), &mut params) }?;
    Ok(y)
}

/// Uniform [0, 1) (`normal` false) or standard normal float32 numbers for `shape`.
pub fn random(
    dev: &'static CudaDevice,
    shape: &[usize],
    normal: bool,
    seed: u64,
    run: u64,
) -> Result<DeviceTensor> {
    let y = DeviceTensor::empty(dev, DType::F32, shape)?;
    let (yp, n, dist) = (y.ptr(), y.len() as u64, normal as i32);
    let mut params = cuda_args![yp, n, seed, run, dist];
    // SAFETY: y holds n float32 values.
    unsafe { dev.launch_over("random_f32", y.len().div_ceil(4), &mut params) }?;
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_axes_split_into_outer_reduced_inner() {
        assert_eq!(contiguous_split(&[2, 3, 4], &[1]), Some((2, 3, 4)));
        assert_eq!(contiguous_split(&[2, 3, 4], &[0, 1]), Some((1, 6, 4)));
        assert_eq!(contiguous_split(&[2, 3, 4], &[2]), Some((6, 4, 1)));
        assert_eq!(contiguous_split(&[2, 3, 4], &[0, 2]), None);
        assert_eq!(contiguous_split(&[2, 3], &[]), Some((6, 1, 1)));
    }
}
