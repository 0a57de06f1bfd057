//! Every signature of a SavedModel directory: the manifest (`saved_model.json`), its checksums, and one graph per signature.
//!
//! A directory written by `tf.saved_model.save` lists its signatures in `saved_model.json` (`serving_default`
//! in `graph.json`, the others in `signatures/NAME.json`) with the SHA-256 of every file; a `Model.export`
//! directory has no manifest and one signature, `serving_default`, in `graph.json`. Errors are classified as
//! Python's loader classifies them: a missing file or an op this loader does not know is
//! [`ErrorKind::NotFound`], a truncated, changed or malformed file [`ErrorKind::DataLoss`], a newer format
//! [`ErrorKind::InvalidArgument`].

use super::format::{GraphFile, FORMAT_NAME, FORMAT_VERSION};
use super::ops::{is_supported, IMAGE_OPS};
use super::sha256::sha256_hex;
use super::{build, weight_path, SavedModel, SUPPORTED_OPS};
use crate::error::{Error, ErrorKind, Result};
use serde_json::Value;
use std::path::Path;

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "saved_model.json";
/// The newest directory version this loader reads (2 adds the manifest; 1 is `Model.export`'s directory).
pub const DIRECTORY_VERSION: u64 = 2;
/// The signature `Model.export` writes and servers run when none is named.
pub const DEFAULT_SIGNATURE: &str = "serving_default";

/// One loaded signature: its key in the manifest and the model that runs it.
#[derive(Debug)]
pub struct Signature {
    pub name: String,
    pub model: SavedModel,
}

/// The signatures of one SavedModel directory, `serving_default` first, then by name.
#[derive(Debug)]
pub struct SavedModelBundle {
    signatures: Vec<Signature>,
}

impl SavedModelBundle {
    /// Loads every signature the directory lists, after checking every file against the manifest's checksums.
    pub fn load(dir: impl AsRef<Path>) -> Result<SavedModelBundle> {
        let dir = dir.as_ref();
        let manifest = Manifest::read(dir)?;
        let signatures = manifest
            .signatures
            .iter()
            .map(|(name, rel)| {
                Ok(Signature { name: name.clone(), model: manifest.load_graph(dir, name, rel)? })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SavedModelBundle { signatures })
    }

    /// The signature keys a directory lists (`serving_default` first), read from its manifest alone.
    pub fn signature_names(dir: impl AsRef<Path>) -> Result<Vec<String>> {
        Ok(Manifest::read(dir.as_ref())?.signatures.into_iter().map(|(name, _)| name).collect())
    }

    /// The loaded signatures, `serving_default` first, then by name.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// The signature with this key, if the directory has it.
    pub fn get(&self, name: &str) -> Option<&SavedModel> {
        self.signatures.iter().find(|s| s.name == name).map(|s| &s.model)
    }

    /// Takes the loaded signatures out of the bundle.
    pub fn into_signatures(self) -> Vec<Signature> {
        self.signatures
    }
}

impl SavedModel {
    /// Loads one signature of a SavedModel directory (checking the manifest's checksums first); `load(dir)`
    /// reads `graph.json` alone, which is the `serving_default` signature.
    pub fn load_signature(dir: impl AsRef<Path>, name: &str) -> Result<SavedModel> {
        let dir = dir.as_ref();
        let manifest = Manifest::read(dir)?;
        let Some((_, rel)) = manifest.signatures.iter().find(|(n, _)| n == name) else {
            let names: Vec<&str> = manifest.signatures.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Error::not_found(format!(
                "{} has no signature '{name}'; its signatures are: {}",
                dir.display(),
                names.join(", ")
            )));
        };
        manifest.load_graph(dir, name, rel)
    }
}

/// What the loader needs from `saved_model.json`: the signatures' graph files and the files' checksums.
struct Manifest {
    /// (key, graph file relative to the directory), `serving_default` first, then by key.
    signatures: Vec<(String, String)>,
    /// (file relative to the directory, SHA-256 hex); empty for a `Model.export` directory.
    files: Vec<(String, String)>,
}

fn data_loss(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::DataLoss, message)
}

/// Reads a file, a missing one being `NotFound`.
fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        let message = format!("cannot read {}: {e}", path.display());
        match e.kind() {
            std::io::ErrorKind::NotFound => Error::not_found(message),
            _ => Error::invalid(message),
        }
    })
}

/// Parses JSON text, a malformed file being `DataLoss`.
fn parse_json(bytes: &[u8], path: &Path) -> Result<Value> {
    serde_json::from_slice(bytes)
        .map_err(|e| data_loss(format!("{} is not valid JSON (truncated or changed?): {e}", path.display())))
}

/// Checks `format` and `version`: another format is `DataLoss`, a newer version `InvalidArgument`.
fn check_version(doc: &Value, newest: u64, what: &str, path: &Path) -> Result<()> {
    let format = doc.get("format").and_then(Value::as_str);
    if format != Some(FORMAT_NAME) {
        return Err(data_loss(format!("{}: format {format:?}, expected '{FORMAT_NAME}'", path.display())));
    }
    match doc.get("version").and_then(Value::as_u64) {
        Some(v) if v > newest => Err(Error::invalid(format!(
            "{} has {what} version {v}; this loader reads versions 1 to {newest}: save the model again with a \
             matching ferroflow, or update this program",
            path.display()
        ))),
        Some(v) if v >= 1 => Ok(()),
        other => Err(data_loss(format!("{}: malformed version {other:?}", path.display()))),
    }
}

