//! Loading through the C API: signature listing, the directory layouts, and each way a directory can be broken.

mod common;

use common::*;
use ferroflow::dtype::{FF_FLOAT32, FF_INT64};
use ferroflow::error::*;
use ferroflow::model::*;
use serde_json::json;
use std::ffi::{CStr, CString};

fn name_of(p: *const std::ffi::c_char) -> String {
    // SAFETY: a NUL-terminated string owned by a live model.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string()
}

#[test]
fn lists_signatures_with_their_specs() {
    let dir = write_saved_model(&[("serving_default", dense_graph()), ("argmax", two_output_graph())]);
    let model = load(&dir.0);
    // SAFETY: a live model; specs and names are read while it lives.
    unsafe {
        assert_eq!(ff_model_signature_count(model), 2);
        let first = ff_model_signature(model, 0, std::ptr::null_mut());
        assert_eq!(name_of(ff_signature_name(first)), "serving_default");
        let second = ff_model_signature(model, 1, std::ptr::null_mut());
        assert_eq!(name_of(ff_signature_name(second)), "argmax");
        let found = ff_model_find_signature(model, c"argmax".as_ptr(), std::ptr::null_mut());
        assert_eq!(found, second);

        assert_eq!((ff_signature_input_count(first), ff_signature_output_count(first)), (1, 1));
        let x = &*ff_signature_input(first, 0);
        assert_eq!((name_of(x.name), x.dtype, x.rank), ("x".to_string(), FF_FLOAT32, 2));
        assert_eq!(std::slice::from_raw_parts(x.dims, 2), &[-1, 3]);
        let probs = &*ff_signature_output(first, 0);
        assert_eq!(name_of(probs.name), "probs");
        assert!(ff_signature_input(first, 1).is_null() && ff_signature_output(first, 1).is_null());

        assert_eq!((ff_signature_input_count(second), ff_signature_output_count(second)), (2, 2));
        let k = &*ff_signature_input(second, 1);
        assert_eq!((name_of(k.name), k.dtype, k.rank), ("k".to_string(), FF_INT64, 0));
        let ids = &*ff_signature_output(second, 1);
        assert_eq!((name_of(ids.name), ids.dtype, ids.rank), ("class_ids".to_string(), FF_INT64, 1));

        let mut error = std::ptr::null_mut();
        assert!(ff_model_signature(model, 2, &mut error).is_null());
        let (code, message) = take(error);
        assert_eq!(code, FF_OUT_OF_RANGE, "{message}");
        assert!(ff_model_find_signature(model, c"predict".as_ptr(), &mut error).is_null());
        let (code, message) = take(error);
        assert_eq!(code, FF_NOT_FOUND);
        assert!(
            message.contains("no signature 'predict'") && message.contains("serving_default, argmax"),
            "{message}"
        );
        ff_model_free(model);
    }
}

#[test]
fn a_model_export_directory_has_one_serving_signature() {
    let dir = write_export(&dense_graph());
    let model = load(&dir.0);
    // SAFETY: a live model.
    unsafe {
        assert_eq!(ff_model_signature_count(model), 1);
        assert_eq!(
            name_of(ff_signature_name(ff_model_signature(model, 0, std::ptr::null_mut()))),
            "serving_default"
        );
        ff_model_free(model);
    }
}

#[test]
fn one_signature_loads_when_another_uses_an_unknown_op() {
    let dir = write_saved_model(&[("serving_default", dense_graph()), ("conv", python_only_graph())]);
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_NOT_FOUND);
    assert!(
        message.contains("Op type not registered 'assign'") && message.contains("signature 'conv'"),
        "{message}"
    );
    let mut error = std::ptr::null_mut();
    // SAFETY: valid C strings and error slot.
    unsafe {
        let model = ff_model_load_signature(dir.c_path().as_ptr(), c"serving_default".as_ptr(), &mut error);
        assert!(error.is_null() && !model.is_null());
        assert_eq!(ff_model_signature_count(model), 1);
        ff_model_free(model);
        let model = ff_model_load_signature(dir.c_path().as_ptr(), c"nope".as_ptr(), &mut error);
        assert!(model.is_null());
        let (code, message) = take(error);
        assert_eq!(code, FF_NOT_FOUND);
        assert!(
            message.contains("no signature 'nope'") && message.contains("serving_default, conv"),
            "{message}"
        );
    }
}

