//! Static shape and dtype inference: run when a node is added, so a bad graph fails while it is built.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::kernels::resize_weights::ResizeMethod;
use crate::op::{BinaryOp, CompareOp, Op, ReduceOp, SliceSpec, UnaryOp};
use crate::shape::{broadcast_shapes, normalize_axes, normalize_axis, Dim, Shape};

type In<'a> = (&'a Shape, DType);

/// The output shape and dtype of `op` applied to inputs of the given shapes and dtypes, or an error
/// saying what the op expected and what it received.
pub fn infer(op: &Op, inputs: &[In]) -> Result<(Shape, DType)> {
    check_arity(op, inputs.len())?;
    let s = |i: usize| inputs[i].0;
    let d = |i: usize| inputs[i].1;
    Ok(match op {
        Op::Const(t) => (Shape::known(t.shape()), t.dtype()),
        Op::Placeholder { dtype, shape } => (shape.clone(), *dtype),
        Op::ReadVariable(v) => (v.shape().clone(), v.dtype()),
        Op::Assign { var, .. } => {
            same_dtype("Assign", var.dtype(), d(0))?;
            let _ = broadcast_shapes(var.shape(), s(0))?;
            if let (Some(a), Some(b)) = (var.shape().rank(), s(0).rank()) {
                if a != b {
                    return Err(Error::invalid(format!(
                        "cannot assign a value of shape {} to variable '{}' of shape {}",
                        s(0),
                        var.name(),
                        var.shape()
                    )));
                }
            }
            (var.shape().clone(), var.dtype())
        }
        Op::RandomLike { dtype, .. } | Op::DropoutMask { dtype, .. } => {
            require_float("random", *dtype)?;
            (s(0).clone(), *dtype)
        }
        Op::Group => (Shape::known(&[0]), DType::F32),
        Op::ApplyAdam { var, .. } | Op::ApplySgd { var, .. } | Op::ApplyAdagrad { var, .. } => {
            require_float("optimizer step", var.dtype())?;
            same_dtype("optimizer step", var.dtype(), d(0))?;
            same_dtype("optimizer step learning rate", var.dtype(), d(1))?;
            if let (Some(a), Some(b)) = (var.shape().to_concrete(), s(0).to_concrete()) {
                if a != b {
                    return Err(Error::invalid(format!(
                        "gradient of shape {} does not match variable '{}' of shape {}",
                        s(0),
                        var.name(),
                        var.shape()
                    )));
                }
            }
            (Shape::known(&[0]), DType::F32)
        }
        Op::Unary(u) => (s(0).clone(), unary_dtype(*u, d(0))?),
        Op::Binary(b) => {
            same_dtype(&format!("{b:?}"), d(0), d(1))?;
            match b {
                BinaryOp::LogicalAnd | BinaryOp::LogicalOr => {
                    require(d(0) == DType::Bool, || format!("{b:?} expects bool tensors, received {}", d(0)))?
                }
                BinaryOp::Atan2 => require_float("Atan2", d(0))?,
                BinaryOp::BitwiseAnd
                | BinaryOp::BitwiseOr
                | BinaryOp::BitwiseXor
                | BinaryOp::LeftShift
                | BinaryOp::RightShift => {
                    require(d(0).is_int(), || format!("{b:?} expects integer tensors, received {}", d(0)))?
                }
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow
                    if d(0).is_complex() => {}
                _ => require(d(0).is_numeric(), || {
                    format!("{b:?} expects numeric tensors, received {}", d(0))
                })?,
            }
            (broadcast_shapes(s(0), s(1))?, d(0))
        }
        Op::Compare(c) => {
            same_dtype(&format!("{c:?}"), d(0), d(1))?;
            // Complex numbers have no order: only equality compares them.
            require(!d(0).is_complex() || matches!(c, CompareOp::Equal | CompareOp::NotEqual), || {
                format!("{c:?} is not defined for {} tensors", d(0))
            })?;
            (broadcast_shapes(s(0), s(1))?, DType::Bool)
        }
        Op::Select => {
            require(d(0) == DType::Bool, || format!("where expects a bool condition, received {}", d(0)))?;
            same_dtype("where", d(1), d(2))?;
            (broadcast_shapes(&broadcast_shapes(s(0), s(1))?, s(2))?, d(1))
        }
        Op::Cast(to) => (s(0).clone(), crate::infer_strings::cast(d(0), *to)?),
        Op::FillLike { dtype, .. } => (s(0).clone(), dtype.unwrap_or(d(0))),
        Op::Identity | Op::StopGradient | Op::CheckNumerics { .. } | Op::AfterControls => {
            (s(0).clone(), d(0))
        }
        Op::EnsureShape { dims } => (s(0).merge(&Shape::from_dims(dims.clone()))?, d(0)),
        Op::SoftmaxGrad => {
            require_float("SoftmaxGrad", d(0))?;
            same_dtype("SoftmaxGrad", d(0), d(1))?;
            (s(0).merge(s(1))?, d(0))
        }
        Op::ReluGrad => {
            require_float("ReluGrad", d(0))?;
            same_dtype("ReluGrad", d(0), d(1))?;
            (broadcast_shapes(s(0), s(1))?, d(0))
        }
        Op::MatMul { transpose_a, transpose_b } => (matmul_shape(s(0), s(1), *transpose_a, *transpose_b)?, {
            same_dtype("MatMul", d(0), d(1))?;
            require(d(0).is_numeric() || d(0).is_complex(), || {
                format!("MatMul expects numeric tensors, received {}", d(0))
            })?;
            d(0)
        }),
        Op::Reduce { op, axes, keepdims } => {
            let complex_sum = d(0).is_complex() && matches!(op, ReduceOp::Sum | ReduceOp::Mean);
            require(d(0).is_numeric() || complex_sum, || {
                format!("reduce_{} expects a numeric tensor, received {}", reduce_name(*op), d(0))
            })?;
            (reduced_shape(s(0), axes.as_deref(), *keepdims)?, d(0))
        }
        Op::ArgMax { axis, output_type } | Op::ArgMin { axis, output_type } => {
            require(output_type.is_index(), || {
                format!("output_type must be int32 or int64, received {output_type}")
            })?;
            require(d(0).is_numeric(), || format!("argmax expects a numeric tensor, received {}", d(0)))?;
            (reduced_shape(s(0), Some(&[*axis]), false)?, *output_type)
        }
        Op::UnreduceLike { .. } | Op::ReduceToShapeOf | Op::BroadcastLike => (s(1).clone(), d(0)),
        Op::Reshape { shape } => (reshape_shape(s(0), shape)?, d(0)),
        Op::ReshapeLike => (s(1).clone(), d(0)),
        Op::Transpose { perm } => (transpose_shape(s(0), perm.as_deref())?, d(0)),
        Op::ExpandDims { axis } => (expand_dims_shape(s(0), *axis)?, d(0)),
        Op::Squeeze { axes } => (squeeze_shape(s(0), axes.as_deref())?, d(0)),
        Op::BroadcastTo { shape } => {
            let target = Shape::known(shape);
            let b = broadcast_shapes(s(0), &target)?;
            if b.rank() != target.rank() {
                return Err(Error::invalid(format!("cannot broadcast shape {} to {}", s(0), target)));
            }
            (target, d(0))
        }
        Op::Concat { axis } => concat_shape(inputs, *axis)?,
        Op::ConcatSplit { index, .. } => (inputs[1 + index].0.clone(), d(0)),
        Op::StridedSlice { specs } => (slice_shape(s(0), specs)?, d(0)),
        Op::Range { dtype } => {
            require(d(0).is_numeric() && d(1).is_numeric() && d(2).is_numeric(), || {
                format!("range expects numeric bounds, received {}, {} and {}", d(0), d(1), d(2))
            })?;
            (Shape::from_dims(vec![None]), *dtype)
        }
        Op::Fill => (crate::kernels::fill::fill_shape(s(0), d(0), s(1))?, d(1)),
        Op::Resize { height, width, method, .. } => resize_shape(s(0), d(0), [*height, *width], *method)?,
        Op::StridedSliceGrad { .. } | Op::GatherGrad { .. } | Op::ResizeGrad { .. } => {
            let like = inputs.len() - 1;
            (inputs[like].0.clone(), d(0))
        }
        Op::LstmCell => crate::kernels::lstm_cell::infer(inputs, None)?,
        Op::LstmCellGrad { wrt_state } => crate::kernels::lstm_cell::infer(inputs, Some(*wrt_state))?,
        Op::LstmSequence { inference } => crate::kernels::lstm_sequence::infer(inputs, 0, *inference)?,
        Op::LstmSequenceGrad { with_states } => {
            crate::kernels::lstm_sequence::infer(inputs, 1, *with_states)?
        }
        Op::LstmSequenceWeightGrad => crate::kernels::lstm_sequence::infer(inputs, 2, false)?,
        Op::ArgSort { .. } => {
            require(d(0).is_numeric(), || format!("sort expects a numeric tensor, received {}", d(0)))?;
            if s(0).rank() == Some(0) {
                return Err(Error::invalid("sort expects a tensor of rank 1 or more, received a scalar"));
            }
            (s(0).clone(), DType::I32)
        }
        Op::Unique { positions, out_idx } => {
            if s(0).rank().is_some_and(|r| r != 1) {
                return Err(Error::invalid(format!("unique expects a 1-D tensor, received shape {}", s(0))));
            }
            require(out_idx.is_index(), || {
                format!("unique's out_idx must be int32 or int64, received {out_idx}")
            })?;
            if *positions {
                (Shape::from_dims(vec![None]), DType::I64)
            } else {
                (
                    Shape::from_dims(vec![s(0).dims.as_ref().and_then(|d| d.first().copied()).flatten()]),
                    *out_idx,
                )
            }
        }
        Op::WriteRow => {
            require(d(1).is_index(), || {
                format!("write_row expects an int32 or int64 index, received {}", d(1))
            })?;
            same_dtype("write_row", d(0), d(2))?;
            if let (Some(buf), Some(_)) = (&s(0).dims, s(2).rank()) {
                let row = Shape::from_dims(buf.get(1..).unwrap_or_default().to_vec());
                if buf.is_empty() || row.merge(s(2)).is_err() {
                    return Err(Error::invalid(format!(
                        "write_row: a value of shape {} cannot be a row of a buffer of shape {}",
                        s(2),
                        s(0)
                    )));
                }
            }
            (s(0).clone(), d(0))
        }
        Op::Gather { axis } => {
            require(d(1).is_index(), || format!("gather expects int32 or int64 indices, received {}", d(1)))?;
            (gather_shape(s(0), s(1), *axis)?, d(0))
        }
        Op::OneHot { depth, axis, dtype, .. } => {
            require(d(0).is_index(), || {
                format!("one_hot expects int32 or int64 indices, received {}", d(0))
            })?;
            (one_hot_shape(s(0), *depth, *axis)?, *dtype)
        }
        Op::ShapeOf { out_type } => (Shape::from_dims(vec![s(0).rank()]), *out_type),
        Op::Softmax { axis } | Op::LogSoftmax { axis } => {
            require_float("softmax", d(0))?;
            if let Some(r) = s(0).rank() {
                normalize_axis(*axis, r)?;
            }
            (s(0).clone(), d(0))
        }
        Op::SparseSoftmaxCrossEntropy => {
            require_float("sparse_softmax_cross_entropy_with_logits", d(0))?;
            require(d(1).is_index(), || {
                format!(
                    "sparse_softmax_cross_entropy_with_logits expects int32 or int64 labels, received {}",
                    d(1)
                )
            })?;
            (sparse_xent_shape(s(0), s(1))?, d(0))
        }
        Op::Eigh | Op::Svd | Op::EighGrad | Op::SvdGrad => crate::infer_decompositions::infer(op, s, d)?,
        Op::Control(c) => c.infer(inputs)?,
        Op::Strings(op) => crate::infer_strings::infer(op, inputs)?,
        Op::Conv(op) => crate::conv_op::infer(op, inputs)?,
        Op::BatchNorm(op) => crate::batch_norm_op::infer(op, inputs)?,
        Op::Complex(op) => crate::complex_op::infer(op, inputs)?,
        Op::SoftmaxCrossEntropy => {
            require_float("softmax_cross_entropy_with_logits", d(0))?;
            same_dtype("softmax_cross_entropy_with_logits", d(0), d(1))?;
            let b = broadcast_shapes(s(0), s(1))?;
            (reduced_shape(&b, Some(&[-1]), false)?, d(0))
        }
    })
}

