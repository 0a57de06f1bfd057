//! The concrete tensor: an immutable, reference-counted n-dimensional array of one dtype.

use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::fmt_dims;
pub use half::{bf16, f16};
use ndarray::{ArrayD, IxDyn};
pub use num_complex::Complex;
use std::sync::Arc;

/// The typed storage behind a tensor. Arrays are kept in standard (C, row-major) layout.
#[derive(Debug, Clone)]
pub enum TensorData {
    F32(ArrayD<f32>),
    F64(ArrayD<f64>),
    I32(ArrayD<i32>),
    I64(ArrayD<i64>),
    Bool(ArrayD<bool>),
    U8(ArrayD<u8>),
    I8(ArrayD<i8>),
    I16(ArrayD<i16>),
    U16(ArrayD<u16>),
    U32(ArrayD<u32>),
    U64(ArrayD<u64>),
    Str(ArrayD<ByteString>),
    C64(ArrayD<Complex<f32>>),
    C128(ArrayD<Complex<f64>>),
    F16(ArrayD<f16>),
    BF16(ArrayD<bf16>),
}

/// A value flowing through the graph. Cloning is cheap (shared, immutable storage).
#[derive(Debug, Clone)]
pub struct Tensor(Arc<TensorData>);

/// Runs `$body` with `$a` bound to the typed array of any dtype (strings included: the body may only
/// move, copy and compare elements, which is what shape kernels do).
#[macro_export]
macro_rules! with_array {
    ($t:expr, $a:ident => $body:expr) => {
        match $t.data() {
            $crate::tensor::TensorData::F32($a) => $body,
            $crate::tensor::TensorData::F64($a) => $body,
            $crate::tensor::TensorData::I32($a) => $body,
            $crate::tensor::TensorData::I64($a) => $body,
            $crate::tensor::TensorData::Bool($a) => $body,
            $crate::tensor::TensorData::U8($a) => $body,
            $crate::tensor::TensorData::I8($a) => $body,
            $crate::tensor::TensorData::I16($a) => $body,
            $crate::tensor::TensorData::U16($a) => $body,
            $crate::tensor::TensorData::U32($a) => $body,
            $crate::tensor::TensorData::U64($a) => $body,
            $crate::tensor::TensorData::Str($a) => $body,
            $crate::tensor::TensorData::C64($a) => $body,
            $crate::tensor::TensorData::C128($a) => $body,
            $crate::tensor::TensorData::F16($a) => $body,
            $crate::tensor::TensorData::BF16($a) => $body,
        }
    };
}

/// Maps the typed array of any dtype to a new array of the same dtype.
#[macro_export]
macro_rules! map_array {
    ($t:expr, $a:ident => $body:expr) => {
        $crate::tensor::Tensor::new(match $t.data() {
            $crate::tensor::TensorData::F32($a) => $crate::tensor::TensorData::F32($body),
            $crate::tensor::TensorData::F64($a) => $crate::tensor::TensorData::F64($body),
            $crate::tensor::TensorData::I32($a) => $crate::tensor::TensorData::I32($body),
            $crate::tensor::TensorData::I64($a) => $crate::tensor::TensorData::I64($body),
            $crate::tensor::TensorData::Bool($a) => $crate::tensor::TensorData::Bool($body),
            $crate::tensor::TensorData::U8($a) => $crate::tensor::TensorData::U8($body),
            $crate::tensor::TensorData::I8($a) => $crate::tensor::TensorData::I8($body),
            $crate::tensor::TensorData::I16($a) => $crate::tensor::TensorData::I16($body),
            $crate::tensor::TensorData::U16($a) => $crate::tensor::TensorData::U16($body),
            $crate::tensor::TensorData::U32($a) => $crate::tensor::TensorData::U32($body),
            $crate::tensor::TensorData::U64($a) => $crate::tensor::TensorData::U64($body),
            $crate::tensor::TensorData::Str($a) => $crate::tensor::TensorData::Str($body),
            $crate::tensor::TensorData::C64($a) => $crate::tensor::TensorData::C64($body),
            $crate::tensor::TensorData::C128($a) => $crate::tensor::TensorData::C128($body),
            $crate::tensor::TensorData::F16($a) => $crate::tensor::TensorData::F16($body),
            $crate::tensor::TensorData::BF16($a) => $crate::tensor::TensorData::BF16($body),
        })
    };
}

