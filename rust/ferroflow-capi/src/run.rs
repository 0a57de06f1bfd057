//! Running a signature: caller-owned input views in, caller-owned output buffers out (`ff_signature_run`).

use crate::dtype::{byte_size, from_c, to_c, FfDType};
use crate::error::{guard, FfCode, FfError, FF_UNIMPLEMENTED};
use crate::model::{arg, FfSignature, Spec};
use ferroflow_core::tensor::{Storable, TensorData};
use ferroflow_core::{DType, Shape, Tensor};
use std::ffi::c_void;

/// One input value: a dtype, a shape and a caller-owned buffer of packed elements in row-major (C)
/// order and native byte order. The library copies it; the buffer needs no particular alignment.
#[repr(C)]
pub struct FfTensorView {
    pub dtype: FfDType,
    /// The number of dimensions.
    pub rank: usize,
    /// `rank` sizes (may be NULL when `rank` is 0).
    pub dims: *const i64,
    /// The elements (may be NULL when there are none).
    pub data: *const c_void,
    /// The bytes at `data`: exactly the element count times `ff_dtype_size(dtype)`.
    pub byte_size: usize,
}

/// Room for one output, owned by the caller. The caller fills `data`, `capacity`, `dims` and
/// `dims_capacity`; the run fills `dtype`, `rank`, the first `rank` entries of `dims` and `byte_size`.
/// When the output does not fit (too few bytes or dimensions), the run fails with `FF_INVALID_ARGUMENT`
/// but still fills `dtype`, `rank`, `byte_size` (the bytes needed) and as many `dims` as fit, so the
/// caller can grow the buffers and run again.
#[repr(C)]
pub struct FfOutputBuffer {
    /// Where the elements go (row-major, native byte order; no alignment needed).
    pub data: *mut c_void,
    /// The bytes `data` has room for.
    pub capacity: usize,
    /// Where the output's sizes go.
    pub dims: *mut i64,
    /// The entries `dims` has room for.
    pub dims_capacity: usize,
    /// Out: the output's dtype.
    pub dtype: FfDType,
    /// Out: the output's number of dimensions.
    pub rank: usize,
    /// Out: the bytes of the output (written when they fit in `capacity`, needed otherwise).
    pub byte_size: usize,
}

/// `elements * size` bytes, if that does not overflow.
fn bytes_for(shape: &[usize], dtype: DType) -> Option<usize> {
    shape.iter().try_fold(byte_size(dtype)?, |acc, &d| acc.checked_mul(d))
}

fn describe(spec: &Spec, index: usize) -> String {
    format!("input {index} '{}'", spec.core.name)
}

/// Copies `n` elements of type `T` from possibly unaligned bytes into a tensor.
///
/// # Safety
/// `data` points to `n * size_of::<T>()` readable bytes.
unsafe fn tensor_from<T: Storable + Copy>(
    shape: &[usize],
    data: *const u8,
    n: usize,
) -> Result<Tensor, FfError> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    std::ptr::copy_nonoverlapping(data, v.as_mut_ptr().cast::<u8>(), n * std::mem::size_of::<T>());
    v.set_len(n);
    Ok(Tensor::from_vec(shape, v)?)
}