fn check_arity(op: &Op, n: usize) -> Result<()> {
    let expected: Option<usize> = match op {
        Op::Const(_) | Op::Placeholder { .. } | Op::ReadVariable(_) => Some(0),
        Op::Complex(c) => Some(c.arity()),
        Op::Group | Op::Strings(_) | Op::Conv(_) | Op::BatchNorm(_) | Op::Control(_) => None,
        Op::AfterControls => return require(n >= 1, || "AfterControls expects an input".into()),
        Op::Concat { .. } => {
            return require(n >= 1, || "concat expects at least one input, received none".to_string());
        }
        Op::ConcatSplit { index, .. } => {
            return require(n >= 2 + index, || {
                format!("ConcatSplit index {index} needs at least {} inputs, received {n}", index + 2)
            });
        }
        Op::Binary(_)
        | Op::Compare(_)
        | Op::MatMul { .. }
        | Op::UnreduceLike { .. }
        | Op::ReduceToShapeOf
        | Op::ReshapeLike
        | Op::BroadcastLike
        | Op::Gather { .. }
        | Op::StridedSliceGrad { .. }
        | Op::ResizeGrad { .. }
        | Op::SparseSoftmaxCrossEntropy
        | Op::SoftmaxCrossEntropy
        | Op::EighGrad
        | Op::ApplyAdam { .. }
        | Op::ApplySgd { .. }
        | Op::ApplyAdagrad { .. }
        | Op::LstmCell
        | Op::ReluGrad
        | Op::SoftmaxGrad
        | Op::Fill => Some(2),
        Op::Select
        | Op::GatherGrad { .. }
        | Op::SvdGrad
        | Op::Range { .. }
        | Op::WriteRow
        | Op::LstmCellGrad { .. }
        | Op::LstmSequenceWeightGrad => Some(3),
        Op::LstmSequence { .. } => Some(4),
        Op::LstmSequenceGrad { .. } => Some(9),
        _ => Some(1),
    };
    match expected {
        Some(e) if e != n => {
            Err(Error::invalid(format!("{} expects {e} inputs, received {n}", op.type_name())))
        }
        _ => Ok(()),
    }
}

