//! Symbolic reverse-mode differentiation (`tf.gradients`): adds gradient nodes to the graph itself.
//!
//! Gradient rules only ever add ordinary nodes, so the result can be run by the same executor,
//! differentiated again (higher-order gradients), and shown in the graph view under `gradients/`.

mod builder;
mod rules;
mod rules_complex;
mod rules_control;
mod rules_conv;
mod rules_host_call;
mod rules_lstm;
mod rules_norm;
mod rules_shape;
mod rules_special;

use crate::control_flow::ControlOp;
use crate::error::{Error, Result};
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, Op, UnaryOp};
use builder::Builder;
use std::collections::HashMap;

/// Adds nodes computing d(sum of `ys`)/d(`xs`) and returns one node per x, or `None` for an x that no y
/// depends on through a differentiable path. `grad_ys` weights each y (default: ones shaped like it).
pub fn gradients(
    graph: &mut Graph,
    ys: &[NodeId],
    xs: &[NodeId],
    grad_ys: Option<&[NodeId]>,
) -> Result<Vec<Option<NodeId>>> {
    validate(graph, ys, xs, grad_ys)?;
    let n = graph.len();
    let need = prune(graph, ys, xs);
    let mut is_x = vec![false; n];
    for &x in xs {
        is_x[x] = true;
    }
    let mut b = Builder::new(graph);
    // Contributions wait here until every consumer of a node has been visited: consumers have larger
    // ids, so a descending sweep sees each node's gradient complete before passing it on.
    let mut pending: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    for (k, &y) in ys.iter().enumerate() {
        if !need[y] {
            continue;
        }
        let seed = match grad_ys {
            Some(g) => g[k],
            None => {
                let name = b.graph.node(y).name.clone();
                b.set_scope(&name);
                b.fill_like(y, 1.0)?
            }
        };
        pending[y].push(seed);
    }
    let mut total: Vec<Option<NodeId>> = vec![None; n];
    // The gradients of each control node's results, by result index (gathered from its `Item`s).
    let mut result_grads: HashMap<NodeId, Vec<Option<NodeId>>> = HashMap::new();
    for id in (0..n).rev() {
        if need[id] && is_control(&b.graph.node(id).op) {
            if let Some(outs) = result_grads.remove(&id) {
                let node = b.graph.node(id).clone();
                b.set_scope(&node.name);
                let want: Vec<bool> = node.inputs.iter().map(|&i| need[i]).collect();
                let grads = rules_control::control_grads(&mut b, id, &outs, &want)?;
                for (&input, gi) in node.inputs.iter().zip(grads) {
                    if let (true, Some(gi)) = (need[input], gi) {
                        pending[input].push(gi);
                    }
                }
            }
            continue;
        }
        if !need[id] || pending[id].is_empty() {
            continue;
        }
        let node = b.graph.node(id).clone();
        if let Op::Control(ControlOp::Item { index, .. }) = node.op {
            b.set_scope(&node.name);
            let contributions = std::mem::take(&mut pending[id]);
            let g = b.sum(&contributions)?;
            if is_x[id] {
                total[id] = Some(g);
            }
            let outs = result_grads.entry(node.inputs[0]).or_default();
            if outs.len() <= index {
                outs.resize(index + 1, None);
            }
            outs[index] = Some(match outs[index] {
                Some(earlier) => b.bin(BinaryOp::Add, earlier, g)?,
                None => g,
            });
            continue;
        }
        b.set_scope(&node.name);
        let contributions = std::mem::take(&mut pending[id]);
        // The whole-sequence LSTM's rule takes its contributions unsummed (`rules_lstm.rs`).
        let lstm = matches!(node.op, Op::LstmSequence { .. });
        let g = if lstm && !is_x[id] { contributions[0] } else { b.sum(&contributions)? };
        if is_x[id] {
            total[id] = Some(g);
        }
        let mask = grad_mask(&node.op, node.inputs.len());
        let want: Vec<bool> = node.inputs.iter().zip(&mask).map(|(&i, &m)| m && need[i]).collect();
        if !want.iter().any(|&w| w) {
            continue;
        }
        let grads = if lstm {
            rules_lstm::sequence(&mut b, id, &node.inputs, &contributions, &want)?
        } else {
            rules::input_grads(&mut b, id, &node, g, &want)?
        };
        for ((&input, &w), gi) in node.inputs.iter().zip(&want).zip(grads) {
            let (true, Some(gi)) = (w, gi) else { continue };
            let (gd, xd) = (b.graph.node(gi).dtype, b.graph.node(input).dtype);
            if gd != xd {
                return Err(Error::internal(format!(
                    "the gradient rule of {} '{}' produced a {gd} gradient for its {xd} input",
                    node.op.type_name(),
                    node.name
                )));
            }
            pending[input].push(gi);
        }
    }
    Ok(xs.iter().map(|&x| total[x]).collect())
}

