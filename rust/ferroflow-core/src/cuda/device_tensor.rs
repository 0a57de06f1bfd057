//! Tensors resident on a CUDA device: a block from the caching allocator, a shape and a dtype. Reshapes share
//! the block; the block returns to the cache when the last tensor using it is dropped.

use super::device::CudaDevice;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};
use cudarc::driver::{result, sys::CUdeviceptr};
use std::sync::Arc;

struct Block {
    ptr: CUdeviceptr,
    class: usize,
    device: &'static CudaDevice,
}

impl Drop for Block {
    fn drop(&mut self) {
        self.device.allocator.release(self.ptr, self.class);
    }
}

#[derive(Clone)]
pub struct DeviceTensor {
    block: Arc<Block>,
    shape: Vec<usize>,
    dtype: DType,
}

impl std::fmt::Debug for DeviceTensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceTensor({} {:?} on {})", self.dtype, self.shape, self.block.device.label())
    }
}

/// Whether the backend stores this dtype on a device: fixed-size numbers and bool (strings and complex
/// numbers stay on the CPU).
pub fn storable(dtype: DType) -> bool {
    !matches!(dtype, DType::Str | DType::C64 | DType::C128)
}

impl DeviceTensor {
    /// Uninitialized storage for `shape` elements of `dtype` (the kernel writing it fills every element).
    pub fn empty(device: &'static CudaDevice, dtype: DType, shape: &[usize]) -> Result<DeviceTensor> {
        if !storable(dtype) {
            return Err(Error::dtype(format!("{dtype} tensors cannot be stored on {}", device.label())));
        }
        let bytes = shape.iter().product::<usize>() * dtype.size_of();
        let (ptr, class) = device.allocator.allocate(bytes, &device.label())?;
        Ok(DeviceTensor { block: Arc::new(Block { ptr, class, device }), shape: shape.to_vec(), dtype })
    }

    /// Copies a host tensor to the device (queued on the device's stream; the host data is staged before this
    /// returns, so the caller may drop it).
    pub fn upload(device: &'static CudaDevice, t: &Tensor) -> Result<DeviceTensor> {
        device.bind()?;
        let out = DeviceTensor::empty(device, t.dtype(), t.shape())?;
        if out.is_empty() {
            return Ok(out);
        }
        let stream = device.stream().cu_stream();
        macro_rules! copy {
            ($a:expr) => {{
                let data =
                    $a.as_slice().ok_or_else(|| Error::internal("host tensor not in standard layout"))?;
                // SAFETY: `out` holds at least `size_of_val(data)` bytes.
                unsafe { result::memcpy_htod_async(out.ptr(), data, stream) }
            }};
        }
        let copied = match t.data() {
            TensorData::F32(a) => copy!(a),
            TensorData::F64(a) => copy!(a),
            TensorData::I32(a) => copy!(a),
            TensorData::I64(a) => copy!(a),
            TensorData::Bool(a) => copy!(a),
            TensorData::U8(a) => copy!(a),
            TensorData::I8(a) => copy!(a),
            TensorData::I16(a) => copy!(a),
            TensorData::U16(a) => copy!(a),
            TensorData::U32(a) => copy!(a),
            TensorData::U64(a) => copy!(a),
            TensorData::F16(a) => copy!(a),
            TensorData::BF16(a) => copy!(a),
            TensorData::Str(_) | TensorData::C64(_) | TensorData::C128(_) => unreachable!("checked by empty"),
        };
        copied.map_err(|e| device.error("copying to the device", e))?;
        Ok(out)
    }

    /// Copies the tensor back to the host, waiting for the work that produces it.
    pub fn download(&self) -> Result<Tensor> {
        let device = self.block.device;
        device.bind()?;
        let n = self.len();
        let stream = device.stream().cu_stream();
        macro_rules! fetch {
            ($t:ty) => {{
                let mut host: Vec<$t> = vec![<$t>::default(); n];
                if n > 0 {
                    // SAFETY: the block holds `n` elements of this dtype.
                    unsafe { result::memcpy_dtoh_async(&mut host, self.ptr(), stream) }
                        .map_err(|e| device.error("copying to the host", e))?;
                    device.synchronize()?;
                }
                Tensor::from_vec(&self.shape, host)?
            }};
        }
        Ok(match self.dtype {
            DType::F32 => fetch!(f32),
            DType::F64 => fetch!(f64),
            DType::I32 => fetch!(i32),
            DType::I64 => fetch!(i64),
            DType::Bool => fetch!(bool),
            DType::U8 => fetch!(u8),
            DType::I8 => fetch!(i8),
            DType::I16 => fetch!(i16),
            DType::U16 => fetch!(u16),
            DType::U32 => fetch!(u32),
            DType::U64 => fetch!(u64),
            DType::F16 => fetch!(crate::tensor::f16),
            DType::BF16 => fetch!(crate::tensor::bf16),
            DType::Str | DType::C64 | DType::C128 => unreachable!("never stored on a device"),
        })
    }

    /// The same elements under another shape with as many elements (no copy).
    pub fn reshaped(&self, shape: &[usize]) -> Result<DeviceTensor> {
        if shape.iter().product::<usize>() != self.len() {
            return Err(Error::invalid(format!(
                "cannot reshape a tensor of {} elements to {:?}",
                self.len(),
                shape
            )));
        }
        Ok(DeviceTensor { block: self.block.clone(), shape: shape.to_vec(), dtype: self.dtype })
    }

    /// A copy in a new block (queued on the device's stream).
    pub fn duplicate(&self) -> Result<DeviceTensor> {
        let device = self.block.device;
        let out = DeviceTensor::empty(device, self.dtype, &self.shape)?;
        let bytes = self.len() * self.dtype.size_of();
        if bytes > 0 {
            // SAFETY: both blocks hold `bytes` bytes; the copy is ordered on the one stream.
            unsafe { result::memcpy_dtod_async(out.ptr(), self.ptr(), bytes, device.stream().cu_stream()) }
                .map_err(|e| device.error("copying on the device", e))?;
        }
        Ok(out)
    }

    /// How many tensors share this tensor's block (itself included).
    pub fn block_refs(&self) -> usize {
        Arc::strong_count(&self.block)
    }

    pub fn ptr(&self) -> CUdeviceptr {
        self.block.ptr
    }

    pub fn device(&self) -> &'static CudaDevice {
        self.block.device
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
