//! The CUDA backend as the executor sees it (`exec::Backend`): device tensors, uploads and downloads, and the
//! op table of `ops`.

use super::device::device;
use super::device_tensor::DeviceTensor;
use crate::error::Result;
use crate::exec::Backend;
use crate::op::Op;
use crate::tensor::Tensor;

pub struct CudaBackend;

impl Backend for CudaBackend {
    type Value = DeviceTensor;

    fn upload(&self, ordinal: usize, t: &Tensor) -> Result<DeviceTensor> {
        DeviceTensor::upload(device(ordinal)?, t)
    }

    fn download(&self, v: &DeviceTensor) -> Result<Tensor> {
        v.download()
    }

    fn compute(&self, ordinal: usize, op: &Op, inputs: &[DeviceTensor]) -> Result<Option<DeviceTensor>> {
        let dev = device(ordinal)?;
        if inputs.iter().any(|t| t.device().ordinal != ordinal) {
            return Ok(None);
        }
        super::ops::compute(dev, op, inputs)
    }

    fn bytes(&self, v: &DeviceTensor) -> usize {
        v.len() * v.dtype().size_of()
    }
}
