//! The CUDA backend's op table: whether an op has a GPU kernel (`has_kernel`, for placement) and running it
//! on device tensors (`compute`). Ops without a kernel for their inputs answer `None`, and the executor runs
//! the CPU kernel instead (soft placement at run time).

use super::device::CudaDevice;
use super::device_tensor::DeviceTensor;
use super::elementwise::{
    binary, binary_code, cast, cast_code, compare, compare_code, fill, relu_grad, unary, unary_code,
    BROADCAST_A,
};
use super::nn;
use super::variables;
use crate::dtype::DType;
use crate::error::Result;
use crate::op::{Distribution, Op};
use crate::shape::{normalize_axes, normalize_axis};
use std::sync::atomic::Ordering;

/// Whether `op`, producing `dtype`, has a GPU kernel (its inputs' dtypes are checked again at run time).
pub fn has_kernel(op: &Op, dtype: DType) -> bool {
    let f32_out = dtype == DType::F32;
    match op {
        Op::Unary(u) => f32_out && unary_code(*u).is_some(),
        Op::Binary(b) => f32_out && binary_code(*b).is_some(),
        Op::Compare(_) => dtype == DType::Bool,
        Op::ReluGrad
        | Op::FillLike { .. }
        | Op::MatMul { .. }
        | Op::Softmax { .. }
        | Op::LogSoftmax { .. } => f32_out,
        Op::SparseSoftmaxCrossEntropy | Op::UnreduceLike { .. } | Op::ReduceToShapeOf => f32_out,
        Op::Reduce { op, .. } => f32_out && nn::reduce_code(*op).is_some(),
        Op::OneHot { .. } | Op::DropoutMask { .. } | Op::RandomLike { .. } => f32_out,
        Op::ArgMax { output_type, .. } => *output_type == DType::I64,
        Op::Cast(to) => cast_code(*to).is_some(),
        Op::Identity | Op::StopGradient | Op::Reshape { .. } | Op::ReshapeLike => {
            super::device_tensor::storable(dtype)
        }
        Op::ExpandDims { .. } | Op::Squeeze { .. } => super::device_tensor::storable(dtype),
        Op::ReadVariable(var) => var.dtype() == DType::F32,
        Op::ApplyAdam { var, .. } | Op::ApplySgd { var, .. } | Op::ApplyAdagrad { var, .. } => {
            var.dtype() == DType::F32
        }
        _ => false,
    }
}

/// Runs `op` on `dev`; `None` when these inputs need the CPU kernel.
pub fn compute(dev: &'static CudaDevice, op: &Op, x: &[DeviceTensor]) -> Result<Option<DeviceTensor>> {
    dev.bind()?;
    let all_f32 = x.iter().all(|t| t.dtype() == DType::F32);
    let out = match op {
        Op::Unary(u) if all_f32 => unary_code(*u).map(|c| unary(dev, c, &x[0])).transpose()?,
        Op::Binary(b) if all_f32 && rank_ok(x) => {
            binary_code(*b).map(|c| binary(dev, c, &x[0], &x[1], None)).transpose()?
        }
        Op::Compare(c) if all_f32 && rank_ok(x) => Some(compare(dev, compare_code(*c), &x[0], &x[1])?),
        Op::ReluGrad if all_f32 && x[0].shape() == x[1].shape() => Some(relu_grad(dev, &x[0], &x[1])?),
        Op::FillLike { value, dtype } if dtype.unwrap_or(x[0].dtype()) == DType::F32 => {
            Some(fill(dev, x[0].shape(), *value as f32)?)
        }
        Op::Cast(to) if cast_code(x[0].dtype()).is_some() && cast_code(*to).is_some() => {
            Some(cast(dev, &x[0], *to)?)
        }
        Op::MatMul { transpose_a, transpose_b }
            if all_f32 && super::blas::supported(x[0].shape(), x[1].shape()) =>
        {
            Some(super::blas::matmul(dev, &x[0], &x[1], *transpose_a, *transpose_b)?)
        }
        Op::Reduce { op, axes, keepdims } if all_f32 => reduce(dev, *op, &x[0], axes.as_deref(), *keepdims)?,
        Op::Softmax { axis } | Op::LogSoftmax { axis } if all_f32 && is_last(*axis, x[0].shape().len()) => {
            Some(nn::softmax(dev, &x[0], matches!(op, Op::LogSoftmax { .. }))?)
        }
        Op::SparseSoftmaxCrossEntropy if x[0].dtype() == DType::F32 && !x[0].shape().is_empty() => {
            Some(nn::sparse_xent(dev, &x[0], &x[1])?)
        }
        Op::OneHot { depth, on_value, off_value, axis, dtype }
            if *dtype == DType::F32
                && matches!(x[0].dtype(), DType::I32 | DType::I64)
                && (*axis == -1 || *axis == x[0].shape().len() as i64) =>
        {
            Some(nn::one_hot(dev, &x[0], *depth, *on_value as f32, *off_value as f32)?)
        }
        Op::ArgMax { axis, output_type: DType::I64 } if all_f32 && is_last(*axis, x[0].shape().len()) => {
            Some(nn::argmax_last(dev, &x[0])?)
        }
        Op::UnreduceLike { axes, keepdims } if all_f32 => {
            unreduce_like(dev, &x[0], &x[1], axes.as_deref(), *keepdims)?
        }
        Op::ReduceToShapeOf if all_f32 => reduce_to_shape_of(dev, &x[0], x[1].shape())?,
        Op::DropoutMask { rate, seed, dtype: DType::F32, counter } => {
            let run = counter.fetch_add(1, Ordering::Relaxed);
            Some(nn::dropout_mask(dev, x[0].shape(), *rate as f32, *seed, run)?)
        }
        Op::RandomLike { dist, seed, dtype: DType::F32, counter, stateless } => {
            let run = if *stateless {
                counter.load(Ordering::Relaxed)
            } else {
                counter.fetch_add(1, Ordering::Relaxed)
            };
            Some(nn::random(dev, x[0].shape(), *dist == Distribution::Normal, *seed, run)?)
        }
        Op::ReadVariable(var) if var.dtype() == DType::F32 => Some(variables::resident(dev, var)?),
        Op::ApplyAdam { var, m, v, beta_1, beta_2, epsilon } if all_f32 && x[1].len() == 1 => {
            Some(variables::adam(dev, (var, m, v), &x[0], &x[1], (*beta_1, *beta_2, *epsilon))?)
        }
        Op::ApplySgd { var, m, momentum, nesterov } if all_f32 && x[1].len() == 1 => {
            Some(variables::sgd(dev, var, m.as_ref(), &x[0], &x[1], (*momentum, *nesterov))?)
        }
        Op::ApplyAdagrad { var, acc, epsilon } if all_f32 && x[1].len() == 1 => {
            Some(variables::adagrad(dev, (var, acc), &x[0], &x[1], *epsilon)?)
        }
        Op::Identity | Op::StopGradient | Op::AfterControls => Some(x[0].clone()),
        Op::ReshapeLike => Some(x[0].reshaped(x[1].shape())?),
        Op::Reshape { shape } => Some(x[0].reshaped(&resolve_reshape(shape, x[0].len())?)?),
        Op::ExpandDims { axis } => {
            let mut shape = x[0].shape().to_vec();
            shape.insert(normalize_axis(*axis, shape.len() + 1)?, 1);
            Some(x[0].reshaped(&shape)?)
        }
        Op::Squeeze { axes: None } => {
            let shape: Vec<usize> = x[0].shape().iter().copied().filter(|&d| d != 1).collect();
            Some(x[0].reshaped(&shape)?)
        }
        _ => None,
    };
    Ok(out)
}

