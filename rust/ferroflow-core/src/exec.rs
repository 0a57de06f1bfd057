//! The executor: compiles a set of fetches into a plan (pruned, topologically ordered, buffers freed at last use) and runs it.

use crate::error::{Error, Result};
use crate::fusion::{FusableStep, Fused};
use crate::graph::{Graph, NodeId};
use crate::kernels;
use crate::op::Op;
use crate::run_cost::{rows_of, RunCost};
use crate::shape::fmt_dims;
use crate::tensor::Tensor;

mod device_run;
#[cfg(test)]
mod device_run_tests;
pub use device_run::{Backend, DevicePlan, Transfer};

/// One step of a plan: evaluate `node`, reading the slots of its inputs, then release the slots whose
/// last reader this was.
#[derive(Debug, Clone)]
struct Step {
    node: NodeId,
    /// Slot that receives the result.
    out: usize,
    /// Slots (plan positions) of the inputs.
    inputs: Vec<usize>,
    /// Slots to release after this step: their value is not read again and not fetched.
    release: Vec<usize>,
    /// The chain of nodes this step runs as one kernel (see `fusion`); its inputs are then the chain's.
    fused: Option<Box<Fused>>,
}

impl FusableStep for Step {
    fn node(&self) -> NodeId {
        self.node
    }
    fn out(&self) -> usize {
        self.out
    }
    fn inputs(&self) -> &[usize] {
        &self.inputs
    }
    fn fuse(&mut self, inputs: Vec<usize>, fused: Fused) {
        self.inputs = inputs;
        self.fused = Some(Box::new(fused));
    }
}

/// What a profiled run measured for one node (see `Plan::run_timed`).
#[derive(Debug, Clone)]
pub struct StepRecord {
    pub node: NodeId,
    /// The op type, or for a fused step its members' joined with `+` (`MatMul+AddV2+Relu`).
    pub op_type: String,
    /// Seconds from the start of the run to the start of this node's kernel.
    pub start: f64,
    /// Seconds the kernel took.
    pub seconds: f64,
    /// Bytes of intermediate values alive after this node (its output included); the peak over a run
    /// is the run's working memory (variables are not counted).
    pub live_bytes: usize,
}

/// A compiled run: which nodes to evaluate, in what order, and where fetched values are.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Node id of every slot; slot order is topological.
    slot_nodes: Vec<NodeId>,
    /// Slots filled by the caller's feeds, in feed order.
    feed_slots: Vec<usize>,
    steps: Vec<Step>,
    fetch_slots: Vec<usize>,
    /// How long the last run took: small plans run on the caller's thread (see `run_cost`).
    cost: RunCost,
    /// Where each step runs when some run on a GPU (None: all on the CPU, the plain loop below).
    devices: Option<Box<DevicePlan>>,
}

impl Plan {
    /// Plans the evaluation of `fetches` given values for `feeds`. Only nodes that some fetch depends on
    /// run; fed nodes are not evaluated (and neither is anything only they depend on).
    pub fn new(graph: &Graph, fetches: &[NodeId], feeds: &[NodeId]) -> Result<Plan> {
        let n = graph.len();
        for &id in fetches.iter().chain(feeds) {
            if id >= n {
                return Err(Error::invalid(format!("node {id} is not in this graph ({n} nodes)")));
            }
        }
        let mut is_fed = vec![false; n];
        for &f in feeds {
            is_fed[f] = true;
        }
        // Mark what the fetches need, walking inputs backwards; fed nodes cut the walk.
        let mut needed = vec![false; n];
        let mut stack: Vec<NodeId> = fetches.to_vec();
        while let Some(id) = stack.pop() {
            if needed[id] {
                continue;
            }
            needed[id] = true;
            if !is_fed[id] {
                stack.extend(graph.node(id).inputs.iter().copied());
            }
        }
        // Node ids are already a topological order (nodes only name earlier nodes).
        let mut slot_of = vec![usize::MAX; n];
        let mut slot_nodes = Vec::new();
        for id in 0..n {
            if needed[id] {
                slot_of[id] = slot_nodes.len();
                slot_nodes.push(id);
            }
        }
        let mut steps = Vec::new();
        for (slot, &id) in slot_nodes.iter().enumerate() {
            if is_fed[id] {
                continue;
            }
            let node = graph.node(id);
            if let Op::Placeholder { .. } = node.op {
                return Err(Error::precondition(format!(
                    "placeholder '{}' ({} {}) must be fed a value: pass it in feed_dict",
                    node.name, node.shape, node.dtype
                )));
            }
            let inputs: Vec<usize> = node.inputs.iter().map(|&i| slot_of[i]).collect();
            steps.push(Step { node: id, out: slot, inputs, release: Vec::new(), fused: None });
        }
        let fetch_slots: Vec<usize> = fetches.iter().map(|&f| slot_of[f]).collect();
        let devices = place_steps(graph, &steps, slot_nodes.len())?;
        if devices.is_none() {
            // Fused kernels are CPU kernels: a plan with GPU steps runs its nodes one by one.
            crate::fusion::fuse(graph, &mut steps, &fetch_slots, slot_nodes.len());
        }
        // Release each slot after its last reader (after fusion, which moves some reads later).
        let mut last_use = vec![usize::MAX; slot_nodes.len()];
        for (i, step) in steps.iter_mut().enumerate() {
            step.release.clear();
            for &s in &step.inputs {
                last_use[s] = i;
            }
        }
        for s in &fetch_slots {
            last_use[*s] = usize::MAX;
        }
        for (slot, &step) in last_use.iter().enumerate() {
            if step != usize::MAX {
                steps[step].release.push(slot);
            }
        }
        let feed_slots = feeds.iter().map(|&f| slot_of[f]).collect();
        let devices = devices.map(|d| Box::new(DevicePlan::new(&steps, d.devices, slot_nodes.len())));
        Ok(Plan { slot_nodes, feed_slots, steps, fetch_slots, cost: RunCost::default(), devices })
    }

