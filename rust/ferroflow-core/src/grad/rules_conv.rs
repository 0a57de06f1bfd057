//! Gradient rules for convolution and pooling: each gradient is itself a `Conv` op, so second derivatives of
//! convolutions follow too.

use super::builder::Builder;
use crate::conv_op::{ConvOp, PoolKind};
use crate::error::Result;
use crate::graph::{Node, NodeId};
use crate::op::Op;

pub(super) fn input_grads(
    b: &mut Builder,
    node: &Node,
    op: ConvOp,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let ins = &node.inputs;
    let mut out = vec![None; ins.len()];
    let mut set = |b: &mut Builder, i: usize, op: ConvOp, inputs: &[NodeId]| -> Result<()> {
        if want[i] {
            out[i] = Some(b.add(Op::Conv(op), inputs)?);
        }
        Ok(())
    };
    match op {
        // y = conv(x, f)
        ConvOp::Conv2D(w) => {
            set(b, 0, ConvOp::Conv2DBackpropInput(w), &[g, ins[1], ins[0]])?;
            set(b, 1, ConvOp::Conv2DBackpropFilter(w), &[ins[0], g, ins[1]])?;
        }
        // dx = conv_transpose(dy, f), linear in each: <g, dx> = <conv(g, f), dy>
        ConvOp::Conv2DBackpropInput(w) => {
            set(b, 0, ConvOp::Conv2D(w), &[g, ins[1]])?;
            set(b, 1, ConvOp::Conv2DBackpropFilter(w), &[g, ins[0], ins[1]])?;
        }
        // df = patches(x)ᵀ·dy: <g, df> = <conv(x, g), dy>
        ConvOp::Conv2DBackpropFilter(w) => {
            set(b, 0, ConvOp::Conv2DBackpropInput(w), &[ins[1], g, ins[0]])?;
            set(b, 1, ConvOp::Conv2D(w), &[ins[0], g])?;
        }
        ConvOp::Pool { kind, size, window } => {
            set(b, 0, ConvOp::PoolGrad { kind, size, window }, &[g, ins[0]])?
        }
        // The average's gradient spreads dy linearly; its own gradient averages again.
        ConvOp::PoolGrad { kind: PoolKind::Avg, size, window } => {
            set(b, 0, ConvOp::Pool { kind: PoolKind::Avg, size, window }, &[g])?
        }
        // dx puts each dy at its window's argmax: linear in dy, so its gradient picks g at those pixels, and
        // that pick's gradient spreads back again. The argmax itself has zero derivative in x.
        ConvOp::PoolGrad { kind: PoolKind::Max, size, window } => {
            set(b, 0, ConvOp::MaxPoolGradGrad { size, window }, &[g, ins[1]])?
        }
        ConvOp::MaxPoolGradGrad { size, window } => {
            set(b, 0, ConvOp::PoolGrad { kind: PoolKind::Max, size, window }, &[g, ins[1]])?
        }
    }
    Ok(out)
}