fn rank_ok(x: &[DeviceTensor]) -> bool {
    x.iter().all(|t| t.shape().len() <= super::elementwise::MAX_RANK)
}

fn is_last(axis: i64, rank: usize) -> bool {
    rank > 0 && (axis == -1 || axis == rank as i64 - 1)
}

/// A static reshape target with its one -1 resolved.
fn resolve_reshape(target: &[i64], len: usize) -> Result<Vec<usize>> {
    let known: usize = target.iter().filter(|&&d| d >= 0).map(|&d| d as usize).product();
    Ok(target.iter().map(|&d| if d < 0 { len / known.max(1) } else { d as usize }).collect())
}

fn reduce(
    dev: &'static CudaDevice,
    op: crate::op::ReduceOp,
    x: &DeviceTensor,
    axes: Option<&[i64]>,
    keepdims: bool,
) -> Result<Option<DeviceTensor>> {
    let Some(code) = nn::reduce_code(op) else { return Ok(None) };
    let axes = normalize_axes(axes, x.shape().len())?;
    if nn::contiguous_split(x.shape(), &axes).is_none() || x.is_empty() {
        return Ok(None);
    }
    let out: Vec<usize> = (0..x.shape().len())
        .filter_map(|i| if axes.contains(&i) { keepdims.then_some(1) } else { Some(x.shape()[i]) })
        .collect();
    Ok(Some(nn::reduce(dev, code, x, &axes, &out)?))
}

/// The gradient of a reduction broadcast back to the reduced input's shape.
fn unreduce_like(
    dev: &'static CudaDevice,
    g: &DeviceTensor,
    like: &DeviceTensor,
    axes: Option<&[i64]>,
    keepdims: bool,
) -> Result<Option<DeviceTensor>> {
    let shape = like.shape();
    let axes = normalize_axes(axes, shape.len())?;
    let kept: Vec<usize> = (0..shape.len()).map(|i| if axes.contains(&i) { 1 } else { shape[i] }).collect();
    if shape.len() > super::elementwise::MAX_RANK || (!keepdims && g.len() != kept.iter().product::<usize>())
    {
        return Ok(None);
    }
    let g = g.reshaped(&kept)?;
    Ok(Some(binary(dev, BROADCAST_A, &g, like, Some(shape))?))
}

/// Sums `g` over the axes along which a tensor of `shape` was broadcast to `g`'s shape (bias gradients).
fn reduce_to_shape_of(
    dev: &'static CudaDevice,
    g: &DeviceTensor,
    shape: &[usize],
) -> Result<Option<DeviceTensor>> {
    let full = g.shape();
    if shape == full {
        return Ok(Some(g.clone()));
    }
    if shape.len() > full.len() {
        return Ok(None);
    }
    let pad = full.len() - shape.len();
    let axes: Vec<usize> =
        (0..full.len()).filter(|&i| i < pad || (shape[i - pad] == 1 && full[i] != 1)).collect();
    if nn::contiguous_split(full, &axes).is_none() {
        return Ok(None);
    }
    let summed = nn::reduce(dev, 0, g, &axes, shape)?;
    Ok(Some(summed))
}
