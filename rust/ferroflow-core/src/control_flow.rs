//! Graph control flow: `While` and `Cond` nodes that run sub-graphs (the bodies of `tf.while_loop` and `tf.cond`).
//!
//! A node has one output, but a loop has one result per loop variable. The control node's own output is
//! therefore a small scalar (a loop's iteration count, a conditional's predicate) and each result is an
//! `Item` node reading it: the executor keeps the control node's results beside its slot until its last
//! `Item` has read them. Sub-graph plans are compiled on first use and shared by every run.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::host_call::CallSpec;
use crate::op::Op;
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A sub-graph and the placeholders its caller feeds, in feed order.
#[derive(Debug)]
pub struct Body {
    pub graph: Graph,
    pub inputs: Vec<NodeId>,
}

/// A plan over a body, compiled on first use.
#[derive(Debug, Default)]
struct LazyPlan(OnceLock<Plan>);

impl LazyPlan {
    fn get(&self, body: &Body, fetches: &[NodeId]) -> Result<&Plan> {
        if let Some(plan) = self.0.get() {
            return Ok(plan);
        }
        let plan = Plan::new(&body.graph, fetches, &body.inputs)?;
        Ok(self.0.get_or_init(|| plan))
    }
}

/// `tf.while_loop`: the body graph's inputs are the loop variables, then the captured values.
#[derive(Debug)]
pub struct WhileSpec {
    pub body: Body,
    /// A scalar bool computed from the inputs: whether to run the body again.
    pub cond_output: NodeId,
    /// The loop variables' next values, one per loop variable.
    pub body_outputs: Vec<NodeId>,
    pub maximum_iterations: Option<i64>,
    /// With `Some(record)`, also output the value before each iteration of every loop variable `k` with
    /// `record[k]`, stacked on a new leading axis (an empty stack for the others): what the backward loop of
    /// the gradient reads. Set by the gradient rule, so loops nobody differentiates keep no history, and only
    /// for variables the backward loop reads (a TensorArray buffer that is only written needs none).
    pub history: Option<Vec<bool>>,
    cond_plan: LazyPlan,
    body_plan: LazyPlan,
}

/// `tf.cond`: both branches live in one graph over the same captured inputs; a run evaluates one of them.
#[derive(Debug)]
pub struct CondSpec {
    pub branches: Body,
    pub then_outputs: Vec<NodeId>,
    pub else_outputs: Vec<NodeId>,
    then_plan: LazyPlan,
    else_plan: LazyPlan,
}

#[derive(Debug, Clone)]
pub enum ControlOp {
    /// Inputs: the loop variables' initial values, then the captured values. Output: the iteration count.
    While(Arc<WhileSpec>),
    /// Inputs: the predicate, then the captured values. Output: the predicate.
    Cond(Arc<CondSpec>),
    /// Inputs: the host function's arguments. Output: a scalar zero (the call's results are its `Item`s).
    Call(Arc<CallSpec>),
    /// Result `index` of the control node that is input 0, with its static shape and dtype.
    Item { index: usize, shape: Shape, dtype: DType },
}

fn check_body(body: &Body, outputs: &[NodeId], what: &str) -> Result<()> {
    let n = body.graph.len();
    for &id in body.inputs.iter().chain(outputs) {
        if id >= n {
            return Err(Error::invalid(format!("{what}: node {id} is not in its sub-graph ({n} nodes)")));
        }
    }
    for &id in &body.inputs {
        if !matches!(body.graph.node(id).op, Op::Placeholder { .. }) {
            return Err(Error::invalid(format!(
                "{what}: input '{}' of the sub-graph must be a placeholder",
                body.graph.node(id).name
            )));
        }
    }
    Ok(())
}

fn meta(graph: &Graph, id: NodeId) -> (Shape, DType) {
    let node = graph.node(id);
    (node.shape.clone(), node.dtype)
}

