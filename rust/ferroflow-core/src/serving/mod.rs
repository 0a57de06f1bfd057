//! Loading and running a model exported by Python's `Model.export(dir)`: a forward graph in `graph.json` plus `.npy` weights.
//!
//! ```no_run
//! use ferroflow_core::serving::SavedModel;
//! use ferroflow_core::Tensor;
//! # fn main() -> ferroflow_core::Result<()> {
//! let model = SavedModel::load("exported_model")?;
//! let x = Tensor::from_vec(&[1, 28, 28], vec![0f32; 784])?;
//! let probabilities = model.predict(&x)?;
//! # Ok(()) }
//! ```

pub mod bundle;
pub mod format;
pub mod npy;
pub mod ops;
mod ops_image;
pub mod sha256;

#[cfg(test)]
mod tests;

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::op::Op;
use crate::shape::{fmt_dims, Shape};
use crate::tensor::Tensor;
use format::{dtype_of, shape_of, GraphFile, NodeEntry};
use std::path::{Path, PathBuf};

pub use bundle::{SavedModelBundle, Signature, DEFAULT_SIGNATURE, DIRECTORY_VERSION, MANIFEST_FILE};
pub use format::{FORMAT_NAME, FORMAT_VERSION};
pub use ops::SUPPORTED_OPS;

/// The name, dtype and static shape of one model input or output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorSpec {
    pub name: String,
    pub dtype: DType,
    pub shape: Shape,
}

/// An exported model, ready to run: the graph, its compiled plan and its input and output specs.
#[derive(Debug)]
pub struct SavedModel {
    graph: Graph,
    plan: Plan,
    inputs: Vec<TensorSpec>,
    outputs: Vec<TensorSpec>,
}

impl SavedModel {
    /// Loads the directory written by `Model.export(dir)`: `graph.json` and `weights/*.npy`.
    pub fn load(dir: impl AsRef<Path>) -> Result<SavedModel> {
        let dir = dir.as_ref();
        let json_path = dir.join("graph.json");
        let text = std::fs::read_to_string(&json_path).map_err(|e| {
            Error::invalid(format!(
                "cannot read {}: {e} (expected a directory written by Model.export)",
                json_path.display()
            ))
        })?;
        let file = GraphFile::parse(&text).map_err(|e| e.context(json_path.display()))?;
        build(&file, &dir.join("weights")).map_err(|e| e.context(json_path.display()))
    }

    /// The inputs, in the order `run` takes them.
    pub fn inputs(&self) -> &[TensorSpec] {
        &self.inputs
    }

    /// The outputs, in the order `run` returns them.
    pub fn outputs(&self) -> &[TensorSpec] {
        &self.outputs
    }

    /// The static shape of the first input (`None` dimensions, such as the batch, take any size).
    pub fn input_shape(&self) -> &Shape {
        &self.inputs[0].shape
    }

    /// The static shape of the first output.
    pub fn output_shape(&self) -> &Shape {
        &self.outputs[0].shape
    }

    /// The loaded graph (for inspection).
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Runs the model on one value per input and returns one value per output.
    pub fn run(&self, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
        self.run_owned(inputs.to_vec())
    }

    /// `run` taking the inputs by value: an input nobody else holds is then reshaped or overwritten in place
    /// by the op that reads it last instead of copied (the C API's freshly copied inputs).
    pub fn run_owned(&self, inputs: Vec<Tensor>) -> Result<Vec<Tensor>> {
        if inputs.len() != self.inputs.len() {
            return Err(Error::invalid(format!(
                "the model takes {} input(s), received {}",
                self.inputs.len(),
                inputs.len()
            )));
        }
        for (spec, value) in self.inputs.iter().zip(&inputs) {
            if value.dtype() != spec.dtype || !spec.shape.accepts(value.shape()) {
                return Err(Error::invalid(format!(
                    "input '{}' expects {} values of shape {}, received {} values of shape {}",
                    spec.name,
                    spec.dtype,
                    spec.shape,
                    value.dtype(),
                    fmt_dims(value.shape())
                )));
            }
        }
        // The pool's other threads keep polling for a while after each run, so that a product of a small run
        // (a one-sample prediction, run on the caller's thread) can hand them parts without a wake-up.
        let _warm = crate::threading::keep_warm();
        self.plan.run_owned(&self.graph, inputs)
    }

    /// Runs a model with one input and one output (a batch in, a batch of predictions out).
    pub fn predict(&self, x: &Tensor) -> Result<Tensor> {
        if self.inputs.len() != 1 || self.outputs.len() != 1 {
            return Err(Error::invalid(format!(
                "predict needs a model with one input and one output; this one has {} and {}: use run",
                self.inputs.len(),
                self.outputs.len()
            )));
        }
        let mut out = self.run(std::slice::from_ref(x))?;
        out.pop().ok_or_else(|| Error::internal("the plan returned no output"))
    }
}

