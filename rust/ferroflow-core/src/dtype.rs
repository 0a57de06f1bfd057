//! Element types a tensor can hold, with TensorFlow's names and promotion-free rules.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    F64,
    I32,
    I64,
    Bool,
    U8,
    I8,
    I16,
    U16,
    U32,
    U64,
    /// Variable-length byte strings (`tf.string`): file names, records and text.
    Str,
    /// Complex numbers of two `f32` (real, imaginary): what FFTs produce.
    C64,
    /// IEEE half precision (`tf.float16`): stored as such, computed in float32 (`kernels::half_precision`).
    F16,
    /// Complex numbers of two `f64`.
    C128,
    /// Brain float (`tf.bfloat16`): float32's exponent with 7 mantissa bits; computed in float32 as `F16`.
    BF16,
}

impl DType {
    pub const ALL: [DType; 16] = [
        DType::F32,
        DType::F64,
        DType::I32,
        DType::I64,
        DType::Bool,
        DType::U8,
        DType::I8,
        DType::I16,
        DType::U16,
        DType::U32,
        DType::U64,
        DType::Str,
        DType::C64,
        DType::C128,
        DType::F16,
        DType::BF16,
    ];

    /// The TensorFlow / NumPy name (`float32`, `int64`, `bool`, `string`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::Bool => "bool",
            DType::U8 => "uint8",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::Str => "string",
            DType::C64 => "complex64",
            DType::C128 => "complex128",
            DType::F16 => "float16",
            DType::BF16 => "bfloat16",
        }
    }

    pub fn parse(name: &str) -> Result<DType> {
        DType::ALL.into_iter().find(|d| d.name() == name).ok_or_else(|| {
            let names: Vec<&str> = DType::ALL.iter().map(|d| d.name()).collect();
            Error::dtype(format!("unsupported dtype '{name}'; expected one of {}", names.join(", ")))
        })
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64 | DType::F16 | DType::BF16)
    }

    /// The 16-bit floats, stored narrow and computed in float32 (`kernels::half_precision`).
    pub fn is_half(self) -> bool {
        matches!(self, DType::F16 | DType::BF16)
    }

    /// Signed and unsigned integers of every width.
    pub fn is_int(self) -> bool {
        matches!(
            self,
            DType::I32
                | DType::I64
                | DType::U8
                | DType::I8
                | DType::I16
                | DType::U16
                | DType::U32
                | DType::U64
        )
    }

    /// Floats and complex numbers: the dtypes gradients flow through.
    pub fn is_differentiable(self) -> bool {
        self.is_float() || self.is_complex()
    }

    pub fn is_complex(self) -> bool {
        matches!(self, DType::C64 | DType::C128)
    }

    /// The float dtype of a complex dtype's parts (`complex64` -> `float32`); other dtypes map to themselves.
    pub fn real_part(self) -> DType {
        match self {
            DType::C64 => DType::F32,
            DType::C128 => DType::F64,
            other => other,
        }
    }

    /// The complex dtype whose parts are this float dtype (`float64` -> `complex128`).
    pub fn complex_of(self) -> Option<DType> {
        match self {
            DType::F32 => Some(DType::C64),
            DType::F64 => Some(DType::C128),
            DType::C64 | DType::C128 => Some(self),
            _ => None,
        }
    }

    /// What index tensors (gather, one_hot, labels) and shapes may be, as in TensorFlow.
    pub fn is_index(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }

    pub fn is_unsigned(self) -> bool {
        matches!(self, DType::U8 | DType::U16 | DType::U32 | DType::U64)
    }

    /// Numbers (not bool or string): what arithmetic accepts.
    pub fn is_numeric(self) -> bool {
        self.is_float() || self.is_int()
    }

    /// Bytes per element; a string element is a shared pointer and a length.
    pub fn size_of(self) -> usize {
        match self {
            DType::Bool | DType::U8 | DType::I8 => 1,
            DType::I16 | DType::U16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 | DType::U32 => 4,
            DType::F64 | DType::I64 | DType::U64 | DType::C64 => 8,
            DType::Str | DType::C128 => 16,
        }
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
