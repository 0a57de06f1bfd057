//! Variables: shared, mutable cells that eager code, traced graphs and sessions all read and update in place.
//!
//! A variable's value lives in its cell rather than in a session, like TensorFlow 2's resource variables,
//! so an eager `Variable`, a `tf.function` graph and a Keras train step see the same storage. A step run on a
//! GPU keeps a copy in device memory and updates it there; the host copy is refreshed only when host code
//! reads the variable.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A variable's value in a device's memory (a backend's tensor type, seen through this trait).
pub trait DeviceCopy: Send + Sync + std::fmt::Debug {
    fn download(&self) -> Result<Tensor>;
    fn as_any(&self) -> &dyn std::any::Any;
}

#[derive(Debug, Default)]
struct Storage {
    host: Option<Tensor>,
    /// The value on a device, kept between steps that run there.
    device: Option<Arc<dyn DeviceCopy>>,
    /// A device step updated `device` since `host` was last refreshed.
    host_stale: bool,
}

impl Storage {
    /// Brings the host copy up to date with the device copy.
    fn refresh_host(&mut self) -> Result<()> {
        if self.host_stale {
            let device = self
                .device
                .as_ref()
                .ok_or_else(|| Error::internal("stale host copy without a device copy"))?;
            self.host = Some(device.download()?);
            self.host_stale = false;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub struct VarCell {
    pub id: u64,
    pub name: String,
    pub dtype: DType,
    pub shape: Shape,
    value: RwLock<Storage>,
}

/// A handle to a variable; clones share the cell.
#[derive(Debug, Clone)]
pub struct VarHandle(pub Arc<VarCell>);

impl VarHandle {
    /// A variable with no value yet (a graph-mode variable before its initializer runs).
    pub fn new(name: &str, dtype: DType, shape: Shape) -> VarHandle {
        VarHandle(Arc::new(VarCell {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            name: name.to_string(),
            dtype,
            shape,
            value: RwLock::new(Storage::default()),
        }))
    }

    pub fn with_value(name: &str, value: Tensor) -> VarHandle {
        let h = VarHandle::new(name, value.dtype(), Shape::known(value.shape()));
        h.0.value.write().unwrap_or_else(|p| p.into_inner()).host = Some(value);
        h
    }

    pub fn id(&self) -> u64 {
        self.0.id
    }
    pub fn name(&self) -> &str {
        &self.0.name
    }
    pub fn dtype(&self) -> DType {
        self.0.dtype
    }
    pub fn shape(&self) -> &Shape {
        &self.0.shape
    }

    pub fn is_initialized(&self) -> bool {
        let storage = self.0.value.read().unwrap_or_else(|p| p.into_inner());
        storage.host.is_some() || storage.device.is_some()
    }

    /// The current value (copied back from its device when a device step updated it), or a clear error when
    /// the variable was never initialized.
    pub fn read(&self) -> Result<Tensor> {
        let fresh = {
            let storage = self.0.value.read().unwrap_or_else(|p| p.into_inner());
            (!storage.host_stale).then(|| storage.host.clone())
        };
        let host = match fresh {
            Some(host) => host,
            None => {
                let mut storage = self.0.value.write().unwrap_or_else(|p| p.into_inner());
                storage.refresh_host()?;
                storage.host.clone()
            }
        };
        host.ok_or_else(|| self.uninitialized())
    }

    fn uninitialized(&self) -> Error {
        Error::precondition(format!(
            "variable '{}' is used before it was initialized; run its initializer first \
             (for example compat.v1.global_variables_initializer())",
            self.0.name
        ))
    }

    /// The device copy for which `is_here` holds, made with `upload` from the current value when there is
    /// none (a copy on another device is brought back through the host first).
    pub fn device_copy(
        &self,
        is_here: impl Fn(&dyn DeviceCopy) -> bool,
        upload: impl FnOnce(&Tensor) -> Result<Arc<dyn DeviceCopy>>,
    ) -> Result<Arc<dyn DeviceCopy>> {
        let mut storage = self.0.value.write().unwrap_or_else(|p| p.into_inner());
        if let Some(copy) = storage.device.as_ref().filter(|c| is_here(c.as_ref())) {
            return Ok(copy.clone());
        }
        storage.refresh_host()?;
        let host = storage.host.clone().ok_or_else(|| self.uninitialized())?;
        let copy = upload(&host)?;
        storage.device = Some(copy.clone());
        Ok(copy)
    }

    /// Replaces the device copy by `copy`, a newer value a device step computed (the host copy is refreshed
    /// from it when host code next reads the variable).
    pub fn set_device_copy(&self, copy: Arc<dyn DeviceCopy>) {
        let mut storage = self.0.value.write().unwrap_or_else(|p| p.into_inner());
        storage.device = Some(copy);
        storage.host_stale = true;
    }

    /// Replaces the value after checking dtype and shape against the variable's declaration.
    pub fn write(&self, value: Tensor) -> Result<()> {
        if value.dtype() != self.0.dtype {
            return Err(Error::dtype(format!(
                "cannot assign a {} value to variable '{}' of dtype {}",
                value.dtype(),
                self.0.name,
                self.0.dtype
            )));
        }
        if !self.0.shape.accepts(value.shape()) {
            return Err(Error::invalid(format!(
                "cannot assign a value of shape {} to variable '{}' of shape {}",
                crate::shape::fmt_dims(value.shape()),
                self.0.name,
                self.0.shape
            )));
        }
        let mut storage = self.0.value.write().unwrap_or_else(|p| p.into_inner());
        *storage = Storage { host: Some(value), device: None, host_stale: false };
        Ok(())
    }
}

impl VarHandle {
    /// Updates the value in place with `f`, which receives the variable's array. The storage is mutated
    /// directly when no other tensor shares it (the usual case for an optimizer step), else copied once.
    pub fn update_in_place<T: crate::tensor::Element>(
        &self,
        f: impl FnOnce(&mut ndarray::ArrayD<T>) -> Result<()>,
    ) -> Result<()> {
        let mut storage = self.0.value.write().unwrap_or_else(|p| p.into_inner());
        storage.refresh_host()?;
        storage.device = None; // the host copy is about to become the newer one
        let slot = &mut storage.host;
        let current = slot.take().ok_or_else(|| {
            Error::precondition(format!("variable '{}' is used before it was initialized", self.0.name))
        })?;
        let data = match current.try_unwrap() {
            Ok(data) => data,
            Err(shared) => shared.data().clone(),
        };
        let mut array = match T::unwrap(data) {
            Ok(a) => a,
            Err(data) => {
                let dtype = Tensor::new(data.clone()).dtype();
                *slot = Some(Tensor::new(data));
                return Err(Error::dtype(format!(
                    "variable '{}' has dtype {dtype}, expected {}",
                    self.0.name,
                    T::DTYPE
                )));
            }
        };
        let result = f(&mut array);
        *slot = Some(Tensor::new(T::wrap(array)));
        result
    }
}

impl PartialEq for VarHandle {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}
