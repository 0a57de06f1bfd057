//! Running signatures through the C API: caller-owned and library-allocated outputs, bad arguments, threads.

mod common;

use common::*;
use ferroflow::dtype::{FF_FLOAT32, FF_FLOAT64, FF_INT64, FF_STRING};
use ferroflow::error::*;
use ferroflow::model::*;
use ferroflow::run::*;
use ferroflow::tensor::*;
use std::ffi::c_void;

fn view<T>(dtype: i32, dims: &[i64], data: &[T]) -> FfTensorView {
    FfTensorView {
        dtype,
        rank: dims.len(),
        dims: dims.as_ptr(),
        data: data.as_ptr().cast(),
        byte_size: std::mem::size_of_val(data),
    }
}

fn out_buffer<T>(data: &mut [T], dims: &mut [i64]) -> FfOutputBuffer {
    FfOutputBuffer {
        data: data.as_mut_ptr().cast::<c_void>(),
        capacity: std::mem::size_of_val(data),
        dims: dims.as_mut_ptr(),
        dims_capacity: dims.len(),
        dtype: 0,
        rank: 0,
        byte_size: 0,
    }
}

/// Runs the dense signature on caller-owned buffers: (code, message or "", outputs).
fn run_dense(sig: *const FfSignature, inputs: &[FfTensorView], rows: usize) -> (FfCode, String, Vec<f32>) {
    let mut probs = vec![0f32; rows * 2];
    let mut dims = [0i64; 4];
    let mut out = [out_buffer(&mut probs, &mut dims)];
    let mut error = std::ptr::null_mut();
    // SAFETY: the views and buffers live across the call and state their sizes.
    let code =
        unsafe { ff_signature_run(sig, inputs.as_ptr(), inputs.len(), out.as_mut_ptr(), 1, &mut error) };
    let message = if error.is_null() { String::new() } else { take(error).1 };
    if code == FF_OK {
        assert_eq!((out[0].dtype, out[0].rank, out[0].byte_size), (FF_FLOAT32, 2, rows * 8));
        assert_eq!(&dims[..2], &[rows as i64, 2]);
    }
    (code, message, probs)
}

fn serving(model: *const FfModel) -> *const FfSignature {
    // SAFETY: a live model.
    unsafe { ff_model_find_signature(model, c"serving_default".as_ptr(), std::ptr::null_mut()) }
}

#[test]
fn runs_on_caller_owned_buffers() {
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let model = load(&dir.0);
    let sig = serving(model);
    let x: Vec<f32> = (0..96).map(|i| ((i * 37 % 17) as f32 - 8.0) / 4.0).collect();
    let (code, message, probs) = run_dense(sig, &[view(FF_FLOAT32, &[32, 3], &x)], 32);
    assert_eq!(code, FF_OK, "{message}");
    for (got, want) in probs.iter().zip(dense_reference(&x)) {
        assert!((got - want).abs() <= 1e-6 + 1e-6 * want.abs(), "{got} vs {want}");
    }
    // SAFETY: the model is no longer used.
    unsafe { ff_model_free(model) };
}