/// `$body` with `$a` bound to the typed array of a number tensor (float or integer of any width), or
/// `$other` for bool and string tensors.
#[macro_export]
macro_rules! with_numeric {
    ($t:expr, $a:ident => $body:expr, _ => $other:expr) => {
        match $t.data() {
            $crate::tensor::TensorData::F32($a) => $body,
            $crate::tensor::TensorData::F64($a) => $body,
            $crate::tensor::TensorData::I32($a) => $body,
            $crate::tensor::TensorData::I64($a) => $body,
            $crate::tensor::TensorData::U8($a) => $body,
            $crate::tensor::TensorData::I8($a) => $body,
            $crate::tensor::TensorData::I16($a) => $body,
            $crate::tensor::TensorData::U16($a) => $body,
            $crate::tensor::TensorData::U32($a) => $body,
            $crate::tensor::TensorData::U64($a) => $body,
            _ => $other,
        }
    };
}

/// `$body` with `$x`, `$y` bound to the typed arrays of two number tensors of the same dtype, or
/// `$other` when the dtypes differ or are not numbers.
#[macro_export]
macro_rules! with_numeric_pair {
    ($p:expr, $q:expr, ($x:ident, $y:ident) => $body:expr, _ => $other:expr) => {
        match ($p.data(), $q.data()) {
            ($crate::tensor::TensorData::F32($x), $crate::tensor::TensorData::F32($y)) => $body,
            ($crate::tensor::TensorData::F64($x), $crate::tensor::TensorData::F64($y)) => $body,
            ($crate::tensor::TensorData::I32($x), $crate::tensor::TensorData::I32($y)) => $body,
            ($crate::tensor::TensorData::I64($x), $crate::tensor::TensorData::I64($y)) => $body,
            ($crate::tensor::TensorData::U8($x), $crate::tensor::TensorData::U8($y)) => $body,
            ($crate::tensor::TensorData::I8($x), $crate::tensor::TensorData::I8($y)) => $body,
            ($crate::tensor::TensorData::I16($x), $crate::tensor::TensorData::I16($y)) => $body,
            ($crate::tensor::TensorData::U16($x), $crate::tensor::TensorData::U16($y)) => $body,
            ($crate::tensor::TensorData::U32($x), $crate::tensor::TensorData::U32($y)) => $body,
            ($crate::tensor::TensorData::U64($x), $crate::tensor::TensorData::U64($y)) => $body,
            _ => $other,
        }
    };
}

/// Anything a tensor can store, numbers and strings alike: what shape kernels (reshape, gather,
/// slicing, concat) are generic over.
pub trait Storable: Clone + Send + Sync + Default + PartialEq + std::fmt::Debug + 'static {
    const DTYPE: DType;
    fn wrap(a: ArrayD<Self>) -> TensorData;
    fn view(t: &Tensor) -> Option<&ArrayD<Self>>;
    /// Takes the array out of storage of this element type, or gives the storage back.
    fn unwrap(d: TensorData) -> std::result::Result<ArrayD<Self>, TensorData>;
}

/// Fixed-size elements (numbers and bool), which arithmetic kernels copy freely.
pub trait Element: Storable + Copy {}

