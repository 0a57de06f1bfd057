//! `Graph` and `Plan`: building graphs from Python and running compiled plans with the GIL released.

use crate::errors::guard;
use crate::op::PyOp;
use crate::tensor::{tensor_from_numpy, to_numpy, PyTensor};
use ferroflow_core::exec::Plan;
use ferroflow_core::{Graph, Tensor};
use pyo3::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, TryLockError};

#[pyclass(name = "Graph", module = "ferroflow._core", frozen)]
pub struct PyGraph {
    pub graph: Arc<RwLock<Graph>>,
    /// Bumped by every change to the graph, so `snapshot` knows when its copy is stale.
    version: AtomicU64,
    /// The graph as of `version`, shared by the plans compiled since then.
    snapshot: Mutex<Option<(u64, Arc<Graph>)>>,
}

impl PyGraph {
    /// Runs `f` on the graph. A run holds the read lock with the GIL released and may need the GIL back
    /// for a Python call inside the graph (a queue's dequeue, a `py_func`); a thread that waited for the
    /// lock while holding the GIL would deadlock with it (building an op while queue runners run), so a
    /// wait for the lock happens with the GIL released.
    fn with_graph<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&Graph) -> R + Send) -> R {
        with_read(&self.graph, py, f)
    }

    /// `with_graph` for changes to the graph.
    fn with_graph_mut<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut Graph) -> R + Send) -> R {
        // The version moves on once the change is made, under the lock: a snapshot taken meanwhile is
        // labelled with the older version and replaced by the next one.
        let f = |g: &mut Graph| {
            let result = f(g);
            self.version.fetch_add(1, Ordering::AcqRel);
            result
        };
        match self.graph.try_write() {
            Ok(mut g) => f(&mut g),
            Err(TryLockError::Poisoned(p)) => f(&mut p.into_inner()),
            Err(TryLockError::WouldBlock) => {
                py.detach(|| f(&mut self.graph.write().unwrap_or_else(|p| p.into_inner())))
            }
        }
    }

    /// The graph as it is now, for a plan to run on. Plans run on their own copy rather than under the
    /// graph's lock, so adding ops never waits for a run to end: a queue runner's run can block until the
    /// main thread dequeues, and TF1 code builds that dequeue op while the runners run.
    fn snapshot(&self, py: Python<'_>) -> Arc<Graph> {
        let mut cached = self.snapshot.lock().unwrap_or_else(|p| p.into_inner());
        let version = self.version.load(Ordering::Acquire);
        if let Some((at, graph)) = cached.as_ref() {
            if *at == version {
                return graph.clone();
            }
        }
        let graph = Arc::new(self.with_graph(py, |g| g.clone()));
        *cached = Some((version, graph.clone()));
        graph
    }

    fn check(&self, py: Python<'_>, id: usize) -> PyResult<()> {
        let n = self.with_graph(py, |g| g.len());
        if id >= n {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "node {id} is not in this graph ({n} nodes)"
            )));
        }
        Ok(())
    }
}

/// Runs `f` on the graph behind `lock`, waiting for the lock with the GIL released (see
/// `PyGraph::with_graph`).
fn with_read<R: Send>(lock: &RwLock<Graph>, py: Python<'_>, f: impl FnOnce(&Graph) -> R + Send) -> R {
    match lock.try_read() {
        Ok(g) => f(&g),
        Err(TryLockError::Poisoned(p)) => f(&p.into_inner()),
        Err(TryLockError::WouldBlock) => py.detach(|| f(&lock.read().unwrap_or_else(|p| p.into_inner()))),
    }
}

#[pymethods]
impl PyGraph {
    #[new]
    fn new() -> Self {
        PyGraph {
            graph: Arc::new(RwLock::new(Graph::new())),
            version: AtomicU64::new(0),
            snapshot: Mutex::new(None),
        }
    }

    /// Adds a node and returns its id; shape or dtype errors name the node and its inputs.
    fn add(&self, py: Python<'_>, op: PyRef<'_, PyOp>, inputs: Vec<usize>, name: &str) -> PyResult<usize> {
        let op = op.op.clone();
        self.with_graph_mut(py, |g| guard(|| g.add(op, &inputs, name)))
    }