/// `graph.json` or `signatures|functions/NAME.json`, as Python's `safe_graph_path` accepts them.
fn safe_graph_path(rel: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && !s.contains("..")
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    rel == "graph.json"
        || rel
            .strip_prefix("signatures/")
            .or_else(|| rel.strip_prefix("functions/"))
            .is_some_and(|f| f.ends_with(".json") && plain(f))
}

/// A manifest file name: relative, `/`-separated, no component empty or starting with '.'.
fn inside(rel: &str) -> bool {
    !rel.is_empty() && rel.split('/').all(|c| !c.is_empty() && !c.starts_with('.') && !c.contains('\\'))
}

impl Manifest {
    fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        if !path.is_file() {
            if dir.join("graph.json").is_file() {
                let signatures = vec![(DEFAULT_SIGNATURE.to_string(), "graph.json".to_string())];
                return Ok(Manifest { signatures, files: Vec::new() });
            }
            return Err(Error::not_found(format!(
                "SavedModel file does not exist at: {}/{{{MANIFEST_FILE}|graph.json}}",
                dir.display()
            )));
        }
        let doc = parse_json(&read_file(&path)?, &path)?;
        check_version(&doc, DIRECTORY_VERSION, "format", &path)?;
        let strings = |key: &str| -> Result<Vec<(String, String)>> {
            match doc.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| match v.as_str() {
                        Some(s) => Ok((k.clone(), s.to_string())),
                        None => Err(data_loss(format!("{}: '{key}' maps '{k}' to {v}", path.display()))),
                    })
                    .collect(),
                Some(_) => Err(data_loss(format!("{}: '{key}' must be a JSON object", path.display()))),
            }
        };
        let mut signatures = strings("signatures")?;
        if let Some((_, bad)) = signatures.iter().find(|(_, rel)| !safe_graph_path(rel)) {
            return Err(data_loss(format!(
                "{}: bad graph file name '{bad}': expected graph.json, signatures/*.json or functions/*.json",
                path.display()
            )));
        }
        signatures.sort_by(|a, b| (a.0 != DEFAULT_SIGNATURE, &a.0).cmp(&(b.0 != DEFAULT_SIGNATURE, &b.0)));
        let manifest = Manifest { signatures, files: strings("files")? };
        manifest.verify(dir)?;
        Ok(manifest)
    }

    /// Every listed file against its checksum: a missing one is `NotFound`, a changed one `DataLoss`.
    fn verify(&self, dir: &Path) -> Result<()> {
        for (rel, digest) in &self.files {
            if !inside(rel) {
                return Err(data_loss(format!(
                    "{MANIFEST_FILE} lists a file outside the SavedModel: '{rel}'"
                )));
            }
            let full = dir.join(rel);
            if !full.is_file() {
                return Err(Error::not_found(format!(
                    "SavedModel file {rel} does not exist at: {}",
                    dir.display()
                )));
            }
            if sha256_hex(&read_file(&full)?) != *digest {
                return Err(data_loss(format!(
                    "{} does not match its checksum in {MANIFEST_FILE}: the file was changed or truncated after saving",
                    full.display()
                )));
            }
        }
        Ok(())
    }

    /// Loads one signature's graph file and the weights it reads.
    fn load_graph(&self, dir: &Path, name: &str, rel: &str) -> Result<SavedModel> {
        if !self.files.is_empty() && !self.files.iter().any(|(f, _)| f == rel) {
            return Err(data_loss(format!(
                "{MANIFEST_FILE} refers to {rel}, which its file list does not hold"
            )));
        }
        let path = dir.join(rel);
        let context = format!("signature '{name}' ({})", path.display());
        let doc = parse_json(&read_file(&path)?, &path)?;
        check_version(&doc, FORMAT_VERSION, "graph", &path)?;
        let file: GraphFile = serde_json::from_value(doc)
            .map_err(|e| data_loss(format!("{}: not a graph file: {e}", path.display())))?;
        // Unknown ops first: they are the reason a directory cannot serve here, whatever else is wrong.
        let at = |i: usize| format!("{context}: node {i} '{}'", file.nodes[i].name);
        for (i, node) in file.nodes.iter().enumerate() {
            let op = node.op.as_str();
            if !matches!(op, "placeholder" | "const") && !is_supported(op) {
                return Err(Error::not_found(format!(
                    "Op type not registered '{op}': this loader knows placeholder, const, {}",
                    SUPPORTED_OPS.iter().chain(IMAGE_OPS).copied().collect::<Vec<_>>().join(", ")
                ))
                .context(at(i)));
            }
        }
        let weights = dir.join("weights");
        for (i, node) in file.nodes.iter().enumerate().filter(|(_, n)| n.op == "const") {
            let key = node.attrs.get("weight").and_then(Value::as_str).unwrap_or_default();
            let npy = weight_path(&weights, key).map_err(|e| data_loss(e.message).context(at(i)))?;
            if !npy.is_file() {
                return Err(Error::not_found(format!("{} does not exist", npy.display())).context(at(i)));
            }
        }
        // What is left (shape mismatches, a weight that does not parse) means the files disagree: data loss.
        build(&file, &weights).map_err(|e| match e.kind {
            ErrorKind::InvalidArgument | ErrorKind::DType => data_loss(e.message).context(&context),
            _ => e.context(&context),
        })
    }
}
