//! `Tape` and `execute`: running one op eagerly and recording it on the active gradient tapes.

use crate::errors::guard;
use crate::op::PyOp;
use crate::tensor::PyTensor;
use crate::variable::PyVariable;
use ferroflow_core::infer::infer;
use ferroflow_core::shape::Shape;
use ferroflow_core::tape::{Recorders, Tape};
use ferroflow_core::{kernels, Op, Tensor};
use pyo3::prelude::*;
use std::sync::Mutex;

/// Work below this many input elements runs without releasing the GIL: releasing costs more.
const DETACH_ELEMENTS: usize = 1 << 14;
/// Eager ops on at most this many elements (inputs and output together) run on the calling thread.
const INLINE_ELEMENTS: usize = 1 << 14;

/// Whether `op`'s kernel splits its work across threads only from `threading::PARALLEL_THRESHOLD`
/// elements (elementwise maps, reductions, moves): below that the pool would run it on one thread anyway,
/// and handing it over cost 20 us on an idle core and 60 us on a busy machine, against 10-30 us for the op
/// (a 64 x 64 x 3 image's add or flip). Products and convolutions split far earlier and keep the pool.
fn splits_only_when_large(op: &Op) -> bool {
    matches!(
        op,
        Op::Unary(_)
            | Op::Binary(_)
            | Op::Compare(_)
            | Op::Select
            | Op::Cast(_)
            | Op::FillLike { .. }
            | Op::Identity
            | Op::StopGradient
            | Op::ReluGrad
            | Op::Reshape { .. }
            | Op::ReshapeLike
            | Op::ExpandDims { .. }
            | Op::Squeeze { .. }
            | Op::BroadcastTo { .. }
            | Op::BroadcastLike
            | Op::Transpose { .. }
            | Op::Concat { .. }
            | Op::StridedSlice { .. }
            | Op::Gather { .. }
            | Op::OneHot { .. }
            | Op::RandomLike { .. }
            | Op::DropoutMask { .. }
            | Op::Reduce { .. }
            | Op::ArgMax { .. }
            | Op::ArgMin { .. }
            | Op::Softmax { .. }
    )
}

/// Whether `op`'s kernel never splits its work (string ops, image decoders and encoders): it runs on the
/// calling thread however large, since the pool would run it on one worker while the caller waits.
fn never_splits(op: &Op) -> bool {
    matches!(op, Op::Strings(_))
}

/// Whether `op` may take long on few input elements (an image decoder): it runs with the GIL released, so
/// that other Python threads (a pipeline's readers) go on meanwhile.
fn slow_on_few_elements(op: &Op) -> bool {
    matches!(op, Op::Strings(ferroflow_core::string_op::StringOp::Image(_)))
}

#[pyclass(name = "Tape", module = "ferroflow._core", frozen)]
pub struct PyTape {
    tape: Mutex<Tape>,
}

impl PyTape {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tape> {
        self.tape.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[pymethods]
impl PyTape {
    #[new]
    fn new() -> Self {
        PyTape { tape: Mutex::new(Tape::new()) }
    }

    fn watch(&self, t: PyRef<'_, PyTensor>) {
        self.lock().watch(t.key, &t.tensor);
    }

    fn watch_variable(&self, v: PyRef<'_, PyVariable>) -> PyResult<()> {
        let value = v.read()?;
        self.lock().watch(value.key, &value.tensor);
        Ok(())
    }

    fn is_tracked(&self, key: u64) -> bool {
        self.lock().is_tracked(key)
    }