    /// Runs the plan. `feeds` are given in the order the plan was built with; each is checked against
    /// its node's declared dtype and shape.
    pub fn run(&self, graph: &Graph, feeds: &[Tensor]) -> Result<Vec<Tensor>> {
        self.run_timed(graph, feeds.to_vec(), None)
    }

    /// `run` taking the feeds by value: a fed value nobody else holds can then have its buffer reused by
    /// the kernel that reads it last (the batch loop's freshly gathered batches).
    pub fn run_owned(&self, graph: &Graph, feeds: Vec<Tensor>) -> Result<Vec<Tensor>> {
        self.run_timed(graph, feeds, None)
    }

    /// `run_owned` on the calling thread, however long the run: its kernels run serially there. For callers
    /// that already keep one thread per core busy with runs of their own (the worker threads of a parallel
    /// `Dataset.map`): handing each run to the pool would add a hand-off and a waiting thread per element
    /// without adding a core.
    pub fn run_here(&self, graph: &Graph, feeds: Vec<Tensor>) -> Result<Vec<Tensor>> {
        self.run_placed(graph, feeds, None, true)
    }

    /// Runs the plan and, when `timings` is given, appends a record per evaluated node: when its kernel
    /// started, how long it took and the bytes held by live intermediate values after it (the run
    /// metadata behind per-op profiles and traces; nothing is measured unless asked).
    pub fn run_timed(
        &self,
        graph: &Graph,
        feeds: Vec<Tensor>,
        timings: Option<&mut Vec<StepRecord>>,
    ) -> Result<Vec<Tensor>> {
        self.run_placed(graph, feeds, timings, false)
    }