impl WhileSpec {
    pub fn new(
        body: Body,
        cond_output: NodeId,
        body_outputs: Vec<NodeId>,
        maximum_iterations: Option<i64>,
    ) -> Result<WhileSpec> {
        check_body(&body, &body_outputs, "while_loop")?;
        if cond_output >= body.graph.len() {
            return Err(Error::invalid(format!("while_loop: no condition node {cond_output}")));
        }
        let cond = body.graph.node(cond_output);
        if cond.dtype != DType::Bool || cond.shape.rank().is_some_and(|r| r != 0) {
            return Err(Error::dtype(format!(
                "while_loop: the condition must return a scalar bool, received {} {}",
                cond.shape, cond.dtype
            )));
        }
        if body_outputs.len() > body.inputs.len() {
            return Err(Error::invalid(format!(
                "while_loop: {} body outputs for {} sub-graph inputs",
                body_outputs.len(),
                body.inputs.len()
            )));
        }
        for (k, (&var, &next)) in body.inputs.iter().zip(&body_outputs).enumerate() {
            let (v, n) = (body.graph.node(var), body.graph.node(next));
            if v.dtype != n.dtype {
                return Err(Error::dtype(format!(
                    "while_loop: loop variable {k} enters the loop as {} but the body returns {}",
                    v.dtype, n.dtype
                )));
            }
            if v.shape.merge(&n.shape).is_err() {
                return Err(Error::invalid(format!(
                    "while_loop: loop variable {k} enters the loop with shape {}, but has shape {} after one \
                     iteration; pass shape_invariants to allow the change",
                    v.shape, n.shape
                )));
            }
        }
        if let Some(m) = maximum_iterations {
            if m < 0 {
                return Err(Error::invalid(format!("maximum_iterations must be >= 0, received {m}")));
            }
        }
        Ok(WhileSpec {
            body,
            cond_output,
            body_outputs,
            maximum_iterations,
            history: None,
            cond_plan: LazyPlan::default(),
            body_plan: LazyPlan::default(),
        })
    }

    /// The same loop, also recording the history of the variables in `record` (and of those it already did).
    pub fn with_history(&self, record: &[bool]) -> WhileSpec {
        let mut merged = self.history.clone().unwrap_or_else(|| vec![false; self.num_vars()]);
        for (m, &r) in merged.iter_mut().zip(record) {
            *m |= r;
        }
        WhileSpec {
            body: Body { graph: self.body.graph.clone(), inputs: self.body.inputs.clone() },
            cond_output: self.cond_output,
            body_outputs: self.body_outputs.clone(),
            maximum_iterations: self.maximum_iterations,
            history: Some(merged),
            cond_plan: LazyPlan::default(),
            body_plan: LazyPlan::default(),
        }
    }

    pub fn num_vars(&self) -> usize {
        self.body_outputs.len()
    }

    /// Shape and dtype of loop variable `k` (its placeholder's).
    pub fn var_meta(&self, k: usize) -> (Shape, DType) {
        meta(&self.body.graph, self.body.inputs[k])
    }

    /// The results: each loop variable's final value, then (with history) each one's stacked history.
    pub fn outputs(&self) -> Vec<(Shape, DType)> {
        let vars: Vec<(Shape, DType)> = (0..self.num_vars()).map(|k| self.var_meta(k)).collect();
        let history = vars.iter().filter(|_| self.history.is_some()).map(|(s, d)| (stacked(s), *d));
        let history: Vec<(Shape, DType)> = history.collect();
        vars.into_iter().chain(history).collect()
    }

    fn run(&self, args: &[Tensor]) -> Result<(Tensor, Vec<Tensor>)> {
        let n = self.num_vars();
        let cond = self.cond_plan.get(&self.body, &[self.cond_output])?;
        let body = self.body_plan.get(&self.body, &self.body_outputs)?;
        let (initial, captured) = args.split_at(n);
        let mut vars = initial.to_vec();
        let record = self.history.clone().unwrap_or_default();
        let mut history: Vec<Vec<Tensor>> = vec![Vec::new(); record.len()];
        let mut count: i64 = 0;
        let feeds =
            |vars: Vec<Tensor>| -> Vec<Tensor> { vars.into_iter().chain(captured.iter().cloned()).collect() };
        while self.maximum_iterations.is_none_or(|m| count < m) {
            let go = cond
                .run_owned(&self.body.graph, feeds(vars.clone()))
                .map_err(|e| e.context("while_loop condition"))?;
            if !scalar_bool(&go[0])? {
                break;
            }
            for ((h, &r), v) in history.iter_mut().zip(&record).zip(&vars) {
                if r {
                    h.push(v.clone());
                }
            }
            // The loop variables are handed over, not shared: a kernel that is their only reader may update
            // them in place (a TensorArray write touches one row of its buffer).
            vars = body.run_owned(&self.body.graph, feeds(vars)).map_err(|e| e.context("while_loop body"))?;
            count += 1;
        }
        let mut results = vars;
        for (k, h) in history.into_iter().enumerate() {
            results.push(stack(&h, &results[k])?);
        }
        Ok((Tensor::scalar(count), results))
    }
}