    /// Records the device a `tf.device` scope asked for: `kind` "CPU" or "GPU", and its index.
    fn set_device(&self, py: Python<'_>, node: usize, kind: &str, index: usize) -> PyResult<()> {
        let device = match kind {
            "CPU" => ferroflow_core::placement::Device::Cpu,
            "GPU" => ferroflow_core::placement::Device::Gpu(index),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown device type {other:?}: expected \"CPU\" or \"GPU\""
                )))
            }
        };
        self.with_graph_mut(py, |g| guard(|| g.set_requested_device(node, device)))
    }

    /// Adds a control-flow node (`Op.while_loop`, `Op.cond`) and one node per result (each loop variable's
    /// final value, each branch output); returns the result nodes' ids.
    fn add_multi(
        &self,
        py: Python<'_>,
        op: PyRef<'_, PyOp>,
        inputs: Vec<usize>,
        name: &str,
    ) -> PyResult<Vec<usize>> {
        let ferroflow_core::Op::Control(control) = &op.op else {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "add_multi expects a control-flow op (while_loop, cond), received {}",
                op.op.type_name()
            )));
        };
        let control = control.clone();
        self.with_graph_mut(py, |g| {
            guard(|| ferroflow_core::control_flow::add_with_items(g, control, &inputs, name))
        })
        .map(|(_, items)| items)
    }

    /// Merges `dims` (None: an unknown rank) into a node's static shape; ValueError if they are incompatible.
    fn refine_shape(&self, py: Python<'_>, id: usize, dims: Option<Vec<Option<usize>>>) -> PyResult<()> {
        self.check(py, id)?;
        self.with_graph_mut(py, |g| guard(|| g.refine_shape(id, &ferroflow_core::Shape { dims })))
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.with_graph(py, |g| g.len())
    }

    /// (name, op type, static shape or None, dtype, input ids) of a node.
    #[allow(clippy::type_complexity)]
    fn node(
        &self,
        py: Python<'_>,
        id: usize,
    ) -> PyResult<(String, String, Option<Vec<Option<usize>>>, &'static str, Vec<usize>)> {
        self.check(py, id)?;
        Ok(self.with_graph(py, |g| {
            let n = g.node(id);
            (n.name.clone(), n.op.type_name(), n.shape.dims.clone(), n.dtype.name(), n.inputs.clone())
        }))
    }

    /// The value of a `Const` node, or None.
    fn const_value(&self, py: Python<'_>, id: usize) -> PyResult<Option<PyTensor>> {
        self.check(py, id)?;
        let value = self.with_graph(py, |g| match &g.node(id).op {
            ferroflow_core::Op::Const(t) => Some(t.clone()),
            _ => None,
        });
        Ok(value.map(PyTensor::wrap))
    }

    /// Symbolic gradients (tf.gradients): new node ids, None where an x does not affect the ys.
    #[pyo3(signature = (ys, xs, grad_ys=None))]
    fn gradients(
        &self,
        py: Python<'_>,
        ys: Vec<usize>,
        xs: Vec<usize>,
        grad_ys: Option<Vec<usize>>,
    ) -> PyResult<Vec<Option<usize>>> {
        self.with_graph_mut(py, |g| {
            guard(|| ferroflow_core::grad::gradients(g, &ys, &xs, grad_ys.as_deref()))
        })
    }

    /// Compiles the fetches into a plan that is fed the `feeds` nodes, in that order.
    fn compile(&self, py: Python<'_>, fetches: Vec<usize>, feeds: Vec<usize>) -> PyResult<PyPlan> {
        let plan = self.with_graph(py, |g| guard(|| Plan::new(g, &fetches, &feeds)))?;
        Ok(PyPlan { plan, graph: self.snapshot(py) })
    }
}

#[pyclass(name = "Plan", module = "ferroflow._core", frozen)]
pub struct PyPlan {
    pub(crate) plan: Plan,
    /// The graph as it was compiled (see `PyGraph::snapshot`).
    pub(crate) graph: Arc<Graph>,
}

#[pymethods]
impl PyPlan {
    /// `(node name, device)` per step when some step runs on a GPU, and the number of copies between devices
    /// per run; `([], 0)` when everything runs on the CPU.
    fn placement(&self) -> (Vec<(String, String)>, usize) {
        let Some(dp) = self.plan.device_plan() else { return (Vec::new(), 0) };
        let names = self.plan.step_nodes().map(|id| self.graph.node(id).name.clone());
        let placed = names.zip(&dp.devices).map(|(n, d)| (n, d.full_name())).collect();
        (placed, dp.transfers.iter().map(Vec::len).sum())
    }

    /// Runs the plan; each feed is an eager `Tensor` or a NumPy array. Returns the fetched tensors.
    fn run(&self, py: Python<'_>, feeds: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<PyTensor>> {
        let values = feeds.iter().map(extract_tensor).collect::<PyResult<Vec<Tensor>>>()?;
        let out = py.detach(|| guard(|| self.plan.run(&self.graph, &values)))?;
        Ok(out.into_iter().map(PyTensor::wrap).collect())
    }

