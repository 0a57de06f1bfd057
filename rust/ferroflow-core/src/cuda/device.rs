//! One CUDA device as the backend uses it: its context, compute stream, cuBLAS handle, compiled kernels and
//! caching allocator, created on first use and kept for the life of the process.

use super::allocator::Allocator;
use super::module::Kernels;
use crate::error::{Error, Result};
use cudarc::cublas::{result as blas, sys as blas_sys};
use cudarc::driver::{sys::CUdevice_attribute, CudaContext, CudaStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// TensorFloat-32 in float32 products, on by default as in TensorFlow
/// (`tf.config.experimental.enable_tensor_float_32_execution`).
static TF32: AtomicBool = AtomicBool::new(true);

pub fn set_tensor_float_32(enabled: bool) {
    TF32.store(enabled, Ordering::Relaxed);
}

pub fn tensor_float_32() -> bool {
    TF32.load(Ordering::Relaxed)
}

/// A cuBLAS handle: used by one thread at a time (behind the device's mutex).
pub(crate) struct BlasHandle(pub(crate) blas_sys::cublasHandle_t);
// SAFETY: cuBLAS handles may move between threads; the mutex keeps their use exclusive.
unsafe impl Send for BlasHandle {}

pub struct CudaDevice {
    pub ordinal: usize,
    pub name: String,
    pub compute_capability: (i32, i32),
    pub total_memory: usize,
    pub multiprocessors: u32,
    ctx: Arc<CudaContext>,
    /// Every kernel, product and copy of this device is queued here, in program order: a block freed by one
    /// op can be handed to the next without waiting (see `Allocator`).
    stream: Arc<CudaStream>,
    pub(crate) blas: Mutex<BlasHandle>,
    kernels: OnceLock<std::result::Result<Kernels, String>>,
    pub allocator: Allocator,
}

impl CudaDevice {
    fn open(ordinal: usize) -> std::result::Result<CudaDevice, String> {
        let ctx = CudaContext::new(ordinal).map_err(|e| format!("creating a context: {e}"))?;
        let name = ctx.name().map_err(|e| e.to_string())?;
        let compute_capability = ctx.compute_capability().map_err(|e| e.to_string())?;
        let total_memory = ctx.total_mem().map_err(|e| e.to_string())?;
        let multiprocessors = ctx
            .attribute(CUdevice_attribute::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)
            .map_err(|e| e.to_string())? as u32;
        let stream = ctx.new_stream().map_err(|e| format!("creating a stream: {e}"))?;
        let handle = blas::create_handle().map_err(|e| format!("creating a cuBLAS handle: {e:?}"))?;
        // SAFETY: both handles were just created and stay alive with the device.
        unsafe { blas::set_stream(handle, stream.cu_stream() as _) }.map_err(|e| format!("{e:?}"))?;
        Ok(CudaDevice {
            ordinal,
            name,
            compute_capability,
            total_memory,
            multiprocessors,
            ctx,
            stream,
            blas: Mutex::new(BlasHandle(handle)),
            kernels: OnceLock::new(),
            allocator: Allocator::default(),
        })
    }

    /// `/device:GPU:<ordinal>`, for messages.
    pub fn label(&self) -> String {
        format!("/device:GPU:{}", self.ordinal)
    }

    /// Makes this device's context current on the calling thread (pool threads run ops of any device).
    pub fn bind(&self) -> Result<()> {
        self.ctx.bind_to_thread().map_err(|e| self.error("binding its context", e))
    }

    pub fn stream(&self) -> &Arc<CudaStream> {
        &self.stream
    }

    /// Waits for everything queued on the device.
    pub fn synchronize(&self) -> Result<()> {
        self.stream.synchronize().map_err(|e| self.error("synchronizing", e))
    }

    /// The kernels, compiled with NVRTC for this device on first use.
    pub fn kernels(&self) -> Result<&Kernels> {
        self.kernels
            .get_or_init(|| Kernels::compile(&self.ctx, self.compute_capability))
            .as_ref()
            .map_err(|e| Error::internal(format!("compiling the CUDA kernels for {}: {e}", self.label())))
    }

    /// Queues kernel `name` with `grid` blocks on this device's stream.
    ///
    /// # Safety
    /// As `Kernels::launch`: `params` match the kernel's parameters and name buffers that stay allocated.
    pub(crate) unsafe fn launch(
        &self,
        name: &str,
        grid: u32,
        params: &mut [*mut std::ffi::c_void],
    ) -> Result<()> {
        unsafe { self.kernels()?.launch(name, grid, &self.stream, params) }
    }

    /// `launch` over `items` elements with enough blocks to fill the device (`module::grid_for`).
    ///
    /// # Safety
    /// As `launch`.
    pub(crate) unsafe fn launch_over(
        &self,
        name: &str,
        items: usize,
        params: &mut [*mut std::ffi::c_void],
    ) -> Result<()> {
        unsafe { self.launch(name, super::module::grid_for(items, self.multiprocessors), params) }
    }

    /// Free and total bytes as the driver reports them.
    pub fn memory_info(&self) -> Result<(usize, usize)> {
        self.bind()?;
        self.ctx.mem_get_info().map_err(|e| self.error("reading its memory", e))
    }

    pub(crate) fn error(&self, doing: &str, e: impl std::fmt::Display) -> Error {
        Error::internal(format!("{} ({}) failed {doing}: {e}", self.label(), self.name))
    }
}

/// The device with this ordinal, opened on first use.
pub fn device(ordinal: usize) -> Result<&'static CudaDevice> {
    static DEVICES: OnceLock<Vec<OnceLock<std::result::Result<&'static CudaDevice, String>>>> =
        OnceLock::new();
    let count = match super::probe::availability() {
        Ok(n) => *n,
        Err(reason) => {
            return Err(Error::invalid(format!("no CUDA device can be used: {reason}")));
        }
    };
    let devices = DEVICES.get_or_init(|| (0..count).map(|_| OnceLock::new()).collect());
    let visible = super::probe::device_count();
    let cell = devices.get(ordinal).filter(|_| ordinal < visible).ok_or_else(|| {
        Error::invalid(format!("there is no /device:GPU:{ordinal}: this process can use {visible} GPU(s)"))
    })?;
    cell.get_or_init(|| CudaDevice::open(ordinal).map(|d| &*Box::leak(Box::new(d))))
        .as_ref()
        .copied()
        .map_err(|e| Error::internal(format!("/device:GPU:{ordinal} could not be opened: {e}")))
}
