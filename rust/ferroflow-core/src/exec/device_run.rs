//! Runs a plan whose nodes are placed on several devices. Values cross devices only through the plan's
//! explicit transfers (TensorFlow's send/recv), computed when the plan is built; a GPU step whose inputs its
//! kernel does not take runs the CPU kernel instead. Backends plug in through `Backend`.

use super::{check_finite, Plan, Step, StepRecord};
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::kernels;
use crate::op::Op;
use crate::placement::Device;
use crate::tensor::Tensor;

/// A device backend: storage on its devices and kernels for some ops.
pub trait Backend: Sync {
    type Value: Clone + Send;
    fn upload(&self, ordinal: usize, t: &Tensor) -> Result<Self::Value>;
    fn download(&self, v: &Self::Value) -> Result<Tensor>;
    /// Runs `op` on device `ordinal`; `None` when it has no kernel for these inputs.
    fn compute(&self, ordinal: usize, op: &Op, inputs: &[Self::Value]) -> Result<Option<Self::Value>>;
    fn bytes(&self, v: &Self::Value) -> usize;
}

/// A copy of a slot's value to `to`, made before the step that first reads it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    pub slot: usize,
    pub to: Device,
}

/// Where each step of a plan runs and the transfers before it.
#[derive(Debug, Clone, Default)]
pub struct DevicePlan {
    pub devices: Vec<Device>,
    pub transfers: Vec<Vec<Transfer>>,
    /// Where each slot's value is made (feeds arrive on the host).
    pub slot_devices: Vec<Device>,
}

impl DevicePlan {
    /// The transfers making every input available on its reader's device; a value copied to a device once
    /// serves every later reader there.
    pub(super) fn new(steps: &[Step], devices: Vec<Device>, slots: usize) -> DevicePlan {
        let mut slot_devices = vec![Device::Cpu; slots];
        for (step, &d) in steps.iter().zip(&devices) {
            slot_devices[step.out] = d;
        }
        let mut present: Vec<Vec<Device>> = slot_devices.iter().map(|&d| vec![d]).collect();
        let transfers = steps
            .iter()
            .zip(&devices)
            .map(|(step, &d)| {
                let mut before = Vec::new();
                for &s in &step.inputs {
                    if !present[s].contains(&d) {
                        present[s].push(d);
                        before.push(Transfer { slot: s, to: d });
                    }
                }
                before
            })
            .collect();
        DevicePlan { devices, transfers, slot_devices }
    }

    pub fn uses_devices(&self) -> bool {
        self.devices.iter().any(|d| *d != Device::Cpu)
    }
}

/// A value held on one device.
#[derive(Clone)]
enum Held<V> {
    Host(Tensor),
    Gpu(usize, V),
}

impl<V> Held<V> {
    fn device(&self) -> Device {
        match self {
            Held::Host(_) => Device::Cpu,
            Held::Gpu(i, _) => Device::Gpu(*i),
        }
    }
}

/// Copies of one slot's value, at most one per device.
type Copies<V> = Vec<Held<V>>;

fn find<V: Clone>(copies: &Copies<V>, d: Device) -> Option<&Held<V>> {
    copies.iter().find(|h| h.device() == d)
}

fn to_host<B: Backend>(b: &B, h: &Held<B::Value>) -> Result<Tensor> {
    match h {
        Held::Host(t) => Ok(t.clone()),
        Held::Gpu(_, v) => b.download(v),
    }
}

fn move_to<B: Backend>(b: &B, h: &Held<B::Value>, to: Device) -> Result<Held<B::Value>> {
    Ok(match to {
        Device::Cpu => Held::Host(to_host(b, h)?),
        Device::Gpu(i) => Held::Gpu(i, b.upload(i, &to_host(b, h)?)?),
    })
}

