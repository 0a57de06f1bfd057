//! `Op`: builds a core op from its Python name and a dict of attributes, checking each attribute.

use crate::tensor::{parse_dtype, PyTensor};
use crate::variable::PyVariable;
use ferroflow_core::batch_norm_op::BatchNormOp;
use ferroflow_core::kernels::resize_weights::ResizeMethod;
use ferroflow_core::op::{AssignKind, Distribution, Op, SliceSpec};
use ferroflow_core::op_names::{binary, compare, reduction, unary};
use ferroflow_core::Shape;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

#[pyclass(name = "Op", module = "ferroflow._core", frozen)]
pub struct PyOp {
    pub op: Op,
}

#[pymethods]
impl PyOp {
    #[new]
    #[pyo3(signature = (name, attrs=None))]
    fn new(name: &str, attrs: Option<&Bound<'_, PyDict>>) -> PyResult<PyOp> {
        Ok(PyOp { op: parse_op(name, Attrs(attrs))? })
    }

    /// `tf.while_loop`'s node: `body` holds placeholders `inputs` (the loop variables, one per body output,
    /// then the captured values), the scalar bool `cond_output` and the loop variables' next values.
    #[staticmethod]
    #[pyo3(signature = (body, inputs, cond_output, body_outputs, maximum_iterations=None))]
    fn while_loop(
        body: PyRef<'_, crate::graph::PyGraph>,
        inputs: Vec<usize>,
        cond_output: usize,
        body_outputs: Vec<usize>,
        maximum_iterations: Option<i64>,
    ) -> PyResult<PyOp> {
        Ok(PyOp {
            op: crate::control_flow::while_op(&body, inputs, cond_output, body_outputs, maximum_iterations)?,
        })
    }

    /// `tf.cond`'s node: `branches` holds placeholders `inputs` (the captured values) and both branches'
    /// outputs. The node's inputs are the predicate, then the captured values.
    #[staticmethod]
    fn cond(
        branches: PyRef<'_, crate::graph::PyGraph>,
        inputs: Vec<usize>,
        then_outputs: Vec<usize>,
        else_outputs: Vec<usize>,
    ) -> PyResult<PyOp> {
        Ok(PyOp { op: crate::control_flow::cond_op(&branches, inputs, then_outputs, else_outputs)? })
    }

    /// `tf.py_function`'s node: `function` is called with a list of NumPy arrays (the inputs) and returns
    /// one value per `outputs` entry, `(dtype name, dims or None)`. `gradient`, when given, is called with
    /// the inputs and one gradient per floating output and returns one gradient per floating input.
    #[staticmethod]
    #[pyo3(signature = (function, outputs, gradient=None, stateful=true, eager=true))]
    fn host_call(
        function: Py<PyAny>,
        outputs: Vec<(String, Option<Vec<Option<usize>>>)>,
        gradient: Option<Py<PyAny>>,
        stateful: bool,
        eager: bool,
    ) -> PyResult<PyOp> {
        Ok(PyOp { op: crate::host_call::host_call_op(function, outputs, gradient, stateful, eager)? })
    }

    #[getter]
    fn type_name(&self) -> String {
        self.op.type_name()
    }

    fn __repr__(&self) -> String {
        format!("<Op {}>", self.op.type_name())
    }
}

pub(crate) struct Attrs<'a, 'py>(Option<&'a Bound<'py, PyDict>>);

impl<'py> Attrs<'_, 'py> {
    pub(crate) fn get(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.0 {
            Some(d) => Ok(d.get_item(key)?.filter(|v| !v.is_none())),
            None => Ok(None),
        }
    }
    pub(crate) fn req(&self, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.get(key)?.ok_or_else(|| PyValueError::new_err(format!("missing attribute '{key}'")))
    }
    pub(crate) fn i64(&self, key: &str, default: i64) -> PyResult<i64> {
        self.get(key)?.map_or(Ok(default), |v| v.extract())
    }
    fn f64(&self, key: &str, default: f64) -> PyResult<f64> {
        self.get(key)?.map_or(Ok(default), |v| v.extract())
    }
    pub(crate) fn bool(&self, key: &str) -> PyResult<bool> {
        self.get(key)?.map_or(Ok(false), |v| v.is_truthy())
    }
    pub(crate) fn axes(&self, key: &str) -> PyResult<Option<Vec<i64>>> {
        match self.get(key)? {
            None => Ok(None),
            Some(v) => match v.extract::<i64>() {
                Ok(single) => Ok(Some(vec![single])),
                Err(_) => v.extract::<Vec<i64>>().map(Some).map_err(|_| {
                    PyTypeError::new_err(format!("'{key}' must be an int or a list of ints, received {v}"))
                }),
            },
        }
    }
    pub(crate) fn dtype(&self, key: &str) -> PyResult<Option<ferroflow_core::DType>> {
        self.get(key)?.map(|v| parse_dtype(&v.extract::<String>()?)).transpose()
    }
}