#[test]
fn runs_with_library_allocated_outputs() {
    let dir = write_saved_model(&[("serving_default", dense_graph()), ("argmax", two_output_graph())]);
    let model = load(&dir.0);
    // SAFETY: a live model; outputs are read before they are freed.
    unsafe {
        let sig = ff_model_find_signature(model, c"argmax".as_ptr(), std::ptr::null_mut());
        let a = [1.0f32, -2.0, 0.5, 3.0, -1.0, -0.5];
        let k = [10i64];
        let inputs = [view(FF_FLOAT32, &[3, 2], &a), view(FF_INT64, &[], &k)];
        let mut outs = [std::ptr::null_mut(); 2];
        let mut error = std::ptr::null_mut();
        let code = ff_signature_run_alloc(sig, inputs.as_ptr(), 2, outs.as_mut_ptr(), 2, &mut error);
        assert_eq!(code, FF_OK, "{:?}", (!error.is_null()).then(|| take(error)));
        let [product, ids] = outs;
        assert_eq!((ff_tensor_dtype(product), ff_tensor_rank(product)), (FF_FLOAT32, 2));
        assert_eq!(std::slice::from_raw_parts(ff_tensor_dims(product), 2), &[3, 2]);
        assert_eq!(ff_tensor_byte_size(product), 24);
        let p = std::slice::from_raw_parts(ff_tensor_data(product).cast::<f32>(), 6);
        assert_eq!(p, &a.map(|v| v * v));
        assert_eq!((ff_tensor_dtype(ids), ff_tensor_rank(ids), ff_tensor_byte_size(ids)), (FF_INT64, 1, 24));
        assert_eq!(std::slice::from_raw_parts(ff_tensor_data(ids).cast::<i64>(), 3), &[10, 11, 11]);
        ff_tensor_free(product);
        ff_tensor_free(ids);
        ff_tensor_free(std::ptr::null_mut());
        assert_eq!(ff_tensor_byte_size(std::ptr::null()), 0);

        // On failure every output slot is NULL.
        let mut outs = [std::ptr::dangling_mut::<FfTensor>(); 2];
        let bad = [view(FF_FLOAT32, &[3, 2], &a), view(FF_FLOAT32, &[], &[1f32])];
        let code = ff_signature_run_alloc(sig, bad.as_ptr(), 2, outs.as_mut_ptr(), 2, &mut error);
        assert_eq!(code, FF_INVALID_ARGUMENT);
        assert!(take(error).1.contains("input 1 'k' expects int64 values, received float32"));
        assert!(outs.iter().all(|p| p.is_null()));
        ff_model_free(model);
    }
}

#[test]
fn wrong_inputs_are_invalid_arguments() {
    let dir = write_export(&dense_graph());
    let model = load(&dir.0);
    let sig = serving(model);
    let x = [0.5f32; 6];
    let x64 = [0.5f64; 6];
    let cases: Vec<(Vec<FfTensorView>, &str)> = vec![
        (vec![view(FF_FLOAT64, &[2, 3], &x64)], "input 0 'x' expects float32 values, received float64"),
        (vec![view(FF_FLOAT32, &[3, 2], &x)], "input 0 'x' expects shape (None, 3), received (3, 2)"),
        (vec![view(FF_FLOAT32, &[6], &x)], "expects shape (None, 3), received (6,)"),
        (vec![view(FF_FLOAT32, &[-2, 3], &x)], "negative size"),
        (vec![view(FF_FLOAT32, &[4, 3], &x)], "take 48 bytes, byte_size is 24"),
        (vec![view(99, &[2, 3], &x)], "99 is not a dtype code"),
        (
            vec![view(FF_FLOAT32, &[2, 3], &x), view(FF_FLOAT32, &[2, 3], &x)],
            "takes 1 input(s), input_count is 2",
        ),
        (vec![], "takes 1 input(s), input_count is 0"),
    ];
    for (inputs, expected) in cases {
        let (code, message, _) = run_dense(sig, &inputs, 2);
        assert_eq!(code, FF_INVALID_ARGUMENT, "{message}");
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    }
    let (code, message, _) = run_dense(sig, &[view(FF_STRING, &[2, 3], &x)], 2);
    assert_eq!(code, FF_UNIMPLEMENTED, "{message}");
    let mut null_data = view(FF_FLOAT32, &[2, 3], &x);
    null_data.data = std::ptr::null();
    assert!(run_dense(sig, &[null_data], 2).1.contains("data is NULL"));
    let mut null_dims = view(FF_FLOAT32, &[2, 3], &x);
    null_dims.dims = std::ptr::null();
    assert!(run_dense(sig, &[null_dims], 2).1.contains("dims is NULL"));
    // SAFETY: NULL pointers the function must refuse.
    unsafe {
        let mut error = std::ptr::null_mut();
        let code =
            ff_signature_run(std::ptr::null(), std::ptr::null(), 0, std::ptr::null_mut(), 0, &mut error);
        assert_eq!((code, take(error).1.as_str()), (FF_INVALID_ARGUMENT, "signature is NULL"));
        let code = ff_signature_run(sig, std::ptr::null(), 1, std::ptr::null_mut(), 1, &mut error);
        assert_eq!((code, take(error).1.as_str()), (FF_INVALID_ARGUMENT, "outputs is NULL"));
        let mut probs = [0f32; 4];
        let mut dims = [0i64; 2];
        let mut out = [out_buffer(&mut probs, &mut dims)];
        let code = ff_signature_run(sig, std::ptr::null(), 1, out.as_mut_ptr(), 1, &mut error);
        assert_eq!((code, take(error).1.as_str()), (FF_INVALID_ARGUMENT, "inputs is NULL"));
        ff_model_free(model);
    }
}