pub(crate) fn require(cond: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::dtype(msg()))
    }
}

/// `[n, height, width, c]` from images `[n, h, w, c]`; interpolation needs floats, nearest any number.
fn resize_shape(s: &Shape, d: DType, size: [usize; 2], method: ResizeMethod) -> Result<(Shape, DType)> {
    if method == ResizeMethod::Nearest {
        require(d.is_numeric(), || format!("resize expects numeric images, received {d}"))?;
    } else {
        require_float("resize", d)?;
    }
    let dims = match &s.dims {
        None => vec![None, Some(size[0]), Some(size[1]), None],
        Some(dims) if dims.len() == 4 => vec![dims[0], Some(size[0]), Some(size[1]), dims[3]],
        Some(_) => {
            return Err(Error::invalid(format!(
                "resize expects images [batch, height, width, channels], received {s}"
            )))
        }
    };
    Ok((Shape::from_dims(dims), d))
}

pub(crate) fn require_float(what: &str, d: DType) -> Result<()> {
    require(d.is_float(), || format!("{what} expects a float32 or float64 tensor, received {d}"))
}

fn same_dtype(what: &str, a: DType, b: DType) -> Result<()> {
    require(a == b, || format!("{what} expects inputs of the same dtype, received {a} and {b}"))
}

