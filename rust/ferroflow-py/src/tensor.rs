//! `Tensor`: the eager tensor handle, with NumPy conversion in and out.

use crate::errors::guard;
use ferroflow_core::tensor::{bf16, f16, Complex, TensorData};
use ferroflow_core::{ByteString, DType, Tensor};
use numpy::{PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods, ToPyArray};
use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

/// A fresh key for a tensor or variable, used by gradient tapes to follow values.
pub fn next_key() -> u64 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

#[pyclass(name = "Tensor", module = "ferroflow._core", frozen)]
pub struct PyTensor {
    pub tensor: Tensor,
    pub key: u64,
}

impl PyTensor {
    pub fn wrap(tensor: Tensor) -> PyTensor {
        PyTensor { tensor, key: next_key() }
    }
}

#[pymethods]
impl PyTensor {
    /// Builds a tensor from a NumPy array of numbers, bools, or bytes/str (copied).
    #[staticmethod]
    fn from_numpy(array: &Bound<'_, PyAny>) -> PyResult<PyTensor> {
        Ok(PyTensor::wrap(tensor_from_numpy(array)?))
    }

    /// The value as a new NumPy array.
    fn numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_numpy(py, &self.tensor)
    }

    #[getter]
    fn shape(&self) -> Vec<usize> {
        self.tensor.shape().to_vec()
    }

    #[getter]
    fn dtype(&self) -> &'static str {
        self.tensor.dtype().name()
    }

    #[getter]
    fn key(&self) -> u64 {
        self.key
    }

    /// The first element as a Python float (for scalars in progress bars and metrics).
    fn item_f64(&self) -> PyResult<f64> {
        guard(|| self.tensor.first_f64().ok_or_else(|| ferroflow_core::Error::invalid("the tensor is empty")))
    }
}

pub fn tensor_from_numpy(array: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    macro_rules! try_type {
        ($t:ty) => {
            if let Ok(a) = array.cast::<PyArrayDyn<$t>>() {
                return Ok(Tensor::from_array(a.readonly().as_array().to_owned()));
            }
        };
    }
    try_type!(f32);
    try_type!(f64);
    try_type!(i32);
    try_type!(i64);
    try_type!(bool);
    try_type!(u8);
    try_type!(i8);
    try_type!(i16);
    try_type!(u16);
    try_type!(u32);
    try_type!(u64);
    try_type!(Complex<f32>);
    try_type!(Complex<f64>);
    try_type!(f16);
    let described = match array.cast::<numpy::PyUntypedArray>() {
        Ok(a) => {
            if matches!(a.dtype().kind(), b'O' | b'S' | b'U') {
                return strings_from_numpy(a.as_any());
            }
            if is_bfloat16(a.as_any())? {
                return bfloat16_from_numpy(a.as_any());
            }
            format!("a NumPy array of dtype {}", a.dtype())
        }
        Err(_) => format!("an object of type {}", array.get_type().name()?),
    };
    Err(PyTypeError::new_err(format!(
        "expected a NumPy array of numbers, bools, bytes or str, received {described}"
    )))
}

/// Whether `array` holds `ml_dtypes.bfloat16` values (NumPy itself has no bfloat16).
fn is_bfloat16(array: &Bound<'_, PyAny>) -> PyResult<bool> {
    let dtype = array.getattr("dtype")?;
    Ok(dtype.getattr("itemsize")?.extract::<usize>()? == 2
        && dtype.getattr("name")?.extract::<String>()? == "bfloat16")
}

/// A bfloat16 tensor from an `ml_dtypes.bfloat16` array, read through its 16-bit patterns.
fn bfloat16_from_numpy(array: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    let numpy = array.py().import("numpy")?;
    let bits = array.call_method1("view", (numpy.getattr("uint16")?,))?;
    let bits = bits.cast::<PyArrayDyn<u16>>()?.readonly();
    Ok(Tensor::from_array(bits.as_array().mapv(bf16::from_bits)))
}

/// An `ml_dtypes.bfloat16` array of `a`'s values, as TensorFlow returns bfloat16 tensors.
fn bfloat16_to_numpy<'py>(py: Python<'py>, a: &ndarray::ArrayD<bf16>) -> PyResult<Bound<'py, PyAny>> {
    let ml_dtypes = py.import("ml_dtypes").map_err(|_| {
        PyImportError::new_err(
            "NumPy has no bfloat16: reading a bfloat16 tensor's values needs the ml_dtypes package \
             (pip install ml_dtypes), as in TensorFlow; or cast the tensor to float32 first",
        )
    })?;
    let bits = a.mapv(|v| v.to_bits()).to_pyarray(py).into_any();
    bits.call_method1("view", (ml_dtypes.getattr("bfloat16")?,))
}

/// A string tensor from a NumPy array of bytes or str (`str` is encoded as UTF-8, as TensorFlow does).
fn strings_from_numpy(array: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    let shape: Vec<usize> = array.getattr("shape")?.extract()?;
    let mut out = Vec::new();
    for item in array.call_method0("ravel")?.try_iter()? {
        let item = item?;
        let element = if let Ok(b) = item.cast::<PyBytes>() {
            ByteString::from(b.as_bytes())
        } else if let Ok(s) = item.cast::<PyString>() {
            ByteString::from(s.to_cow()?.as_ref())
        } else {
            return Err(PyTypeError::new_err(format!(
                "a string tensor holds bytes or str elements, received an element of type {}",
                item.get_type().name()?
            )));
        };
        out.push(element);
    }
    guard(|| Tensor::from_vec(&shape, out))
}

pub fn to_numpy<'py>(py: Python<'py>, t: &Tensor) -> PyResult<Bound<'py, PyAny>> {
    Ok(match t.data() {
        TensorData::F32(a) => a.to_pyarray(py).into_any(),
        TensorData::F64(a) => a.to_pyarray(py).into_any(),
        TensorData::I32(a) => a.to_pyarray(py).into_any(),
        TensorData::I64(a) => a.to_pyarray(py).into_any(),
        TensorData::Bool(a) => a.to_pyarray(py).into_any(),
        TensorData::U8(a) => a.to_pyarray(py).into_any(),
        TensorData::I8(a) => a.to_pyarray(py).into_any(),
        TensorData::I16(a) => a.to_pyarray(py).into_any(),
        TensorData::U16(a) => a.to_pyarray(py).into_any(),
        TensorData::U32(a) => a.to_pyarray(py).into_any(),
        TensorData::U64(a) => a.to_pyarray(py).into_any(),
        TensorData::C64(a) => a.to_pyarray(py).into_any(),
        TensorData::C128(a) => a.to_pyarray(py).into_any(),
        TensorData::F16(a) => a.to_pyarray(py).into_any(),
        TensorData::BF16(a) => bfloat16_to_numpy(py, a)?,
        // TensorFlow returns string tensors as NumPy object arrays of bytes.
        TensorData::Str(a) => {
            let items: Vec<Bound<'py, PyBytes>> = a.iter().map(|s| PyBytes::new(py, s.as_bytes())).collect();
            let numpy = py.import("numpy")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("dtype", numpy.getattr("object_")?)?;
            let flat = numpy.call_method("empty", (items.len(),), Some(&kwargs))?;
            for (i, item) in items.into_iter().enumerate() {
                flat.set_item(i, item)?;
            }
            flat.call_method1("reshape", (PyTuple::new(py, a.shape())?,))?
        }
    })
}

pub fn parse_dtype(name: &str) -> PyResult<DType> {
    guard(|| DType::parse(name))
}
