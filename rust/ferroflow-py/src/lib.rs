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

/// How long mimalloc keeps freed memory before giving it back to the OS. Its default, one second, is shorter
/// than the gap between two uses of a training step's large buffers (a Transformer step of 270 ms plus an
/// epoch's end), so their pages were returned and then faulted in and zeroed again: 25-45 thousand page
/// faults in the Transformer benchmark's run against 12-14 thousand with ten seconds.
const PURGE_DELAY_MS: std::os::raw::c_long = 10_000;
/// `mi_option_purge_delay` in `mimalloc.h` (the same in its versions 2 and 3), which the `mimalloc` crate
/// builds and links.
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

extern "C" {
    fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
}

/// Sets `PURGE_DELAY_MS` unless the user chose a delay through mimalloc's own `MIMALLOC_PURGE_DELAY`.
fn keep_freed_memory_longer() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's option setter takes any option index and value; this one is a plain integer.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

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
    keep_freed_memory_longer();
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
