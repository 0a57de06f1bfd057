//! float16 and bfloat16 tensors: stored in 16 bits, computed in float32.
//!
//! TensorFlow's CPU kernels for `half` and `bfloat16` widen to float internally for most math; doing the
//! same at the dispatch keeps one tuned float32 kernel per op instead of a 16-bit copy of each. An op with
//! a 16-bit float input (or such a dtype attribute) runs on float32 copies, and its float32 result is
//! narrowed back to that dtype, so the graph sees exactly the dtypes inference gave it. Shape ops move
//! the 16-bit values as they are.

use super::elementwise::fast::map;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::Op;
use crate::records::RecordOp;
use crate::string_op::StringOp;
use crate::tensor::{bf16, f16, Tensor, TensorData};

/// A float16 or bfloat16 tensor widened to float32; other tensors as they are.
pub fn widen(x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::F16(a) => map(a, |v: f16| v.to_f32()),
        TensorData::BF16(a) => map(a, |v: bf16| v.to_f32()),
        _ => Ok(x.clone()),
    }
}

/// A float32 tensor rounded to float16 (to nearest, ties to even, as TensorFlow's casts).
pub fn narrow(x: &Tensor) -> Result<Tensor> {
    narrow_to(x, DType::F16)
}

/// A float32 tensor rounded to the 16-bit float `dtype` (to nearest, ties to even, as TensorFlow's casts).
pub fn narrow_to(x: &Tensor, dtype: DType) -> Result<Tensor> {
    match (x.data(), dtype) {
        (TensorData::F32(a), DType::F16) => map(a, f16::from_f32),
        (TensorData::F32(a), DType::BF16) => map(a, bf16::from_f32),
        _ if x.dtype() == dtype => Ok(x.clone()),
        _ => Err(Error::internal(format!("narrowing a {} tensor to {dtype}", x.dtype()))),
    }
}

/// Ops that move or pick elements without arithmetic: they run on half values directly.
fn moves_elements(op: &Op) -> bool {
    matches!(
        op,
        Op::Cast(_)
            | Op::FillLike { .. }
            | Op::Identity
            | Op::StopGradient
            | Op::AfterControls
            | Op::EnsureShape { .. }
            | Op::Reshape { .. }
            | Op::ReshapeLike
            | Op::Transpose { .. }
            | Op::ExpandDims { .. }
            | Op::Squeeze { .. }
            | Op::BroadcastTo { .. }
            | Op::Fill
            | Op::BroadcastLike
            | Op::Concat { .. }
            | Op::StridedSlice { .. }
            | Op::Gather { .. }
            | Op::WriteRow
            | Op::ShapeOf { .. }
            | Op::Assign { .. }
            // The proto holds the half values themselves (DT_HALF), as TensorFlow writes them.
            | Op::Strings(StringOp::Record(RecordOp::SerializeTensor))
    )
}

/// `op` with its 16-bit float dtype attribute made float32, when it has one.
fn widened_op(op: &Op) -> Option<Op> {
    let widen = |d: &DType| if d.is_half() { Some(DType::F32) } else { None };
    Some(match op {
        Op::RandomLike { dist, seed, dtype, counter, stateless } => Op::RandomLike {
            dist: *dist,
            seed: *seed,
            dtype: widen(dtype)?,
            counter: counter.clone(),
            stateless: *stateless,
        },
        Op::DropoutMask { rate, seed, dtype, counter } => {
            Op::DropoutMask { rate: *rate, seed: *seed, dtype: widen(dtype)?, counter: counter.clone() }
        }
        Op::Range { dtype } => Op::Range { dtype: widen(dtype)? },
        Op::OneHot { depth, on_value, off_value, axis, dtype } => Op::OneHot {
            depth: *depth,
            on_value: *on_value,
            off_value: *off_value,
            axis: *axis,
            dtype: widen(dtype)?,
        },
        _ => return None,
    })
}

/// The 16-bit float dtype `op` computes in: its dtype attribute's, or its first such input's.
fn half_dtype(op: &Op, inputs: &[Tensor]) -> Option<DType> {
    let attr = match op {
        Op::RandomLike { dtype, .. } | Op::DropoutMask { dtype, .. } | Op::Range { dtype } => Some(*dtype),
        Op::OneHot { dtype, .. } => Some(*dtype),
        _ => None,
    };
    attr.filter(|d| d.is_half()).or_else(|| inputs.iter().map(Tensor::dtype).find(|d| d.is_half()))
}

/// Computes `op` in float32 when it involves a 16-bit float and does arithmetic; None when it does not.
pub fn compute(op: &Op, inputs: &[Tensor]) -> Option<Result<Tensor>> {
    let half_input = inputs.iter().any(|t| t.dtype().is_half());
    let attr_op = widened_op(op);
    if (!half_input || moves_elements(op)) && attr_op.is_none() {
        return None;
    }
    let narrow_dtype = half_dtype(op, inputs)?;
    let run = || -> Result<Tensor> {
        let wide: Vec<Tensor> = inputs.iter().map(widen).collect::<Result<_>>()?;
        let out = super::compute(attr_op.as_ref().unwrap_or(op), &wide)?;
        if out.dtype() == DType::F32 {
            narrow_to(&out, narrow_dtype)
        } else {
            Ok(out)
        }
    };
    Some(run())
}

#[cfg(test)]
#[path = "half_precision_tests.rs"]
mod tests;
