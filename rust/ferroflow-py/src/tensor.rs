//! `Tensor`: the eager tensor handle, with NumPy conversion in and out.

use crate::errors::guard;
use ferroflow_core::tensor::TensorData;
use ferroflow_core::{DType, Tensor};
use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods, ToPyArray};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
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
    /// Builds a tensor from a NumPy array of dtype float32, float64, int32, int64 or bool (copied).
    #[staticmethod]
    fn from_numpy(array: &Bound<'_, PyAny>) -> PyResult<PyTensor> {
        Ok(PyTensor::wrap(tensor_from_numpy(array)?))
    }

    /// The value as a new NumPy array.
    fn numpy<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
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
    let described = match array.cast::<numpy::PyUntypedArray>() {
        Ok(a) => format!("a NumPy array of dtype {}", a.dtype()),
        Err(_) => format!("an object of type {}", array.get_type().name()?),
    };
    Err(PyTypeError::new_err(format!(
        "expected a NumPy array of dtype float32, float64, int32, int64 or bool, received {described}"
    )))
}

pub fn to_numpy<'py>(py: Python<'py>, t: &Tensor) -> Bound<'py, PyAny> {
    match t.data() {
        TensorData::F32(a) => a.to_pyarray(py).into_any(),
        TensorData::F64(a) => a.to_pyarray(py).into_any(),
        TensorData::I32(a) => a.to_pyarray(py).into_any(),
        TensorData::I64(a) => a.to_pyarray(py).into_any(),
        TensorData::Bool(a) => a.to_pyarray(py).into_any(),
    }
}

pub fn parse_dtype(name: &str) -> PyResult<DType> {
    guard(|| DType::parse(name))
}
