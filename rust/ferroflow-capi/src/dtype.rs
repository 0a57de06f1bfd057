//! Element types as C sees them (`FfDType`, numbered as TensorFlow's `TF_DataType`) and their sizes.

use crate::error::guard_value;
use ferroflow_core::DType;
use std::ffi::{c_char, CStr};

/// An element type, numbered as TensorFlow's `TF_DataType`.
pub type FfDType = i32;
/// float (4 bytes).
pub const FF_FLOAT32: FfDType = 1;
/// double (8 bytes).
pub const FF_FLOAT64: FfDType = 2;
/// int32_t.
pub const FF_INT32: FfDType = 3;
/// uint8_t.
pub const FF_UINT8: FfDType = 4;
/// int16_t.
pub const FF_INT16: FfDType = 5;
/// int8_t.
pub const FF_INT8: FfDType = 6;
/// Byte strings: listed in signatures, not accepted or returned by the run functions.
pub const FF_STRING: FfDType = 7;
/// Complex numbers: two floats (real, imaginary), as C's `float _Complex`.
pub const FF_COMPLEX64: FfDType = 8;
/// int64_t.
pub const FF_INT64: FfDType = 9;
/// bool, one byte holding 0 or 1.
pub const FF_BOOL: FfDType = 10;
/// uint16_t.
pub const FF_UINT16: FfDType = 17;
/// Complex numbers: two doubles (real, imaginary), as C's `double _Complex`.
pub const FF_COMPLEX128: FfDType = 18;
/// bfloat16: the upper two bytes of a float32 (rounded to nearest even).
pub const FF_BFLOAT16: FfDType = 14;
/// IEEE half precision: two bytes per element (C's `_Float16`).
pub const FF_HALF: FfDType = 19;
/// uint32_t.
pub const FF_UINT32: FfDType = 22;
/// uint64_t.
pub const FF_UINT64: FfDType = 23;

/// The C code of a core dtype.
pub fn to_c(dtype: DType) -> FfDType {
    match dtype {
        DType::F32 => FF_FLOAT32,
        DType::F64 => FF_FLOAT64,
        DType::I32 => FF_INT32,
        DType::U8 => FF_UINT8,
        DType::I16 => FF_INT16,
        DType::I8 => FF_INT8,
        DType::Str => FF_STRING,
        DType::I64 => FF_INT64,
        DType::Bool => FF_BOOL,
        DType::U16 => FF_UINT16,
        DType::U32 => FF_UINT32,
        DType::U64 => FF_UINT64,
        DType::C64 => FF_COMPLEX64,
        DType::C128 => FF_COMPLEX128,
        DType::F16 => FF_HALF,
        DType::BF16 => FF_BFLOAT16,
    }
}

/// The core dtype of a C code, if it names one.
pub fn from_c(code: FfDType) -> Option<DType> {
    DType::ALL.into_iter().find(|&d| to_c(d) == code)
}

/// Bytes per element of a dtype the run functions accept (not strings).
pub fn byte_size(dtype: DType) -> Option<usize> {
    (dtype != DType::Str).then(|| dtype.size_of())
}

/// Bytes per element of a dtype: 4 for `FF_FLOAT32`, ...; 0 for `FF_STRING` and unknown codes.
#[no_mangle]
pub extern "C" fn ff_dtype_size(dtype: FfDType) -> usize {
    guard_value(0, || from_c(dtype).and_then(byte_size).unwrap_or(0))
}

/// The dtype's name as Python spells it ("float32", "int64", ...), "invalid" for an unknown code.
#[no_mangle]
pub extern "C" fn ff_dtype_name(dtype: FfDType) -> *const c_char {
    guard_value(c"invalid".as_ptr(), || match from_c(dtype) {
        Some(d) => name_of(d).as_ptr(),
        None => c"invalid".as_ptr(),
    })
}

fn name_of(dtype: DType) -> &'static CStr {
    match dtype {
        DType::F32 => c"float32",
        DType::F64 => c"float64",
        DType::I32 => c"int32",
        DType::I64 => c"int64",
        DType::Bool => c"bool",
        DType::U8 => c"uint8",
        DType::I8 => c"int8",
        DType::I16 => c"int16",
        DType::U16 => c"uint16",
        DType::U32 => c"uint32",
        DType::U64 => c"uint64",
        DType::Str => c"string",
        DType::C64 => c"complex64",
        DType::C128 => c"complex128",
        DType::F16 => c"float16",
        DType::BF16 => c"bfloat16",
    }
}