    /// The run itself: on the calling thread when `here` or when the run is expected to be small, else on
    /// the pool.
    fn run_placed(
        &self,
        graph: &Graph,
        feeds: Vec<Tensor>,
        mut timings: Option<&mut Vec<StepRecord>>,
        here: bool,
    ) -> Result<Vec<Tensor>> {
        let origin = std::time::Instant::now();
        if feeds.len() != self.feed_slots.len() {
            return Err(Error::invalid(format!(
                "expected {} fed values, received {}",
                self.feed_slots.len(),
                feeds.len()
            )));
        }
        let rows = rows_of(&feeds);
        let mut slots: Vec<Option<Tensor>> = vec![None; self.slot_nodes.len()];
        for (&slot, value) in self.feed_slots.iter().zip(feeds) {
            if slot == usize::MAX {
                continue; // fed but not needed by any fetch
            }
            let node = graph.node(self.slot_nodes[slot]);
            check_feed(node, &value)?;
            slots[slot] = Some(value);
        }
        if let Some(dp) = &self.devices {
            let backend = crate::cuda::backend::CudaBackend;
            return crate::threading::install(|| {
                device_run::run(self, dp, &backend, graph, slots, timings, origin)
            });
        }
        let check_numerics = crate::numerics::check_every_op();
        // The results of control nodes (`While`, `Cond`) by their slot, until their last `Item` has read them.
        let mut results: Vec<Option<Vec<Tensor>>> = Vec::new();
        let mut body = || {
            let _busy = crate::threading::busy();
            let run_started = std::time::Instant::now();
            let mut args: Vec<Tensor> = Vec::with_capacity(4);
            for step in &self.steps {
                crate::threading::note_progress();
                args.clear();
                for (j, &s) in step.inputs.iter().enumerate() {
                    // A value read for the last time is moved, not shared, so that a kernel finding itself its
                    // only owner may write its result into the same buffer (with NaN checks on, the inputs
                    // are kept intact to be named in the error).
                    let last = !check_numerics
                        && step.release.contains(&s)
                        && step.inputs[j + 1..].iter().all(|&t| t != s);
                    let value = if last { slots[s].take() } else { slots[s].clone() };
                    args.push(value.ok_or_else(|| Error::internal("plan read an empty slot"))?);
                }
                let node = graph.node(step.node);
                let started = timings.as_ref().map(|_| std::time::Instant::now());
                let out = match (&step.fused, &node.op) {
                    (None, Op::Control(control)) => {
                        crate::control_flow::run_step(control, &args, &mut results, step.out, &step.inputs)
                            .map_err(|e| e.context(format!("{} '{}'", node.op.type_name(), node.name)))?
                    }
                    (None, _) => kernels::in_place::compute(&node.op, &mut args)
                        .unwrap_or_else(|| kernels::compute(&node.op, &args))
                        .map_err(|e| e.context(format!("{} '{}'", node.op.type_name(), node.name)))?,
                    (Some(fused), _) => {
                        let (out, sides) = fused.run(graph, &mut args, check_numerics)?;
                        for (slot, side) in fused.side_slots().zip(sides) {
                            slots[slot] = Some(side);
                        }
                        out
                    }
                };
                if let (Some(t), Some(started)) = (timings.as_deref_mut(), started) {
                    let seconds = started.elapsed().as_secs_f64();
                    let start = started.duration_since(origin).as_secs_f64();
                    let op_type = match &step.fused {
                        None => node.op.type_name(),
                        Some(fused) => fused.type_name(graph),
                    };
                    t.push(StepRecord { node: step.node, op_type, start, seconds, live_bytes: 0 });
                }
                // Sources (variable reads, constants) are not checked: a NaN already stored in a weight is
                // reported by its first consumer, which names the read as the input that held it.
                if check_numerics
                    && step.fused.is_none()
                    && !matches!(node.op, Op::ReadVariable(_) | Op::Const(_))
                {
                    check_finite(graph, node, &out, &args)?;
                }
                slots[step.out] = Some(out);
                // Inputs moved in at their last read and released slots die here: their storage goes to
                // the buffer pool, for the next large output that a kernel overwrites whole.
                args.drain(..).for_each(crate::buffer_pool::give_back);
                for &s in &step.release {
                    if let Some(dead) = slots[s].take() {
                        crate::buffer_pool::give_back(dead);
                    }
                    if let Some(held) = results.get_mut(s) {
                        *held = None;
                    }
                }
                if let Some(record) = timings.as_deref_mut().and_then(|t| t.last_mut()) {
                    record.live_bytes = slots.iter().flatten().map(|t| t.len() * t.dtype().size_of()).sum();
                }
            }
            self.cost.record(rows, run_started.elapsed(), !crate::threading::in_pool());
            Ok(())
        };
        if !crate::threading::in_pool() && (here || self.cost.is_small(rows)) {
            let _flush = crate::denormals::FlushDenormalsScope::new();
            body()?;
        } else {
            crate::threading::install(body)?;
        }
        self.fetch_slots
            .iter()
            .map(|&s| slots[s].clone().ok_or_else(|| Error::internal("fetched slot is empty")))
            .collect()
    }

    /// The run counters of the plan's random ops (dropout masks, random tensors), in plan order: with the
    /// seeds fixed at graph construction, they are the whole random state of the plan, which a training
    /// backup saves so that a resumed run draws the same masks as an uninterrupted one.
    pub fn random_counters(&self, graph: &Graph) -> Vec<u64> {
        self.random_counter_cells(graph).map(|c| c.load(std::sync::atomic::Ordering::Relaxed)).collect()
    }

