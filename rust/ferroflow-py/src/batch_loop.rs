//! The training/evaluation batch loop in Rust: gathers each batch's rows straight from the caller's NumPy
//! arrays and runs a compiled plan per batch with the GIL released, calling back into Python only when asked.

use crate::errors::guard;
use crate::graph::PyPlan;
use ferroflow_core::{Error, Tensor};
use numpy::{PyArrayDyn, PyArrayMethods, PyReadonlyArray1, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use rayon::prelude::*;

/// Batches of at least this many bytes are gathered by all the pool's threads.
const PARALLEL_GATHER_BYTES: usize = 1 << 18;

/// Borrowed rows of one input array, of any supported dtype.
enum Rows<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    Bool(&'a [bool]),
}

struct Source<'a> {
    rows: Rows<'a>,
    /// Shape of one row (the array's shape without its first axis).
    row_shape: Vec<usize>,
    len: usize,
}

impl Source<'_> {
    /// The rows at `idx`, copied into a new tensor of shape `[idx.len(), *row_shape]`.
    fn gather(&self, idx: &[i64]) -> ferroflow_core::Result<Tensor> {
        let row: usize = self.row_shape.iter().product();
        let mut shape = vec![idx.len()];
        shape.extend_from_slice(&self.row_shape);
        fn take<T: ferroflow_core::tensor::Element>(
            src: &[T],
            idx: &[i64],
            row: usize,
            len: usize,
            shape: &[usize],
        ) -> ferroflow_core::Result<Tensor> {
            if let Some(&i) = idx.iter().find(|&&i| i < 0 || i as usize >= len) {
                return Err(Error::out_of_range(format!("batch index {i} is outside the {len} samples")));
            }
            // Every element is overwritten below: the buffer may be the previous batch's, from the pool.
            let mut out = ferroflow_core::buffer_pool::overwritable::<T>(idx.len() * row)?;
            let copy = |(dst, idx): (&mut [T], &[i64])| {
                for (d, &i) in dst.chunks_exact_mut(row).zip(idx) {
                    d.copy_from_slice(&src[i as usize * row..(i as usize + 1) * row]);
                }
            };
            if row == 0 {
                // Rows of no elements: nothing to copy.
            } else if idx.len() * row * std::mem::size_of::<T>() >= PARALLEL_GATHER_BYTES {
                // Shuffled rows are cache misses (in the last-level cache at best, after `prefetch`): two
                // cores waiting on them halve the wait.
                let per = idx.len().div_ceil(ferroflow_core::threading::num_threads());
                ferroflow_core::threading::install(|| {
                    out.par_chunks_mut(per * row).zip(idx.par_chunks(per)).for_each(copy)
                });
            } else {
                copy((&mut out, idx));
            }
            Tensor::from_vec(shape, out)
        }
        match self.rows {
            Rows::F32(s) => take(s, idx, row, self.len, &shape),
            Rows::F64(s) => take(s, idx, row, self.len, &shape),
            Rows::I32(s) => take(s, idx, row, self.len, &shape),
            Rows::I64(s) => take(s, idx, row, self.len, &shape),
            Rows::Bool(s) => take(s, idx, row, self.len, &shape),
        }
    }

    /// Asks the CPU to bring the rows at `idx` into its last-level cache, so that the next batch's gather
    /// (shuffled rows spread over the whole dataset, a DRAM miss per line otherwise) reads them from there
    /// while this batch computes in the inner caches. Only a hint: no effect on results.
    fn prefetch(&self, idx: &[i64]) {
        #[cfg(target_arch = "x86_64")]
        {
            let (base, elem) = match self.rows {
                Rows::F32(s) => (s.as_ptr().cast::<u8>(), 4),
                Rows::F64(s) => (s.as_ptr().cast::<u8>(), 8),
                Rows::I32(s) => (s.as_ptr().cast::<u8>(), 4),
                Rows::I64(s) => (s.as_ptr().cast::<u8>(), 8),
                Rows::Bool(s) => (s.as_ptr().cast::<u8>(), 1),
            };
            let row_bytes = self.row_shape.iter().product::<usize>() * elem;
            for &i in idx {
                if i < 0 || i as usize >= self.len {
                    continue; // the gather reports it
                }
                let start = i as usize * row_bytes;
                for offset in (0..row_bytes).step_by(64) {
                    // SAFETY: a prefetch never faults, and the address lies inside the borrowed array.
                    unsafe {
                        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T2 }>(
                            base.add(start + offset).cast(),
                        )
                    };
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = idx;
    }
}

/// Keeps the NumPy borrows alive while their slices are used without the GIL.
enum Borrow<'py> {
    F32(PyReadonlyArrayDyn<'py, f32>),
    F64(PyReadonlyArrayDyn<'py, f64>),
    I32(PyReadonlyArrayDyn<'py, i32>),
    I64(PyReadonlyArrayDyn<'py, i64>),
    Bool(PyReadonlyArrayDyn<'py, bool>),
}

fn borrow<'py>(a: &Bound<'py, PyAny>) -> PyResult<Borrow<'py>> {
    macro_rules! try_type {
        ($t:ty, $v:ident) => {
            if let Ok(x) = a.cast::<PyArrayDyn<$t>>() {
                return Ok(Borrow::$v(x.readonly()));
            }
        };
    }
    try_type!(f32, F32);
    try_type!(f64, F64);
    try_type!(i32, I32);
    try_type!(i64, I64);
    try_type!(bool, Bool);
    Err(PyTypeError::new_err("batch inputs must be NumPy arrays of float32, float64, int32, int64 or bool"))
}

fn source<'a>(b: &'a Borrow<'_>) -> PyResult<Source<'a>> {
    let not_contiguous = || PyTypeError::new_err("batch inputs must be C-contiguous NumPy arrays");
    macro_rules! src {
        ($a:expr, $v:ident) => {{
            let shape = $a.shape().to_vec();
            if shape.is_empty() {
                return Err(PyTypeError::new_err("batch inputs need a first (sample) axis"));
            }
            Source {
                rows: Rows::$v($a.as_slice().map_err(|_| not_contiguous())?),
                row_shape: shape[1..].to_vec(),
                len: shape[0],
            }
        }};
    }
    Ok(match b {
        Borrow::F32(a) => src!(a, F32),
        Borrow::F64(a) => src!(a, F64),
        Borrow::I32(a) => src!(a, I32),
        Borrow::I64(a) => src!(a, I64),
        Borrow::Bool(a) => src!(a, Bool),
    })
}

/// A visit to the pool runs batches until the next Python callback is due or this much time has passed,
/// so Ctrl-C is seen within about this long while the batch loop itself stays in the pool.
const CHUNK_TIME: std::time::Duration = std::time::Duration::from_millis(50);

impl PyPlan {
    /// Runs `run_batch(graph, b)` for the batches `first..end` (of `rows` rows each) in one visit to the
    /// thread pool, stopping after the batch that ends `CHUNK_TIME`; returns the results of the batches it
    /// ran. The graph's read
    /// lock is taken here, on the caller's thread and outside the pool, so no pool job waits on it. Batches
    /// that the plan's last run says are small (`Plan::is_small`) run on the caller's thread instead. With
    /// `warm`, the pool's other workers poll for work between kernels and a little past the visit
    /// (`threading::keep_warm`), so neither the kernels nor the next visit wait for a worker to wake.
    fn visit_pool<R: Send>(
        &self,
        py: Python<'_>,
        (first, end): (usize, usize),
        rows: usize,
        warm: bool,
        run_batch: impl Fn(&ferroflow_core::Graph, usize) -> ferroflow_core::Result<R> + Sync,
    ) -> PyResult<Vec<R>> {
        py.detach(|| {
            guard(|| {
                let graph: &ferroflow_core::Graph = &self.graph;
                let run_visit = || {
                    let started = std::time::Instant::now();
                    let mut done = Vec::new();
                    for b in first..end {
                        done.push(run_batch(graph, b)?);
                        if started.elapsed() >= CHUNK_TIME {
                            break;
                        }
                    }
                    Ok(done)
                };
                if self.plan.is_small(rows) {
                    // Batches too small to gain from a second thread (a tiny model, a served sample) run
                    // here: the hand-off to the pool would cost more than the batch.
                    let _flush = ferroflow_core::denormals::FlushDenormalsScope::new();
                    return run_visit();
                }
                ferroflow_core::threading::install(|| {
                    let _warm = if warm { ferroflow_core::threading::keep_warm() } else { None };
                    run_visit()
                })
            })
        })
    }

    /// Runs the plan once per batch of `order` (sample indices, batches of `batch_size`), feeding the rows of
    /// each array in `arrays` to the plan's feeds in order. Returns, per completed batch, the first element
    /// of each fetched tensor as float, shaped `[batches][fetches]`. `callback(batch, recent)` is called
    /// every `every` batches and after the last one (0 = never) with the values of the batches since its
    /// previous call (so the caller can keep running means without a call per batch); it returns True to
    /// stop after this batch (Keras's `stop_training`) or raises to abort. Ctrl-C raises
    /// `KeyboardInterrupt` at the next batch boundary; the batches completed so far keep their effect.
    ///
    /// The batches between two callbacks run in one visit to the thread pool (`threading::install`): the
    /// loop runs on a pool worker, which the other workers serve with their parts of each kernel, and the
    /// calling thread (which holds no GIL meanwhile) waits once per visit, not once per batch.
    pub fn run_batches_impl(
        &self,
        py: Python<'_>,
        arrays: Vec<Bound<'_, PyAny>>,
        order: PyReadonlyArray1<'_, i64>,
        batch_size: usize,
        callback: Option<Bound<'_, PyAny>>,
        every: usize,
    ) -> PyResult<Vec<Vec<f64>>> {
        if batch_size == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "batch_size must be a positive integer, received 0",
            ));
        }
        let borrows = arrays.iter().map(borrow).collect::<PyResult<Vec<_>>>()?;
        let sources = borrows.iter().map(source).collect::<PyResult<Vec<_>>>()?;
        let order =
            order.as_slice().map_err(|_| PyTypeError::new_err("order must be a contiguous int64 array"))?;
        let batches: Vec<&[i64]> = order.chunks(batch_size).collect();
        let mut results: Vec<Vec<f64>> = Vec::with_capacity(batches.len());
        let mut reported = 0;
        let reports = callback.is_some() && every > 0;
        while results.len() < batches.len() {
            let first = results.len();
            let end = if reports { (first / every + 1) * every } else { batches.len() }.min(batches.len());
            let chunk = self.visit_pool(py, (first, end), batch_size, true, |graph, b| {
                let feeds =
                    sources.iter().map(|s| s.gather(batches[b])).collect::<ferroflow_core::Result<_>>()?;
                if let Some(next) = batches.get(b + 1) {
                    sources.iter().for_each(|s| s.prefetch(next));
                }
                let out = self.plan.run_owned(graph, feeds).map_err(|e| e.context(format!("batch {b}")))?;
                Ok(out.iter().map(|t| t.first_f64().unwrap_or(f64::NAN)).collect::<Vec<f64>>())
            })?;
            results.extend(chunk);
            py.check_signals()?;
            let done = results.len();
            if let Some(cb) = &callback {
                if every > 0 && (done.is_multiple_of(every) || done == batches.len()) {
                    let stop = cb.call1((done - 1, results[reported..].to_vec()))?.is_truthy()?;
                    reported = done;
                    if stop {
                        break;
                    }
                }
            }
        }
        Ok(results)
    }
}