impl CondSpec {
    pub fn new(branches: Body, then_outputs: Vec<NodeId>, else_outputs: Vec<NodeId>) -> Result<CondSpec> {
        check_body(&branches, &then_outputs, "cond")?;
        check_body(&branches, &else_outputs, "cond")?;
        if then_outputs.len() != else_outputs.len() {
            return Err(Error::invalid(format!(
                "cond: true_fn returns {} values and false_fn {}; both branches must return the same structure",
                then_outputs.len(),
                else_outputs.len()
            )));
        }
        for (k, (&t, &e)) in then_outputs.iter().zip(&else_outputs).enumerate() {
            let (t, e) = (branches.graph.node(t), branches.graph.node(e));
            if t.dtype != e.dtype {
                return Err(Error::dtype(format!(
                    "cond: output {k} is {} in true_fn and {} in false_fn",
                    t.dtype, e.dtype
                )));
            }
        }
        Ok(CondSpec {
            branches,
            then_outputs,
            else_outputs,
            then_plan: LazyPlan::default(),
            else_plan: LazyPlan::default(),
        })
    }

    /// Each result's shape is what both branches agree on (a dimension they differ in is unknown).
    pub fn outputs(&self) -> Vec<(Shape, DType)> {
        let g = &self.branches.graph;
        self.then_outputs
            .iter()
            .zip(&self.else_outputs)
            .map(|(&t, &e)| (common_shape(&g.node(t).shape, &g.node(e).shape), g.node(t).dtype))
            .collect()
    }

    fn run(&self, args: &[Tensor]) -> Result<(Tensor, Vec<Tensor>)> {
        let pred = scalar_bool(&args[0])?;
        let (plan, outputs, which) = if pred {
            (&self.then_plan, &self.then_outputs, "true_fn")
        } else {
            (&self.else_plan, &self.else_outputs, "false_fn")
        };
        let plan = plan.get(&self.branches, outputs)?;
        let results =
            plan.run(&self.branches.graph, &args[1..]).map_err(|e| e.context(format!("cond {which}")))?;
        Ok((args[0].clone(), results))
    }
}

impl ControlOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            ControlOp::While(_) => "While",
            ControlOp::Cond(_) => "If",
            ControlOp::Call(c) => c.type_name,
            ControlOp::Item { .. } => "Identity",
        }
    }

    /// The control node's own output, after checking its inputs against the sub-graph's placeholders.
    pub fn infer(&self, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
        let (body, skip, own) = match self {
            ControlOp::While(w) => (&w.body, 0, DType::I64),
            ControlOp::Cond(c) => {
                let pred = inputs.first().ok_or_else(|| Error::invalid("cond expects a predicate input"))?;
                if pred.1 != DType::Bool || pred.0.rank().is_some_and(|r| r != 0) {
                    return Err(Error::dtype(format!(
                        "cond: the predicate must be a scalar bool, received {} {}",
                        pred.0, pred.1
                    )));
                }
                (&c.branches, 1, DType::Bool)
            }
            ControlOp::Call(_) => return Ok((Shape::scalar(), DType::I64)),
            ControlOp::Item { shape, dtype, .. } => return Ok((shape.clone(), *dtype)),
        };
        if inputs.len() != body.inputs.len() + skip {
            return Err(Error::invalid(format!(
                "{} expects {} inputs, received {}",
                self.type_name(),
                body.inputs.len() + skip,
                inputs.len()
            )));
        }
        for (k, (&(shape, dtype), &ph)) in inputs[skip..].iter().zip(&body.inputs).enumerate() {
            let want = body.graph.node(ph);
            if want.dtype != dtype || want.shape.merge(shape).is_err() {
                return Err(Error::invalid(format!(
                    "{}: input {k} is {shape} {dtype}, but the sub-graph expects {} {}",
                    self.type_name(),
                    want.shape,
                    want.dtype
                )));
            }
        }
        Ok((Shape::scalar(), own))
    }

    /// The results a `While` or `Cond` node hands to its `Item`s.
    pub fn outputs(&self) -> Vec<(Shape, DType)> {
        match self {
            ControlOp::While(w) => w.outputs(),
            ControlOp::Cond(c) => c.outputs(),
            ControlOp::Call(c) => c.outputs.clone(),
            ControlOp::Item { .. } => Vec::new(),
        }
    }

    /// Runs a `While`, `Cond` or `Call`: its own output and its results.
    pub fn run(&self, args: &[Tensor]) -> Result<(Tensor, Vec<Tensor>)> {
        match self {
            ControlOp::While(w) => w.run(args),
            ControlOp::Cond(c) => c.run(args),
            ControlOp::Call(c) => c.run(args),
            ControlOp::Item { .. } => Err(Error::internal("an Item node runs only through its control node")),
        }
    }

    /// Whether the sub-graphs hold ops whose result changes from run to run.
    pub fn is_stateful(&self) -> bool {
        let graph = match self {
            ControlOp::While(w) => &w.body.graph,
            ControlOp::Cond(c) => &c.branches.graph,
            ControlOp::Call(c) => return c.stateful,
            ControlOp::Item { .. } => return false,
        };
        graph.nodes().iter().any(|n| n.op.is_stateful() && !matches!(n.op, Op::Placeholder { .. }))
    }
}

