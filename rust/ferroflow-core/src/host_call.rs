//! Host calls: a graph node that hands its inputs to a function of the embedding program (`tf.py_function`).
//!
//! The core knows the function only through the `HostFunction` trait; the Python bindings implement it by
//! taking the GIL and calling a Python callable. Like `While` and `Cond`, a call has one result per declared
//! output, read by `Item` nodes (control_flow.rs), and its own output is a scalar placeholder value that
//! lets a call with no results be run for its effect.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::fmt;
use std::sync::Arc;

/// A function of the embedding program, called with the node's input values.
pub trait HostFunction: Send + Sync {
    /// One tensor per declared output, or the error the function raised.
    fn call(&self, inputs: &[Tensor]) -> Result<Vec<Tensor>>;
}

/// A host call: the function, what it returns, and optionally its gradient.
pub struct CallSpec {
    /// TensorFlow's op type: `EagerPyFunc` (`tf.py_function`) or `PyFunc` (`tf.numpy_function`).
    pub type_name: &'static str,
    pub function: Arc<dyn HostFunction>,
    /// The declared outputs; a dimension or rank left unknown is what the function decides at run time.
    pub outputs: Vec<(Shape, DType)>,
    /// Called with the inputs, then one incoming gradient per output; returns one gradient per floating
    /// input, in input order. `None`: not differentiable (gradients through the call are None).
    pub gradient: Option<Arc<dyn HostFunction>>,
    /// Whether the call must run every time (never cached or merged with an identical call).
    pub stateful: bool,
}

impl fmt::Debug for CallSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallSpec")
            .field("type_name", &self.type_name)
            .field("outputs", &self.outputs)
            .field("differentiable", &self.gradient.is_some())
            .field("stateful", &self.stateful)
            .finish()
    }
}

impl CallSpec {
    /// Calls the function and checks what it returned against the declared outputs.
    pub fn run(&self, args: &[Tensor]) -> Result<(Tensor, Vec<Tensor>)> {
        let values = self.function.call(args)?;
        check_results(self.type_name, &values, &self.outputs)?;
        Ok((Tensor::scalar(0i64), values))
    }
}

/// Errors name the op and the result index, as TensorFlow's "0-th value returned by pyfunc" messages do.
pub fn check_results(what: &str, values: &[Tensor], outputs: &[(Shape, DType)]) -> Result<()> {
    if values.len() != outputs.len() {
        return Err(Error::invalid(format!(
            "{what}: the function returned {} values, {} were declared",
            values.len(),
            outputs.len()
        )));
    }
    for (k, (value, (shape, dtype))) in values.iter().zip(outputs).enumerate() {
        if value.dtype() != *dtype {
            return Err(Error::invalid(format!(
                "{what}: the {k}-th value returned is {}, but {dtype} was declared",
                value.dtype()
            )));
        }
        let got = Shape::known(value.shape());
        if shape.merge(&got).is_err() {
            return Err(Error::invalid(format!(
                "{what}: the {k}-th value returned has shape {got}, but {shape} was declared"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "host_call_tests.rs"]
mod tests;
