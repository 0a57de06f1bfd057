//! float16 tensors: stored in half precision, computed in float32.
//!
//! TensorFlow's CPU kernels for `half` widen to float internally for most math; doing the same at the
//! dispatch keeps one tuned float32 kernel per op instead of a half copy of each. An op with a float16
//! input (or a float16 dtype attribute) runs on float32 copies, and its float32 result is narrowed back,
//! so the graph sees exactly the dtypes inference gave it. Shape ops move half values as they are.

use super::elementwise::fast::map;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::Op;
use crate::records::RecordOp;
use crate::string_op::StringOp;
use crate::tensor::{f16, Tensor, TensorData};

/// A float16 tensor widened to float32; other tensors as they are.
pub fn widen(x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::F16(a) => map(a, |v: f16| v.to_f32()),
        _ => Ok(x.clone()),
    }
}

/// A float32 tensor rounded to float16 (to nearest, ties to even, as TensorFlow's casts).
pub fn narrow(x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::F32(a) => map(a, f16::from_f32),
        TensorData::F16(_) => Ok(x.clone()),
        _ => Err(Error::internal(format!("narrowing a {} tensor to float16", x.dtype()))),
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

/// `op` with its float16 dtype attribute made float32, when it has one.
fn widened_op(op: &Op) -> Option<Op> {
    let widen = |d: &DType| if *d == DType::F16 { Some(DType::F32) } else { None };
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

/// Computes `op` in float32 when it involves float16 and does arithmetic; None when it does not.
pub fn compute(op: &Op, inputs: &[Tensor]) -> Option<Result<Tensor>> {
    let half_input = inputs.iter().any(|t| t.dtype() == DType::F16);
    let attr_op = widened_op(op);
    if (!half_input || moves_elements(op)) && attr_op.is_none() {
        return None;
    }
    let run = || -> Result<Tensor> {
        let wide: Vec<Tensor> = inputs.iter().map(widen).collect::<Result<_>>()?;
        let out = super::compute(attr_op.as_ref().unwrap_or(op), &wide)?;
        if out.dtype() == DType::F32 {
            narrow(&out)
        } else {
            Ok(out)
        }
    };
    Some(run())
}
