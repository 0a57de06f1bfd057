//! Host calls from Python: a `HostFunction` that takes the GIL and calls a Python callable on NumPy arrays.

use crate::errors::{
    DataLossError, FailedPreconditionError, InternalError, InvalidArgumentError, NotFoundError, UnknownError,
};
use crate::graph::extract_tensor;
use crate::tensor::{parse_dtype, to_numpy};
use ferroflow_core::control_flow::ControlOp;
use ferroflow_core::host_call::{CallSpec, HostFunction};
use ferroflow_core::{Error, ErrorOrigin, Op, Shape, Tensor};
use pyo3::exceptions::{PyIndexError, PyMemoryError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::sync::Arc;

/// A Python callable taking a list of NumPy arrays and returning a list of arrays (or eager tensors).
struct PythonFunction(Py<PyAny>);

impl HostFunction for PythonFunction {
    fn call(&self, inputs: &[Tensor]) -> ferroflow_core::Result<Vec<Tensor>> {
        // The plan runs with the GIL released (or on a pool thread while the caller waits without it), so
        // taking it here cannot deadlock with the thread that started the run.
        Python::attach(|py| {
            let call = || -> PyResult<Vec<Tensor>> {
                let arrays = inputs.iter().map(|t| to_numpy(py, t)).collect::<PyResult<Vec<_>>>()?;
                let result = self.0.bind(py).call1((PyList::new(py, arrays)?,))?;
                result.try_iter()?.map(|v| extract_tensor(&v?)).collect()
            };
            call().map_err(|e| to_core(py, e))
        })
    }
}

/// The Python exception as a core error of the matching kind; the ferroflow error classes keep their kind,
/// anything else is `Unknown` (TensorFlow's `UnknownError`), its message naming the exception's class.
/// An exception of one of ferroflow's own classes (`tf.errors.OutOfRangeError` from an exhausted queue,
/// `CancelledError` from a closed one) also travels as the error's origin, so the caller of the graph
/// receives that exception itself: the core's kinds cannot name every `tf.errors` class.
fn to_core(py: Python<'_>, e: PyErr) -> Error {
    let error = kind_of(py, &e);
    if is_ferroflow_class(py, &e) {
        return error.with_origin(ErrorOrigin(Arc::new(e.value(py).clone().unbind().into_any())));
    }
    error
}

fn is_ferroflow_class(py: Python<'_>, e: &PyErr) -> bool {
    let module = e.get_type(py).module().map(|m| m.to_string()).unwrap_or_default();
    module == "ferroflow" || module.starts_with("ferroflow.")
}

fn kind_of(py: Python<'_>, e: &PyErr) -> Error {
    let text = e.value(py).to_string();
    if e.is_instance_of::<PyIndexError>(py) {
        return Error::out_of_range(text);
    }
    if e.is_instance_of::<InvalidArgumentError>(py) {
        return Error::invalid(text);
    }
    if e.is_instance_of::<FailedPreconditionError>(py) {
        return Error::precondition(text);
    }
    if e.is_instance_of::<NotFoundError>(py) {
        return Error::not_found(text);
    }
    if e.is_instance_of::<DataLossError>(py) {
        return Error::data_loss(text);
    }
    if e.is_instance_of::<PyMemoryError>(py) {
        return Error::out_of_memory(text);
    }
    if e.is_instance_of::<InternalError>(py) {
        return Error::internal(text);
    }
    if e.is_instance_of::<UnknownError>(py) {
        return Error::unknown(text);
    }
    let class = e.get_type(py).name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".into());
    Error::unknown(format!("{class}: {text}"))
}

/// `outputs` holds one `(dtype name, dims or None)` per result.
pub(crate) fn host_call_op(
    function: Py<PyAny>,
    outputs: Vec<(String, Option<Vec<Option<usize>>>)>,
    gradient: Option<Py<PyAny>>,
    stateful: bool,
    eager: bool,
) -> PyResult<Op> {
    let outputs = outputs
        .into_iter()
        .map(|(dtype, dims)| {
            Ok((dims.map(Shape::from_dims).unwrap_or_else(Shape::unknown), parse_dtype(&dtype)?))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let spec = CallSpec {
        type_name: if eager { "EagerPyFunc" } else { "PyFunc" },
        function: Arc::new(PythonFunction(function)),
        outputs,
        gradient: gradient.map(|g| Arc::new(PythonFunction(g)) as Arc<dyn HostFunction>),
        stateful,
    };
    Ok(Op::Control(ControlOp::Call(Arc::new(spec))))
}