    /// Gradients of the sum of the targets with respect to the sources (keys of tensors or variables). The
    /// gradient computation is recorded on each tape in `recorders` (outer tapes that are recording).
    #[pyo3(signature = (targets, sources, output_gradients=None, recorders=Vec::new()))]
    fn gradient(
        &self,
        py: Python<'_>,
        targets: Vec<u64>,
        sources: Vec<u64>,
        output_gradients: Option<Vec<PyRef<'_, PyTensor>>>,
        recorders: Vec<PyRef<'_, PyTape>>,
    ) -> PyResult<Vec<Option<PyTensor>>> {
        let og: Option<Vec<(u64, Tensor)>> =
            output_gradients.map(|v| v.iter().map(|t| (t.key, t.tensor.clone())).collect());
        let recorders: Vec<&PyTape> =
            recorders.iter().map(|r| &**r).filter(|r| !std::ptr::eq(*r, self)).collect();
        let out = py.detach(|| {
            guard(|| {
                // Locked on this thread, outside the pool: a pool job never waits for a lock that a caller
                // of the pool may hold.
                let mut tape = self.lock();
                let tape: &mut Tape = &mut tape;
                let mut outer_guards: Vec<_> = recorders.iter().map(|r| r.lock()).collect();
                let rec = if outer_guards.is_empty() {
                    None
                } else {
                    Some(Recorders {
                        tapes: outer_guards.iter_mut().map(|g| &mut **g).collect(),
                        next_key: crate::tensor::next_key,
                    })
                };
                crate::threading_install(|| tape.gradient(&targets, &sources, og.as_deref(), rec))
            })
        })?;
        Ok(out
            .into_iter()
            .map(|g| {
                g.map(
                    |(key, tensor)| if key == 0 { PyTensor::wrap(tensor) } else { PyTensor { tensor, key } },
                )
            })
            .collect())
    }
}

/// Runs `op` on eager tensors and records it on each tape in `tapes`.
#[pyfunction]
#[pyo3(signature = (op, inputs, tapes=Vec::new()))]
pub fn execute(
    py: Python<'_>,
    op: PyRef<'_, PyOp>,
    inputs: Vec<PyRef<'_, PyTensor>>,
    tapes: Vec<PyRef<'_, PyTape>>,
) -> PyResult<PyTensor> {
    let values: Vec<Tensor> = inputs.iter().map(|t| t.tensor.clone()).collect();
    let op_ref = &op.op;
    let run = || {
        guard(|| {
            let shapes: Vec<Shape> = values.iter().map(|t| Shape::known(t.shape())).collect();
            let meta: Vec<(&Shape, ferroflow_core::DType)> =
                shapes.iter().zip(&values).map(|(s, t)| (s, t.dtype())).collect();
            let describe = || {
                let parts: Vec<String> =
                    shapes.iter().zip(&values).map(|(s, t)| format!("{s} {}", t.dtype())).collect();
                format!("{} with inputs [{}]", op_ref.type_name(), parts.join(", "))
            };
            let (out_shape, _) = infer(op_ref, &meta).map_err(|e| e.context(describe()))?;
            // A small op runs right here: handing it to a pool worker and waiting would cost more than the
            // op (kernels off the pool run on one thread). Its inputs and output are all counted, since
            // an op may make a large output from small inputs (fill, one_hot, random).
            let elements = values.iter().map(|t| t.len()).sum::<usize>()
                + out_shape.num_elements().unwrap_or(usize::MAX / 2);
            let inline = elements <= INLINE_ELEMENTS
                || never_splits(op_ref)
                || (splits_only_when_large(op_ref)
                    && elements <= ferroflow_core::threading::PARALLEL_THRESHOLD);
            let out = if inline {
                let _flush = ferroflow_core::denormals::FlushDenormalsScope::new();
                kernels::compute(op_ref, &values)
            } else {
                crate::threading_install(|| kernels::compute(op_ref, &values))
            }
            .map_err(|e| e.context(describe()))?;
            if ferroflow_core::numerics::check_every_op() {
                if let Some(bad) = ferroflow_core::numerics::first_non_finite(&out) {
                    let name = op_ref.type_name();
                    let describe_input = |i: usize| format!("argument {i}");
                    return Err(ferroflow_core::numerics::non_finite_output(
                        &name,
                        &name,
                        bad,
                        &values,
                        describe_input,
                    ));
                }
            }
            Ok(out)
        })
    };
    let big = values.iter().map(|t| t.len()).sum::<usize>() > DETACH_ELEMENTS || slow_on_few_elements(op_ref);
    let out = if big { py.detach(run)? } else { run()? };
    let result = PyTensor::wrap(out);
    for tape in &tapes {
        let recorded: Vec<(u64, Tensor)> = inputs.iter().map(|t| (t.key, t.tensor.clone())).collect();
        tape.lock().record(op_ref, &recorded, (result.key, &result.tensor));
    }
    Ok(result)
}