macro_rules! impl_storable {
    ($t:ty, $variant:ident) => {
        impl Storable for $t {
            const DTYPE: DType = DType::$variant;
            fn wrap(a: ArrayD<Self>) -> TensorData {
                TensorData::$variant(a)
            }
            fn view(t: &Tensor) -> Option<&ArrayD<Self>> {
                match t.data() {
                    TensorData::$variant(a) => Some(a),
                    _ => None,
                }
            }
            fn unwrap(d: TensorData) -> std::result::Result<ArrayD<Self>, TensorData> {
                match d {
                    TensorData::$variant(a) => Ok(a),
                    other => Err(other),
                }
            }
        }
    };
}
macro_rules! impl_element {
    ($t:ty, $variant:ident) => {
        impl_storable!($t, $variant);
        impl Element for $t {}
    };
}
impl_element!(f32, F32);
impl_element!(f64, F64);
impl_element!(i32, I32);
impl_element!(i64, I64);
impl_element!(bool, Bool);
impl_element!(u8, U8);
impl_element!(i8, I8);
impl_element!(i16, I16);
impl_element!(u16, U16);
impl_element!(u32, U32);
impl_element!(u64, U64);
impl_element!(Complex<f32>, C64);
impl_element!(Complex<f64>, C128);
impl_element!(f16, F16);
impl_element!(bf16, BF16);
impl_storable!(ByteString, Str);

