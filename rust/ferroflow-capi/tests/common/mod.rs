//! Test fixtures: SavedModel directories written by hand (graphs, weights, manifest with checksums) and C-call helpers.
#![allow(dead_code)]

use ferroflow::error::{ff_error_code, ff_error_free, ff_error_message, FfCode, FfError};
use ferroflow::model::{ff_model_load, FfModel};
use ferroflow_core::serving::npy::write_npy;
use ferroflow_core::serving::sha256::sha256_hex;
use ferroflow_core::Tensor;
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const W: [f32; 6] = [0.5, -1.0, 2.0, 0.25, -0.5, 1.5];
pub const B: [f32; 2] = [0.1, -0.2];

/// A fresh directory under the system temp dir, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "ferroflow-capi-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(p.join("weights")).unwrap();
        Dir(p)
    }

    pub fn c_path(&self) -> CString {
        CString::new(self.0.to_str().unwrap()).unwrap()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn graph(inputs: Value, outputs: Value, nodes: Value) -> Value {
    json!({"format": "ferroflow-saved-model", "version": 1, "inputs": inputs, "outputs": outputs, "nodes": nodes})
}

/// `softmax(x @ W + b)` for x of shape (None, 3): output "probs" (None, 2).
pub fn dense_graph() -> Value {
    graph(
        json!([{"name": "x", "node": 0, "dtype": "float32", "shape": [null, 3]}]),
        json!([{"name": "probs", "node": 5, "dtype": "float32", "shape": [null, 2]}]),
        json!([
            {"name": "x", "op": "placeholder", "dtype": "float32", "shape": [null, 3]},
            {"name": "w", "op": "const", "attrs": {"weight": "w", "variable": "w"}, "dtype": "float32", "shape": [3, 2]},
            {"name": "MatMul", "op": "matmul", "attrs": {"transpose_a": false, "transpose_b": false},
             "inputs": [0, 1], "dtype": "float32", "shape": [null, 2]},
            {"name": "b", "op": "const", "attrs": {"weight": "b"}, "dtype": "float32", "shape": [2]},
            {"name": "Add", "op": "add", "inputs": [2, 3], "dtype": "float32", "shape": [null, 2]},
            {"name": "Softmax", "op": "softmax", "attrs": {"axis": -1}, "inputs": [4], "dtype": "float32", "shape": [null, 2]}
        ]),
    )
}

/// Two inputs `a` (None, 2) float32 and `k` () int64: outputs "product" `a * a` and "class_ids" `argmax(a, 1) + k`.
pub fn two_output_graph() -> Value {
    graph(
        json!([{"name": "a", "node": 0, "dtype": "float32", "shape": [null, 2]},
               {"name": "k", "node": 1, "dtype": "int64", "shape": []}]),
        json!([{"name": "product", "node": 2, "dtype": "float32", "shape": [null, 2]},
               {"name": "class_ids", "node": 4, "dtype": "int64", "shape": [null]}]),
        json!([
            {"name": "a", "op": "placeholder", "dtype": "float32", "shape": [null, 2]},
            {"name": "k", "op": "placeholder", "dtype": "int64", "shape": []},
            {"name": "Mul", "op": "mul", "inputs": [0, 0], "dtype": "float32", "shape": [null, 2]},
            {"name": "ArgMax", "op": "argmax", "attrs": {"axis": 1}, "inputs": [0], "dtype": "int64", "shape": [null]},
            {"name": "AddK", "op": "add", "inputs": [3, 1], "dtype": "int64", "shape": [null]}
        ]),
    )
}

/// A graph using `assign` (a variable write), which Python runs and this loader does not.
pub fn python_only_graph() -> Value {
    graph(
        json!([{"name": "x", "node": 0, "dtype": "float32", "shape": [null, 3]}]),
        json!([{"name": "y", "node": 1, "dtype": "float32", "shape": [null, 3]}]),
        json!([
            {"name": "x", "op": "placeholder", "dtype": "float32", "shape": [null, 3]},
            {"name": "Assign", "op": "assign", "inputs": [0], "dtype": "float32", "shape": [null, 3]}
        ]),
    )
}

fn write_weights(dir: &Dir) -> Vec<String> {
    write_npy(&dir.file("weights/w.npy"), &Tensor::from_vec(&[3, 2], W.to_vec()).unwrap()).unwrap();
    write_npy(&dir.file("weights/b.npy"), &Tensor::from_vec(&[2], B.to_vec()).unwrap()).unwrap();
    vec!["weights/w.npy".into(), "weights/b.npy".into()]
}

/// A `Model.export` directory (no manifest): `graph.json` and the weights.
pub fn write_export(g: &Value) -> Dir {
    let dir = Dir::new();
    std::fs::write(dir.file("graph.json"), g.to_string()).unwrap();
    write_weights(&dir);
    dir
}

/// A `tf.saved_model.save` directory: `serving_default` in graph.json, the others in signatures/NAME.json,
/// and a manifest with every file's SHA-256.
pub fn write_saved_model(signatures: &[(&str, Value)]) -> Dir {
    let dir = Dir::new();
    std::fs::create_dir_all(dir.file("signatures")).unwrap();
    let mut files = write_weights(&dir);
    let mut listed = serde_json::Map::new();
    for (name, g) in signatures {
        let rel = if *name == "serving_default" {
            "graph.json".to_string()
        } else {
            format!("signatures/{name}.json")
        };
        std::fs::write(dir.file(&rel), g.to_string()).unwrap();
        listed.insert(name.to_string(), json!(rel));
        files.push(rel);
    }
    let sums: serde_json::Map<String, Value> = files
        .iter()
        .map(|rel| (rel.clone(), json!(sha256_hex(&std::fs::read(dir.file(rel)).unwrap()))))
        .collect();
    let manifest = json!({"format": "ferroflow-saved-model", "version": 2, "graph_version": 1, "tags": ["serve"],
                          "object": "module", "signatures": listed, "functions": [], "variables": [],
                          "assets": [], "files": sums});
    std::fs::write(dir.file("saved_model.json"), manifest.to_string()).unwrap();
    dir
}

/// Rewrites the manifest's checksum of `rel` after the test changed the file on purpose.
pub fn rehash(dir: &Dir, rel: &str) {
    let path = dir.file("saved_model.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["files"][rel] = json!(sha256_hex(&std::fs::read(dir.file(rel)).unwrap()));
    std::fs::write(path, m.to_string()).unwrap();
}

/// Takes an error out of the C API: (code, message), freeing it.
pub fn take(error: *mut FfError) -> (FfCode, String) {
    assert!(!error.is_null(), "expected an error object");
    // SAFETY: an error the library just returned.
    unsafe {
        let out =
            (ff_error_code(error), CStr::from_ptr(ff_error_message(error)).to_str().unwrap().to_string());
        ff_error_free(error);
        out
    }
}

/// Loads a directory, expecting success.
pub fn load(dir: &Path) -> *mut FfModel {
    let path = CString::new(dir.to_str().unwrap()).unwrap();
    let mut error = std::ptr::null_mut();
    // SAFETY: a valid C string and error slot.
    let model = unsafe { ff_model_load(path.as_ptr(), &mut error) };
    assert!(error.is_null(), "{:?}", take(error));
    assert!(!model.is_null());
    model
}

/// Loads a directory, expecting failure: (code, message).
pub fn load_err(dir: &Path) -> (FfCode, String) {
    let path = CString::new(dir.to_str().unwrap()).unwrap();
    let mut error = std::ptr::null_mut();
    // SAFETY: a valid C string and error slot.
    let model = unsafe { ff_model_load(path.as_ptr(), &mut error) };
    assert!(model.is_null());
    take(error)
}

/// `softmax(x @ W + b)` computed in f64, one row of three values.
pub fn dense_reference(x: &[f32]) -> Vec<f32> {
    let mut out = Vec::new();
    for row in x.chunks(3) {
        let logits: Vec<f64> = (0..2)
            .map(|j| (0..3).map(|i| row[i] as f64 * W[i * 2 + j] as f64).sum::<f64>() + B[j] as f64)
            .collect();
        let m = logits.iter().cloned().fold(f64::MIN, f64::max);
        let e: Vec<f64> = logits.iter().map(|l| (l - m).exp()).collect();
        let s: f64 = e.iter().sum();
        out.extend(e.iter().map(|v| (v / s) as f32));
    }
    out
}
