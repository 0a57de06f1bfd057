//! Variables on the GPU: reads served from the variable's device copy (uploaded once, then kept), and the
//! optimizers' fused updates applied to that copy in place; host code reading the variable later gets the
//! updated value copied back (`VarHandle::read`).

use super::device::CudaDevice;
use super::device_tensor::DeviceTensor;
use crate::cuda_args;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::variable::{DeviceCopy, VarHandle};
use std::sync::Arc;

impl DeviceCopy for DeviceTensor {
    fn download(&self) -> Result<crate::tensor::Tensor> {
        DeviceTensor::download(self)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The variable's value on `dev`, uploaded on first use.
pub fn resident(dev: &'static CudaDevice, var: &VarHandle) -> Result<DeviceTensor> {
    let on_dev = |c: &dyn DeviceCopy| {
        c.as_any().downcast_ref::<DeviceTensor>().is_some_and(|t| t.device().ordinal == dev.ordinal)
    };
    let copy = var.device_copy(on_dev, |host| Ok(Arc::new(DeviceTensor::upload(dev, host)?)))?;
    copy.as_any().downcast_ref::<DeviceTensor>().cloned().ok_or_else(|| {
        Error::internal(format!("variable '{}' has a device copy of another backend", var.name()))
    })
}

/// The device copy to update in place. When a tensor read from the variable earlier in the step still
/// holds the block (beyond the variable's own reference and ours), the update goes to a fresh copy so that
/// the reader keeps the value it read, as on the CPU.
fn exclusive(dev: &'static CudaDevice, var: &VarHandle) -> Result<DeviceTensor> {
    let current = resident(dev, var)?;
    if current.block_refs() <= 2 {
        return Ok(current);
    }
    let fresh = current.duplicate()?;
    var.set_device_copy(Arc::new(fresh.clone()));
    Ok(fresh)
}

fn check(var: &VarHandle, t: &DeviceTensor, g: &DeviceTensor) -> Result<()> {
    if t.dtype() != DType::F32 || g.dtype() != DType::F32 || t.len() != g.len() {
        return Err(Error::invalid(format!(
            "the GPU update of '{}' takes a float32 gradient of its {} elements, received {} {:?}",
            var.name(),
            t.len(),
            g.dtype(),
            g.shape()
        )));
    }
    Ok(())
}

/// Runs an update kernel on `vars` (the variable first, then its slots) and marks each updated on the device.
fn update(
    dev: &'static CudaDevice,
    vars: &[&VarHandle],
    g: &DeviceTensor,
    launch: impl FnOnce(&[DeviceTensor]) -> Result<()>,
) -> Result<DeviceTensor> {
    let copies = vars.iter().map(|v| exclusive(dev, v)).collect::<Result<Vec<_>>>()?;
    for (v, c) in vars.iter().zip(&copies) {
        check(v, c, g)?;
    }
    launch(&copies)?;
    for (v, c) in vars.iter().zip(copies) {
        v.set_device_copy(Arc::new(c));
    }
    DeviceTensor::empty(dev, DType::F32, &[0])
}

pub fn adam(
    dev: &'static CudaDevice,
    (var, m, v): (&VarHandle, &VarHandle, &VarHandle),
    g: &DeviceTensor,
    alpha: &DeviceTensor,
    (beta_1, beta_2, epsilon): (f64, f64, f64),
) -> Result<DeviceTensor> {
    update(dev, &[var, m, v], g, |c| {
        let (pp, mp, vp, gp, n, ap) =
            (c[0].ptr(), c[1].ptr(), c[2].ptr(), g.ptr(), g.len() as u64, alpha.ptr());
        let (b1, b2, eps) = (beta_1 as f32, beta_2 as f32, epsilon as f32);
        let mut params = cuda_args![pp, mp, vp, gp, n, ap, b1, b2, eps];
        // SAFETY: var, slots and gradient hold n float32 values; alpha one.
        unsafe { dev.launch_over("adam_f32", g.len(), &mut params) }
    })
}

pub fn sgd(
    dev: &'static CudaDevice,
    var: &VarHandle,
    m: Option<&VarHandle>,
    g: &DeviceTensor,
    lr: &DeviceTensor,
    (momentum, nesterov): (f64, bool),
) -> Result<DeviceTensor> {
    let vars: Vec<&VarHandle> = std::iter::once(var).chain(m).collect();
    update(dev, &vars, g, |c| {
        let mp: u64 = c.get(1).map_or(0, |t| t.ptr());
        let (pp, gp, n, lp, mo, ne) =
            (c[0].ptr(), g.ptr(), g.len() as u64, lr.ptr(), momentum as f32, nesterov as i32);
        let mut params = cuda_args![pp, mp, gp, n, lp, mo, ne];
        // SAFETY: var, slot (or null) and gradient hold n float32 values; lr one.
        unsafe { dev.launch_over("sgd_f32", g.len(), &mut params) }
    })
}

pub fn adagrad(
    dev: &'static CudaDevice,
    (var, acc): (&VarHandle, &VarHandle),
    g: &DeviceTensor,
    lr: &DeviceTensor,
    epsilon: f64,
) -> Result<DeviceTensor> {
    update(dev, &[var, acc], g, |c| {
        let (pp, ap, gp, n, lp, eps) =
            (c[0].ptr(), c[1].ptr(), g.ptr(), g.len() as u64, lr.ptr(), epsilon as f32);
        let mut params = cuda_args![pp, ap, gp, n, lp, eps];
        // SAFETY: var, accumulator and gradient hold n float32 values; lr one.
        unsafe { dev.launch_over("adagrad_f32", g.len(), &mut params) }
    })
}