fn parse_op(name: &str, a: Attrs) -> PyResult<Op> {
    if let Some(op) = crate::conv_ops::parse(name, &a)? {
        return Ok(op);
    }
    if let Some(u) = unary(name) {
        return Ok(Op::Unary(u));
    }
    if let Some(b) = binary(name) {
        return Ok(Op::Binary(b));
    }
    if let Some(c) = compare(name) {
        return Ok(Op::Compare(c));
    }
    if let Some(r) = reduction(name) {
        return Ok(Op::Reduce { op: r, axes: a.axes("axis")?, keepdims: a.bool("keepdims")? });
    }
    Ok(match name {
        "const" => Op::Const(a.req("value")?.cast::<PyTensor>()?.get().tensor.clone()),
        "placeholder" => Op::Placeholder {
            dtype: a.dtype("dtype")?.unwrap_or(ferroflow_core::DType::F32),
            shape: parse_shape(a.get("shape")?)?,
        },
        "read_variable" => Op::ReadVariable(a.req("var")?.cast::<PyVariable>()?.get().handle.clone()),
        "assign" | "assign_add" | "assign_sub" => Op::Assign {
            var: a.req("var")?.cast::<PyVariable>()?.get().handle.clone(),
            kind: match name {
                "assign" => AssignKind::Set,
                "assign_add" => AssignKind::Add,
                _ => AssignKind::Sub,
            },
        },
        "random_uniform" | "random_normal" => Op::RandomLike {
            dist: if name == "random_uniform" { Distribution::Uniform } else { Distribution::Normal },
            seed: a.i64("seed", 0)? as u64,
            dtype: a.dtype("dtype")?.unwrap_or(ferroflow_core::DType::F32),
            counter: Arc::new(AtomicU64::new(a.i64("step", 0)? as u64)),
            stateless: a.bool("stateless")?,
        },
        "group" => Op::Group,
        "after_controls" => Op::AfterControls,
        "dropout_mask" => Op::DropoutMask {
            rate: a.f64("rate", 0.5)?,
            seed: a.i64("seed", 0)? as u64,
            dtype: a.dtype("dtype")?.unwrap_or(ferroflow_core::DType::F32),
            counter: Arc::new(AtomicU64::new(a.i64("step", 0)? as u64)),
        },
        "apply_adam" => Op::ApplyAdam {
            var: var_attr(&a, "var")?,
            m: var_attr(&a, "m")?,
            v: var_attr(&a, "v")?,
            beta_1: a.f64("beta_1", 0.9)?,
            beta_2: a.f64("beta_2", 0.999)?,
            epsilon: a.f64("epsilon", 1e-7)?,
        },
        "apply_adagrad" => Op::ApplyAdagrad {
            var: var_attr(&a, "var")?,
            acc: var_attr(&a, "acc")?,
            epsilon: a.f64("epsilon", 1e-7)?,
        },
        "apply_sgd" => Op::ApplySgd {
            var: var_attr(&a, "var")?,
            m: match a.get("m")? {
                Some(v) => Some(v.cast::<PyVariable>()?.get().handle.clone()),
                None => None,
            },
            momentum: a.f64("momentum", 0.0)?,
            nesterov: a.bool("nesterov")?,
        },
        "select" => Op::Select,
        "write_row" => Op::WriteRow,
        "lstm_cell" => Op::LstmCell,
        "lstm_sequence" => Op::LstmSequence { inference: a.bool("inference")? },
        "argsort" => Op::ArgSort { descending: a.bool("descending")? },
        "unique" => Op::Unique {
            positions: a.bool("positions")?,
            out_idx: a.dtype("out_idx")?.unwrap_or(ferroflow_core::DType::I32),
        },
        "cast" => Op::Cast(a.dtype("dtype")?.ok_or_else(|| PyValueError::new_err("cast needs a dtype"))?),
        "fill_like" => Op::FillLike { value: a.f64("value", 0.0)?, dtype: a.dtype("dtype")? },
        "identity" => Op::Identity,
        "check_numerics" => Op::CheckNumerics {
            message: a.get("message")?.map(|m| m.extract::<String>()).transpose()?.unwrap_or_default(),
        },
        "stop_gradient" => Op::StopGradient,
        "ensure_shape" => Op::EnsureShape { dims: a.req("shape")?.extract()? },
        "matmul" => Op::MatMul { transpose_a: a.bool("transpose_a")?, transpose_b: a.bool("transpose_b")? },
        "argmax" | "argmin" => {
            let axis = a.i64("axis", 0)?;
            let output_type = a.dtype("output_type")?.unwrap_or(ferroflow_core::DType::I64);
            if name == "argmax" {
                Op::ArgMax { axis, output_type }
            } else {
                Op::ArgMin { axis, output_type }
            }
        }
        "reshape" => Op::Reshape { shape: a.req("shape")?.extract()? },
        "reshape_like" => Op::ReshapeLike,
        "transpose" => Op::Transpose { perm: a.get("perm")?.map(|v| v.extract()).transpose()? },
        "expand_dims" => Op::ExpandDims { axis: a.i64("axis", 0)? },
        "squeeze" => Op::Squeeze { axes: a.axes("axis")? },
        "broadcast_to" => Op::BroadcastTo { shape: a.req("shape")?.extract()? },
        "broadcast_like" => Op::BroadcastLike,
        "concat" => Op::Concat { axis: a.i64("axis", 0)? },
        "fill" => Op::Fill,
        "range" => Op::Range {
            dtype: a.dtype("dtype")?.ok_or_else(|| PyValueError::new_err("range needs a dtype"))?,
        },
        "resize" => Op::Resize {
            height: a.req("height")?.extract()?,
            width: a.req("width")?.extract()?,
            method: ResizeMethod::parse(&a.req("method")?.extract::<String>()?)
                .map_err(|e| PyValueError::new_err(e.to_string()))?,
            antialias: a.bool("antialias")?,
        },
        "strided_slice" => Op::StridedSlice { specs: parse_specs(&a.req("specs")?)? },
        "gather" => Op::Gather { axis: a.i64("axis", 0)? },
        // Scatter-adds input 0's slices at the indices input 1 into zeros shaped like input 2: gather's
        // gradient, and `tf.math.unsorted_segment_sum` (its gradient is a gather).
        "unsorted_segment_sum" => Op::GatherGrad { axis: a.i64("axis", 0)? },
        "one_hot" => Op::OneHot {
            depth: usize::try_from(a.i64("depth", 0)?)
                .map_err(|_| PyValueError::new_err("one_hot depth must be non-negative"))?,
            on_value: a.f64("on_value", 1.0)?,
            off_value: a.f64("off_value", 0.0)?,
            axis: a.i64("axis", -1)?,
            dtype: a.dtype("dtype")?.unwrap_or(ferroflow_core::DType::F32),
        },
        "shape" => Op::ShapeOf { out_type: a.dtype("out_type")?.unwrap_or(ferroflow_core::DType::I32) },
        "softmax" => Op::Softmax { axis: a.i64("axis", -1)? },
        "log_softmax" => Op::LogSoftmax { axis: a.i64("axis", -1)? },
        "sparse_softmax_cross_entropy" => Op::SparseSoftmaxCrossEntropy,
        "softmax_cross_entropy" => Op::SoftmaxCrossEntropy,
        name if name.starts_with("strings.") => Op::Strings(crate::string_ops::parse(&name[8..], &a)?),
        name if name.starts_with("complex.") => Op::Complex(crate::complex_ops::parse(&name[8..], &a)?),
        "eigh" => Op::Eigh,
        // Batch normalization over every axis but the last (`batch_norm_op`): the moments `[2, C]` and the
        // training-mode normalization by them, whose gradient covers the path through the moments.
        "batch_norm_moments" => Op::BatchNorm(BatchNormOp::Moments),
        "batch_norm_training" => Op::BatchNorm(BatchNormOp::Training { epsilon: a.f64("epsilon", 1e-3)? }),
        // Layer normalization over the last axis with its scale and offset (`kernels::layer_norm`).
        "layer_norm" => Op::BatchNorm(BatchNormOp::LayerNorm { epsilon: a.f64("epsilon", 1e-3)? }),
        "svd" => Op::Svd,
        other => return Err(PyValueError::new_err(format!("unknown op '{other}'"))),
    })
}