/// Checks one input view against its spec and copies it into a tensor.
///
/// # Safety
/// `view`'s pointers are NULL or valid for the sizes it states.
unsafe fn input_tensor(spec: &Spec, index: usize, view: &FfTensorView) -> Result<Tensor, FfError> {
    let what = || describe(spec, index);
    let dtype = from_c(view.dtype)
        .ok_or_else(|| FfError::invalid(format!("{}: {} is not a dtype code", what(), view.dtype)))?;
    if dtype == DType::Str {
        return Err(FfError::new(
            FF_UNIMPLEMENTED,
            format!("{}: string inputs cannot be fed through the C API", what()),
        ));
    }
    if dtype != spec.core.dtype {
        return Err(FfError::invalid(format!(
            "{} expects {} values, received {}",
            what(),
            spec.core.dtype,
            dtype
        )));
    }
    if view.rank > 0 && view.dims.is_null() {
        return Err(FfError::invalid(format!("{}: dims is NULL for rank {}", what(), view.rank)));
    }
    let dims = if view.rank == 0 { &[][..] } else { std::slice::from_raw_parts(view.dims, view.rank) };
    let shape = dims
        .iter()
        .map(|&d| usize::try_from(d).ok())
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| FfError::invalid(format!("{}: negative size in dims {dims:?}", what())))?;
    if !spec.core.shape.accepts(&shape) {
        return Err(FfError::invalid(format!(
            "{} expects shape {}, received {}",
            what(),
            spec.core.shape,
            Shape::from_dims(shape.iter().map(|&d| Some(d)).collect())
        )));
    }
    let need = bytes_for(&shape, dtype)
        .ok_or_else(|| FfError::invalid(format!("{}: shape {shape:?} is too large", what())))?;
    if view.byte_size != need {
        return Err(FfError::invalid(format!(
            "{}: {dtype} values of shape {shape:?} take {need} bytes, byte_size is {}",
            what(),
            view.byte_size
        )));
    }
    if need > 0 && view.data.is_null() {
        return Err(FfError::invalid(format!("{}: data is NULL", what())));
    }
    let n: usize = shape.iter().product();
    let data = view.data.cast::<u8>();
    match dtype {
        DType::F32 => tensor_from::<f32>(&shape, data, n),
        DType::F64 => tensor_from::<f64>(&shape, data, n),
        DType::I32 => tensor_from::<i32>(&shape, data, n),
        DType::I64 => tensor_from::<i64>(&shape, data, n),
        DType::U8 => tensor_from::<u8>(&shape, data, n),
        DType::I8 => tensor_from::<i8>(&shape, data, n),
        DType::I16 => tensor_from::<i16>(&shape, data, n),
        DType::U16 => tensor_from::<u16>(&shape, data, n),
        DType::U32 => tensor_from::<u32>(&shape, data, n),
        DType::U64 => tensor_from::<u64>(&shape, data, n),
        DType::C64 => tensor_from::<ferroflow_core::tensor::Complex<f32>>(&shape, data, n),
        DType::C128 => tensor_from::<ferroflow_core::tensor::Complex<f64>>(&shape, data, n),
        DType::F16 => tensor_from::<ferroflow_core::tensor::f16>(&shape, data, n),
        DType::BF16 => tensor_from::<ferroflow_core::tensor::bf16>(&shape, data, n),
        // A bool byte other than 0 or 1 is not a Rust bool: decode rather than copy.
        DType::Bool => Ok(Tensor::from_vec(
            &shape,
            std::slice::from_raw_parts(data, n).iter().map(|&b| b != 0).collect(),
        )?),
        DType::Str => unreachable!("refused above"),
    }
}

/// Checks the inputs and runs the signature: the outputs in the signature's order.
///
/// # Safety
/// `inputs` is NULL or points to `input_count` views whose pointers are valid for the sizes they state.
pub(crate) unsafe fn run_signature(
    sig: &FfSignature,
    inputs: *const FfTensorView,
    input_count: usize,
    output_count: usize,
) -> Result<Vec<Tensor>, FfError> {
    if input_count != sig.inputs.len() {
        return Err(FfError::invalid(format!(
            "the signature takes {} input(s), input_count is {input_count}",
            sig.inputs.len()
        )));
    }
    if output_count != sig.outputs.len() {
        return Err(FfError::invalid(format!(
            "the signature returns {} output(s), output_count is {output_count}",
            sig.outputs.len()
        )));
    }
    if input_count > 0 && inputs.is_null() {
        return Err(FfError::invalid("inputs is NULL"));
    }
    let views = if input_count == 0 { &[][..] } else { std::slice::from_raw_parts(inputs, input_count) };
    let tensors = sig
        .inputs
        .iter()
        .zip(views)
        .enumerate()
        .map(|(i, (spec, view))| input_tensor(spec, i, view))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sig.model.run_owned(tensors)?)
}