fn validate(graph: &Graph, ys: &[NodeId], xs: &[NodeId], grad_ys: Option<&[NodeId]>) -> Result<()> {
    let n = graph.len();
    for &id in ys.iter().chain(xs).chain(grad_ys.unwrap_or(&[])) {
        if id >= n {
            return Err(Error::invalid(format!("node {id} is not in this graph ({n} nodes)")));
        }
    }
    for &y in ys {
        let node = graph.node(y);
        if !node.dtype.is_differentiable() {
            return Err(Error::dtype(format!(
                "cannot differentiate '{}': it is a {} tensor, and gradients need float or complex targets",
                node.name, node.dtype
            )));
        }
    }
    for &x in xs {
        let node = graph.node(x);
        if !node.dtype.is_differentiable() {
            return Err(Error::dtype(format!(
                "cannot take a gradient with respect to '{}': it is a {} tensor, and only float or \
                 complex tensors carry gradients",
                node.name, node.dtype
            )));
        }
    }
    if let Some(g) = grad_ys {
        if g.len() != ys.len() {
            return Err(Error::invalid(format!(
                "grad_ys has {} entries, expected one per y ({})",
                g.len(),
                ys.len()
            )));
        }
        for (&y, &gy) in ys.iter().zip(g) {
            let (yn, gn) = (graph.node(y), graph.node(gy));
            if yn.dtype != gn.dtype {
                return Err(Error::dtype(format!(
                    "grad_ys entry '{}' is {}, but the y it weights, '{}', is {}",
                    gn.name, gn.dtype, yn.name, yn.dtype
                )));
            }
        }
    }
    Ok(())
}

/// Marks the nodes on a differentiable path from some x to some y: only they get gradient nodes.
fn prune(graph: &Graph, ys: &[NodeId], xs: &[NodeId]) -> Vec<bool> {
    let n = graph.len();
    // Forward: a float node fed (through a differentiable input) by something reachable from xs.
    let mut from_x = vec![false; n];
    for &x in xs {
        from_x[x] = true;
    }
    let start = xs.iter().copied().min().unwrap_or(n);
    for id in start..n {
        let node = graph.node(id);
        // A control node's own output is an integer, but its float results carry gradients through it.
        if from_x[id] || !(node.dtype.is_differentiable() || is_control(&node.op)) {
            continue;
        }
        let mask = grad_mask(&node.op, node.inputs.len());
        from_x[id] = node.inputs.iter().zip(&mask).any(|(&i, &m)| m && from_x[i]);
    }
    // Backward: of those, the ones some y depends on.
    let mut need = vec![false; n];
    let mut stack: Vec<NodeId> = ys.iter().copied().filter(|&y| from_x[y]).collect();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut need[id], true) {
            continue;
        }
        let node = graph.node(id);
        let mask = grad_mask(&node.op, node.inputs.len());
        stack.extend(node.inputs.iter().zip(&mask).filter(|(&i, &m)| m && from_x[i]).map(|(&i, _)| i));
    }
    need
}

/// Which inputs of an op a gradient can flow into. Inputs used only for their shape (the second input of
/// `ReshapeLike`), indices, conditions and labels never receive one; neither does anything through a
/// non-differentiable op.
fn grad_mask(op: &Op, n: usize) -> Vec<bool> {
    let first_only = || (0..n).map(|i| i == 0).collect();
    match op {
        Op::Const(_)
        | Op::Placeholder { .. }
        | Op::ReadVariable(_)
        | Op::Assign { .. }
        | Op::RandomLike { .. }
        | Op::DropoutMask { .. }
        | Op::Group
        | Op::ApplyAdam { .. }
        | Op::ApplySgd { .. }
        | Op::ApplyAdagrad { .. }
        | Op::Compare(_)
        | Op::FillLike { .. }
        | Op::StopGradient
        | Op::ArgMax { .. }
        | Op::ArgMin { .. }
        | Op::ArgSort { .. }
        | Op::LstmCellGrad { .. }
        | Op::LstmSequenceGrad { .. }
        | Op::LstmSequenceWeightGrad
        | Op::Unique { .. }
        | Op::OneHot { .. }
        | Op::ShapeOf { .. }
        | Op::Range { .. }
        | Op::Strings(_)
        | Op::Unary(UnaryOp::LogicalNot | UnaryOp::Invert)
        | Op::Binary(
            BinaryOp::FloorDiv
            | BinaryOp::LogicalAnd
            | BinaryOp::LogicalOr
            | BinaryOp::BitwiseAnd
            | BinaryOp::BitwiseOr
            | BinaryOp::BitwiseXor
            | BinaryOp::LeftShift
            | BinaryOp::RightShift,
        ) => vec![false; n],
        Op::Select => vec![false, true, true],
        // The shape never gets a gradient; the value gets every element's.
        Op::Fill => vec![false, true],
        Op::WriteRow => vec![true, false, true],
        Op::Control(ControlOp::Cond(_)) => (0..n).map(|i| i > 0).collect(),
        Op::Conv(c) => c.differentiable_inputs(),
        Op::BatchNorm(b) => b.differentiable_inputs(),
        Op::Complex(c) => c.differentiable_inputs(),
        Op::UnreduceLike { .. }
        | Op::ReduceToShapeOf
        | Op::ReshapeLike
        | Op::BroadcastLike
        | Op::ConcatSplit { .. }
        | Op::StridedSliceGrad { .. }
        | Op::ResizeGrad { .. }
        | Op::Gather { .. }
        | Op::GatherGrad { .. }
        | Op::SparseSoftmaxCrossEntropy
        | Op::AfterControls
        | Op::ReluGrad => first_only(),
        _ => vec![true; n],
    }
}

/// `While`, `Cond` and `Call`: nodes whose gradients arrive through their `Item`s.
fn is_control(op: &Op) -> bool {
    matches!(op, Op::Control(ControlOp::While(_) | ControlOp::Cond(_) | ControlOp::Call(_)))
}
