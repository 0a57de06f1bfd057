//! Static shape and dtype inference: run when a node is added, so a bad graph fails while it is built.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer_arity::check_arity;
use crate::infer_shapes::*;
use crate::infer_slices::*;
use crate::op::{BinaryOp, CompareOp, Op, ReduceOp};
use crate::shape::{broadcast_shapes, normalize_axis, Shape};

pub use crate::infer_shapes::reduced_shape;
pub use crate::infer_slices::range_len;

type In<'a> = (&'a Shape, DType);

/// The output shape and dtype of `op` applied to inputs of the given shapes and dtypes, or an error
/// saying what the op expected and what it received.
pub fn infer(op: &Op, inputs: &[In]) -> Result<(Shape, DType)> {
    check_arity(op, inputs.len())?;
    let s = |i: usize| inputs[i].0;
    let d = |i: usize| inputs[i].1;
    Ok(match op {
        Op::Const(t) => (Shape::known(t.shape()), t.dtype()),
        Op::Placeholder { dtype, shape } => (shape.clone(), *dtype),
        Op::ReadVariable(v) => (v.shape().clone(), v.dtype()),
        Op::Assign { var, .. } => {
            same_dtype("Assign", var.dtype(), d(0))?;
            let _ = broadcast_shapes(var.shape(), s(0))?;
            if let (Some(a), Some(b)) = (var.shape().rank(), s(0).rank()) {
                if a != b {
                    return Err(Error::invalid(format!(
                        "cannot assign a value of shape {} to variable '{}' of shape {}",
                        s(0),
                        var.name(),
                        var.shape()
                    )));
                }
            }
            (var.shape().clone(), var.dtype())
        }
        Op::RandomLike { dtype, .. } | Op::DropoutMask { dtype, .. } => {
            require_float("random", *dtype)?;
            (s(0).clone(), *dtype)
        }
        Op::Group => (Shape::known(&[0]), DType::F32),
        Op::ApplyAdam { var, .. } | Op::ApplySgd { var, .. } | Op::ApplyAdagrad { var, .. } => {
            require_float("optimizer step", var.dtype())?;
            same_dtype("optimizer step", var.dtype(), d(0))?;
            same_dtype("optimizer step learning rate", var.dtype(), d(1))?;
            if let (Some(a), Some(b)) = (var.shape().to_concrete(), s(0).to_concrete()) {
                if a != b {
                    return Err(Error::invalid(format!(
                        "gradient of shape {} does not match variable '{}' of shape {}",
                        s(0),
                        var.name(),
                        var.shape()
                    )));
                }
            }
            (Shape::known(&[0]), DType::F32)
        }
        Op::Unary(u) => (s(0).clone(), unary_dtype(*u, d(0))?),
        Op::Binary(b) => {
            same_dtype(&format!("{b:?}"), d(0), d(1))?;
            match b {
                BinaryOp::LogicalAnd | BinaryOp::LogicalOr => {
                    require(d(0) == DType::Bool, || format!("{b:?} expects bool tensors, received {}", d(0)))?
                }
                BinaryOp::Atan2 => require_float("Atan2", d(0))?,
                BinaryOp::BitwiseAnd
                | BinaryOp::BitwiseOr
                | BinaryOp::BitwiseXor
                | BinaryOp::LeftShift
                | BinaryOp::RightShift => {
                    require(d(0).is_int(), || format!("{b:?} expects integer tensors, received {}", d(0)))?
                }
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow
                    if d(0).is_complex() => {}
                _ => require(d(0).is_numeric(), || {
                    format!("{b:?} expects numeric tensors, received {}", d(0))
                })?,
            }
            (broadcast_shapes(s(0), s(1))?, d(0))
        }
        Op::Compare(c) => {
            same_dtype(&format!("{c:?}"), d(0), d(1))?;
            // Complex numbers have no order: only equality compares them.
            require(!d(0).is_complex() || matches!(c, CompareOp::Equal | CompareOp::NotEqual), || {
                format!("{c:?} is not defined for {} tensors", d(0))
            })?;
            (broadcast_shapes(s(0), s(1))?, DType::Bool)
        }
        Op::Select => {
            require(d(0) == DType::Bool, || format!("where expects a bool condition, received {}", d(0)))?;
            same_dtype("where", d(1), d(2))?;
            (broadcast_shapes(&broadcast_shapes(s(0), s(1))?, s(2))?, d(1))
        }
        Op::Cast(to) => (s(0).clone(), crate::infer_strings::cast(d(0), *to)?),
        Op::FillLike { dtype, .. } => (s(0).clone(), dtype.unwrap_or(d(0))),
        Op::Identity | Op::StopGradient | Op::CheckNumerics { .. } | Op::AfterControls => {
            (s(0).clone(), d(0))
        }
        Op::EnsureShape { dims } => (s(0).merge(&Shape::from_dims(dims.clone()))?, d(0)),
        Op::SoftmaxGrad => {
            require_float("SoftmaxGrad", d(0))?;
            same_dtype("SoftmaxGrad", d(0), d(1))?;
            (s(0).merge(s(1))?, d(0))
        }
        Op::ReluGrad => {
            require_float("ReluGrad", d(0))?;
            same_dtype("ReluGrad", d(0), d(1))?;
            (broadcast_shapes(s(0), s(1))?, d(0))
        }
        Op::MatMul { transpose_a, transpose_b } => (matmul_shape(s(0), s(1), *transpose_a, *transpose_b)?, {
            same_dtype("MatMul", d(0), d(1))?;
            require(d(0).is_numeric() || d(0).is_complex(), || {
                format!("MatMul expects numeric tensors, received {}", d(0))
            })?;
            d(0)
        }),
        Op::Reduce { op, axes, keepdims } => {
            let complex_sum = d(0).is_complex() && matches!(op, ReduceOp::Sum | ReduceOp::Mean);
            require(d(0).is_numeric() || complex_sum, || {
                format!("reduce_{} expects a numeric tensor, received {}", reduce_name(*op), d(0))
            })?;
            (reduced_shape(s(0), axes.as_deref(), *keepdims)?, d(0))
        }
        Op::ArgMax { axis, output_type } | Op::ArgMin { axis, output_type } => {
            require(output_type.is_index(), || {
                format!("output_type must be int32 or int64, received {output_type}")
            })?;
            require(d(0).is_numeric(), || format!("argmax expects a numeric tensor, received {}", d(0)))?;
            (reduced_shape(s(0), Some(&[*axis]), false)?, *output_type)
        }
        Op::UnreduceLike { .. } | Op::ReduceToShapeOf | Op::BroadcastLike => (s(1).clone(), d(0)),
        Op::Reshape { shape } => (reshape_shape(s(0), shape)?, d(0)),
        Op::ReshapeLike => (s(1).clone(), d(0)),
        Op::Transpose { perm } => (transpose_shape(s(0), perm.as_deref())?, d(0)),
        Op::ExpandDims { axis } => (expand_dims_shape(s(0), *axis)?, d(0)),
        Op::Squeeze { axes } => (squeeze_shape(s(0), axes.as_deref())?, d(0)),
        Op::BroadcastTo { shape } => {
            let target = Shape::known(shape);
            let b = broadcast_shapes(s(0), &target)?;
            if b.rank() != target.rank() {
                return Err(Error::invalid(format!("cannot broadcast shape {} to {}", s(0), target)));
            }
            (target, d(0))
        }
        Op::Concat { axis } => concat_shape(inputs, *axis)?,
        Op::ConcatSplit { index, .. } => (inputs[1 + index].0.clone(), d(0)),
        Op::StridedSlice { specs } => (slice_shape(s(0), specs)?, d(0)),
        Op::Range { dtype } => {
            require(d(0).is_numeric() && d(1).is_numeric() && d(2).is_numeric(), || {
                format!("range expects numeric bounds, received {}, {} and {}", d(0), d(1), d(2))
            })?;
            (Shape::from_dims(vec![None]), *dtype)
        }
        Op::Fill => (crate::kernels::fill::fill_shape(s(0), d(0), s(1))?, d(1)),
        Op::Resize { height, width, method, .. } => resize_shape(s(0), d(0), [*height, *width], *method)?,
        Op::StridedSliceGrad { .. } | Op::GatherGrad { .. } | Op::ResizeGrad { .. } => {
            let like = inputs.len() - 1;
            (inputs[like].0.clone(), d(0))
        }
        Op::LstmCell => crate::kernels::lstm_cell::infer(inputs, None)?,
        Op::LstmCellGrad { wrt_state } => crate::kernels::lstm_cell::infer(inputs, Some(*wrt_state))?,
        Op::LstmSequence { inference } => crate::kernels::lstm_sequence::infer(inputs, 0, *inference)?,
        Op::LstmSequenceGrad { with_states } => {
            crate::kernels::lstm_sequence::infer(inputs, 1, *with_states)?
        }
        Op::LstmSequenceWeightGrad => crate::kernels::lstm_sequence::infer(inputs, 2, false)?,
        Op::ArgSort { .. } => {
            require(d(0).is_numeric(), || format!("sort expects a numeric tensor, received {}", d(0)))?;
            if s(0).rank() == Some(0) {
                return Err(Error::invalid("sort expects a tensor of rank 1 or more, received a scalar"));
            }
            (s(0).clone(), DType::I32)
        }
        Op::Unique { positions, out_idx } => {
            if s(0).rank().is_some_and(|r| r != 1) {
                return Err(Error::invalid(format!("unique expects a 1-D tensor, received shape {}", s(0))));
            }
            require(out_idx.is_index(), || {
                format!("unique's out_idx must be int32 or int64, received {out_idx}")
            })?;
            if *positions {
                (Shape::from_dims(vec![None]), DType::I64)
            } else {
                (
                    Shape::from_dims(vec![s(0).dims.as_ref().and_then(|d| d.first().copied()).flatten()]),
                    *out_idx,
                )
            }
        }
        Op::WriteRow => {
            require(d(1).is_index(), || {
                format!("write_row expects an int32 or int64 index, received {}", d(1))
            })?;
            same_dtype("write_row", d(0), d(2))?;
            if let (Some(buf), Some(_)) = (&s(0).dims, s(2).rank()) {
                let row = Shape::from_dims(buf.get(1..).unwrap_or_default().to_vec());
                if buf.is_empty() || row.merge(s(2)).is_err() {
                    return Err(Error::invalid(format!(
                        "write_row: a value of shape {} cannot be a row of a buffer of shape {}",
                        s(2),
                        s(0)
                    )));
                }
            }
            (s(0).clone(), d(0))
        }
        Op::Gather { axis } => {
            require(d(1).is_index(), || format!("gather expects int32 or int64 indices, received {}", d(1)))?;
            (gather_shape(s(0), s(1), *axis)?, d(0))
        }
        Op::OneHot { depth, axis, dtype, .. } => {
            require(d(0).is_index(), || {
                format!("one_hot expects int32 or int64 indices, received {}", d(0))
            })?;
            (one_hot_shape(s(0), *depth, *axis)?, *dtype)
        }
        Op::ShapeOf { out_type } => (Shape::from_dims(vec![s(0).rank()]), *out_type),
        Op::Softmax { axis } | Op::LogSoftmax { axis } => {
            require_float("softmax", d(0))?;
            if let Some(r) = s(0).rank() {
                normalize_axis(*axis, r)?;
            }
            (s(0).clone(), d(0))
        }
        Op::SparseSoftmaxCrossEntropy => {
            require_float("sparse_softmax_cross_entropy_with_logits", d(0))?;
            require(d(1).is_index(), || {
                format!(
                    "sparse_softmax_cross_entropy_with_logits expects int32 or int64 labels, received {}",
                    d(1)
                )
            })?;
            (sparse_xent_shape(s(0), s(1))?, d(0))
        }
        Op::Eigh | Op::Svd | Op::EighGrad | Op::SvdGrad => crate::infer_decompositions::infer(op, s, d)?,
        Op::Control(c) => c.infer(inputs)?,
        Op::Strings(op) => crate::infer_strings::infer(op, inputs)?,
        Op::Conv(op) => crate::conv_op::infer(op, inputs)?,
        Op::BatchNorm(op) => crate::batch_norm_op::infer(op, inputs)?,
        Op::Complex(op) => crate::complex_op::infer(op, inputs)?,
        Op::SoftmaxCrossEntropy => {
            require_float("softmax_cross_entropy_with_logits", d(0))?;
            same_dtype("softmax_cross_entropy_with_logits", d(0), d(1))?;
            let b = broadcast_shapes(s(0), s(1))?;
            (reduced_shape(&b, Some(&[-1]), false)?, d(0))
        }
    })
}

pub(crate) fn require(cond: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::dtype(msg()))
    }
}

pub(crate) fn require_float(what: &str, d: DType) -> Result<()> {
    require(d.is_float(), || format!("{what} expects a float32 or float64 tensor, received {d}"))
}

pub(crate) fn same_dtype(what: &str, a: DType, b: DType) -> Result<()> {
    require(a == b, || format!("{what} expects inputs of the same dtype, received {a} and {b}"))
}

#[cfg(test)]
#[path = "infer_tests.rs"]
mod tests;