    /// Runs the plan once per element of `elements` (each a list of feeds) in one release of the GIL, and
    /// returns per element the fetches at `outputs` as NumPy arrays, or the exception its run raised. A
    /// worker thread of a parallel `Dataset.map` hands over its chunk this way: releasing and taking back
    /// the GIL around every small run cost more than the run itself once two threads competed for it. The
    /// runs stay on the calling thread (`Plan::run_here`): the map keeps one such thread per core busy, and
    /// handing each element's run to the pool only added a hand-off and a waiting thread per element.
    fn run_each(
        &self,
        py: Python<'_>,
        elements: Vec<Vec<Bound<'_, PyAny>>>,
        outputs: Vec<usize>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        if let Some(&bad) = outputs.iter().find(|&&i| i >= self.plan.num_fetches()) {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "output {bad} is not among the plan's {} fetches",
                self.plan.num_fetches()
            )));
        }
        let feeds: Vec<PyResult<Vec<Tensor>>> =
            elements.iter().map(|feeds| feeds.iter().map(extract_tensor).collect()).collect();
        let runs: Vec<PyResult<Vec<Tensor>>> = py.detach(|| {
            let graph: &Graph = &self.graph;
            feeds
                .into_iter()
                .map(|f| f.and_then(|values| guard(|| self.plan.run_here(graph, values))))
                .collect()
        });
        runs.into_iter()
            .map(|run| match run {
                Ok(fetched) => {
                    let arrays =
                        outputs.iter().map(|&i| to_numpy(py, &fetched[i])).collect::<PyResult<Vec<_>>>()?;
                    Ok(pyo3::types::PyList::new(py, arrays)?.into_any().unbind())
                }
                Err(e) => Ok(e.into_value(py).into_any()),
            })
            .collect()
    }

    /// See `run_batches_impl`: the batch loop of fit / evaluate / predict.
    #[pyo3(signature = (arrays, order, batch_size, callback=None, every=0))]
    fn run_batches(
        &self,
        py: Python<'_>,
        arrays: Vec<Bound<'_, PyAny>>,
        order: numpy::PyReadonlyArray1<'_, i64>,
        batch_size: usize,
        callback: Option<Bound<'_, PyAny>>,
        every: usize,
    ) -> PyResult<Vec<Vec<f64>>> {
        self.run_batches_impl(py, arrays, order, batch_size, callback, every)
    }

    /// See `predict_batches_impl`: every fetch, concatenated over batches.
    fn predict_batches(
        &self,
        py: Python<'_>,
        arrays: Vec<Bound<'_, PyAny>>,
        batch_size: usize,
    ) -> PyResult<Vec<PyTensor>> {
        Ok(self.predict_batches_impl(py, arrays, batch_size)?.into_iter().map(PyTensor::wrap).collect())
    }

    /// Runs the plan `runs` times on the same feeds; returns the last run's fetched tensors and, per
    /// evaluated node in plan order, (name, op type, start seconds in the last run, total kernel seconds
    /// over the runs, live bytes after it): the data of per-op profiles, run metadata and traces.
    #[pyo3(signature = (feeds, runs=1))]
    #[allow(clippy::type_complexity)]
    fn profile(
        &self,
        py: Python<'_>,
        feeds: Vec<Bound<'_, PyAny>>,
        runs: usize,
    ) -> PyResult<(Vec<PyTensor>, Vec<(String, String, f64, f64, usize)>)> {
        if runs == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err("runs must be at least 1, received 0"));
        }
        let values = feeds.iter().map(extract_tensor).collect::<PyResult<Vec<Tensor>>>()?;
        let (outputs, records) = py.detach(|| {
            guard(|| {
                let graph: &Graph = &self.graph;
                let mut totals: Vec<f64> = Vec::new();
                let mut last = Vec::new();
                // The runs stay in one visit to the pool and, as in the training loop, the pool's other
                // workers poll between kernels instead of sleeping, so parallel kernels are timed as they
                // run there.
                let outputs = ferroflow_core::threading::install(|| {
                    let _warm = ferroflow_core::threading::keep_warm();
                    let mut outputs = Vec::new();
                    for _ in 0..runs {
                        last.clear();
                        // Fresh copies, as the batch loop's gathered batches are, so kernels reuse their buffers
                        // the same way.
                        let fresh = values.iter().map(|t| Tensor::new(t.data().clone())).collect();
                        outputs = self.plan.run_timed(graph, fresh, Some(&mut last))?;
                        totals.resize(last.len(), 0.0);
                        for (acc, r) in totals.iter_mut().zip(&last) {
                            *acc += r.seconds;
                        }
                    }
                    ferroflow_core::Result::Ok(outputs)
                })?;
                let records = last
                    .iter()
                    .zip(totals)
                    .map(|(r, total)| {
                        let node = graph.node(r.node);
                        (node.name.clone(), r.op_type.clone(), r.start, total, r.live_bytes)
                    })
                    .collect();
                Ok((outputs, records))
            })
        })?;
        Ok((outputs.into_iter().map(PyTensor::wrap).collect(), records))
    }

    /// The run counters of the plan's random ops, in plan order (see `Plan::random_counters`).
    fn random_state(&self) -> Vec<u64> {
        self.plan.random_counters(&self.graph)
    }

    /// Restores counters returned by `random_state`.
    fn set_random_state(&self, counters: Vec<u64>) -> PyResult<()> {
        guard(|| self.plan.set_random_counters(&self.graph, &counters))
    }

    #[getter]
    fn num_steps(&self) -> usize {
        self.plan.num_steps()
    }
}

pub fn extract_tensor(v: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    match v.cast::<PyTensor>() {
        Ok(t) => Ok(t.get().tensor.clone()),
        Err(_) => tensor_from_numpy(v),
    }
}
