//! The `ferroflow._core` extension module: thin PyO3 bindings over ferroflow-core.

mod batch_loop;
mod complex_ops;
mod control_flow;
mod conv_ops;
mod devices;
mod errors;
mod graph;
mod host_call;
mod image_codec_ops;
mod op;
mod record_ops;
mod records;
mod string_ops;
mod tape;
mod tensor;
mod variable;

use pyo3::prelude::*;

/// mimalloc keeps freed tensor buffers for reuse: with the system allocator every large tensor is a
/// fresh mmap whose pages the kernel must zero again, which cost about a tenth of a training step.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs `f` inside the core's shared thread pool.
pub(crate) fn threading_install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    ferroflow_core::threading::install(f)
}

/// Asks for `n` intra-op threads; effective only before the first op runs. Returns whether it took effect.
#[pyfunction]
fn set_num_threads(n: usize) -> bool {
    ferroflow_core::threading::set_num_threads(n)
}

#[pyfunction]
fn num_threads() -> usize {
    ferroflow_core::threading::num_threads()
}

/// Checks every op's output for NaN/Inf, eagerly and in plans (`ferroflow.debugging.enable_check_numerics`).
#[pyfunction]
fn set_check_numerics(enabled: bool) {
    ferroflow_core::numerics::set_check_every_op(enabled)
}

#[pyfunction]
fn check_numerics_enabled() -> bool {
    ferroflow_core::numerics::check_every_op()
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<tensor::PyTensor>()?;
    m.add_class::<op::PyOp>()?;
    m.add_class::<variable::PyVariable>()?;
    m.add_class::<graph::PyGraph>()?;
    m.add_class::<graph::PyPlan>()?;
    m.add_class::<tape::PyTape>()?;
    m.add_function(wrap_pyfunction!(tape::execute, m)?)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(set_check_numerics, m)?)?;
    m.add_function(wrap_pyfunction!(check_numerics_enabled, m)?)?;
    records::register(m)?;
    devices::register(m)?;
    errors::register(m)?;
    Ok(())
}