#[test]
fn an_output_that_does_not_fit_reports_what_it_needs() {
    let dir = write_export(&dense_graph());
    let model = load(&dir.0);
    let sig = serving(model);
    let x = [0.25f32; 12];
    let inputs = [view(FF_FLOAT32, &[4, 3], &x)];
    // SAFETY: buffers live across the calls and state their sizes.
    unsafe {
        let mut small = [0f32; 6];
        let mut dims = [0i64; 2];
        let mut out = [out_buffer(&mut small, &mut dims)];
        let mut error = std::ptr::null_mut();
        let code = ff_signature_run(sig, inputs.as_ptr(), 1, out.as_mut_ptr(), 1, &mut error);
        assert_eq!(code, FF_INVALID_ARGUMENT);
        assert!(take(error)
            .1
            .contains("output 'probs' (float32 values of shape [4, 2]) takes 32 bytes, its buffer holds 24"));
        assert_eq!((out[0].dtype, out[0].rank, out[0].byte_size, dims), (FF_FLOAT32, 2, 32, [4, 2]));
        let mut probs = [0f32; 8];
        let mut one_dim = [0i64; 1];
        let mut out = [out_buffer(&mut probs, &mut one_dim)];
        let code = ff_signature_run(sig, inputs.as_ptr(), 1, out.as_mut_ptr(), 1, &mut error);
        assert_eq!(code, FF_INVALID_ARGUMENT);
        assert!(take(error).1.contains("has 2 dimensions, its buffer has room for 1"));
        let mut dims = [0i64; 2];
        let mut out = [out_buffer(&mut probs, &mut dims)];
        let code = ff_signature_run(sig, inputs.as_ptr(), 1, out.as_mut_ptr(), 1, &mut error);
        assert_eq!(code, FF_OK);
        assert!(error.is_null());
        assert_eq!(probs.to_vec(), dense_reference(&x));
        ff_model_free(model);
    }
}

#[test]
fn one_model_runs_from_many_threads_at_once() {
    let dir = write_saved_model(&[("serving_default", dense_graph())]);
    let model = load(&dir.0);
    struct Shared(*const FfSignature);
    // SAFETY: the C API documents signatures as safe to run from several threads.
    unsafe impl Sync for Shared {}
    let sig = Shared(serving(model));
    std::thread::scope(|s| {
        for t in 0..8 {
            let sig = &sig;
            s.spawn(move || {
                for i in 0..200 {
                    let rows = 1 + (t + i) % 5;
                    let x: Vec<f32> =
                        (0..rows * 3).map(|j| ((t * 31 + i * 7 + j) % 13) as f32 / 3.0 - 2.0).collect();
                    let (code, message, probs) =
                        run_dense(sig.0, &[view(FF_FLOAT32, &[rows as i64, 3], &x)], rows);
                    assert_eq!(code, FF_OK, "{message}");
                    for (got, want) in probs.iter().zip(dense_reference(&x)) {
                        assert!((got - want).abs() <= 1e-6 + 1e-6 * want.abs(), "{got} vs {want}");
                    }
                }
            });
        }
    });
    // SAFETY: every thread has finished.
    unsafe { ff_model_free(model) };
}

#[test]
fn dtype_helpers() {
    assert_eq!(ferroflow::dtype::ff_dtype_size(FF_FLOAT64), 8);
    assert_eq!(ferroflow::dtype::ff_dtype_size(FF_STRING), 0);
    assert_eq!(ferroflow::dtype::ff_dtype_size(1234), 0);
    // SAFETY: static strings.
    unsafe {
        assert_eq!(std::ffi::CStr::from_ptr(ferroflow::dtype::ff_dtype_name(FF_INT64)), c"int64");
        assert_eq!(std::ffi::CStr::from_ptr(ferroflow::dtype::ff_dtype_name(-3)), c"invalid");
        assert!(std::ffi::CStr::from_ptr(ferroflow::ff_version()).to_str().unwrap().starts_with("0."));
    }
}