/// Copies a tensor's elements in row-major order to `dst`, which has room for all of them.
///
/// # Safety
/// `dst` is valid for writing the tensor's byte size.
unsafe fn write_elements(t: &Tensor, dst: *mut u8) {
    macro_rules! copy {
        ($a:expr, $t:ty) => {{
            let size = std::mem::size_of::<$t>();
            match $a.as_slice() {
                Some(s) => std::ptr::copy_nonoverlapping(s.as_ptr().cast::<u8>(), dst, s.len() * size),
                None => {
                    for (i, v) in $a.iter().enumerate() {
                        std::ptr::write_unaligned(dst.add(i * size).cast::<$t>(), *v);
                    }
                }
            }
        }};
    }
    match t.data() {
        TensorData::F32(a) => copy!(a, f32),
        TensorData::F64(a) => copy!(a, f64),
        TensorData::I32(a) => copy!(a, i32),
        TensorData::I64(a) => copy!(a, i64),
        TensorData::Bool(a) => copy!(a, bool),
        TensorData::U8(a) => copy!(a, u8),
        TensorData::I8(a) => copy!(a, i8),
        TensorData::I16(a) => copy!(a, i16),
        TensorData::U16(a) => copy!(a, u16),
        TensorData::U32(a) => copy!(a, u32),
        TensorData::U64(a) => copy!(a, u64),
        TensorData::C64(a) => copy!(a, ferroflow_core::tensor::Complex<f32>),
        TensorData::C128(a) => copy!(a, ferroflow_core::tensor::Complex<f64>),
        TensorData::F16(a) => copy!(a, ferroflow_core::tensor::f16),
        TensorData::BF16(a) => copy!(a, ferroflow_core::tensor::bf16),
        TensorData::Str(_) => {}
    }
}

/// Fills one caller-owned output buffer with a result.
///
/// # Safety
/// `out`'s pointers are NULL or valid for the capacities it states.
unsafe fn fill_output(spec: &Spec, t: &Tensor, out: &mut FfOutputBuffer) -> Result<(), FfError> {
    let name = &spec.core.name;
    if t.dtype() == DType::Str {
        return Err(FfError::new(
            FF_UNIMPLEMENTED,
            format!("output '{name}' holds strings, which the C API cannot return"),
        ));
    }
    let need = bytes_for(t.shape(), t.dtype()).unwrap_or(usize::MAX);
    out.dtype = to_c(t.dtype());
    out.rank = t.rank();
    out.byte_size = need;
    if !out.dims.is_null() {
        for (i, &d) in t.shape().iter().take(out.dims_capacity).enumerate() {
            *out.dims.add(i) = d as i64;
        }
    }
    if t.rank() > 0 && (out.dims.is_null() || out.dims_capacity < t.rank()) {
        return Err(FfError::invalid(format!(
            "output '{name}' has {} dimensions, its buffer has room for {} (dims {})",
            t.rank(),
            out.dims_capacity,
            if out.dims.is_null() { "is NULL" } else { "is too short" }
        )));
    }
    if need > out.capacity || (need > 0 && out.data.is_null()) {
        return Err(FfError::invalid(format!(
            "output '{name}' ({} values of shape {:?}) takes {need} bytes, its buffer {}",
            t.dtype(),
            t.shape(),
            if out.data.is_null() { "is NULL".to_string() } else { format!("holds {}", out.capacity) }
        )));
    }
    write_elements(t, out.data.cast());
    Ok(())
}

/// Runs a signature on `input_count` inputs (in the order `ff_signature_input` lists them, each of the
/// spec's dtype and a shape it accepts) and writes its `output_count` outputs into caller-owned buffers
/// (see `FfOutputBuffer`). `FF_INVALID_ARGUMENT` for a NULL pointer, a wrong count, dtype, shape or
/// byte size, or an output that does not fit. Thread-safe: several threads may run the same signature at
/// once.
///
/// # Safety
/// `signature` is NULL or a signature of a live model; `inputs` NULL or `input_count` views valid for the
/// sizes they state; `outputs` NULL or `output_count` buffers valid for the capacities they state; `error`
/// NULL or a writable `FfError *`.
#[no_mangle]
pub unsafe extern "C" fn ff_signature_run(
    signature: *const FfSignature,
    inputs: *const FfTensorView,
    input_count: usize,
    outputs: *mut FfOutputBuffer,
    output_count: usize,
    error: *mut *mut FfError,
) -> FfCode {
    guard(error, || {
        let sig = arg(signature, "signature")?;
        if output_count > 0 && outputs.is_null() {
            return Err(FfError::invalid("outputs is NULL"));
        }
        let results = run_signature(sig, inputs, input_count, output_count)?;
        let outs = if output_count == 0 {
            &mut [][..]
        } else {
            std::slice::from_raw_parts_mut(outputs, output_count)
        };
        for ((spec, t), out) in sig.outputs.iter().zip(&results).zip(outs) {
            fill_output(spec, t, out)?;
        }
        Ok(())
    })
}