#[test]
fn missing_directories_and_files_are_not_found() {
    let dir = Dir::new();
    let (code, message) = load_err(&dir.0.join("absent"));
    assert_eq!(code, FF_NOT_FOUND);
    assert!(message.contains("does not exist"), "{message}");
    let (code, _) = load_err(&dir.0);
    assert_eq!(code, FF_NOT_FOUND);

    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    std::fs::remove_file(dir.file("weights/b.npy")).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_NOT_FOUND);
    assert!(message.contains("weights/b.npy does not exist"), "{message}");

    let dir = write_export(&dense_graph());
    std::fs::remove_file(dir.file("weights/w.npy")).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_NOT_FOUND);
    assert!(message.contains("w.npy does not exist") && message.contains("node 1 'w'"), "{message}");
}

#[test]
fn truncated_or_tampered_files_are_data_loss() {
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let w = std::fs::read(dir.file("weights/w.npy")).unwrap();
    std::fs::write(dir.file("weights/w.npy"), &w[..w.len() - 4]).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_DATA_LOSS);
    assert!(message.contains("does not match its checksum"), "{message}");

    // A changed graph with its checksum updated still has to agree with itself.
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let mut g = dense_graph();
    g["nodes"][2]["shape"] = json!([null, 5]);
    std::fs::write(dir.file("graph.json"), g.to_string()).unwrap();
    rehash(&dir, "graph.json");
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_DATA_LOSS);
    assert!(message.contains("shape mismatch"), "{message}");

    // Without a manifest: a truncated weight and a truncated graph.
    let dir = write_export(&dense_graph());
    let b = std::fs::read(dir.file("weights/b.npy")).unwrap();
    std::fs::write(dir.file("weights/b.npy"), &b[..b.len() - 3]).unwrap();
    assert_eq!(load_err(&dir.0).0, FF_DATA_LOSS);
    let text = dense_graph().to_string();
    std::fs::write(dir.file("graph.json"), &text[..text.len() / 2]).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_DATA_LOSS);
    assert!(message.contains("not valid JSON"), "{message}");

    // A manifest naming a graph outside the allowed places, or one its file list lacks.
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.file("saved_model.json")).unwrap()).unwrap();
    m["signatures"]["serving_default"] = json!("../graph.json");
    std::fs::write(dir.file("saved_model.json"), m.to_string()).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_DATA_LOSS);
    assert!(message.contains("bad graph file name '../graph.json'"), "{message}");
}

#[test]
fn newer_formats_are_invalid_arguments() {
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.file("saved_model.json")).unwrap()).unwrap();
    m["version"] = json!(3);
    std::fs::write(dir.file("saved_model.json"), m.to_string()).unwrap();
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_INVALID_ARGUMENT);
    assert!(message.contains("format version 3") && message.contains("versions 1 to 2"), "{message}");

    let mut g = dense_graph();
    g["version"] = json!(2);
    let dir = write_export(&g);
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_INVALID_ARGUMENT);
    assert!(message.contains("graph version 2"), "{message}");
}

#[test]
fn unknown_ops_are_not_found() {
    let dir = write_export(&python_only_graph());
    let (code, message) = load_err(&dir.0);
    assert_eq!(code, FF_NOT_FOUND);
    assert!(message.contains("Op type not registered 'assign'") && message.contains("matmul"), "{message}");
}

#[test]
fn null_arguments_are_errors_not_crashes() {
    let mut error = std::ptr::null_mut();
    // SAFETY: NULL handles are what the functions are documented to refuse.
    unsafe {
        assert!(ff_model_load(std::ptr::null(), &mut error).is_null());
        let (code, message) = take(error);
        assert_eq!((code, message.as_str()), (FF_INVALID_ARGUMENT, "export_dir is NULL"));
        // A NULL error slot is allowed: the code alone reports the failure.
        assert!(ff_model_load(std::ptr::null(), std::ptr::null_mut()).is_null());
        assert!(ff_model_signature(std::ptr::null(), 0, &mut error).is_null());
        assert_eq!(take(error).1, "model is NULL");
        assert!(ff_model_find_signature(std::ptr::null(), c"x".as_ptr(), &mut error).is_null());
        assert_eq!(take(error).0, FF_INVALID_ARGUMENT);
        assert_eq!(ff_model_signature_count(std::ptr::null()), 0);
        assert_eq!(name_of(ff_signature_name(std::ptr::null())), "");
        assert!(ff_signature_input(std::ptr::null(), 0).is_null());
        ff_model_free(std::ptr::null_mut());
        ff_error_free(std::ptr::null_mut());
        assert_eq!(ff_error_code(std::ptr::null()), FF_INVALID_ARGUMENT);
        assert_eq!(name_of(ff_code_name(FF_DATA_LOSS)), "DATA_LOSS");
        let bad = CString::new(vec![0xffu8, 0xfe]).unwrap();
        assert!(ff_model_load(bad.as_ptr(), &mut error).is_null());
        assert_eq!(take(error).1, "export_dir is not valid UTF-8");
    }
}