fn reduce_name(op: ReduceOp) -> &'static str {
    match op {
        ReduceOp::Sum => "sum",
        ReduceOp::Mean => "mean",
        ReduceOp::Max => "max",
        ReduceOp::Min => "min",
        ReduceOp::Prod => "prod",
    }
}

fn unary_dtype(u: UnaryOp, d: DType) -> Result<DType> {
    use UnaryOp::*;
    match u {
        LogicalNot => {
            require(d == DType::Bool, || format!("logical_not expects a bool tensor, received {d}"))?
        }
        Invert => require(d.is_int(), || format!("Invert expects an integer tensor, received {d}"))?,
        // The holomorphic functions `kernels::complex` computes on complex numbers.
        Neg | Square | Sign | Exp | Log | Sqrt | Rsqrt | Tanh | Sigmoid | Reciprocal | Sin | Cos | Log1p
        | Expm1
            if d.is_complex() => {}
        Neg | Square | Abs | Sign | Relu => {
            require(d.is_numeric(), || format!("{u:?} expects a numeric tensor, received {d}"))?
        }
        _ => require_float(&format!("{u:?}"), d)?,
    }
    Ok(d)
}

fn dims(s: &Shape) -> Option<&Vec<Dim>> {
    s.dims.as_ref()
}

fn matmul_shape(a: &Shape, b: &Shape, ta: bool, tb: bool) -> Result<Shape> {
    let (Some(da), Some(db)) = (dims(a), dims(b)) else { return Ok(Shape::unknown()) };
    if da.len() < 2 || db.len() < 2 {
        return Err(Error::invalid(format!(
            "matmul expects tensors of rank >= 2, received shapes {a} and {b}"
        )));
    }
    let (m, ka) =
        if ta { (da[da.len() - 1], da[da.len() - 2]) } else { (da[da.len() - 2], da[da.len() - 1]) };
    let (kb, n) =
        if tb { (db[db.len() - 1], db[db.len() - 2]) } else { (db[db.len() - 2], db[db.len() - 1]) };
    if let (Some(x), Some(y)) = (ka, kb) {
        if x != y {
            return Err(Error::invalid(format!(
                "Matrix size-incompatible: In[0]: {a}, In[1]: {b} (transpose_a={ta}, transpose_b={tb}): \
                 inner dimensions {x} and {y} differ"
            )));
        }
    }
    let batch_a = Shape::from_dims(da[..da.len() - 2].to_vec());
    let batch_b = Shape::from_dims(db[..db.len() - 2].to_vec());
    let mut out = broadcast_shapes(&batch_a, &batch_b)?.dims.unwrap_or_default();
    out.push(m);
    out.push(n);
    Ok(Shape::from_dims(out))
}

