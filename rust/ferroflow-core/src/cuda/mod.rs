//! The CUDA backend: devices found at run time through cudarc's dynamic loading (one build runs with and
//! without CUDA), a caching allocator, cuBLAS products and NVRTC-compiled kernels for the ops in `ops`.

pub mod allocator;
pub mod backend;
pub mod blas;
pub mod device;
pub mod device_tensor;
pub mod elementwise;
mod library_search;
pub mod module;
pub mod nn;
pub mod ops;
pub mod probe;
pub mod variables;

pub use device::{device, set_tensor_float_32, tensor_float_32, CudaDevice};
pub use device_tensor::DeviceTensor;
pub use probe::{availability, device_count};