/// Runs `plan`, placed by `dp`, on `backend`; fetched values come back in host memory.
pub(super) fn run<B: Backend>(
    plan: &Plan,
    dp: &DevicePlan,
    backend: &B,
    graph: &Graph,
    slots_in: Vec<Option<Tensor>>,
    mut timings: Option<&mut Vec<StepRecord>>,
    origin: std::time::Instant,
) -> Result<Vec<Tensor>> {
    let check_numerics = crate::numerics::check_every_op();
    let mut slots: Vec<Copies<B::Value>> =
        slots_in.into_iter().map(|t| t.map(Held::Host).into_iter().collect()).collect();
    let mut results: Vec<Option<Vec<Tensor>>> = Vec::new();
    for ((step, &device), transfers) in plan.steps.iter().zip(&dp.devices).zip(&dp.transfers) {
        crate::threading::note_progress();
        for t in transfers {
            let source =
                slots[t.slot].first().ok_or_else(|| Error::internal("transfer from an empty slot"))?;
            let copy = move_to(backend, source, t.to)?;
            slots[t.slot].push(copy);
        }
        let node = graph.node(step.node);
        let started = std::time::Instant::now();
        let inputs: Vec<&Held<B::Value>> = step
            .inputs
            .iter()
            .map(|&s| {
                find(&slots[s], device).ok_or_else(|| Error::internal("plan read a value not on its device"))
            })
            .collect::<Result<_>>()?;
        let context = |e: Error| e.context(format!("{} '{}'", node.op.type_name(), node.name));
        let out = match device {
            Device::Gpu(i) => {
                let args: Vec<B::Value> = inputs
                    .iter()
                    .map(|h| match h {
                        Held::Gpu(_, v) => v.clone(),
                        Held::Host(_) => unreachable!("transfers put every input on the step's device"),
                    })
                    .collect();
                match backend.compute(i, &node.op, &args).map_err(context)? {
                    Some(v) => Held::Gpu(i, v),
                    None => {
                        // No kernel for these inputs: the CPU kernel, with copies both ways.
                        let host: Vec<Tensor> =
                            args.iter().map(|v| backend.download(v)).collect::<Result<_>>()?;
                        let t = kernels::compute(&node.op, &host).map_err(context)?;
                        Held::Gpu(i, backend.upload(i, &t)?)
                    }
                }
            }
            Device::Cpu => {
                let args: Vec<Tensor> = inputs.iter().map(|h| to_host(backend, h)).collect::<Result<_>>()?;
                let t = match &node.op {
                    Op::Control(control) => {
                        crate::control_flow::run_step(control, &args, &mut results, step.out, &step.inputs)
                    }
                    op => kernels::compute(op, &args),
                }
                .map_err(context)?;
                if check_numerics && !matches!(node.op, Op::ReadVariable(_) | Op::Const(_)) {
                    check_finite(graph, node, &t, &args)?;
                }
                Held::Host(t)
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        if check_numerics {
            if let Held::Gpu(_, v) = &out {
                let host: Vec<Tensor> = inputs.iter().map(|h| to_host(backend, h)).collect::<Result<_>>()?;
                check_finite(graph, node, &backend.download(v)?, &host)?;
            }
        }
        slots[step.out] = vec![out];
        if let Some(t) = timings.as_deref_mut() {
            let start = started.duration_since(origin).as_secs_f64();
            let live_bytes = slots.iter().flatten().map(|h| held_bytes(backend, h)).sum();
            t.push(StepRecord { node: step.node, op_type: node.op.type_name(), start, seconds, live_bytes });
        }
        for &s in &step.release {
            slots[s].clear();
            if let Some(held) = results.get_mut(s) {
                *held = None;
            }
        }
    }
    plan.fetch_slots
        .iter()
        .map(|&s| {
            let copies = &slots[s];
            let h = find(copies, Device::Cpu)
                .or(copies.first())
                .ok_or_else(|| Error::internal("fetched slot is empty"))?;
            to_host(backend, h)
        })
        .collect()
}

fn held_bytes<B: Backend>(b: &B, h: &Held<B::Value>) -> usize {
    match h {
        Held::Host(t) => t.len() * t.dtype().size_of(),
        Held::Gpu(_, v) => b.bytes(v),
    }
}