/// Shape after reducing `axes` (None = all).
pub fn reduced_shape(s: &Shape, axes: Option<&[i64]>, keepdims: bool) -> Result<Shape> {
    let Some(d) = dims(s) else {
        return Ok(if axes.is_none() && !keepdims { Shape::scalar() } else { Shape::unknown() });
    };
    let axes = normalize_axes(axes, d.len())?;
    let mut out = Vec::new();
    for (i, &dim) in d.iter().enumerate() {
        if axes.contains(&i) {
            if keepdims {
                out.push(Some(1));
            }
        } else {
            out.push(dim);
        }
    }
    Ok(Shape::from_dims(out))
}

fn reshape_shape(s: &Shape, target: &[i64]) -> Result<Shape> {
    if target.iter().filter(|&&t| t == -1).count() > 1 {
        return Err(Error::invalid(format!("reshape target {target:?} has more than one -1")));
    }
    if let Some(&bad) = target.iter().find(|&&t| t < -1) {
        return Err(Error::invalid(format!("reshape target {target:?} has an invalid dimension {bad}")));
    }
    let known: usize = target.iter().filter(|&&t| t >= 0).map(|&t| t as usize).product();
    let total = s.num_elements();
    let mut out: Vec<Dim> = target.iter().map(|&t| if t >= 0 { Some(t as usize) } else { None }).collect();
    match total {
        Some(total) => {
            let has_wild = target.contains(&-1);
            if has_wild {
                if known == 0 || total % known != 0 {
                    return Err(Error::invalid(format!(
                        "cannot reshape a tensor of shape {s} ({total} elements) into shape {target:?}"
                    )));
                }
                for o in out.iter_mut() {
                    if o.is_none() {
                        *o = Some(total / known);
                    }
                }
            } else if known != total {
                return Err(Error::invalid(format!(
                    "cannot reshape a tensor of shape {s} ({total} elements) into shape {target:?} ({known} elements)"
                )));
            }
        }
        None => {
            // An unknown batch dimension: the -1 stays unknown; a known product that cannot divide the
            // known part of the input is already an error.
            if let Some(d) = dims(s) {
                let known_in: usize = d.iter().flatten().product();
                if !target.contains(&-1) && known_in > 0 && !known.is_multiple_of(known_in) {
                    return Err(Error::invalid(format!(
                        "cannot reshape a tensor of shape {s} into shape {target:?}"
                    )));
                }
            }
        }
    }
    Ok(Shape::from_dims(out))
}

