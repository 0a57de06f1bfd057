//! The dataflow graph: named nodes, each one op applied to earlier nodes, with shapes and dtypes inferred on insertion.

use crate::dtype::DType;
use crate::error::Result;
use crate::infer::infer;
use crate::op::Op;
use crate::placement::Device;
use crate::shape::Shape;
use std::collections::HashMap;

/// Index of a node in its graph. Nodes only refer to earlier nodes, so ids are a topological order.
pub type NodeId = usize;

#[derive(Debug, Clone)]
pub struct Node {
    pub op: Op,
    pub inputs: Vec<NodeId>,
    pub shape: Shape,
    pub dtype: DType,
    /// Unique scoped name, `dense_1/MatMul`: what TensorBoard and error messages show.
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    /// How many times each name was requested, to make `MatMul`, `MatMul_1`, ... unique.
    name_counts: HashMap<String, usize>,
    /// Devices asked for with `tf.device` (nodes without an entry go where placement puts them).
    requested_devices: HashMap<NodeId, Device>,
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Narrows a node's static shape to what the caller knows of it (`Tensor.set_shape`): the two shapes merge,
    /// and an incompatible one is an error. Nodes built from this one earlier keep the shapes they inferred;
    /// a placeholder checks fed values against the refined shape.
    pub fn refine_shape(&mut self, id: NodeId, shape: &Shape) -> Result<()> {
        let node =
            self.nodes.get_mut(id).ok_or_else(|| crate::error::Error::invalid(format!("no node {id}")))?;
        node.shape = node.shape.merge(shape)?;
        Ok(())
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Adds a node after inferring its shape and dtype. `name` is the scoped name wanted (for example
    /// `dense/MatMul`); an empty name uses the op type. Errors name the node, its inputs' shapes and dtypes.
    pub fn add(&mut self, op: Op, inputs: &[NodeId], name: &str) -> Result<NodeId> {
        for &i in inputs {
            if i >= self.nodes.len() {
                return Err(crate::error::Error::invalid(format!(
                    "input node {i} does not exist in this graph ({} nodes)",
                    self.nodes.len()
                )));
            }
        }
        let base = if name.is_empty() { op.type_name() } else { name.to_string() };
        let name = self.unique_name(&base);
        let in_meta: Vec<(&Shape, DType)> =
            inputs.iter().map(|&i| (&self.nodes[i].shape, self.nodes[i].dtype)).collect();
        let (shape, dtype) = infer(&op, &in_meta).map_err(|e| {
            let described: Vec<String> = inputs
                .iter()
                .map(|&i| format!("'{}' {} {}", self.nodes[i].name, self.nodes[i].shape, self.nodes[i].dtype))
                .collect();
            let with_inputs = if described.is_empty() {
                String::new()
            } else {
                format!(" with inputs [{}]", described.join(", "))
            };
            e.context(format!("{} '{name}'{with_inputs}", op.type_name()))
        })?;
        self.nodes.push(Node { op, inputs: inputs.to_vec(), shape, dtype, name });
        Ok(self.nodes.len() - 1)
    }

    fn unique_name(&mut self, base: &str) -> String {
        let count = self.name_counts.entry(base.to_string()).or_insert(0);
        let name = if *count == 0 { base.to_string() } else { format!("{base}_{count}") };
        *count += 1;
        if name != base {
            // Reserve the suffixed name too, so a later explicit request for it is renamed.
            self.name_counts.entry(name.clone()).or_insert(1);
        }
        name
    }

    /// The graph of the first `len` nodes (drops nodes added later, such as temporary gradient nodes).
    pub fn truncated(mut self, len: usize) -> Graph {
        self.requested_devices.retain(|&id, _| id < len);
        for node in self.nodes.drain(len.min(self.nodes.len())..) {
            if let Some(c) = self.name_counts.get_mut(&node.name) {
                *c = c.saturating_sub(1);
            }
        }
        self
    }

    /// Replaces a node's op by one with the same inputs and output (a `While` that also records its history
    /// once a gradient needs it); the new op's inferred shape and dtype must equal the node's.
    pub fn replace_op(&mut self, id: NodeId, op: Op) -> Result<()> {
        let node = self.nodes.get(id).ok_or_else(|| crate::error::Error::invalid(format!("no node {id}")))?;
        let in_meta: Vec<(&Shape, DType)> =
            node.inputs.iter().map(|&i| (&self.nodes[i].shape, self.nodes[i].dtype)).collect();
        let (shape, dtype) = infer(&op, &in_meta)?;
        if dtype != node.dtype || shape.merge(&node.shape).is_err() {
            return Err(crate::error::Error::internal(format!(
                "replacing the op of '{}' would change its output from {} {} to {shape} {dtype}",
                node.name, node.shape, node.dtype
            )));
        }
        self.nodes[id].op = op;
        Ok(())
    }

    /// Records the device a `tf.device` scope asked for when the node was built.
    pub fn set_requested_device(&mut self, id: NodeId, device: Device) -> Result<()> {
        if id >= self.nodes.len() {
            return Err(crate::error::Error::invalid(format!("no node {id}")));
        }
        self.requested_devices.insert(id, device);
        Ok(())
    }

    pub fn requested_device(&self, id: NodeId) -> Option<Device> {
        self.requested_devices.get(&id).copied()
    }

    /// Whether any node asked for a GPU.
    pub fn requests_gpu(&self) -> bool {
        self.requested_devices.values().any(|d| matches!(d, Device::Gpu(_)))
    }

    /// Finds a node by its full scoped name.
    pub fn find(&self, name: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.name == name)
    }
}
