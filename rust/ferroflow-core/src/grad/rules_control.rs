//! Gradients through `While` and `Cond`: a backward loop over the forward loop's history, a conditional over the branches' gradients.
//!
//! A loop's gradient needs, at every iteration, the values the body computed there. Rather than storing every
//! intermediate, the forward loop keeps only each loop variable's value before each iteration (its history)
//! and the backward loop recomputes the body from it, iteration by iteration in reverse: one more forward
//! pass of the body per step, and memory for the loop variables only.

use super::builder::Builder;
use crate::control_flow::{add_with_items, copy_nodes, stacked, Body, CondSpec, ControlOp, WhileSpec};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, CompareOp, Op};
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::collections::HashMap;
use std::sync::Arc;

/// Gradients of a control node's inputs from the gradients of its results (`out_grads`, by result index).
pub(super) fn control_grads(
    b: &mut Builder,
    id: NodeId,
    out_grads: &[Option<NodeId>],
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let node = b.graph.node(id).clone();
    match &node.op {
        Op::Control(ControlOp::While(spec)) => while_grads(b, id, spec.clone(), out_grads, want),
        Op::Control(ControlOp::Cond(spec)) => cond_grads(b, &node.inputs, spec.clone(), out_grads, want),
        Op::Control(ControlOp::Call(spec)) => {
            super::rules_host_call::call_grads(b, id, spec, out_grads, want)
        }
        other => Err(Error::internal(format!("{} is not a control node", other.type_name()))),
    }
}

fn placeholder(g: &mut Graph, shape: Shape, dtype: DType, name: &str) -> Result<NodeId> {
    g.add(Op::Placeholder { dtype, shape }, &[], name)
}

/// The gradient of `ys` with respect to each of `xs` weighted by `dys`; where they do not depend on an x,
/// zeros shaped like its entry in `likes` (a node other than x, so that the zeros do not read x's value).
fn body_grads(
    g: &mut Graph,
    ys: &[NodeId],
    xs: &[NodeId],
    dys: &[NodeId],
    likes: &[NodeId],
) -> Result<Vec<NodeId>> {
    let grads = super::gradients(g, ys, xs, Some(dys))?;
    grads
        .into_iter()
        .zip(likes)
        .map(|(gr, &like)| match gr {
            Some(gr) => Ok(gr),
            None => g.add(Op::FillLike { value: 0.0, dtype: None }, &[like], "zeros"),
        })
        .collect()
}