fn transpose_shape(s: &Shape, perm: Option<&[usize]>) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let perm: Vec<usize> = match perm {
        None => (0..d.len()).rev().collect(),
        Some(p) => p.to_vec(),
    };
    let mut seen = vec![false; d.len()];
    if perm.len() != d.len() || perm.iter().any(|&p| p >= d.len() || std::mem::replace(&mut seen[p], true)) {
        return Err(Error::invalid(format!(
            "transpose perm {perm:?} is not a permutation of the {} axes of shape {s}",
            d.len()
        )));
    }
    Ok(Shape::from_dims(perm.iter().map(|&p| d[p]).collect()))
}

fn expand_dims_shape(s: &Shape, axis: i64) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let at = normalize_axis(axis, d.len() + 1)
        .map_err(|_| Error::invalid(format!("expand_dims axis {axis} is out of range for shape {s}")))?;
    let mut out = d.clone();
    out.insert(at, Some(1));
    Ok(Shape::from_dims(out))
}

fn squeeze_shape(s: &Shape, axes: Option<&[i64]>) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    match axes {
        None => {
            if d.iter().any(|x| x.is_none()) {
                return Ok(Shape::unknown());
            }
            Ok(Shape::from_dims(d.iter().copied().filter(|&x| x != Some(1)).collect()))
        }
        Some(a) => {
            let axes = normalize_axes(Some(a), d.len())?;
            for &ax in &axes {
                if let Some(n) = d[ax] {
                    if n != 1 {
                        return Err(Error::invalid(format!(
                            "cannot squeeze axis {ax} of shape {s}: its size is {n}, expected 1"
                        )));
                    }
                }
            }
            Ok(Shape::from_dims(
                d.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, &x)| x).collect(),
            ))
        }
    }
}

fn concat_shape(inputs: &[In], axis: i64) -> Result<(Shape, DType)> {
    let dtype = inputs[0].1;
    for (i, (_, d)) in inputs.iter().enumerate() {
        if *d != dtype {
            return Err(Error::dtype(format!(
                "concat expects inputs of one dtype: input 0 is {dtype}, input {i} is {d}"
            )));
        }
    }
    let Some(rank) = inputs.iter().find_map(|(s, _)| s.rank()) else { return Ok((Shape::unknown(), dtype)) };
    let ax = normalize_axis(axis, rank)?;
    let mut out: Vec<Dim> = vec![None; rank];
    let mut along: Dim = Some(0);
    for (i, (s, _)) in inputs.iter().enumerate() {
        let Some(d) = dims(s) else {
            along = None;
            continue;
        };
        if d.len() != rank {
            return Err(Error::invalid(format!(
                "concat expects inputs of one rank: input {i} has shape {s}, expected rank {rank}"
            )));
        }
        for (k, &dim) in d.iter().enumerate() {
            if k == ax {
                along = match (along, dim) {
                    (Some(a), Some(b)) => Some(a + b),
                    _ => None,
                };
            } else {
                match (out[k], dim) {
                    (Some(a), Some(b)) if a != b => {
                        return Err(Error::invalid(format!(
                            "concat along axis {axis}: input {i} has shape {s}, whose dimension {k} is {b}, expected {a}"
                        )))
                    }
                    (None, b) => out[k] = b,
                    _ => {}
                }
            }
        }
    }
    out[ax] = along;
    Ok((Shape::from_dims(out), dtype))
}