    /// Restores counters saved by `random_counters`; their number must match this plan's random ops.
    pub fn set_random_counters(&self, graph: &Graph, values: &[u64]) -> Result<()> {
        let cells: Vec<_> = self.random_counter_cells(graph).collect();
        if cells.len() != values.len() {
            return Err(Error::invalid(format!(
                "this plan has {} random ops, the saved random state has {} counters",
                cells.len(),
                values.len()
            )));
        }
        for (cell, &v) in cells.iter().zip(values) {
            cell.store(v, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    fn random_counter_cells<'g>(
        &self,
        graph: &'g Graph,
    ) -> impl Iterator<Item = &'g std::sync::Arc<std::sync::atomic::AtomicU64>> + 'g {
        // Fused steps run their members' random ops too (dropout's mask inside `DropoutMul`).
        let nodes: Vec<NodeId> = self
            .steps
            .iter()
            .flat_map(|s| match &s.fused {
                Some(fused) => fused.nodes().collect(),
                None => vec![s.node],
            })
            .collect();
        nodes.into_iter().filter_map(move |id| match &graph.node(id).op {
            Op::RandomLike { counter, .. } | Op::DropoutMask { counter, .. } => Some(counter),
            _ => None,
        })
    }

    /// Whether a run on `rows` rows is expected to be too short to be worth handing to the pool (see
    /// `run_cost`); such runs stay on the calling thread.
    pub fn is_small(&self, rows: usize) -> bool {
        self.cost.is_small(rows)
    }

    /// Where each step runs and the copies between devices, when some step runs on a GPU.
    pub fn device_plan(&self) -> Option<&DevicePlan> {
        self.devices.as_deref()
    }

    /// The node each step evaluates, in run order.
    pub fn step_nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.steps.iter().map(|s| s.node)
    }

    /// Number of nodes the plan evaluates (for tests of pruning).
    pub fn num_steps(&self) -> usize {
        self.steps.len()
    }

    /// Number of values a run returns.
    pub fn num_fetches(&self) -> usize {
        self.fetch_slots.len()
    }
}

/// The devices of a plan's steps when any is placed on a GPU (see `placement`); None when all run on the CPU,
/// which is every plan on a machine without a usable GPU.
fn place_steps(graph: &Graph, steps: &[Step], slots: usize) -> Result<Option<DevicePlan>> {
    let gpus = crate::cuda::device_count();
    if gpus == 0 && !graph.requests_gpu() {
        return Ok(None);
    }
    let nodes: Vec<NodeId> = steps.iter().map(|s| s.node).collect();
    let devices =
        crate::placement::place(graph, &nodes, gpus, &|n| crate::cuda::ops::has_kernel(&n.op, n.dtype))?;
    let plan = DevicePlan::new(steps, devices, slots);
    Ok(plan.uses_devices().then_some(plan))
}

/// The check-numerics error when `out`, the output of `node` on `args`, holds NaN or Inf.
pub(crate) fn check_finite(
    graph: &Graph,
    node: &crate::graph::Node,
    out: &Tensor,
    args: &[Tensor],
) -> Result<()> {
    match crate::numerics::first_non_finite(out) {
        None => Ok(()),
        Some(bad) => {
            let describe = |i: usize| format!("'{}'", graph.node(node.inputs[i]).name);
            Err(crate::numerics::non_finite_output(&node.op.type_name(), &node.name, bad, args, describe))
        }
    }
}

/// A fed value must match the node's dtype and its known dimensions.
fn check_feed(node: &crate::graph::Node, value: &Tensor) -> Result<()> {
    if value.dtype() != node.dtype {
        return Err(Error::dtype(format!(
            "cannot feed a {} value to '{}', which has dtype {}",
            value.dtype(),
            node.name,
            node.dtype
        )));
    }
    if !node.shape.accepts(value.shape()) {
        return Err(Error::invalid(format!(
            "cannot feed a value of shape {} to '{}', which has shape {}",
            fmt_dims(value.shape()),
            node.name,
            node.shape
        )));
    }
    Ok(())
}

/// Plans and runs in one call: the convenient form for one-off evaluation.
pub fn run(graph: &Graph, fetches: &[NodeId], feeds: &[(NodeId, Tensor)]) -> Result<Vec<Tensor>> {
    let ids: Vec<NodeId> = feeds.iter().map(|(id, _)| *id).collect();
    let values: Vec<Tensor> = feeds.iter().map(|(_, t)| t.clone()).collect();
    Plan::new(graph, fetches, &ids)?.run(graph, &values)
}

#[cfg(test)]
#[path = "exec_run_here_tests.rs"]
mod run_here_tests;
