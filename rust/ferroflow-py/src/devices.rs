//! Devices for Python: the GPUs this process can use (or why none), their details and memory statistics,
//! TensorFloat-32, soft placement and placement logging (`tf.config`, `tf.debugging`).

use crate::errors::guard;
use ferroflow_core::cuda;
use ferroflow_core::placement;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The number of CUDA devices this process can use (0 without a driver, libraries or GPU).
#[pyfunction]
fn gpu_count() -> usize {
    cuda::device_count()
}

/// Why no GPU can be used, or None when some can.
#[pyfunction]
fn gpu_unavailable_reason() -> Option<String> {
    cuda::availability().as_ref().err().cloned()
}

/// Always true: this build carries the CUDA backend (loaded at run time when a driver is present).
#[pyfunction]
fn is_built_with_cuda() -> bool {
    true
}

/// `tf.config.experimental.get_device_details`: name and compute capability of GPU `index`.
#[pyfunction]
fn gpu_details<'py>(py: Python<'py>, index: usize) -> PyResult<Bound<'py, PyDict>> {
    let dev = guard(|| cuda::device(index))?;
    let d = PyDict::new(py);
    d.set_item("device_name", &dev.name)?;
    d.set_item("compute_capability", dev.compute_capability)?;
    d.set_item("total_memory", dev.total_memory)?;
    Ok(d)
}

/// `tf.config.experimental.get_memory_info`: bytes in use now and at the peak, from the caching allocator.
#[pyfunction]
fn gpu_memory_info<'py>(py: Python<'py>, index: usize) -> PyResult<Bound<'py, PyDict>> {
    let stats = guard(|| cuda::device(index))?.allocator.stats();
    let d = PyDict::new(py);
    d.set_item("current", stats.current)?;
    d.set_item("peak", stats.peak)?;
    Ok(d)
}

#[pyfunction]
fn gpu_reset_memory_stats(index: usize) -> PyResult<()> {
    guard(|| cuda::device(index))?.allocator.reset_peak();
    Ok(())
}

/// Lets this process use only the first `count` GPUs (`tf.config.set_visible_devices`).
#[pyfunction]
fn set_visible_gpu_count(count: usize) {
    cuda::probe::set_visible_count(count)
}

#[pyfunction]
fn set_tensor_float_32(enabled: bool) {
    cuda::set_tensor_float_32(enabled)
}

#[pyfunction]
fn tensor_float_32() -> bool {
    cuda::tensor_float_32()
}

#[pyfunction]
fn set_soft_placement(enabled: bool) {
    placement::set_soft_placement(enabled)
}

#[pyfunction]
fn set_log_placement(enabled: bool) {
    placement::set_log_placement(enabled)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(gpu_count, m)?)?;
    m.add_function(wrap_pyfunction!(gpu_unavailable_reason, m)?)?;
    m.add_function(wrap_pyfunction!(is_built_with_cuda, m)?)?;
    m.add_function(wrap_pyfunction!(gpu_details, m)?)?;
    m.add_function(wrap_pyfunction!(gpu_memory_info, m)?)?;
    m.add_function(wrap_pyfunction!(gpu_reset_memory_stats, m)?)?;
    m.add_function(wrap_pyfunction!(set_visible_gpu_count, m)?)?;
    m.add_function(wrap_pyfunction!(set_tensor_float_32, m)?)?;
    m.add_function(wrap_pyfunction!(tensor_float_32, m)?)?;
    m.add_function(wrap_pyfunction!(set_soft_placement, m)?)?;
    m.add_function(wrap_pyfunction!(set_log_placement, m)?)?;
    Ok(())
}