fn while_grads(
    b: &mut Builder,
    id: NodeId,
    spec: Arc<WhileSpec>,
    out_grads: &[Option<NodeId>],
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let n = spec.num_vars();
    let n_caps = spec.body.inputs.len() - n;
    if out_grads.iter().skip(n).any(Option::is_some) {
        return Err(Error::invalid(
            "no gradient through a while_loop's recorded history: a second derivative of a loop is not supported",
        ));
    }
    let is_float = |(_, d): &(Shape, DType)| d.is_float();
    let vars: Vec<usize> = (0..n).filter(|&k| is_float(&spec.var_meta(k))).collect();
    let body_g = &spec.body.graph;
    let cap_meta = |j: usize| {
        let node = body_g.node(spec.body.inputs[n + j]);
        (node.shape.clone(), node.dtype)
    };
    let caps: Vec<usize> = (0..n_caps).filter(|&j| want[n + j] && is_float(&cap_meta(j))).collect();

    // The backward body: loop variables (i, dv for each float variable, dc for each wanted capture), then
    // captured values (every variable's history, every capture).
    let mut g = Graph::new();
    let i = placeholder(&mut g, Shape::scalar(), DType::I64, "i")?;
    let dv_in: Vec<NodeId> = vars
        .iter()
        .map(|&k| {
            let (s, d) = spec.var_meta(k);
            placeholder(&mut g, s, d, "dv")
        })
        .collect::<Result<_>>()?;
    let dc_in: Vec<NodeId> = caps
        .iter()
        .map(|&j| {
            let (s, d) = cap_meta(j);
            placeholder(&mut g, s, d, "dc")
        })
        .collect::<Result<_>>()?;
    let hist_in: Vec<NodeId> = (0..n)
        .map(|k| {
            let (s, d) = spec.var_meta(k);
            placeholder(&mut g, stacked(&s), d, "history")
        })
        .collect::<Result<_>>()?;
    let cap_in: Vec<NodeId> = (0..n_caps)
        .map(|j| {
            let (s, d) = cap_meta(j);
            placeholder(&mut g, s, d, "captured")
        })
        .collect::<Result<_>>()?;
    let mut substitute = HashMap::new();
    let mut var_at_i = Vec::with_capacity(n);
    for (&history, &var) in hist_in.iter().zip(&spec.body.inputs) {
        let v = g.add(Op::Gather { axis: 0 }, &[history, i], "value")?;
        substitute.insert(var, v);
        var_at_i.push(v);
    }
    for (&captured, &ph) in cap_in.iter().zip(&spec.body.inputs[n..]) {
        substitute.insert(ph, captured);
    }
    let roots: Vec<NodeId> = vars.iter().map(|&k| spec.body_outputs[k]).collect();
    let moved = copy_nodes(&mut g, body_g, &roots, &substitute, "body")?;
    let ys: Vec<NodeId> = roots.iter().map(|r| moved[r]).collect();
    let xs: Vec<NodeId> = vars.iter().map(|&k| var_at_i[k]).chain(caps.iter().map(|&j| cap_in[j])).collect();
    let likes: Vec<NodeId> = dv_in.iter().copied().chain(caps.iter().map(|&j| cap_in[j])).collect();
    let grads = if ys.is_empty() { Vec::new() } else { body_grads(&mut g, &ys, &xs, &dv_in, &likes)? };
    let one = g.add(Op::Const(Tensor::scalar(1i64)), &[], "one")?;
    let zero = g.add(Op::Const(Tensor::scalar(0i64)), &[], "zero")?;
    let next_i = g.add(Op::Binary(BinaryOp::Sub), &[i, one], "next_i")?;
    let go = g.add(Op::Compare(CompareOp::GreaterEqual), &[i, zero], "more")?;
    let mut next = vec![next_i];
    next.extend(grads.iter().take(vars.len()).copied());
    for (q, &dc) in dc_in.iter().enumerate() {
        match grads.get(vars.len() + q) {
            Some(&gc) => next.push(g.add(Op::Binary(BinaryOp::Add), &[dc, gc], "dc_sum")?),
            None => next.push(dc),
        }
    }
    let inputs: Vec<NodeId> =
        std::iter::once(i).chain(dv_in).chain(dc_in).chain(hist_in).chain(cap_in.iter().copied()).collect();
    // The forward loop records the history of the variables whose values the backward body reads.
    let reads = reached(&g, next.iter().copied().chain([go]));
    let record: Vec<bool> = var_at_i.iter().map(|&v| reads[v]).collect();
    let backward = WhileSpec::new(Body { graph: g, inputs }, go, next, None)?;
    let spec = Arc::new(spec.with_history(&record));
    b.graph.replace_op(id, Op::Control(ControlOp::While(spec.clone())))?;
    let forward_name = b.graph.node(id).name.clone();
    let item = |b: &mut Builder, index: usize, (shape, dtype): (Shape, DType)| {
        let name = format!("{forward_name}/output");
        b.graph.add(Op::Control(ControlOp::Item { index, shape, dtype }), &[id], &name)
    };
    let outputs = spec.outputs();
    let history: Vec<NodeId> =
        (0..n).map(|k| item(b, n + k, outputs[n + k].clone())).collect::<Result<_>>()?;

    // Its initial values in the forward graph: the last iteration's index, the incoming gradients (zeros for a
    // result nobody differentiated) and zero capture gradients.
    let count = id;
    let one = b.add(Op::Const(Tensor::scalar(1i64)), &[])?;
    let start = b.sub(count, one)?;
    let mut init = vec![start];
    for &k in &vars {
        let gk = match out_grads.get(k).copied().flatten() {
            Some(gk) => gk,
            None => {
                let last = item(b, k, outputs[k].clone())?;
                b.fill_like(last, 0.0)?
            }
        };
        init.push(gk);
    }
    let forward_inputs = b.graph.node(id).inputs.clone();
    for &j in &caps {
        init.push(b.fill_like(forward_inputs[n + j], 0.0)?);
    }
    init.extend(history);
    init.extend(&forward_inputs[n..]);
    let name = format!("{}/while", b.scope());
    let (_, results) = add_with_items(b.graph, ControlOp::While(Arc::new(backward)), &init, &name)?;
    let mut grads = vec![None; n + n_caps];
    for (q, &k) in vars.iter().enumerate() {
        if want[k] {
            grads[k] = Some(results[1 + q]);
        }
    }
    for (q, &j) in caps.iter().enumerate() {
        grads[n + j] = Some(results[1 + vars.len() + q]);
    }
    Ok(grads)
}