/// Builds the graph node by node, checking each against the dtype and shape the file declares.
fn build(file: &GraphFile, weights_dir: &Path) -> Result<SavedModel> {
    if file.inputs.is_empty() || file.outputs.is_empty() {
        return Err(Error::invalid(format!(
            "a saved model needs at least one input and one output, the file lists {} and {}",
            file.inputs.len(),
            file.outputs.len()
        )));
    }
    let mut graph = Graph::new();
    for (i, node) in file.nodes.iter().enumerate() {
        let id = add_node(&mut graph, i, node, weights_dir)
            .map_err(|e| e.context(format!("node {i} '{}' ({})", node.name, node.op)))?;
        debug_assert_eq!(id, i);
    }
    let spec_of = |entry: &format::IoEntry, what: &str| -> Result<(NodeId, TensorSpec)> {
        let n = graph.len();
        if entry.node >= n {
            return Err(Error::invalid(format!(
                "{what} '{}' refers to node {}, but the graph has {n} nodes",
                entry.name, entry.node
            )));
        }
        let node = graph.node(entry.node);
        Ok((
            entry.node,
            TensorSpec { name: entry.name.clone(), dtype: node.dtype, shape: node.shape.clone() },
        ))
    };
    let mut feeds = Vec::new();
    let mut inputs = Vec::new();
    for entry in &file.inputs {
        let (id, spec) = spec_of(entry, "input")?;
        if !matches!(graph.node(id).op, Op::Placeholder { .. }) {
            return Err(Error::invalid(format!(
                "input '{}' refers to node {id} ({}), which is not a placeholder",
                entry.name,
                graph.node(id).op.type_name()
            )));
        }
        feeds.push(id);
        inputs.push(spec);
    }
    let mut fetches = Vec::new();
    let mut outputs = Vec::new();
    for entry in &file.outputs {
        let (id, spec) = spec_of(entry, "output")?;
        fetches.push(id);
        outputs.push(spec);
    }
    let plan = Plan::new(&graph, &fetches, &feeds)?;
    Ok(SavedModel { graph, plan, inputs, outputs })
}

fn add_node(graph: &mut Graph, index: usize, node: &NodeEntry, weights_dir: &Path) -> Result<NodeId> {
    if let Some(&bad) = node.inputs.iter().find(|&&j| j >= index) {
        return Err(Error::invalid(format!(
            "input {bad} is not an earlier node: nodes must be listed in topological order"
        )));
    }
    let dtype = dtype_of(&node.dtype)?;
    let shape = shape_of(&node.shape);
    let op = match node.op.as_str() {
        "placeholder" => Op::Placeholder { dtype, shape: shape.clone() },
        "const" => Op::Const(load_weight(node, weights_dir, dtype, &shape)?),
        name => ops::parse_op(name, &node.attrs)?,
    };
    let id = graph.add(op, &node.inputs, &node.name)?;
    let built = graph.node(id);
    if built.dtype != dtype || built.shape != shape {
        return Err(Error::invalid(format!(
            "shape mismatch: graph.json declares {dtype} {shape}, but the op gives {} {}",
            built.dtype, built.shape
        )));
    }
    Ok(id)
}

/// Reads the `.npy` file a `const` node names (`attrs.weight`) and checks it against the node's dtype and shape.
fn load_weight(node: &NodeEntry, weights_dir: &Path, dtype: DType, shape: &Shape) -> Result<Tensor> {
    let key = node
        .attrs
        .get("weight")
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::invalid("a const node needs a 'weight' attribute naming its .npy file"))?;
    let path = weight_path(weights_dir, key)?;
    let t = npy::read_npy(&path)?;
    if t.dtype() != dtype || !shape.accepts(t.shape()) {
        return Err(Error::invalid(format!(
            "shape mismatch: {} holds {} values of shape {}, but the node declares {dtype} {shape}",
            path.display(),
            t.dtype(),
            fmt_dims(t.shape())
        )));
    }
    Ok(t)
}

/// `weights/<key>.npy`, refusing keys that could leave the weights directory.
fn weight_path(weights_dir: &Path, key: &str) -> Result<PathBuf> {
    let ok = !key.is_empty()
        && !key.starts_with('.')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        return Err(Error::invalid(format!(
            "bad weight name '{key}': expected letters, digits, '_', '-' or '.', not starting with '.'"
        )));
    }
    Ok(weights_dir.join(format!("{key}.npy")))
}
