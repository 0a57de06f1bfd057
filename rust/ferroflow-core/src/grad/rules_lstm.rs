//! Gradient rule of the whole-sequence LSTM: one backward op, a slice of its result for the states, one
//! weight product.
//!
//! A recurrent layer reads the op's `[T, B, 6u]` output through slices: every step's `h`, the last `h`,
//! the last `c`. Their gradient rules would each make a `[T, B, 6u]` tensor, zero but for the slice, to be
//! summed here; instead the slices' own gradients are handed to the backward op in their compact shapes
//! (the zero-filled tensors their rules built are then used by nothing and never run).
//!
//! The inference form (`[h | c]` without the pre-activations, which the backward op needs) is
//! differentiated through a training form computed again from the same inputs: only a caller asking for
//! gradients of an inference call (an input gradient through a model called with `training=False`) pays.

use super::builder::Builder;
use crate::error::{Error, Result};
use crate::graph::NodeId;
use crate::op::{Op, SliceSpec};

/// Which part of the output a gradient contribution is the gradient of.
enum Part {
    /// Every step's `h`: `[T, B, u]`.
    EveryH,
    /// The last step's `h` or `c`: `[B, u]`.
    LastH,
    LastC,
    /// Anything else: a gradient of the whole output.
    Whole,
}

/// `[dx, dh0, dc0, dU]` for `y = LstmSequence(x, h0, c0, U)` and the contributions to the gradient of `y`.
pub(super) fn sequence(
    b: &mut Builder,
    y: NodeId,
    ins: &[NodeId],
    contributions: &[NodeId],
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let dims = b.shape(ins[1]).dims.clone();
    let units = dims.as_ref().and_then(|d| d.get(1).copied().flatten()).ok_or_else(|| {
        Error::invalid("the gradient of BlockLSTM needs the number of units known statically")
    })? as i64;
    let steps = b.shape(y).dims.as_ref().and_then(|d| d.first().copied().flatten()).map(|t| t as i64);
    let range = |start: Option<i64>, stop: Option<i64>| SliceSpec::Range { start, stop, step: 1 };
    let inference = matches!(b.graph.node(y).op, Op::LstmSequence { inference: true });
    let full = if inference { b.add(Op::LstmSequence { inference: false }, &ins[..4])? } else { y };
    let mut parts: [Vec<NodeId>; 4] = Default::default();
    for &c in contributions {
        let (part, mut g) = classify(b, y, c, units, steps);
        if inference && matches!(part, Part::Whole) {
            // A gradient of [h | c] as the first columns of the training form's [h | c | z].
            let specs = vec![range(None, None), range(None, None), range(None, Some(2 * units))];
            g = b.add(Op::StridedSliceGrad { specs }, &[g, full])?;
        }
        let slot = match part {
            Part::Whole => 0,
            Part::EveryH => 1,
            Part::LastH => 2,
            Part::LastC => 3,
        };
        parts[slot].push(g);
    }
    let dtype = b.dtype(full);
    let mut grads = Vec::with_capacity(4);
    for p in &parts {
        grads.push(if p.is_empty() { b.scalar(0.0, dtype)? } else { b.sum(p)? });
    }
    let with_states = want[1] || want[2];
    let mut inputs = vec![ins[0], ins[1], ins[2], ins[3], full];
    inputs.extend(grads);
    let dz = b.add(Op::LstmSequenceGrad { with_states }, &inputs)?;
    let mut out = vec![None; 4];
    if want[0] {
        out[0] = Some(if with_states {
            b.add(Op::StridedSlice { specs: vec![range(None, Some(-1))] }, &[dz])?
        } else {
            dz
        });
    }
    for (k, cols) in [(1, range(None, Some(units))), (2, range(Some(units), Some(2 * units)))] {
        if want[k] {
            let specs = vec![SliceSpec::Index(-1), range(None, None), cols];
            out[k] = Some(b.add(Op::StridedSlice { specs }, &[dz])?);
        }
    }
    if want[3] {
        out[3] = Some(b.add(Op::LstmSequenceWeightGrad, &[ins[1], full, dz])?);
    }
    Ok(out)
}

/// The part of `y` that contribution `c` is the gradient of, and that gradient in the part's shape: a
/// `StridedSliceGrad` of `y` by one of the slices a recurrent layer takes gives its incoming gradient.
fn classify(b: &Builder, y: NodeId, c: NodeId, units: i64, steps: Option<i64>) -> (Part, NodeId) {
    let node = b.graph.node(c);
    let Op::StridedSliceGrad { specs } = &node.op else { return (Part::Whole, c) };
    if node.inputs.get(1) != Some(&y) || specs.len() != 3 {
        return (Part::Whole, c);
    }
    let all = |s: &SliceSpec| matches!(s, SliceSpec::Range { start: None | Some(0), stop: None, step: 1 });
    let last = |s: &SliceSpec| matches!(s, SliceSpec::Index(i) if *i == -1 || Some(*i + 1) == steps);
    let columns = |s: &SliceSpec, from: i64| {
        let starts = |a: &Option<i64>| a.unwrap_or(0) == from;
        matches!(s, SliceSpec::Range { start, stop: Some(e), step: 1 } if starts(start) && *e == from + units)
    };
    let incoming = node.inputs[0];
    match (&specs[0], &specs[1], &specs[2]) {
        (t, r, col) if all(t) && all(r) && columns(col, 0) => (Part::EveryH, incoming),
        (t, r, col) if last(t) && all(r) && columns(col, 0) => (Part::LastH, incoming),
        (t, r, col) if last(t) && all(r) && columns(col, units) => (Part::LastC, incoming),
        _ => (Part::Whole, c),
    }
}
