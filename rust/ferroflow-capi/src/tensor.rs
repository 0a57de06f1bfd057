//! Library-allocated results (`ff_signature_run_alloc`): tensors the caller reads and frees with `ff_tensor_free`.

use crate::dtype::{to_c, FfDType};
use crate::error::{guard, guard_value, FfCode, FfError, FF_UNIMPLEMENTED};
use crate::model::{arg, FfSignature};
use crate::run::{run_signature, FfTensorView};
use ferroflow_core::tensor::TensorData;
use ferroflow_core::{DType, Tensor};
use std::ffi::c_void;

/// A result the library allocated: a dtype, a shape and row-major elements. Freed with `ff_tensor_free`.
pub struct FfTensor {
    tensor: Tensor,
    dims: Vec<i64>,
}

impl FfTensor {
    /// Holds `t` in row-major layout (a strided result is copied once).
    fn new(t: Tensor) -> FfTensor {
        macro_rules! standard {
            ($a:expr) => {
                if $a.is_standard_layout() {
                    t.clone()
                } else {
                    Tensor::from_array($a.as_standard_layout().into_owned())
                }
            };
        }
        let tensor = match t.data() {
            TensorData::F32(a) => standard!(a),
            TensorData::F64(a) => standard!(a),
            TensorData::I32(a) => standard!(a),
            TensorData::I64(a) => standard!(a),
            TensorData::Bool(a) => standard!(a),
            TensorData::U8(a) => standard!(a),
            TensorData::I8(a) => standard!(a),
            TensorData::I16(a) => standard!(a),
            TensorData::U16(a) => standard!(a),
            TensorData::U32(a) => standard!(a),
            TensorData::U64(a) => standard!(a),
            TensorData::Str(a) => standard!(a),
            TensorData::C64(a) => standard!(a),
            TensorData::C128(a) => standard!(a),
            TensorData::F16(a) => standard!(a),
            TensorData::BF16(a) => standard!(a),
        };
        let dims = tensor.shape().iter().map(|&d| d as i64).collect();
        FfTensor { tensor, dims }
    }

    fn data(&self) -> *const c_void {
        macro_rules! ptr {
            ($a:expr) => {
                $a.as_ptr().cast()
            };
        }
        match self.tensor.data() {
            TensorData::F32(a) => ptr!(a),
            TensorData::F64(a) => ptr!(a),
            TensorData::I32(a) => ptr!(a),
            TensorData::I64(a) => ptr!(a),
            TensorData::Bool(a) => ptr!(a),
            TensorData::U8(a) => ptr!(a),
            TensorData::I8(a) => ptr!(a),
            TensorData::I16(a) => ptr!(a),
            TensorData::U16(a) => ptr!(a),
            TensorData::U32(a) => ptr!(a),
            TensorData::U64(a) => ptr!(a),
            TensorData::C64(a) => ptr!(a),
            TensorData::C128(a) => ptr!(a),
            TensorData::F16(a) => ptr!(a),
            TensorData::BF16(a) => ptr!(a),
            TensorData::Str(_) => std::ptr::null(),
        }
    }

    fn byte_size(&self) -> usize {
        match self.tensor.dtype() {
            DType::Str => 0,
            d => self.tensor.len() * d.size_of(),
        }
    }
}

/// Runs a signature as `ff_signature_run` does, but the library allocates the results: on success
/// `outputs[i]` holds output `i`, to be freed with `ff_tensor_free`; on failure every `outputs[i]` is NULL.
///
/// # Safety
/// As `ff_signature_run`; `outputs` is NULL or has room for `output_count` pointers.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_run_alloc(
    signature: *const FfSignature,
    inputs: *const FfTensorView,
    input_count: usize,
    outputs: *mut *mut FfTensor,
    output_count: usize,
    error: *mut *mut FfError,
) -> FfCode {
    guard(error, || {
        let sig = arg(signature, "signature")?;
        if output_count > 0 && outputs.is_null() {
            return Err(FfError::invalid("outputs is NULL"));
        }
        let outs = if output_count == 0 {
            &mut [][..]
        } else {
            std::slice::from_raw_parts_mut(outputs, output_count)
        };
        outs.fill(std::ptr::null_mut());
        let results = run_signature(sig, inputs, input_count, output_count)?;
        if let Some((spec, _)) = sig.outputs.iter().zip(&results).find(|(_, t)| t.dtype() == DType::Str) {
            return Err(FfError::new(
                FF_UNIMPLEMENTED,
                format!("output '{}' holds strings, which the C API cannot return", spec.core.name),
            ));
        }
        for (slot, t) in outs.iter_mut().zip(results) {
            *slot = Box::into_raw(Box::new(FfTensor::new(t)));
        }
        Ok(())
    })
}

/// The tensor's dtype (`FF_STRING` is never returned by the run functions; -1 for NULL).
///
/// # Safety
/// `tensor` is NULL or a live tensor from `ff_signature_run_alloc`.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_dtype(tensor: *const FfTensor) -> FfDType {
    guard_value(-1, || tensor.as_ref().map_or(-1, |t| to_c(t.tensor.dtype())))
}

/// The tensor's number of dimensions (0 for NULL).
///
/// # Safety
/// `tensor` is NULL or a live tensor from `ff_signature_run_alloc`.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_rank(tensor: *const FfTensor) -> usize {
    guard_value(0, || tensor.as_ref().map_or(0, |t| t.dims.len()))
}

/// The tensor's `rank` sizes, owned by the tensor (NULL for NULL).
///
/// # Safety
/// `tensor` is NULL or a live tensor from `ff_signature_run_alloc`.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_dims(tensor: *const FfTensor) -> *const i64 {
    guard_value(std::ptr::null(), || tensor.as_ref().map_or(std::ptr::null(), |t| t.dims.as_ptr()))
}

/// The tensor's elements, row-major and aligned for their type, owned by the tensor (NULL for NULL).
///
/// # Safety
/// `tensor` is NULL or a live tensor from `ff_signature_run_alloc`.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_data(tensor: *const FfTensor) -> *const c_void {
    guard_value(std::ptr::null(), || tensor.as_ref().map_or(std::ptr::null(), |t| t.data()))
}

/// The bytes at `ff_tensor_data` (0 for NULL).
///
/// # Safety
/// `tensor` is NULL or a live tensor from `ff_signature_run_alloc`.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_byte_size(tensor: *const FfTensor) -> usize {
    guard_value(0, || tensor.as_ref().map_or(0, |t| t.byte_size()))
}

/// Frees a tensor (NULL is ignored).
///
/// # Safety
/// `tensor` is NULL or a tensor from `ff_signature_run_alloc`, not yet freed; it is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ff_tensor_free(tensor: *mut FfTensor) {
    guard_value((), || {
        if !tensor.is_null() {
            drop(Box::from_raw(tensor));
        }
    })
}