impl PyPlan {
    /// Runs the plan over `arrays` in order, `batch_size` rows at a time, and returns every fetched tensor
    /// concatenated along the first axis (the predict loop). Ctrl-C raises at the next batch boundary. As
    /// in `run_batches_impl`, batches run in visits to the pool of at most `CHUNK_TIME` each.
    pub fn predict_batches_impl(
        &self,
        py: Python<'_>,
        arrays: Vec<Bound<'_, PyAny>>,
        batch_size: usize,
    ) -> PyResult<Vec<Tensor>> {
        if batch_size == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "batch_size must be a positive integer, received 0",
            ));
        }
        let borrows = arrays.iter().map(borrow).collect::<PyResult<Vec<_>>>()?;
        let sources = borrows.iter().map(source).collect::<PyResult<Vec<_>>>()?;
        let n = sources.first().map_or(0, |s| s.len);
        let order: Vec<i64> = (0..n as i64).collect();
        let batches: Vec<&[i64]> = order.chunks(batch_size).collect();
        let mut parts: Vec<Vec<Tensor>> = Vec::with_capacity(batches.len());
        while parts.len() < batches.len() {
            let first = parts.len();
            // A lone batch (a served request) keeps no workers warm: spinners started by many concurrent
            // callers cost more than the wake-ups they save (64-row serving from 4 clients: 1.41x one
            // client's throughput without them, 1.09x with).
            let rows = batch_size.min(n);
            let chunk =
                self.visit_pool(py, (first, batches.len()), rows, batches.len() > 1, |graph, b| {
                    let feeds = sources
                        .iter()
                        .map(|s| s.gather(batches[b]))
                        .collect::<ferroflow_core::Result<_>>()?;
                    self.plan.run_owned(graph, feeds)
                })?;
            parts.extend(chunk);
            py.check_signals()?;
        }
        let fetches = parts.first().map_or(0, |p| p.len());
        py.detach(|| {
            guard(|| {
                (0..fetches)
                    .map(|f| {
                        let pieces: Vec<Tensor> = parts.iter().map(|p| p[f].clone()).collect();
                        if pieces.len() == 1 {
                            Ok(pieces[0].clone())
                        } else {
                            ferroflow_core::kernels::shape_ops::concat(&pieces, 0)
                        }
                    })
                    .collect()
            })
        })
    }
}
