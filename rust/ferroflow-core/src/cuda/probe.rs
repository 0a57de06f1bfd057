//! Finds the CUDA driver and libraries before cudarc touches them: cudarc panics on a missing library, we report it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// What this process can use: the number of CUDA devices, or why there are none.
pub type Availability = std::result::Result<usize, String>;

/// Tests whether a library can be loaded, without panicking (cudarc's `is_culib_present`).
type Presence = unsafe fn() -> bool;

/// The libraries the backend loads, with the function cudarc offers to test for each without panicking.
fn libraries() -> [(&'static str, Presence); 3] {
    [
        ("the CUDA driver (libcuda.so.1)", cudarc::driver::sys::is_culib_present),
        ("NVRTC (libnvrtc.so)", cudarc::nvrtc::sys::is_culib_present),
        ("cuBLAS (libcublas.so)", cudarc::cublas::sys::is_culib_present),
    ]
}

/// The names of the CUDA libraries that cannot be loaded here.
pub fn missing_libraries() -> Vec<&'static str> {
    // SAFETY: each probe only tries `dlopen` on the library's candidate names.
    libraries().into_iter().filter(|(_, present)| !unsafe { present() }).map(|(name, _)| name).collect()
}

/// Probes once per process: libraries first, then the driver's device count (a driver without devices, or
/// `CUDA_VISIBLE_DEVICES=""`, gives zero). `FERROFLOW_DISABLE_GPU=1` hides every GPU.
pub fn availability() -> &'static Availability {
    static PROBED: OnceLock<Availability> = OnceLock::new();
    PROBED.get_or_init(probe)
}

/// How many of the found GPUs this process may use (`tf.config.set_visible_devices`); all by default.
static VISIBLE: AtomicUsize = AtomicUsize::new(usize::MAX);

pub fn set_visible_count(count: usize) {
    VISIBLE.store(count, Ordering::Relaxed);
}

/// The number of usable CUDA devices (0 when none, whatever the reason).
pub fn device_count() -> usize {
    (*availability().as_ref().unwrap_or(&0)).min(VISIBLE.load(Ordering::Relaxed))
}

fn probe() -> Availability {
    if std::env::var("FERROFLOW_DISABLE_GPU").is_ok_and(|v| !v.is_empty() && v != "0") {
        return Err("GPUs are hidden by FERROFLOW_DISABLE_GPU".into());
    }
    // SAFETY: probing only tries `dlopen`.
    if unsafe { cudarc::driver::sys::is_culib_present() } {
        super::library_search::preload();
    }
    let missing = missing_libraries();
    if !missing.is_empty() {
        return Err(format!(
            "{} could not be loaded (is a CUDA 13 driver and toolkit installed, and on \
                            LD_LIBRARY_PATH?)",
            missing.join(", ")
        ));
    }
    // A driver older than the symbols cudarc resolves panics inside cudarc: contain it.
    match std::panic::catch_unwind(cudarc::driver::CudaContext::device_count) {
        Ok(Ok(count)) => Ok(count.max(0) as usize),
        Ok(Err(e)) if format!("{e:?}").contains("NO_DEVICE") => Ok(0),
        Ok(Err(e)) => Err(format!("the CUDA driver could not be initialized: {e:?}")),
        Err(_) => {
            Err("the CUDA driver lacks functions this build needs (CUDA 13 or newer is required)".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_is_an_answer_not_a_panic() {
        match availability() {
            Ok(n) => assert_eq!(device_count(), *n),
            Err(reason) => {
                assert_eq!(device_count(), 0);
                assert!(!reason.is_empty());
            }
        }
    }

    #[test]
    fn missing_libraries_name_themselves() {
        for name in missing_libraries() {
            assert!(name.contains(".so"), "{name}");
        }
    }
}
