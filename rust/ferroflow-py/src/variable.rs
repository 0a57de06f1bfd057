//! `Variable`: a handle on a core variable cell shared by eager code, traced graphs and sessions.

use crate::errors::guard;
use crate::tensor::{next_key, parse_dtype, PyTensor};
use ferroflow_core::{Shape, VarHandle};
use pyo3::prelude::*;

#[pyclass(name = "Variable", module = "ferroflow._core", frozen)]
pub struct PyVariable {
    pub handle: VarHandle,
    /// Changes on every write, so tapes see each new value as a new leaf.
    key: std::sync::atomic::AtomicU64,
}

impl PyVariable {
    fn bump(&self) {
        self.key.store(next_key(), std::sync::atomic::Ordering::Relaxed);
    }
}

#[pymethods]
impl PyVariable {
    /// A variable holding `value`, or (with `value=None`) an uninitialized one of `dtype` and `shape`.
    #[new]
    #[pyo3(signature = (name, value=None, dtype="float32", shape=None))]
    fn new(
        name: &str,
        value: Option<PyRef<'_, PyTensor>>,
        dtype: &str,
        shape: Option<Vec<Option<usize>>>,
    ) -> PyResult<Self> {
        let handle = match value {
            Some(v) => VarHandle::with_value(name, v.tensor.clone()),
            None => {
                let shape = shape.map_or(Shape::unknown(), Shape::from_dims);
                VarHandle::new(name, parse_dtype(dtype)?, shape)
            }
        };
        Ok(PyVariable { handle, key: std::sync::atomic::AtomicU64::new(next_key()) })
    }

    /// The current value (a new eager tensor sharing the storage).
    pub fn read(&self) -> PyResult<PyTensor> {
        let t = guard(|| self.handle.read())?;
        Ok(PyTensor { tensor: t, key: self.key.load(std::sync::atomic::Ordering::Relaxed) })
    }

    fn assign(&self, value: PyRef<'_, PyTensor>) -> PyResult<()> {
        guard(|| self.handle.write(value.tensor.clone()))?;
        self.bump();
        Ok(())
    }

    #[getter]
    fn name(&self) -> &str {
        self.handle.name()
    }
    #[getter]
    fn dtype(&self) -> &'static str {
        self.handle.dtype().name()
    }
    #[getter]
    fn shape(&self) -> Option<Vec<Option<usize>>> {
        self.handle.shape().dims.clone()
    }
    #[getter]
    fn key(&self) -> u64 {
        self.key.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[getter]
    fn id(&self) -> u64 {
        self.handle.id()
    }
    fn is_initialized(&self) -> bool {
        self.handle.is_initialized()
    }
    /// Marks the value as changed by a graph run (Assign ops), so tapes treat it as new.
    fn touch(&self) {
        self.bump();
    }
}
