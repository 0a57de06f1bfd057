//! Gradient rule of the whole-sequence LSTM: one backward op, slices of its result, one weight product.

use super::builder::Builder;
use crate::error::{Error, Result};
use crate::graph::NodeId;
use crate::op::{Op, SliceSpec};

/// `[dx, dh0, dc0, dU]` for `y = LstmSequence(x, h0, c0, U)` and the gradient `g` of `y`.
pub(super) fn sequence(
    b: &mut Builder,
    y: NodeId,
    ins: &[NodeId],
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let units = b.shape(ins[1]).dims.as_ref().and_then(|d| d.get(1).copied().flatten()).ok_or_else(|| {
        Error::invalid("the gradient of BlockLSTM needs the number of units known statically")
    })? as i64;
    let ext = b.add(Op::LstmSequenceGrad, &[ins[0], ins[1], ins[2], ins[3], y, g])?;
    let range = |start: Option<i64>, stop: Option<i64>| SliceSpec::Range { start, stop, step: 1 };
    let mut out = vec![None; 4];
    if want[0] {
        out[0] = Some(b.add(Op::StridedSlice { specs: vec![range(None, Some(-1))] }, &[ext])?);
    }
    if want[1] {
        let specs = vec![SliceSpec::Index(-1), range(None, None), range(None, Some(units))];
        out[1] = Some(b.add(Op::StridedSlice { specs }, &[ext])?);
    }
    if want[2] {
        let specs = vec![SliceSpec::Index(-1), range(None, None), range(Some(units), Some(2 * units))];
        out[2] = Some(b.add(Op::StridedSlice { specs }, &[ext])?);
    }
    if want[3] {
        out[3] = Some(b.add(Op::LstmSequenceWeightGrad, &[ins[1], y, ext])?);
    }
    Ok(out)
}