fn var_attr(a: &Attrs, key: &str) -> PyResult<ferroflow_core::VarHandle> {
    Ok(a.req(key)?.cast::<PyVariable>()?.get().handle.clone())
}

fn parse_shape(v: Option<Bound<'_, PyAny>>) -> PyResult<Shape> {
    match v {
        None => Ok(Shape::unknown()),
        Some(v) => {
            let dims: Vec<Option<usize>> = v.extract()?;
            Ok(Shape::from_dims(dims))
        }
    }
}

/// Slice specs arrive as tuples: `("index", i)`, `("range", start, stop, step)`, `("newaxis",)`, `("ellipsis",)`.
fn parse_specs(v: &Bound<'_, PyAny>) -> PyResult<Vec<SliceSpec>> {
    let mut out = Vec::new();
    for item in v.try_iter()? {
        let item = item?;
        let t = item.cast::<PyTuple>()?;
        let kind: String = t.get_item(0)?.extract()?;
        out.push(match kind.as_str() {
            "index" => SliceSpec::Index(t.get_item(1)?.extract()?),
            "range" => SliceSpec::Range {
                start: t.get_item(1)?.extract()?,
                stop: t.get_item(2)?.extract()?,
                step: t.get_item(3)?.extract()?,
            },
            "newaxis" => SliceSpec::NewAxis,
            "ellipsis" => SliceSpec::Ellipsis,
            other => return Err(PyValueError::new_err(format!("unknown slice kind '{other}'"))),
        });
    }
    Ok(out)
}
