//! Maps core errors and caught panics to Python exceptions, so nothing but ordinary exceptions reaches Python.

use ferroflow_core::{Error, ErrorKind};
use pyo3::exceptions::{PyIndexError, PyMemoryError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use std::panic::{catch_unwind, AssertUnwindSafe};

pyo3::create_exception!(
    _core,
    InvalidArgumentError,
    PyValueError,
    "An op received an argument it cannot accept."
);
pyo3::create_exception!(
    _core,
    FailedPreconditionError,
    PyRuntimeError,
    "The graph cannot run yet (an unfed placeholder, an uninitialized variable)."
);
pyo3::create_exception!(
    _core,
    NotFoundError,
    pyo3::exceptions::PyFileNotFoundError,
    "A file or other named resource does not exist."
);
pyo3::create_exception!(_core, InternalError, PyRuntimeError, "An internal error of ferroflow.");
pyo3::create_exception!(
    _core,
    UnknownError,
    PyRuntimeError,
    "An error of unknown origin, such as an exception a Python function called by a graph raised."
);
pyo3::create_exception!(
    _core,
    DataLossError,
    PyValueError,
    "Stored data is corrupt: a record whose checksum does not match, a truncated file."
);

/// An index outside its axis: TensorFlow raises `InvalidArgumentError`, Python code expects `IndexError`;
/// this class is both (made in `register`, as `type(...)` with two bases).
static INDEX_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn index_error(message: String) -> PyErr {
    Python::attach(|py| match INDEX_ERROR.get(py) {
        Some(t) => PyErr::from_type(t.bind(py).clone(), message),
        None => PyIndexError::new_err(message),
    })
}

pub fn to_py(e: Error) -> PyErr {
    // An exception a host function raised comes back as itself (see `host_call::to_core`).
    if let Some(exception) = e.origin.as_ref().and_then(|o| o.0.downcast_ref::<Py<PyAny>>()) {
        return Python::attach(|py| PyErr::from_value(exception.bind(py).clone()));
    }
    match e.kind {
        ErrorKind::InvalidArgument => InvalidArgumentError::new_err(e.message),
        ErrorKind::DType => PyTypeError::new_err(e.message),
        ErrorKind::OutOfMemory => PyMemoryError::new_err(e.message),
        ErrorKind::FailedPrecondition => FailedPreconditionError::new_err(e.message),
        ErrorKind::OutOfRange => index_error(e.message),
        ErrorKind::NotFound => NotFoundError::new_err(e.message),
        ErrorKind::DataLoss => DataLossError::new_err(e.message),
        ErrorKind::Internal => InternalError::new_err(e.message),
        ErrorKind::Unknown => UnknownError::new_err(e.message),
    }
}

/// Runs `f`, turning a core error into its exception and a panic into `InternalError` (an `Exception`,
/// unlike pyo3's `PanicException`), so `except Exception` always works.
pub fn guard<T>(f: impl FnOnce() -> ferroflow_core::Result<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(to_py),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(InternalError::new_err(format!("internal error in ferroflow (please report it): {msg}")))
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InvalidArgumentError", py.get_type::<InvalidArgumentError>())?;
    m.add("FailedPreconditionError", py.get_type::<FailedPreconditionError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("DataLossError", py.get_type::<DataLossError>())?;
    m.add("UnknownError", py.get_type::<UnknownError>())?;
    let bases = (py.get_type::<InvalidArgumentError>(), py.get_type::<PyIndexError>());
    let attrs = pyo3::types::PyDict::new(py);
    attrs.set_item("__module__", "ferroflow._core")?;
    attrs.set_item(
        "__doc__",
        "An index outside its axis (an InvalidArgumentError, as in TensorFlow, and an IndexError).",
    )?;
    let index_type =
        py.get_type::<PyType>().call1(("IndexOutOfRangeError", bases, attrs))?.cast_into::<PyType>()?;
    m.add("IndexOutOfRangeError", &index_type)?;
    let _ = INDEX_ERROR.set(py, index_type.unbind());
    Ok(())
}