fn cond_grads(
    b: &mut Builder,
    inputs: &[NodeId],
    spec: Arc<CondSpec>,
    out_grads: &[Option<NodeId>],
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let src = &spec.branches.graph;
    let n_caps = spec.branches.inputs.len();
    let meta = |id: NodeId| (src.node(id).shape.clone(), src.node(id).dtype);
    let caps: Vec<usize> =
        (0..n_caps).filter(|&j| want[1 + j] && meta(spec.branches.inputs[j]).1.is_float()).collect();
    let outs: Vec<usize> = (0..spec.then_outputs.len())
        .filter(|&k| out_grads.get(k).copied().flatten().is_some() && meta(spec.then_outputs[k]).1.is_float())
        .collect();
    let mut grads = vec![None; inputs.len()];
    if caps.is_empty() || outs.is_empty() {
        return Ok(grads);
    }
    // The backward branches: captured values, then the incoming gradients; each branch recomputes its
    // forward values and differentiates them.
    let mut g = Graph::new();
    let cap_in: Vec<NodeId> = (0..n_caps)
        .map(|j| {
            let (s, d) = meta(spec.branches.inputs[j]);
            placeholder(&mut g, s, d, "captured")
        })
        .collect::<Result<_>>()?;
    let dy_in: Vec<NodeId> = outs
        .iter()
        .map(|&k| {
            let (s, d) = meta(spec.then_outputs[k]);
            placeholder(&mut g, s, d, "grad")
        })
        .collect::<Result<_>>()?;
    let substitute: HashMap<NodeId, NodeId> =
        spec.branches.inputs.iter().copied().zip(cap_in.iter().copied()).collect();
    let xs: Vec<NodeId> = caps.iter().map(|&j| cap_in[j]).collect();
    let mut branch = |outputs: &[NodeId], prefix: &str| -> Result<Vec<NodeId>> {
        let roots: Vec<NodeId> = outs.iter().map(|&k| outputs[k]).collect();
        let moved = copy_nodes(&mut g, src, &roots, &substitute, prefix)?;
        let ys: Vec<NodeId> = roots.iter().map(|r| moved[r]).collect();
        body_grads(&mut g, &ys, &xs, &dy_in, &xs)
    };
    let then_grads = branch(&spec.then_outputs, "then")?;
    let else_grads = branch(&spec.else_outputs, "else")?;
    let backward_inputs: Vec<NodeId> = cap_in.iter().chain(&dy_in).copied().collect();
    let backward = CondSpec::new(Body { graph: g, inputs: backward_inputs }, then_grads, else_grads)?;
    let mut node_inputs = inputs.to_vec();
    node_inputs.extend(outs.iter().filter_map(|&k| out_grads[k]));
    let name = format!("{}/cond", b.scope());
    let (_, results) = add_with_items(b.graph, ControlOp::Cond(Arc::new(backward)), &node_inputs, &name)?;
    for (q, &j) in caps.iter().enumerate() {
        grads[1 + j] = Some(results[q]);
    }
    Ok(grads)
}

/// Which nodes of `g` the `roots` depend on.
fn reached(g: &Graph, roots: impl Iterator<Item = NodeId>) -> Vec<bool> {
    let mut seen = vec![false; g.len()];
    let mut stack: Vec<NodeId> = roots.collect();
    while let Some(id) = stack.pop() {
        if !std::mem::replace(&mut seen[id], true) {
            stack.extend(g.node(id).inputs.iter().copied());
        }
    }
    seen
}
