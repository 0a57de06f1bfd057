//! Loading a SavedModel directory (`ff_model_load`) and listing its signatures with their input and output specs.

use crate::dtype::{to_c, FfDType};
use crate::error::{guard_ptr, guard_value, FfError, FF_NOT_FOUND, FF_OUT_OF_RANGE};
use ferroflow_core::serving::{SavedModel, SavedModelBundle, Signature, TensorSpec};
use std::ffi::{c_char, CStr, CString};
use std::path::PathBuf;

/// The name, dtype and static shape of one input or output of a signature. Owned by the model.
#[repr(C)]
pub struct FfTensorSpec {
    /// The input's key (what Python passes as a keyword argument) or the output's key, NUL-terminated.
    pub name: *const c_char,
    pub dtype: FfDType,
    /// The number of dimensions, or -1 when the rank is unknown (then `dims` is NULL).
    pub rank: i64,
    /// `rank` sizes, -1 for a dimension of any size (the batch).
    pub dims: *const i64,
}

/// A spec with the storage its pointers point into (heap buffers, which stay put when the struct moves).
pub(crate) struct Spec {
    pub(crate) core: TensorSpec,
    _name: CString,
    _dims: Vec<i64>,
    pub(crate) c: FfTensorSpec,
}

impl Spec {
    fn new(core: &TensorSpec) -> Spec {
        let name = CString::new(core.name.replace('\0', "")).unwrap_or_default();
        let dims: Option<Vec<i64>> =
            core.shape.dims.as_ref().map(|d| d.iter().map(|s| s.map_or(-1, |n| n as i64)).collect());
        let rank = dims.as_ref().map_or(-1, |d| d.len() as i64);
        let dims = dims.unwrap_or_default();
        let c = FfTensorSpec {
            name: name.as_ptr(),
            dtype: to_c(core.dtype),
            rank,
            dims: if rank < 0 { std::ptr::null() } else { dims.as_ptr() },
        };
        Spec { core: core.clone(), _name: name, _dims: dims, c }
    }
}

/// One signature of a loaded model: a graph with named inputs and outputs. Owned by the model.
pub struct FfSignature {
    name: CString,
    pub(crate) model: SavedModel,
    pub(crate) inputs: Vec<Spec>,
    pub(crate) outputs: Vec<Spec>,
}

// SAFETY: the raw pointers in the specs point into the signature's own immutable heap buffers, and the
// model is only read after loading; sharing them between threads is sharing immutable data.
unsafe impl Send for FfSignature {}
unsafe impl Sync for FfSignature {}

/// A loaded SavedModel: its signatures, `serving_default` first, then by name. Freed with `ff_model_free`.
pub struct FfModel {
    /// Never grown after loading, so pointers to its elements stay valid while the model lives.
    signatures: Vec<FfSignature>,
}

impl FfModel {
    fn new(signatures: Vec<Signature>) -> FfModel {
        let signatures = signatures
            .into_iter()
            .map(|s| {
                let inputs = s.model.inputs().iter().map(Spec::new).collect();
                let outputs = s.model.outputs().iter().map(Spec::new).collect();
                let name = CString::new(s.name.replace('\0', "")).unwrap_or_default();
                FfSignature { name, model: s.model, inputs, outputs }
            })
            .collect();
        FfModel { signatures }
    }
}

/// A C string argument as a path or name; NULL and invalid UTF-8 are errors naming the argument.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
pub(crate) unsafe fn c_str<'a>(s: *const c_char, what: &str) -> Result<&'a str, FfError> {
    if s.is_null() {
        return Err(FfError::invalid(format!("{what} is NULL")));
    }
    CStr::from_ptr(s).to_str().map_err(|_| FfError::invalid(format!("{what} is not valid UTF-8")))
}

/// Borrows a handle, NULL being an error naming the argument.
///
/// # Safety
/// `p` is NULL or points to a live object of type `T`.
pub(crate) unsafe fn arg<'a, T>(p: *const T, what: &str) -> Result<&'a T, FfError> {
    p.as_ref().ok_or_else(|| FfError::invalid(format!("{what} is NULL")))
}

/// Loads every signature of the SavedModel directory `export_dir` (written by `tf.saved_model.save` or
/// `model.export`), checking each file against the manifest's checksums. Returns NULL on failure:
/// `FF_NOT_FOUND` for a missing directory or file or an op this library does not know, `FF_DATA_LOSS` for a
/// truncated, changed or malformed file, `FF_INVALID_ARGUMENT` for a newer format. Nothing in the directory
/// is executed.
///
/// # Safety
/// `export_dir` is NULL or a NUL-terminated string; `error` is NULL or a writable `FfError *`.
#[no_mangle]
pub unsafe extern "C" fn ff_model_load(export_dir: *const c_char, error: *mut *mut FfError) -> *mut FfModel {
    guard_ptr(error, || {
        let dir = PathBuf::from(c_str(export_dir, "export_dir")?);
        let bundle = SavedModelBundle::load(dir)?;
        Ok(Box::into_raw(Box::new(FfModel::new(bundle.into_signatures()))))
    })
}

