//! How many inputs each op takes, checked before its shapes are inferred.

use crate::error::{Error, Result};
use crate::infer::require;
use crate::op::Op;

/// Fails unless `op` was given `n` inputs (or a number it accepts).
pub(crate) fn check_arity(op: &Op, n: usize) -> Result<()> {
    let expected: Option<usize> = match op {
        Op::Const(_) | Op::Placeholder { .. } | Op::ReadVariable(_) => Some(0),
        Op::Complex(c) => Some(c.arity()),
        Op::Group | Op::Strings(_) | Op::Conv(_) | Op::BatchNorm(_) | Op::Control(_) => None,
        Op::AfterControls => return require(n >= 1, || "AfterControls expects an input".into()),
        Op::Concat { .. } => {
            return require(n >= 1, || "concat expects at least one input, received none".to_string());
        }
        Op::ConcatSplit { index, .. } => {
            return require(n >= 2 + index, || {
                format!("ConcatSplit index {index} needs at least {} inputs, received {n}", index + 2)
            });
        }
        Op::Binary(_)
        | Op::Compare(_)
        | Op::MatMul { .. }
        | Op::UnreduceLike { .. }
        | Op::ReduceToShapeOf
        | Op::ReshapeLike
        | Op::BroadcastLike
        | Op::Gather { .. }
        | Op::StridedSliceGrad { .. }
        | Op::ResizeGrad { .. }
        | Op::SparseSoftmaxCrossEntropy
        | Op::SoftmaxCrossEntropy
        | Op::EighGrad
        | Op::ApplyAdam { .. }
        | Op::ApplySgd { .. }
        | Op::ApplyAdagrad { .. }
        | Op::LstmCell
        | Op::ReluGrad
        | Op::SoftmaxGrad
        | Op::Fill => Some(2),
        Op::Select
        | Op::GatherGrad { .. }
        | Op::SvdGrad
        | Op::Range { .. }
        | Op::WriteRow
        | Op::LstmCellGrad { .. }
        | Op::LstmSequenceWeightGrad => Some(3),
        Op::LstmSequence { .. } => Some(4),
        Op::LstmSequenceGrad { .. } => Some(9),
        _ => Some(1),
    };
    match expected {
        Some(e) if e != n => {
            Err(Error::invalid(format!("{} expects {e} inputs, received {n}", op.type_name())))
        }
        _ => Ok(()),
    }
}
