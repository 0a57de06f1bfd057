//! The eager gradient tape: records ops as they run into a graph, then differentiates it with the graph rules.
//!
//! Tensors are identified by caller-chosen keys (the Python layer gives every eager tensor and variable
//! one). Values seen while recording are kept, so `gradient` only evaluates the new gradient nodes.

use crate::error::{Error, Result};
use crate::exec::Plan;
use crate::grad::gradients;
use crate::graph::{Graph, NodeId};
use crate::op::Op;
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct Tape {
    graph: Graph,
    /// The value of every recorded node (watched leaves, constants and op results).
    values: Vec<Tensor>,
    node_of_key: HashMap<u64, NodeId>,
}

impl Tape {
    pub fn new() -> Tape {
        Tape::default()
    }

    /// Starts tracking a tensor (or a variable's current value) so gradients can be taken with respect to it.
    pub fn watch(&mut self, key: u64, value: &Tensor) {
        if self.node_of_key.contains_key(&key) {
            return;
        }
        let op = Op::Placeholder { dtype: value.dtype(), shape: Shape::known(value.shape()) };
        let id = self.push(op, &[], value.clone(), "watched");
        self.node_of_key.insert(key, id);
    }

    /// Whether gradients can flow from this tensor (it is watched or computed from a watched tensor).
    pub fn is_tracked(&self, key: u64) -> bool {
        self.node_of_key.contains_key(&key)
    }

    /// Records one op that has just run eagerly, if any of its inputs is tracked. Untracked inputs are
    /// kept as constants.
    pub fn record(&mut self, op: &Op, inputs: &[(u64, Tensor)], output: (u64, &Tensor)) {
        if !inputs.iter().any(|(k, _)| self.is_tracked(*k)) || !output.1.dtype().is_float() {
            return;
        }
        let ids: Vec<NodeId> = inputs
            .iter()
            .map(|(k, t)| match self.node_of_key.get(k) {
                Some(&id) => id,
                None => self.push(Op::Const(t.clone()), &[], t.clone(), "Const"),
            })
            .collect();
        let id = self.push(op.clone(), &ids, output.1.clone(), "");
        self.node_of_key.insert(output.0, id);
    }

    fn push(&mut self, op: Op, inputs: &[NodeId], value: Tensor, name: &str) -> NodeId {
        // Recording a node whose value already exists cannot fail shape inference in a way that matters:
        // fall back to a constant so the tape never rejects an op that ran.
        let id = match self.graph.add(op, inputs, name) {
            Ok(id) => id,
            Err(_) => self.graph.add(Op::Const(value.clone()), &[], "Const").expect("a constant always adds"),
        };
        self.values.push(value);
        debug_assert_eq!(self.values.len(), self.graph.len());
        id
    }

    /// d(sum of targets)/d(sources). Sources the targets do not depend on give `None`, as in TensorFlow.
    pub fn gradient(
        &mut self,
        targets: &[u64],
        sources: &[u64],
        output_gradients: Option<&[Tensor]>,
    ) -> Result<Vec<Option<Tensor>>> {
        let mut ys = Vec::new();
        for k in targets {
            match self.node_of_key.get(k) {
                Some(&id) => ys.push(id),
                None => ys.push(usize::MAX),
            }
        }
        let xs: Vec<Option<NodeId>> = sources.iter().map(|k| self.node_of_key.get(k).copied()).collect();
        // Targets not on the tape contribute nothing (TensorFlow returns None for every source then).
        let (ys, grad_ys): (Vec<NodeId>, Option<Vec<Tensor>>) = match output_gradients {
            Some(g) => {
                if g.len() != targets.len() {
                    return Err(Error::invalid(format!(
                        "output_gradients has {} entries, expected one per target ({})",
                        g.len(),
                        targets.len()
                    )));
                }
                let pairs: Vec<(NodeId, Tensor)> = ys
                    .iter()
                    .zip(g)
                    .filter(|(y, _)| **y != usize::MAX)
                    .map(|(y, g)| (*y, g.clone()))
                    .collect();
                (pairs.iter().map(|p| p.0).collect(), Some(pairs.into_iter().map(|p| p.1).collect()))
            }
            None => (ys.into_iter().filter(|y| *y != usize::MAX).collect(), None),
        };
        let present: Vec<NodeId> = xs.iter().flatten().copied().collect();
        if ys.is_empty() || present.is_empty() {
            return Ok(vec![None; sources.len()]);
        }
        let grad_y_nodes = match grad_ys {
            Some(g) => {
                let mut ids = Vec::new();
                for t in g {
                    ids.push(self.push(Op::Const(t.clone()), &[], t, "output_gradient"));
                }
                Some(ids)
            }
            None => None,
        };
        let recorded = self.graph.len();
        let grads = gradients(&mut self.graph, &ys, &present, grad_y_nodes.as_deref())?;
        let fetches: Vec<NodeId> = grads.iter().flatten().copied().collect();
        // Feed every value recorded so far; only the new gradient nodes are evaluated.
        let fed: Vec<NodeId> = (0..recorded).collect();
        let plan = Plan::new(&self.graph, &fetches, &fed)?;
        let values = plan.run(&self.graph, &self.values[..recorded])?;
        // Forget the gradient nodes so the tape can be differentiated again (persistent tapes).
        self.truncate(recorded);
        let mut by_node: HashMap<NodeId, Tensor> = HashMap::new();
        let mut it = values.into_iter();
        for (x, g) in present.iter().zip(&grads) {
            if g.is_some() {
                by_node.insert(*x, it.next().ok_or_else(|| Error::internal("missing gradient value"))?);
            }
        }
        Ok(xs.iter().map(|x| x.and_then(|id| by_node.get(&id).cloned())).collect())
    }

    fn truncate(&mut self, len: usize) {
        let mut g = Graph::new();
        std::mem::swap(&mut g, &mut self.graph);
        self.graph = g.truncated(len);
        self.values.truncate(len);
    }
}
