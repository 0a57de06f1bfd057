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
    /// The key of the tensor each recorded node stands for (None for nodes no caller can name).
    key_of_node: Vec<Option<u64>>,
    node_of_key: HashMap<u64, NodeId>,
}

/// Where the gradient computation of one tape is recorded: the other tapes that are recording while it
/// runs, so that an outer tape can differentiate an inner tape's gradients (higher-order derivatives).
pub struct Recorders<'a> {
    pub tapes: Vec<&'a mut Tape>,
    /// Makes a fresh key for each gradient value the outer tapes will see.
    pub next_key: fn() -> u64,
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
        let id = self.push(op, &[], value.clone(), "watched", Some(key));
        self.node_of_key.insert(key, id);
    }

    /// Whether gradients can flow from this tensor (it is watched or computed from a watched tensor).
    pub fn is_tracked(&self, key: u64) -> bool {
        self.node_of_key.contains_key(&key)
    }

    /// Records one op that has just run eagerly, if any of its inputs is tracked. Untracked inputs are
    /// kept as constants.
    pub fn record(&mut self, op: &Op, inputs: &[(u64, Tensor)], output: (u64, &Tensor)) {
        if !inputs.iter().any(|(k, _)| self.is_tracked(*k)) || !output.1.dtype().is_differentiable() {
            return;
        }
        let ids: Vec<NodeId> = inputs
            .iter()
            .map(|(k, t)| match self.node_of_key.get(k) {
                Some(&id) => id,
                None => self.push(Op::Const(t.clone()), &[], t.clone(), "Const", Some(*k)),
            })
            .collect();
        let id = self.push(op.clone(), &ids, output.1.clone(), "", Some(output.0));
        self.node_of_key.insert(output.0, id);
    }

    fn push(&mut self, op: Op, inputs: &[NodeId], value: Tensor, name: &str, key: Option<u64>) -> NodeId {
        // Recording a node whose value already exists cannot fail shape inference in a way that matters:
        // fall back to a constant so the tape never rejects an op that ran.
        let id = match self.graph.add(op, inputs, name) {
            Ok(id) => id,
            Err(_) => self.graph.add(Op::Const(value.clone()), &[], "Const").expect("a constant always adds"),
        };
        self.values.push(value);
        self.key_of_node.push(key);
        debug_assert_eq!(self.values.len(), self.graph.len());
        id
    }

    /// d(sum of targets)/d(sources). Sources the targets do not depend on give `None`, as in TensorFlow.
    /// `output_gradients` are keyed tensors (one per target); each gradient comes with the key it is known
    /// by, which the `recorders`' tapes use when they have recorded the gradient computation.
    pub fn gradient(
        &mut self,
        targets: &[u64],
        sources: &[u64],
        output_gradients: Option<&[(u64, Tensor)]>,
        recorders: Option<Recorders<'_>>,
    ) -> Result<Vec<Option<(u64, Tensor)>>> {
        let ys: Vec<NodeId> =
            targets.iter().map(|k| self.node_of_key.get(k).copied().unwrap_or(usize::MAX)).collect();
        let xs: Vec<Option<NodeId>> = sources.iter().map(|k| self.node_of_key.get(k).copied()).collect();
        // Targets not on the tape contribute nothing (TensorFlow returns None for every source then).
        let (ys, grad_ys): (Vec<NodeId>, Option<Vec<(u64, Tensor)>>) = match output_gradients {
            Some(g) => {
                if g.len() != targets.len() {
                    return Err(Error::invalid(format!(
                        "output_gradients has {} entries, expected one per target ({})",
                        g.len(),
                        targets.len()
                    )));
                }
                let pairs: Vec<(NodeId, (u64, Tensor))> = ys
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
        let grad_y_nodes = grad_ys.map(|g| {
            g.into_iter()
                .map(|(k, t)| self.push(Op::Const(t.clone()), &[], t, "output_gradient", Some(k)))
                .collect::<Vec<_>>()
        });
        let recorded = self.graph.len();
        let result = self.evaluate_gradients(&ys, &present, grad_y_nodes.as_deref(), recorders);
        // Forget the gradient nodes so the tape can be differentiated again (persistent tapes).
        self.truncate(recorded);
        let by_node = result?;
        Ok(xs.iter().map(|x| x.and_then(|id| by_node.get(&id).cloned())).collect())
    }

    /// Builds the gradient nodes and evaluates them, feeding every value recorded so far. Without
    /// recorders only the gradients are fetched; with them every new node is, and each is recorded on the
    /// recorders' tapes as if it had run eagerly.
    fn evaluate_gradients(
        &mut self,
        ys: &[NodeId],
        xs: &[NodeId],
        grad_ys: Option<&[NodeId]>,
        recorders: Option<Recorders<'_>>,
    ) -> Result<HashMap<NodeId, (u64, Tensor)>> {
        let recorded = self.graph.len();
        let grads = gradients(&mut self.graph, ys, xs, grad_ys)?;
        let fed: Vec<NodeId> = (0..recorded).collect();
        let mut by_node = HashMap::new();
        let Some(rec) = recorders else {
            let fetches: Vec<NodeId> = grads.iter().flatten().copied().collect();
            let plan = Plan::new(&self.graph, &fetches, &fed)?;
            let mut values = plan.run(&self.graph, &self.values[..recorded])?.into_iter();
            for (x, g) in xs.iter().zip(&grads) {
                if g.is_some() {
                    let value = values.next().ok_or_else(|| Error::internal("missing gradient value"))?;
                    // Key 0: nobody records this value, so the caller may name it freshly.
                    by_node.insert(*x, (0, value));
                }
            }
            return Ok(by_node);
        };
        let Recorders { mut tapes, next_key } = rec;
        let fresh: Vec<NodeId> = (recorded..self.graph.len()).collect();
        let plan = Plan::new(&self.graph, &fresh, &fed)?;
        let fresh_values = plan.run(&self.graph, &self.values[..recorded])?;
        let mut keyed: Vec<(u64, Tensor)> = Vec::with_capacity(self.graph.len());
        for (id, value) in self.values[..recorded].iter().enumerate() {
            let key = self.key_of_node[id].unwrap_or_else(next_key);
            keyed.push((key, value.clone()));
        }
        for (id, value) in fresh.iter().zip(fresh_values) {
            let key = next_key();
            let node = self.graph.node(*id);
            let inputs: Vec<(u64, Tensor)> = node.inputs.iter().map(|i| keyed[*i].clone()).collect();
            for tape in tapes.iter_mut() {
                tape.record(&node.op, &inputs, (key, &value));
            }
            keyed.push((key, value));
        }
        for (x, g) in xs.iter().zip(&grads) {
            if let Some(g) = g {
                by_node.insert(*x, keyed[*g].clone());
            }
        }
        Ok(by_node)
    }

    fn truncate(&mut self, len: usize) {
        let mut g = Graph::new();
        std::mem::swap(&mut g, &mut self.graph);
        self.graph = g.truncated(len);
        self.values.truncate(len);
        self.key_of_node.truncate(len);
    }
}