fn slice_shape(s: &Shape, specs: &[SliceSpec]) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let ellipses = specs.iter().filter(|x| matches!(x, SliceSpec::Ellipsis)).count();
    if ellipses > 1 {
        return Err(Error::invalid("an index can only have a single ellipsis ('...')"));
    }
    let consuming =
        specs.iter().filter(|x| matches!(x, SliceSpec::Index(_) | SliceSpec::Range { .. })).count();
    if consuming > d.len() {
        return Err(Error::invalid(format!(
            "too many indices for a tensor of shape {s}: {} dimensions, {consuming} indexed",
            d.len()
        )));
    }
    let mut out = Vec::new();
    let mut axis = 0;
    for spec in specs {
        match spec {
            SliceSpec::NewAxis => out.push(Some(1)),
            SliceSpec::Ellipsis => {
                let skip = d.len() - consuming;
                out.extend_from_slice(&d[axis..axis + skip]);
                axis += skip;
            }
            SliceSpec::Index(i) => {
                if let Some(n) = d[axis] {
                    let n = n as i64;
                    if *i < -n || *i >= n {
                        return Err(Error::out_of_range(format!(
                            "index {i} is out of bounds for axis {axis} with size {n}"
                        )));
                    }
                }
                axis += 1;
            }
            SliceSpec::Range { start, stop, step } => {
                if *step == 0 {
                    return Err(Error::invalid("slice step cannot be zero"));
                }
                out.push(d[axis].map(|n| range_len(n as i64, *start, *stop, *step)));
                axis += 1;
            }
        }
    }
    out.extend_from_slice(&d[axis..]);
    Ok(Shape::from_dims(out))
}

/// Python's `len(range(n)[start:stop:step])`.
pub fn range_len(n: i64, start: Option<i64>, stop: Option<i64>, step: i64) -> usize {
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let norm = |v: i64| if v < 0 { v + n } else { v };
    let (lo, hi) = if step > 0 {
        (start.map_or(0, |s| clamp(norm(s), 0, n)), stop.map_or(n, |s| clamp(norm(s), 0, n)))
    } else {
        (start.map_or(n - 1, |s| clamp(norm(s), -1, n - 1)), stop.map_or(-1, |s| clamp(norm(s), -1, n - 1)))
    };
    let span = if step > 0 { hi - lo } else { lo - hi };
    if span <= 0 {
        0
    } else {
        ((span + step.abs() - 1) / step.abs()) as usize
    }
}

fn gather_shape(params: &Shape, indices: &Shape, axis: i64) -> Result<Shape> {
    let (Some(p), Some(i)) = (dims(params), dims(indices)) else { return Ok(Shape::unknown()) };
    let ax = normalize_axis(axis, p.len())?;
    let mut out = p[..ax].to_vec();
    out.extend_from_slice(i);
    out.extend_from_slice(&p[ax + 1..]);
    Ok(Shape::from_dims(out))
}

fn one_hot_shape(s: &Shape, depth: usize, axis: i64) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let at = if axis == -1 { d.len() } else { normalize_axis(axis, d.len() + 1)? };
    let mut out = d.clone();
    out.insert(at, Some(depth));
    Ok(Shape::from_dims(out))
}

fn sparse_xent_shape(logits: &Shape, labels: &Shape) -> Result<Shape> {
    let (Some(l), Some(y)) = (dims(logits), dims(labels)) else { return Ok(Shape::unknown()) };
    let ok = l.len() == y.len() + 1
        && l[..y.len()].iter().zip(y).all(|(a, b)| a.is_none() || b.is_none() || a == b);
    if !ok {
        return Err(Error::invalid(format!(
            "logits and labels must have compatible shapes: logits {logits} need labels of shape {}, received labels of shape {labels}",
            Shape::from_dims(l[..l.len().saturating_sub(1)].to_vec())
        )));
    }
    Ok(Shape::from_dims(y.iter().zip(l).map(|(a, b)| a.or(*b)).collect()))
}

#[cfg(test)]
#[path = "infer_tests.rs"]
mod tests;
