//! Loader tests: a tiny dense+softmax model written by hand, and each way a saved model can be broken.

use super::npy::write_npy;
use super::SavedModel;
use crate::error::ErrorKind;
use crate::tensor::Tensor;
use crate::Shape;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "ferroflow-serving-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(p.join("weights")).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const W: [f32; 6] = [0.5, -1.0, 2.0, 0.25, -0.5, 1.5];
const B: [f32; 2] = [0.1, -0.2];

/// `softmax(x @ W + b)` for x of shape (None, 3).
fn tiny_graph() -> Value {
    json!({
        "format": "ferroflow-saved-model",
        "version": 1,
        "inputs": [{"name": "x", "node": 0, "dtype": "float32", "shape": [null, 3]}],
        "outputs": [{"name": "probs", "node": 5, "dtype": "float32", "shape": [null, 2]}],
        "nodes": [
            {"name": "x", "op": "placeholder", "attrs": {}, "inputs": [], "dtype": "float32", "shape": [null, 3]},
            {"name": "dense/kernel", "op": "const", "attrs": {"weight": "dense.kernel"}, "inputs": [],
             "dtype": "float32", "shape": [3, 2]},
            {"name": "dense/MatMul", "op": "matmul", "attrs": {"transpose_a": false, "transpose_b": false},
             "inputs": [0, 1], "dtype": "float32", "shape": [null, 2]},
            {"name": "dense/bias", "op": "const", "attrs": {"weight": "dense.bias"}, "inputs": [],
             "dtype": "float32", "shape": [2]},
            {"name": "dense/AddV2", "op": "add", "inputs": [2, 3], "dtype": "float32", "shape": [null, 2]},
            {"name": "dense/Softmax", "op": "softmax", "attrs": {"axis": -1}, "inputs": [4],
             "dtype": "float32", "shape": [null, 2]}
        ]
    })
}

fn write_model(graph: &Value) -> TempDir {
    let dir = TempDir::new();
    std::fs::write(dir.0.join("graph.json"), graph.to_string()).unwrap();
    write_npy(&dir.0.join("weights/dense.kernel.npy"), &Tensor::from_vec(&[3, 2], W.to_vec()).unwrap())
        .unwrap();
    write_npy(&dir.0.join("weights/dense.bias.npy"), &Tensor::from_vec(&[2], B.to_vec()).unwrap()).unwrap();
    dir
}

fn load_err(graph: &Value) -> crate::Error {
    let dir = write_model(graph);
    SavedModel::load(&dir.0).unwrap_err()
}

#[test]
fn round_trip_of_a_hand_written_graph() {
    let dir = write_model(&tiny_graph());
    let model = SavedModel::load(&dir.0).unwrap();
    assert_eq!(model.input_shape(), &Shape::from_dims(vec![None, Some(3)]));
    assert_eq!(model.output_shape(), &Shape::from_dims(vec![None, Some(2)]));
    let x = [1.0f32, 2.0, 3.0, -1.0, 0.0, 0.5];
    let out = model.predict(&Tensor::from_vec(&[2, 3], x.to_vec()).unwrap()).unwrap();
    assert_eq!(out.shape(), &[2, 2]);
    let got = out.to_f64_vec();
    for r in 0..2 {
        let logits: Vec<f64> = (0..2)
            .map(|c| (0..3).map(|k| x[r * 3 + k] as f64 * W[k * 2 + c] as f64).sum::<f64>() + B[c] as f64)
            .collect();
        let z: f64 = logits.iter().map(|l| l.exp()).sum();
        for c in 0..2 {
            assert!((got[r * 2 + c] - logits[c].exp() / z).abs() < 1e-6, "{got:?}");
        }
    }
}

#[test]
fn missing_files_are_named() {
    let e = SavedModel::load("/nonexistent/ferroflow-model").unwrap_err();
    assert!(e.message.contains("/nonexistent/ferroflow-model/graph.json"), "{}", e.message);
    let dir = write_model(&tiny_graph());
    std::fs::remove_file(dir.0.join("weights/dense.bias.npy")).unwrap();
    let e = SavedModel::load(&dir.0).unwrap_err();
    assert!(
        e.message.contains("dense.bias.npy") && e.message.contains("node 3 'dense/bias'"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_op_is_an_error() {
    let mut g = tiny_graph();
    g["nodes"][5]["op"] = json!("assign_add");
    let e = load_err(&g);
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    assert!(
        e.message.contains("node 5 'dense/Softmax'") && e.message.contains("unknown op 'assign_add'"),
        "{}",
        e.message
    );
}

#[test]
fn bad_version_and_format_are_errors() {
    let mut g = tiny_graph();
    g["version"] = json!(7);
    assert!(load_err(&g).message.contains("format version 7"));
    let mut g = tiny_graph();
    g["format"] = json!("keras");
    assert!(load_err(&g).message.contains("format 'keras'"));
    let dir = TempDir::new();
    std::fs::write(dir.0.join("graph.json"), "{not json").unwrap();
    assert!(SavedModel::load(&dir.0).unwrap_err().message.contains("invalid graph.json"));
}

#[test]
fn shape_mismatches_are_errors() {
    let mut g = tiny_graph();
    g["nodes"][1]["shape"] = json!([2, 3]);
    let e = load_err(&g);
    assert!(e.message.contains("shape mismatch") && e.message.contains("(3, 2)"), "{}", e.message);
    let mut g = tiny_graph();
    g["nodes"][5]["shape"] = json!([null, 3]);
    assert!(load_err(&g).message.contains("shape mismatch"));
    let dir = write_model(&tiny_graph());
    let model = SavedModel::load(&dir.0).unwrap();
    let e = model.predict(&Tensor::from_vec(&[1, 4], vec![0f32; 4]).unwrap()).unwrap_err();
    assert!(e.message.contains("(None, 3)") && e.message.contains("(1, 4)"), "{}", e.message);
    let e = model.predict(&Tensor::from_vec(&[1, 3], vec![0f64; 3]).unwrap()).unwrap_err();
    assert!(e.message.contains("float64"), "{}", e.message);
}

#[test]
fn malformed_graphs_are_errors() {
    let mut g = tiny_graph();
    g["nodes"][2]["inputs"] = json!([0, 4]);
    assert!(load_err(&g).message.contains("topological order"));
    let mut g = tiny_graph();
    g["nodes"][1]["attrs"]["weight"] = json!("../../etc/passwd");
    assert!(load_err(&g).message.contains("bad weight name"));
    let mut g = tiny_graph();
    g["inputs"][0]["node"] = json!(2);
    assert!(load_err(&g).message.contains("not a placeholder"));
    let mut g = tiny_graph();
    g["outputs"][0]["node"] = json!(6);
    assert!(load_err(&g).message.contains("graph has 6 nodes"));
}
