//! Device placement: which device runs each node of a plan, chosen as TensorFlow does (an explicit
//! `tf.device` request, else a GPU when one is present and the op has a GPU kernel, else the CPU), with soft
//! placement and placement logging.

use crate::error::{Error, Result};
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Device {
    #[default]
    Cpu,
    Gpu(usize),
}

impl Device {
    /// TensorFlow's full device name.
    pub fn full_name(self) -> String {
        match self {
            Device::Cpu => "/job:localhost/replica:0/task:0/device:CPU:0".into(),
            Device::Gpu(i) => format!("/job:localhost/replica:0/task:0/device:GPU:{i}"),
        }
    }
}

/// `tf.config.set_soft_device_placement`: on by default, as in TensorFlow 2.
static SOFT: AtomicBool = AtomicBool::new(true);
/// `tf.debugging.set_log_device_placement`.
static LOG: AtomicBool = AtomicBool::new(false);

pub fn set_soft_placement(on: bool) {
    SOFT.store(on, Ordering::Relaxed);
}

pub fn soft_placement() -> bool {
    SOFT.load(Ordering::Relaxed)
}

pub fn set_log_placement(on: bool) {
    LOG.store(on, Ordering::Relaxed);
}

/// Ops that stay on the CPU wherever they are asked to run: feeds arrive in host memory, assignments write the
/// host copy of a variable, a group only waits for its inputs (empty on a device), and control flow and host
/// calls run on the host. (Variable reads and optimizer
/// updates run where their kernels are: a device keeps its own copy of each variable it updates.)
fn host_only(op: &Op) -> bool {
    matches!(op, Op::Placeholder { .. } | Op::Assign { .. } | Op::Group | Op::Control(_) | Op::Strings(_))
}

/// The device of each of `nodes` (plan order). `gpus` is the number of usable GPUs; `has_kernel` says whether
/// a node has a GPU kernel. An explicit request that cannot be met falls back to the CPU under soft placement
/// and is an error without it, as in TensorFlow.
pub fn place(
    graph: &Graph,
    nodes: &[NodeId],
    gpus: usize,
    has_kernel: &dyn Fn(&Node) -> bool,
) -> Result<Vec<Device>> {
    let soft = soft_placement();
    let mut devices = Vec::with_capacity(nodes.len());
    for &id in nodes {
        let node = graph.node(id);
        let runnable = !host_only(&node.op) && has_kernel(node);
        let device = match graph.requested_device(id) {
            Some(Device::Cpu) => Device::Cpu,
            Some(Device::Gpu(i)) if i < gpus && runnable => Device::Gpu(i),
            Some(Device::Gpu(i)) if soft => {
                let _ = i;
                Device::Cpu
            }
            Some(Device::Gpu(i)) => {
                let why = if i >= gpus {
                    format!("this process has {gpus} GPU(s)")
                } else {
                    format!("{} has no GPU kernel for these inputs", node.op.type_name())
                };
                return Err(Error::invalid(format!(
                    "Cannot assign a device for operation {}: Could not satisfy explicit device specification \
                     '/device:GPU:{i}' because {why}; turn on soft placement \
                     (tf.config.set_soft_device_placement(True)) to run it on the CPU",
                    node.name
                )));
            }
            None if gpus > 0 && runnable => Device::Gpu(0),
            None => Device::Cpu,
        };
        if LOG.load(Ordering::Relaxed) {
            eprintln!("{}: ({}): {}", node.name, node.op.type_name(), device.full_name());
        }
        devices.push(device);
    }
    Ok(devices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;
    use crate::op::{BinaryOp, UnaryOp};
    use crate::shape::Shape;

    fn graph() -> (Graph, Vec<NodeId>) {
        let mut g = Graph::new();
        let x = g.add(Op::Placeholder { dtype: DType::F32, shape: Shape::known(&[2]) }, &[], "x").unwrap();
        let e = g.add(Op::Unary(UnaryOp::Exp), &[x], "exp").unwrap();
        let s = g.add(Op::Unary(UnaryOp::Erf), &[e], "erf").unwrap();
        let a = g.add(Op::Binary(BinaryOp::Add), &[s, e], "add").unwrap();
        (g, vec![x, e, s, a])
    }

    /// A GPU with kernels for everything but `Erf`.
    fn no_erf(n: &Node) -> bool {
        !matches!(n.op, Op::Unary(UnaryOp::Erf))
    }

    #[test]
    fn without_gpus_everything_runs_on_the_cpu() {
        let (g, nodes) = graph();
        assert_eq!(place(&g, &nodes, 0, &no_erf).unwrap(), vec![Device::Cpu; 4]);
    }

    #[test]
    fn gpus_take_ops_with_kernels_and_feeds_stay_on_the_host() {
        let (g, nodes) = graph();
        let placed = place(&g, &nodes, 1, &no_erf).unwrap();
        assert_eq!(placed, vec![Device::Cpu, Device::Gpu(0), Device::Cpu, Device::Gpu(0)]);
    }

    #[test]
    fn explicit_requests_win_and_soft_placement_decides_the_impossible_ones() {
        let (mut g, nodes) = graph();
        g.set_requested_device(nodes[1], Device::Cpu).unwrap();
        g.set_requested_device(nodes[3], Device::Gpu(1)).unwrap();
        let placed = place(&g, &nodes, 2, &no_erf).unwrap();
        assert_eq!(placed, vec![Device::Cpu, Device::Cpu, Device::Cpu, Device::Gpu(1)]);
        // GPU:3 does not exist: the CPU with soft placement, an error naming the node without it.
        g.set_requested_device(nodes[3], Device::Gpu(3)).unwrap();
        assert_eq!(place(&g, &nodes, 2, &no_erf).unwrap()[3], Device::Cpu);
        set_soft_placement(false);
        let err = place(&g, &nodes, 2, &no_erf).unwrap_err();
        set_soft_placement(true);
        assert!(err.to_string().contains("add") && err.to_string().contains("GPU:3"), "{err}");
    }
}
