//! `Graph` and `Plan`: building graphs from Python and running compiled plans with the GIL released.

use crate::errors::guard;
use crate::op::PyOp;
use crate::tensor::{tensor_from_numpy, to_numpy, PyTensor};
use ferroflow_core::exec::Plan;
use ferroflow_core::{Graph, Tensor};
use pyo3::prelude::*;
use std::sync::{Arc, RwLock};

#[pyclass(name = "Graph", module = "ferroflow._core", frozen)]
pub struct PyGraph {
    pub graph: Arc<RwLock<Graph>>,
}

impl PyGraph {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Graph> {
        self.graph.read().unwrap_or_else(|p| p.into_inner())
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Graph> {
        self.graph.write().unwrap_or_else(|p| p.into_inner())
    }
    fn check(&self, id: usize) -> PyResult<()> {
        let n = self.read().len();
        if id >= n {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "node {id} is not in this graph ({n} nodes)"
            )));
        }
        Ok(())
    }
}

#[pymethods]
impl PyGraph {
    #[new]
    fn new() -> Self {
        PyGraph { graph: Arc::new(RwLock::new(Graph::new())) }
    }

    /// Adds a node and returns its id; shape or dtype errors name the node and its inputs.
    fn add(&self, op: PyRef<'_, PyOp>, inputs: Vec<usize>, name: &str) -> PyResult<usize> {
        guard(|| self.write().add(op.op.clone(), &inputs, name))
    }

    /// Adds a control-flow node (`Op.while_loop`, `Op.cond`) and one node per result (each loop variable's
    /// final value, each branch output); returns the result nodes' ids.
    fn add_multi(&self, op: PyRef<'_, PyOp>, inputs: Vec<usize>, name: &str) -> PyResult<Vec<usize>> {
        let ferroflow_core::Op::Control(control) = &op.op else {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "add_multi expects a control-flow op (while_loop, cond), received {}",
                op.op.type_name()
            )));
        };
        let mut graph = self.write();
        guard(|| ferroflow_core::control_flow::add_with_items(&mut graph, control.clone(), &inputs, name))
            .map(|(_, items)| items)
    }

    /// Merges `dims` (None: an unknown rank) into a node's static shape; ValueError if they are incompatible.
    fn refine_shape(&self, id: usize, dims: Option<Vec<Option<usize>>>) -> PyResult<()> {
        self.check(id)?;
        guard(|| self.write().refine_shape(id, &ferroflow_core::Shape { dims }))
    }

    fn __len__(&self) -> usize {
        self.read().len()
    }

    /// (name, op type, static shape or None, dtype, input ids) of a node.
    #[allow(clippy::type_complexity)]
    fn node(
        &self,
        id: usize,
    ) -> PyResult<(String, String, Option<Vec<Option<usize>>>, &'static str, Vec<usize>)> {
        self.check(id)?;
        let g = self.read();
        let n = g.node(id);
        Ok((n.name.clone(), n.op.type_name(), n.shape.dims.clone(), n.dtype.name(), n.inputs.clone()))
    }

    /// The value of a `Const` node, or None.
    fn const_value(&self, id: usize) -> PyResult<Option<PyTensor>> {
        self.check(id)?;
        Ok(match &self.read().node(id).op {
            ferroflow_core::Op::Const(t) => Some(PyTensor::wrap(t.clone())),
            _ => None,
        })
    }

    /// Symbolic gradients (tf.gradients): new node ids, None where an x does not affect the ys.
    #[pyo3(signature = (ys, xs, grad_ys=None))]
    fn gradients(
        &self,
        ys: Vec<usize>,
        xs: Vec<usize>,
        grad_ys: Option<Vec<usize>>,
    ) -> PyResult<Vec<Option<usize>>> {
        guard(|| ferroflow_core::grad::gradients(&mut self.write(), &ys, &xs, grad_ys.as_deref()))
    }

    /// Compiles the fetches into a plan that is fed the `feeds` nodes, in that order.
    fn compile(&self, fetches: Vec<usize>, feeds: Vec<usize>) -> PyResult<PyPlan> {
        let plan = guard(|| Plan::new(&self.read(), &fetches, &feeds))?;
        Ok(PyPlan { plan, graph: self.graph.clone() })
    }
}

#[pyclass(name = "Plan", module = "ferroflow._core", frozen)]
pub struct PyPlan {
    pub(crate) plan: Plan,
    pub(crate) graph: Arc<RwLock<Graph>>,
}

#[pymethods]
impl PyPlan {
    /// Runs the plan; each feed is an eager `Tensor` or a NumPy array. Returns the fetched tensors.
    fn run(&self, py: Python<'_>, feeds: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<PyTensor>> {
        let values = feeds.iter().map(extract_tensor).collect::<PyResult<Vec<Tensor>>>()?;
        let out = py.detach(|| {
            guard(|| self.plan.run(&self.graph.read().unwrap_or_else(|p| p.into_inner()), &values))
        })?;
        Ok(out.into_iter().map(PyTensor::wrap).collect())
    }

    /// Runs the plan once per element of `elements` (each a list of feeds) in one release of the GIL, and
    /// returns per element the fetches at `outputs` as NumPy arrays, or the exception its run raised. A
    /// worker thread of a parallel `Dataset.map` hands over its chunk this way: releasing and taking back
    /// the GIL around every small run cost more than the run itself once two threads competed for it.
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
            let graph = self.graph.read().unwrap_or_else(|p| p.into_inner());
            feeds
                .into_iter()
                .map(|f| f.and_then(|values| guard(|| self.plan.run_owned(&graph, values))))
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
                let graph = self.graph.read().unwrap_or_else(|p| p.into_inner());
                let graph: &ferroflow_core::Graph = &graph;
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
        self.plan.random_counters(&self.graph.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Restores counters returned by `random_state`.
    fn set_random_state(&self, counters: Vec<u64>) -> PyResult<()> {
        guard(|| {
            self.plan.set_random_counters(&self.graph.read().unwrap_or_else(|p| p.into_inner()), &counters)
        })
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