/// Loads one signature of a SavedModel directory (for a directory whose other signatures use ops this
/// library does not run). The model then has that one signature. NULL on failure, as `ff_model_load`.
///
/// # Safety
/// `export_dir` and `signature` are NULL or NUL-terminated strings; `error` is NULL or a writable `FfError *`.
#[no_mangle]
pub unsafe extern "C" fn ff_model_load_signature(
    export_dir: *const c_char,
    signature: *const c_char,
    error: *mut *mut FfError,
) -> *mut FfModel {
    guard_ptr(error, || {
        let dir = PathBuf::from(c_str(export_dir, "export_dir")?);
        let name = c_str(signature, "signature")?;
        let model = SavedModel::load_signature(dir, name)?;
        let signatures = vec![Signature { name: name.to_string(), model }];
        Ok(Box::into_raw(Box::new(FfModel::new(signatures))))
    })
}

/// Frees a model and everything it owns (signatures, specs, names); NULL is ignored. No run of the model
/// may be in progress.
///
/// # Safety
/// `model` is NULL or a model from `ff_model_load*`, not yet freed; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ff_model_free(model: *mut FfModel) {
    guard_value((), || {
        if !model.is_null() {
            drop(Box::from_raw(model));
        }
    })
}

/// The number of signatures (0 for NULL).
///
/// # Safety
/// `model` is NULL or a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_model_signature_count(model: *const FfModel) -> usize {
    guard_value(0, || model.as_ref().map_or(0, |m| m.signatures.len()))
}

/// The signature at `index` (0 to count - 1; 0 is `serving_default` when the model has it), owned by the
/// model. NULL and `FF_OUT_OF_RANGE` past the end.
///
/// # Safety
/// `model` is NULL or a live model; `error` is NULL or a writable `FfError *`.
#[no_mangle]
pub unsafe extern "C" fn ff_model_signature(
    model: *const FfModel,
    index: usize,
    error: *mut *mut FfError,
) -> *const FfSignature {
    guard_ptr(error, || {
        let m = arg(model, "model")?;
        let s = m.signatures.get(index).ok_or_else(|| {
            FfError::new(
                FF_OUT_OF_RANGE,
                format!("signature index {index} is out of range: the model has {}", m.signatures.len()),
            )
        })?;
        Ok(s as *const FfSignature as *mut FfSignature)
    })
}

/// The signature named `name` ("serving_default", ...), owned by the model. NULL and `FF_NOT_FOUND`
/// (naming the model's signatures) when it has none of that name.
///
/// # Safety
/// `model` is NULL or a live model; `name` NULL or a NUL-terminated string; `error` NULL or a writable `FfError *`.
#[no_mangle]
pub unsafe extern "C" fn ff_model_find_signature(
    model: *const FfModel,
    name: *const c_char,
    error: *mut *mut FfError,
) -> *const FfSignature {
    guard_ptr(error, || {
        let m = arg(model, "model")?;
        let name = c_str(name, "name")?;
        match m.signatures.iter().find(|s| s.name.to_bytes() == name.as_bytes()) {
            Some(s) => Ok(s as *const FfSignature as *mut FfSignature),
            None => {
                let names: Vec<&str> = m.signatures.iter().map(|s| s.name.to_str().unwrap_or("")).collect();
                Err(FfError::new(
                    FF_NOT_FOUND,
                    format!("the model has no signature '{name}'; its signatures are: {}", names.join(", ")),
                ))
            }
        }
    })
}

/// The signature's name, NUL-terminated ("" for NULL).
///
/// # Safety
/// `signature` is NULL or a signature of a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_name(signature: *const FfSignature) -> *const c_char {
    guard_value(c"".as_ptr(), || signature.as_ref().map_or(c"".as_ptr(), |s| s.name.as_ptr()))
}

/// The number of inputs the run functions take, in order (0 for NULL).
///
/// # Safety
/// `signature` is NULL or a signature of a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_input_count(signature: *const FfSignature) -> usize {
    guard_value(0, || signature.as_ref().map_or(0, |s| s.inputs.len()))
}

/// The number of outputs the run functions write, in order (0 for NULL).
///
/// # Safety
/// `signature` is NULL or a signature of a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_output_count(signature: *const FfSignature) -> usize {
    guard_value(0, || signature.as_ref().map_or(0, |s| s.outputs.len()))
}

/// The spec of input `index`, owned by the model; NULL when `signature` is NULL or `index` is past the end.
///
/// # Safety
/// `signature` is NULL or a signature of a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_input(
    signature: *const FfSignature,
    index: usize,
) -> *const FfTensorSpec {
    guard_value(std::ptr::null(), || {
        signature.as_ref().and_then(|s| s.inputs.get(index)).map_or(std::ptr::null(), |spec| &spec.c)
    })
}

/// The spec of output `index`, owned by the model; NULL when `signature` is NULL or `index` is past the end.
///
/// # Safety
/// `signature` is NULL or a signature of a live model.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_output(
    signature: *const FfSignature,
    index: usize,
) -> *const FfTensorSpec {
    guard_value(std::ptr::null(), || {
        signature.as_ref().and_then(|s| s.outputs.get(index)).map_or(std::ptr::null(), |spec| &spec.c)
    })
}
