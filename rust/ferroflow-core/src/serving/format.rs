//! The `graph.json` schema of an exported model: what Python's `Model.export` writes and the loader reads.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The `format` string every `graph.json` carries.
pub const FORMAT_NAME: &str = "ferroflow-saved-model";
/// The newest format version this loader reads.
pub const FORMAT_VERSION: u64 = 1;

/// The whole `graph.json` file.
#[derive(Debug, Deserialize)]
pub struct GraphFile {
    pub format: String,
    pub version: u64,
    pub inputs: Vec<IoEntry>,
    pub outputs: Vec<IoEntry>,
    /// Topologically ordered: a node's inputs are indices of earlier nodes.
    pub nodes: Vec<NodeEntry>,
}

/// One input (a placeholder node) or output of the model.
#[derive(Debug, Deserialize)]
pub struct IoEntry {
    pub name: String,
    pub node: usize,
    pub dtype: String,
    /// `null` for an unknown rank; `null` entries for unknown dimensions (the batch).
    pub shape: Option<Vec<Option<usize>>>,
}

/// One node: the op's Python-side name (`matmul`, `reduce_sum`, ...), its attributes and its input node indices.
#[derive(Debug, Deserialize)]
pub struct NodeEntry {
    pub name: String,
    pub op: String,
    #[serde(default)]
    pub attrs: Map<String, Value>,
    #[serde(default)]
    pub inputs: Vec<usize>,
    pub dtype: String,
    pub shape: Option<Vec<Option<usize>>>,
}

impl GraphFile {
    /// Parses the JSON text and checks the format name and version.
    pub fn parse(text: &str) -> Result<GraphFile> {
        let file: GraphFile =
            serde_json::from_str(text).map_err(|e| Error::invalid(format!("invalid graph.json: {e}")))?;
        if file.format != FORMAT_NAME {
            return Err(Error::invalid(format!(
                "graph.json has format '{}', expected '{FORMAT_NAME}'",
                file.format
            )));
        }
        if file.version == 0 || file.version > FORMAT_VERSION {
            return Err(Error::invalid(format!(
                "graph.json has format version {}, this loader reads versions 1 to {FORMAT_VERSION}: \
                 export the model again with a matching ferroflow, or update this program",
                file.version
            )));
        }
        Ok(file)
    }
}

/// A dtype name from the file, as a core dtype.
pub fn dtype_of(name: &str) -> Result<DType> {
    DType::parse(name)
}

/// A shape from the file (`null` = unknown rank).
pub fn shape_of(dims: &Option<Vec<Option<usize>>>) -> Shape {
    match dims {
        None => Shape::unknown(),
        Some(d) => Shape::from_dims(d.clone()),
    }
}
