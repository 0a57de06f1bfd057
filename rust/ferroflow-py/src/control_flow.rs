//! Building `While` and `Cond` ops from Python: the sub-graph is a `Graph` built like any other, snapshotted here.

use crate::errors::guard;
use crate::graph::PyGraph;
use ferroflow_core::control_flow::{Body, CondSpec, ControlOp, WhileSpec};
use ferroflow_core::Op;
use pyo3::prelude::*;
use std::sync::Arc;

fn snapshot(graph: &PyGraph, inputs: Vec<usize>) -> Body {
    let graph = graph.graph.read().unwrap_or_else(|p| p.into_inner()).clone();
    Body { graph, inputs }
}

pub(crate) fn while_op(
    body: &PyGraph,
    inputs: Vec<usize>,
    cond_output: usize,
    body_outputs: Vec<usize>,
    maximum_iterations: Option<i64>,
) -> PyResult<Op> {
    let body = snapshot(body, inputs);
    let spec = guard(|| WhileSpec::new(body, cond_output, body_outputs, maximum_iterations))?;
    Ok(Op::Control(ControlOp::While(Arc::new(spec))))
}

pub(crate) fn cond_op(
    branches: &PyGraph,
    inputs: Vec<usize>,
    then_outputs: Vec<usize>,
    else_outputs: Vec<usize>,
) -> PyResult<Op> {
    let branches = snapshot(branches, inputs);
    let spec = guard(|| CondSpec::new(branches, then_outputs, else_outputs))?;
    Ok(Op::Control(ControlOp::Cond(Arc::new(spec))))
}