/// `$num` with `$it` an iterator of the elements as they are (bool as u8), or `$str` for strings.
macro_rules! numeric_iter {
    ($t:expr, $it:ident => $num:expr, $a:ident => $str:expr) => {
        match $t.data() {
            TensorData::F32(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::F64(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::I32(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::I64(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::Bool(x) => {
                let $it = x.iter().map(|&v| v as u8);
                $num
            }
            TensorData::U8(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::I8(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::I16(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::U16(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::U32(x) => {
                let $it = x.iter().copied();
                $num
            }
            TensorData::U64(x) => {
                let $it = x.iter().copied();
                $num
            }
            // Complex numbers convert through their real part, as a cast to a real dtype does.
            TensorData::C64(x) => {
                let $it = x.iter().map(|v| v.re);
                $num
            }
            TensorData::C128(x) => {
                let $it = x.iter().map(|v| v.re);
                $num
            }
            TensorData::F16(x) => {
                let $it = x.iter().map(|v| v.to_f32());
                $num
            }
            TensorData::BF16(x) => {
                let $it = x.iter().map(|v| v.to_f32());
                $num
            }
            TensorData::Str($a) => $str,
        }
    };
}

impl Tensor {
    pub fn new(data: TensorData) -> Tensor {
        Tensor(Arc::new(data))
    }

    /// Wraps an array, making it standard-layout first if it is not.
    pub fn from_array<T: Storable>(a: ArrayD<T>) -> Tensor {
        let a = if a.is_standard_layout() { a } else { a.as_standard_layout().into_owned() };
        Tensor::new(T::wrap(a))
    }

    /// Builds a tensor from a flat row-major buffer, checking that the sizes agree.
    pub fn from_vec<T: Storable>(shape: &[usize], data: Vec<T>) -> Result<Tensor> {
        let n: usize = shape.iter().product();
        if n != data.len() {
            return Err(Error::invalid(format!(
                "cannot build a tensor of shape {} ({n} elements) from {} values",
                fmt_dims(shape),
                data.len()
            )));
        }
        let a = ArrayD::from_shape_vec(IxDyn(shape), data).map_err(|e| Error::internal(e.to_string()))?;
        Ok(Tensor::new(T::wrap(a)))
    }

    pub fn scalar<T: Storable>(v: T) -> Tensor {
        Tensor::new(T::wrap(ArrayD::from_elem(IxDyn(&[]), v)))
    }

    /// A tensor of `shape` filled with `value` converted to `dtype`, allocated fallibly.
    pub fn full(dtype: DType, shape: &[usize], value: f64) -> Result<Tensor> {
        let n = checked_len(shape, dtype)?;
        Ok(match dtype {
            DType::F32 => Tensor::from_vec(shape, try_vec(n, value as f32)?)?,
            DType::F64 => Tensor::from_vec(shape, try_vec(n, value)?)?,
            DType::I32 => Tensor::from_vec(shape, try_vec(n, value as i32)?)?,
            DType::I64 => Tensor::from_vec(shape, try_vec(n, value as i64)?)?,
            DType::Bool => Tensor::from_vec(shape, try_vec(n, value != 0.0)?)?,
            DType::U8 => Tensor::from_vec(shape, try_vec(n, value as u8)?)?,
            DType::I8 => Tensor::from_vec(shape, try_vec(n, value as i8)?)?,
            DType::I16 => Tensor::from_vec(shape, try_vec(n, value as i16)?)?,
            DType::U16 => Tensor::from_vec(shape, try_vec(n, value as u16)?)?,
            DType::U32 => Tensor::from_vec(shape, try_vec(n, value as u32)?)?,
            DType::U64 => Tensor::from_vec(shape, try_vec(n, value as u64)?)?,
            // A string tensor has no numeric fill: `zeros` of strings are empty strings, as in TensorFlow.
            DType::Str => Tensor::from_vec(shape, try_vec(n, ByteString::default())?)?,
            DType::C64 => Tensor::from_vec(shape, try_vec(n, Complex::new(value as f32, 0.0))?)?,
            DType::C128 => Tensor::from_vec(shape, try_vec(n, Complex::new(value, 0.0))?)?,
            DType::F16 => Tensor::from_vec(shape, try_vec(n, f16::from_f64(value))?)?,
            DType::BF16 => Tensor::from_vec(shape, try_vec(n, bf16::from_f64(value))?)?,
        })
    }

    /// A number or bool tensor from its packed bytes (as `.npy` files and `tf.io.decode_raw` hold them),
    /// little- or big-endian; `bytes` must hold exactly `shape`'s elements.
    pub fn from_raw_bytes(
        dtype: DType,
        shape: &[usize],
        bytes: &[u8],
        little_endian: bool,
    ) -> Result<Tensor> {
        macro_rules! decode {
            ($t:ty) => {{
                const N: usize = std::mem::size_of::<$t>();
                let v: Vec<$t> = bytes
                    .chunks_exact(N)
                    .map(|c| {
                        let mut b = [0u8; N];
                        b.copy_from_slice(c);
                        if little_endian {
                            <$t>::from_le_bytes(b)
                        } else {
                            <$t>::from_be_bytes(b)
                        }
                    })
                    .collect();
                Tensor::from_vec(shape, v)
            }};
        }
        match dtype {
            DType::F32 => decode!(f32),
            DType::F64 => decode!(f64),
            DType::I32 => decode!(i32),
            DType::I64 => decode!(i64),
            DType::U8 => decode!(u8),
            DType::I8 => decode!(i8),
            DType::I16 => decode!(i16),
            DType::U16 => decode!(u16),
            DType::U32 => decode!(u32),
            DType::U64 => decode!(u64),
            DType::F16 => decode!(f16),
            DType::BF16 => decode!(bf16),
            DType::Bool => Tensor::from_vec(shape, bytes.iter().map(|&b| b != 0).collect()),
            // Interleaved (real, imaginary) pairs, as NumPy and TensorFlow lay complex numbers out.
            DType::C64 => {
                let parts = Tensor::from_raw_bytes(DType::F32, &[bytes.len() / 4], bytes, little_endian)?;
                let p = parts.array::<f32>()?;
                Tensor::from_vec(
                    shape,
                    p.as_slice().unwrap_or(&[]).chunks_exact(2).map(|c| Complex::new(c[0], c[1])).collect(),
                )
            }
            DType::C128 => {
                let parts = Tensor::from_raw_bytes(DType::F64, &[bytes.len() / 8], bytes, little_endian)?;
                let p = parts.array::<f64>()?;
                Tensor::from_vec(
                    shape,
                    p.as_slice().unwrap_or(&[]).chunks_exact(2).map(|c| Complex::new(c[0], c[1])).collect(),
                )
            }
            DType::Str => Err(Error::dtype("strings have no fixed-size byte layout to decode")),
        }
    }

    pub fn zeros(dtype: DType, shape: &[usize]) -> Result<Tensor> {
        Tensor::full(dtype, shape, 0.0)
    }

    pub fn data(&self) -> &TensorData {
        &self.0
    }

    pub fn dtype(&self) -> DType {
        match self.data() {
            TensorData::F32(_) => DType::F32,
            TensorData::F64(_) => DType::F64,
            TensorData::I32(_) => DType::I32,
            TensorData::I64(_) => DType::I64,
            TensorData::Bool(_) => DType::Bool,
            TensorData::U8(_) => DType::U8,
            TensorData::I8(_) => DType::I8,
            TensorData::I16(_) => DType::I16,
            TensorData::U16(_) => DType::U16,
            TensorData::U32(_) => DType::U32,
            TensorData::U64(_) => DType::U64,
            TensorData::Str(_) => DType::Str,
            TensorData::C64(_) => DType::C64,
            TensorData::C128(_) => DType::C128,
            TensorData::F16(_) => DType::F16,
            TensorData::BF16(_) => DType::BF16,
        }
    }

    pub fn shape(&self) -> &[usize] {
        with_array!(self, a => a.shape())
    }

    pub fn rank(&self) -> usize {
        self.shape().len()
    }

    pub fn len(&self) -> usize {
        self.shape().iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The typed array, or a dtype error naming what was expected.
    pub fn array<T: Storable>(&self) -> Result<&ArrayD<T>> {
        T::view(self)
            .ok_or_else(|| Error::dtype(format!("expected a {} tensor, received {}", T::DTYPE, self.dtype())))
    }

    /// Every element converted to f64 (for tests, printing and scalar attributes); strings give NaN.
    // One expansion per dtype: for f64 (or i64) the cast is the identity.
    #[allow(clippy::unnecessary_cast)]
    pub fn to_f64_vec(&self) -> Vec<f64> {
        numeric_iter!(self, it => it.map(|v| v as f64).collect(), a => vec![f64::NAN; a.len()])
    }

    /// The first element as f64 (a scalar's value), without converting the rest; NaN for a string.
    // One expansion per dtype: for f64 (or i64) the cast is the identity.
    #[allow(clippy::unnecessary_cast)]
    pub fn first_f64(&self) -> Option<f64> {
        numeric_iter!(self, it => it.map(|v| v as f64).next(), a => a.iter().next().map(|_| f64::NAN))
    }

    /// Every element converted to i64 (for index tensors such as labels); strings give 0.
    // One expansion per dtype: for f64 (or i64) the cast is the identity.
    #[allow(clippy::unnecessary_cast)]
    pub fn to_i64_vec(&self) -> Vec<i64> {
        numeric_iter!(self, it => it.map(|v| v as i64).collect(), a => vec![0; a.len()])
    }

    /// Whether two tensors share the same storage (used to detect in-place reuse).
    pub fn ptr_eq(&self, other: &Tensor) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The storage, writable, when this tensor is its only owner (a kernel may then write in place).
    pub fn get_mut(&mut self) -> Option<&mut TensorData> {
        Arc::get_mut(&mut self.0)
    }

    /// The float32 elements, writable, when this is a contiguous float32 tensor that owns its storage alone.
    pub fn f32_slice_mut(&mut self) -> Option<&mut [f32]> {
        match self.get_mut()? {
            TensorData::F32(a) => a.as_slice_mut(),
            _ => None,
        }
    }

    /// Takes the storage out when this is its only owner, so kernels can write in place.
    pub fn try_unwrap(self) -> std::result::Result<TensorData, Tensor> {
        Arc::try_unwrap(self.0).map_err(Tensor)
    }
}

/// The element count of a shape, or a `MemoryError`-kind error when it cannot be addressed.
pub fn checked_len(shape: &[usize], dtype: DType) -> Result<usize> {
    let n = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    match n.and_then(|n| n.checked_mul(dtype.size_of()).map(|_| n)) {
        Some(n) if n <= isize::MAX as usize / dtype.size_of() => Ok(n),
        _ => Err(Error::out_of_memory(format!(
            "cannot allocate a {dtype} tensor of shape {}: the size overflows memory",
            fmt_dims(shape)
        ))),
    }
}

/// The machine's physical memory in bytes (Linux: MemTotal of /proc/meminfo), read once; None elsewhere.
fn physical_memory() -> Option<usize> {
    static TOTAL: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *TOTAL.get_or_init(|| {
        let info = std::fs::read_to_string("/proc/meminfo").ok()?;
        let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        kib.checked_mul(1024)
    })
}

/// Fails with an out-of-memory error when `n` elements of `T` could never fit in this machine's memory.
/// The OS over-commits: without this check such an allocation "succeeds" and the process is killed
/// later, when the pages are touched, instead of the user getting a `MemoryError`.
pub fn ensure_allocatable<T>(n: usize) -> Result<()> {
    let bytes = n.checked_mul(std::mem::size_of::<T>());
    match (bytes, physical_memory()) {
        (Some(b), Some(total)) if b <= total => Ok(()),
        (Some(_), None) => Ok(()),
        (bytes, total) => Err(Error::out_of_memory(format!(
            "cannot allocate {n} elements ({} bytes): this machine has {} bytes of memory",
            bytes.map_or("more than 2^64".to_string(), |b| b.to_string()),
            total.map_or("an unknown number of".to_string(), |t| t.to_string())
        ))),
    }
}

/// A vector of `n` copies of `v`, returning an out-of-memory error instead of aborting the process.
pub fn try_vec<T: Clone>(n: usize, v: T) -> Result<Vec<T>> {
    ensure_allocatable::<T>(n)?;
    let mut out = Vec::new();
    out.try_reserve_exact(n).map_err(|_| {
        Error::out_of_memory(format!(
            "cannot allocate {n} elements ({} bytes)",
            n.saturating_mul(std::mem::size_of::<T>())
        ))
    })?;
    out.resize(n, v);
    Ok(out)
}

/// An uninitialised-free output buffer of `n` elements, allocated fallibly.
pub fn try_alloc<T: Storable>(n: usize) -> Result<Vec<T>> {
    try_vec(n, T::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_beyond_physical_memory_are_errors_not_overcommitted_pages() {
        let e = try_alloc::<f32>(1 << 50).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfMemory);
        assert!(
            e.message.contains("bytes of memory") || e.message.contains("cannot allocate"),
            "{}",
            e.message
        );
        assert!(ensure_allocatable::<f64>(usize::MAX).is_err());
        assert!(ensure_allocatable::<f32>(1024).is_ok());
    }

    #[test]
    fn raw_bytes_decode_in_either_byte_order() {
        let le = Tensor::from_raw_bytes(DType::I16, &[2], &[1, 0, 2, 1], true).unwrap();
        assert_eq!(le.to_i64_vec(), vec![1, 258]);
        let be = Tensor::from_raw_bytes(DType::U16, &[2], &[1, 0, 2, 1], false).unwrap();
        assert_eq!(be.to_i64_vec(), vec![256, 513]);
        assert!(Tensor::from_raw_bytes(DType::F32, &[2], &[0; 4], true).is_err());
        assert_eq!(
            Tensor::from_raw_bytes(DType::Str, &[1], &[0], true).unwrap_err().kind,
            crate::ErrorKind::DType
        );
    }

    #[test]
    fn from_vec_checks_size() {
        assert!(Tensor::from_vec(&[2, 3], vec![0f32; 6]).is_ok());
        let e = Tensor::from_vec(&[2, 3], vec![0f32; 5]).unwrap_err();
        assert!(e.message.contains("(2, 3)"), "{}", e.message);
    }

    #[test]
    fn impossible_size_is_an_error_not_an_abort() {
        let e = Tensor::zeros(DType::F32, &[1 << 40, 1 << 40]).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfMemory);
    }
}