/// Runs a control node or one of its `Item`s as a step of a plan: a control node leaves its results in
/// `results` at its own slot `out`, where an `Item` (reading that slot as its input) finds them.
pub(crate) fn run_step(
    op: &ControlOp,
    args: &[Tensor],
    results: &mut Vec<Option<Vec<Tensor>>>,
    out: usize,
    inputs: &[usize],
) -> Result<Tensor> {
    if let ControlOp::Item { index, .. } = op {
        let held = inputs.first().and_then(|&s| results.get(s)).and_then(Option::as_ref);
        return held.and_then(|r| r.get(*index)).cloned().ok_or_else(|| {
            Error::internal(format!("the control node's result {index} was not computed in this run"))
        });
    }
    let (own, values) = op.run(args)?;
    if results.len() <= out {
        results.resize(out + 1, None);
    }
    results[out] = Some(values);
    Ok(own)
}

/// Adds a control node and one `Item` per result; returns the control node and the items.
pub fn add_with_items(
    graph: &mut Graph,
    op: ControlOp,
    inputs: &[NodeId],
    name: &str,
) -> Result<(NodeId, Vec<NodeId>)> {
    let outputs = op.outputs();
    let node = graph.add(Op::Control(op), inputs, name)?;
    let base = format!("{}/output", graph.node(node).name);
    let items = outputs
        .into_iter()
        .enumerate()
        .map(|(index, (shape, dtype))| {
            graph.add(Op::Control(ControlOp::Item { index, shape, dtype }), &[node], &base)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((node, items))
}

/// Copies the nodes of `src` that `roots` need into `dst`, reading `substitute`'s node wherever `src` has
/// one of its keys, and names them under `prefix`. Returns where each copied (or substituted) node went.
pub fn copy_nodes(
    dst: &mut Graph,
    src: &Graph,
    roots: &[NodeId],
    substitute: &HashMap<NodeId, NodeId>,
    prefix: &str,
) -> Result<HashMap<NodeId, NodeId>> {
    let mut needed = vec![false; src.len()];
    let mut stack: Vec<NodeId> = roots.to_vec();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut needed[id], true) || substitute.contains_key(&id) {
            continue;
        }
        stack.extend(src.node(id).inputs.iter().copied());
    }
    let mut moved = substitute.clone();
    for id in (0..src.len()).filter(|&id| needed[id] && !substitute.contains_key(&id)) {
        let node = src.node(id);
        if matches!(node.op, Op::Placeholder { .. }) {
            return Err(Error::internal(format!(
                "copying a sub-graph: placeholder '{}' has no value",
                node.name
            )));
        }
        let inputs: Vec<NodeId> = node.inputs.iter().map(|i| moved[i]).collect();
        let copy = dst.add(node.op.clone(), &inputs, &format!("{prefix}/{}", node.name))?;
        moved.insert(id, copy);
    }
    Ok(moved)
}

fn scalar_bool(t: &Tensor) -> Result<bool> {
    match t.data() {
        crate::tensor::TensorData::Bool(a) if a.len() == 1 => Ok(a.iter().next().copied().unwrap_or(false)),
        _ => Err(Error::invalid(format!(
            "a control-flow predicate must be a scalar bool, received {} of shape {}",
            t.dtype(),
            crate::shape::fmt_dims(t.shape())
        ))),
    }
}

/// `shape` with a new leading axis of unknown size: a loop variable's history.
pub(crate) fn stacked(shape: &Shape) -> Shape {
    match &shape.dims {
        Some(dims) => Shape::from_dims(std::iter::once(None).chain(dims.iter().copied()).collect()),
        None => Shape::unknown(),
    }
}

fn common_shape(a: &Shape, b: &Shape) -> Shape {
    match (&a.dims, &b.dims) {
        (Some(x), Some(y)) if x.len() == y.len() => {
            Shape::from_dims(x.iter().zip(y).map(|(p, q)| if p == q { *p } else { None }).collect())
        }
        _ => Shape::unknown(),
    }
}

/// Stacks `values` on a new leading axis; with none, an empty stack shaped like `like`.
fn stack(values: &[Tensor], like: &Tensor) -> Result<Tensor> {
    if values.is_empty() {
        let dims: Vec<usize> = std::iter::once(0).chain(like.shape().iter().copied()).collect();
        return Tensor::zeros(like.dtype(), &dims);
    }
    let expanded =
        values.iter().map(|v| crate::kernels::shape_ops::expand_dims(v, 0)).collect::<Result<Vec<_>>>()?;
    crate::kernels::shape_ops::concat(&expanded, 0).map_err(|e| {
        e.context("while_loop: a loop variable changed shape between iterations, so its history cannot be stacked for the gradient")
    })
}

#[cfg(test)]
#[path = "control_flow_tests.rs"]
mod tests;
