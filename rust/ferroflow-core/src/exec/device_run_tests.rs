//! The multi-device runner on a stand-in GPU backend that keeps its values in host memory and counts the
//! copies: placement, transfers, CPU fallback and fetches, checked against the all-CPU plan.

use super::device_run::{run, Backend, DevicePlan, Transfer};
use super::Plan;
use crate::dtype::DType;
use crate::error::Result;
use crate::graph::{Graph, Node, NodeId};
use crate::kernels;
use crate::op::{BinaryOp, Op, UnaryOp};
use crate::placement::{place, Device};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::variable::{DeviceCopy, VarHandle};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Default)]
struct StandIn {
    uploads: AtomicUsize,
    downloads: AtomicUsize,
    /// Ops it claims at placement but refuses at run time (to exercise the CPU fallback).
    refuse_erf: bool,
}

#[derive(Clone, Debug)]
struct OnStandIn(Tensor);

impl DeviceCopy for OnStandIn {
    fn download(&self) -> Result<Tensor> {
        Ok(self.0.clone())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Backend for StandIn {
    type Value = OnStandIn;
    fn upload(&self, _ordinal: usize, t: &Tensor) -> Result<OnStandIn> {
        self.uploads.fetch_add(1, Ordering::Relaxed);
        Ok(OnStandIn(t.clone()))
    }
    fn download(&self, v: &OnStandIn) -> Result<Tensor> {
        self.downloads.fetch_add(1, Ordering::Relaxed);
        Ok(v.0.clone())
    }
    fn compute(&self, _ordinal: usize, op: &Op, inputs: &[OnStandIn]) -> Result<Option<OnStandIn>> {
        if self.refuse_erf && matches!(op, Op::Unary(UnaryOp::Erf)) {
            return Ok(None);
        }
        let host: Vec<Tensor> = inputs.iter().map(|v| v.0.clone()).collect();
        match op {
            // A device copy of the variable, uploaded once and then kept (as the CUDA backend does).
            Op::ReadVariable(var) => Ok(Some(self.resident(var)?)),
            Op::ApplySgd { var, m: None, .. } => {
                let current = self.resident(var)?;
                let step = kernels::compute(&Op::Binary(BinaryOp::Mul), &[host[0].clone(), host[1].clone()])?;
                let new = kernels::compute(&Op::Binary(BinaryOp::Sub), &[current.0, step])?;
                var.set_device_copy(Arc::new(OnStandIn(new)));
                Ok(Some(OnStandIn(Tensor::zeros(DType::F32, &[0])?)))
            }
            _ => Ok(Some(OnStandIn(kernels::compute(op, &host)?))),
        }
    }
    fn bytes(&self, v: &OnStandIn) -> usize {
        v.0.len() * 4
    }
}

/// x -> exp -> erf -> add(erf, exp) -> square.
fn graph() -> (Graph, NodeId, NodeId) {
    let mut g = Graph::new();
    let x = g.add(Op::Placeholder { dtype: DType::F32, shape: Shape::known(&[3]) }, &[], "x").unwrap();
    let e = g.add(Op::Unary(UnaryOp::Exp), &[x], "exp").unwrap();
    let f = g.add(Op::Unary(UnaryOp::Erf), &[e], "erf").unwrap();
    let a = g.add(Op::Binary(BinaryOp::Add), &[f, e], "add").unwrap();
    let s = g.add(Op::Unary(UnaryOp::Square), &[a], "square").unwrap();
    (g, x, s)
}

fn run_placed(backend: &StandIn, has_kernel: &dyn Fn(&Node) -> bool) -> (Vec<Tensor>, DevicePlan) {
    let (g, x, out) = graph();
    let plan = Plan::new(&g, &[out], &[x]).unwrap();
    assert!(plan.device_plan().is_none(), "no GPU here: the plain plan");
    let nodes: Vec<NodeId> = plan.steps.iter().map(|s| s.node).collect();
    let dp = DevicePlan::new(&plan.steps, place(&g, &nodes, 1, has_kernel).unwrap(), plan.slot_nodes.len());
    let mut slots = vec![None; plan.slot_nodes.len()];
    slots[plan.feed_slots[0]] = Some(Tensor::from_vec(&[3], vec![0.1f32, -0.5, 1.0]).unwrap());
    let fetched = run(&plan, &dp, backend, &g, slots, None, std::time::Instant::now()).unwrap();
    (fetched, dp)
}

impl StandIn {
    fn resident(&self, var: &VarHandle) -> Result<OnStandIn> {
        let copy = var.device_copy(
            |c| c.as_any().is::<OnStandIn>(),
            |host| {
                self.uploads.fetch_add(1, Ordering::Relaxed);
                Ok(Arc::new(OnStandIn(host.clone())))
            },
        )?;
        Ok(copy.as_any().downcast_ref::<OnStandIn>().unwrap().clone())
    }
}

fn cpu_result() -> Tensor {
    let (g, x, out) = graph();
    let feed = Tensor::from_vec(&[3], vec![0.1f32, -0.5, 1.0]).unwrap();
    Plan::new(&g, &[out], &[x]).unwrap().run(&g, &[feed]).unwrap().remove(0)
}

fn no_erf(n: &Node) -> bool {
    !matches!(n.op, Op::Unary(UnaryOp::Erf))
}

#[test]
fn values_cross_devices_only_through_the_plans_transfers() {
    let backend = StandIn::default();
    let (fetched, dp) = run_placed(&backend, &no_erf);
    // Steps: exp, erf, add, square (the placeholder is fed).
    assert_eq!(dp.devices, vec![Device::Gpu(0), Device::Cpu, Device::Gpu(0), Device::Gpu(0)]);
    let to = |slot, to| Transfer { slot, to };
    // x up before exp, exp down before erf, erf up before add (exp is still on the GPU), nothing for square.
    assert_eq!(
        dp.transfers,
        vec![vec![to(0, Device::Gpu(0))], vec![to(1, Device::Cpu)], vec![to(2, Device::Gpu(0))], vec![]]
    );
    assert_eq!(backend.uploads.load(Ordering::Relaxed), 2);
    // exp for erf, and the fetched square.
    assert_eq!(backend.downloads.load(Ordering::Relaxed), 2);
    assert_eq!(fetched[0].array::<f32>().unwrap(), cpu_result().array::<f32>().unwrap());
}

#[test]
fn a_gpu_step_without_a_kernel_for_its_inputs_runs_the_cpu_kernel() {
    let backend = StandIn { refuse_erf: true, ..Default::default() };
    let (fetched, dp) = run_placed(&backend, &|_| true);
    assert!(dp.devices.iter().all(|&d| d == Device::Gpu(0)));
    assert_eq!(fetched[0].array::<f32>().unwrap(), cpu_result().array::<f32>().unwrap());
    // x up; erf's input down and its result up; the fetch down.
    assert_eq!(backend.uploads.load(Ordering::Relaxed), 2);
    assert_eq!(backend.downloads.load(Ordering::Relaxed), 2);
}

#[test]
fn a_cpu_only_machine_plans_without_devices() {
    let (g, x, out) = graph();
    let plan = Plan::new(&g, &[out], &[x]).unwrap();
    if crate::cuda::device_count() == 0 {
        assert!(plan.device_plan().is_none());
    }
}

#[test]
fn variables_stay_on_the_device_between_steps_and_host_reads_see_the_updates() {
    let w = VarHandle::with_value("w", Tensor::from_vec(&[3], vec![1.0f32, 2.0, 3.0]).unwrap());
    let mut g = Graph::new();
    let x = g.add(Op::Placeholder { dtype: DType::F32, shape: Shape::known(&[3]) }, &[], "x").unwrap();
    let read = g.add(Op::ReadVariable(w.clone()), &[], "w/read").unwrap();
    let grad = g.add(Op::Binary(BinaryOp::Mul), &[read, x], "grad").unwrap();
    let lr = g.add(Op::Const(Tensor::scalar(0.5f32)), &[], "lr").unwrap();
    let sgd = Op::ApplySgd { var: w.clone(), m: None, momentum: 0.0, nesterov: false };
    let step = g.add(sgd, &[grad, lr], "sgd").unwrap();
    let plan = Plan::new(&g, &[step], &[x]).unwrap();
    let nodes: Vec<NodeId> = plan.steps.iter().map(|s| s.node).collect();
    let backend = StandIn::default();
    let dp = DevicePlan::new(&plan.steps, place(&g, &nodes, 1, &|_| true).unwrap(), plan.slot_nodes.len());
    let mut expected = vec![1.0f32, 2.0, 3.0];
    for _ in 0..2 {
        let mut slots = vec![None; plan.slot_nodes.len()];
        slots[plan.feed_slots[0]] = Some(Tensor::from_vec(&[3], vec![1.0f32, 1.0, 2.0]).unwrap());
        run(&plan, &dp, &backend, &g, slots, None, std::time::Instant::now()).unwrap();
        expected = expected.iter().zip([1.0f32, 1.0, 2.0]).map(|(w, x)| w - 0.5 * (w * x)).collect();
    }
    // The feed each run, the variable once: the second step found it on the device.
    assert_eq!(backend.uploads.load(Ordering::Relaxed), 2 + 1);
    assert_eq!(w.read().unwrap().array::<f32>().unwrap().as_slice().unwrap(), expected.as_slice());
    // A host write replaces the device copy: the next device step uploads the new value.
    w.write(Tensor::from_vec(&[3], vec![0.0f32; 3]).unwrap()).unwrap();
    let before = backend.uploads.load(Ordering::Relaxed);
    backend.resident(&w).unwrap();
    assert_eq!(backend.uploads.load(Ordering::Relaxed), before + 1);
}
