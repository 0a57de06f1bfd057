//! Gradient rules for batch and layer normalization: two passes backward (channel sums, then the input gradient).
//!
//! The gradient ops themselves have no rule, so a second derivative through a training-mode batch
//! normalization raises a clear error instead of silently returning a wrong value.

use super::builder::Builder;
use super::rules::no_rule;
use crate::batch_norm_op::BatchNormOp;
use crate::error::Result;
use crate::graph::{Node, NodeId};
use crate::op::{Op, SliceSpec};

pub(super) fn input_grads(
    b: &mut Builder,
    y: NodeId,
    node: &Node,
    op: BatchNormOp,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let ins = &node.inputs;
    let mut out = vec![None; ins.len()];
    match op {
        BatchNormOp::Moments => {
            out[0] = Some(b.add(Op::BatchNorm(BatchNormOp::MomentsGrad), &[ins[0], y, g])?);
        }
        // y = x_hat * gamma + beta, with x_hat normalized by x's own moments (ins[1]).
        BatchNormOp::Training { epsilon } => {
            let (x, moments, gamma) = (ins[0], ins[1], ins[2]);
            let sums = b.add(Op::BatchNorm(BatchNormOp::GradSums { epsilon }), &[g, x, moments])?;
            if want[0] {
                let dx = BatchNormOp::GradInput { epsilon };
                out[0] = Some(b.add(Op::BatchNorm(dx), &[g, x, moments, gamma, sums])?);
            }
            if want[2] {
                out[2] = Some(row(b, sums, 1)?);
            }
            if want[3] {
                out[3] = Some(row(b, sums, 0)?);
            }
        }
        // y = x_hat * gamma + beta, with x_hat normalized by each row's own moments.
        BatchNormOp::LayerNorm { epsilon } => {
            let (x, gamma) = (ins[0], ins[1]);
            if want[0] {
                out[0] =
                    Some(b.add(Op::BatchNorm(BatchNormOp::LayerNormGradInput { epsilon }), &[g, x, gamma])?);
            }
            if want[1] || want[2] {
                let sums = b.add(Op::BatchNorm(BatchNormOp::LayerNormGradSums { epsilon }), &[g, x])?;
                if want[1] {
                    out[1] = Some(row(b, sums, 1)?);
                }
                if want[2] {
                    out[2] = Some(row(b, sums, 0)?);
                }
            }
        }
        BatchNormOp::MomentsGrad
        | BatchNormOp::GradSums { .. }
        | BatchNormOp::GradInput { .. }
        | BatchNormOp::LayerNormGradSums { .. }
        | BatchNormOp::LayerNormGradInput { .. } => return Err(no_rule(node)),
    }
    Ok(out)
}

/// Row `i` of a packed `[2, C]` tensor, as `[C]`.
fn row(b: &mut Builder, packed: NodeId, i: i64) -> Result<NodeId> {
    b.add(Op::StridedSlice { specs: vec![SliceSpec::Index(i)] }, &[packed])
}
