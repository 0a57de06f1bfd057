//! Shape and dtype inference for string ops, and the rule that no cast turns numbers into strings.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer::require;
use crate::shape::{broadcast_shapes, normalize_axes, Dim, Shape};
use crate::string_op::StringOp;

type In<'a> = (&'a Shape, DType);

/// TensorFlow casts between numbers and bools only: strings are parsed and printed by string ops.
pub(crate) fn cast(from: DType, to: DType) -> Result<DType> {
    if from != to && (from == DType::Str || to == DType::Str) {
        let hint = if to == DType::Str { "tf.strings.as_string" } else { "tf.strings.to_number" };
        return Err(Error::dtype(format!("Cast {from} to {to} is not supported; use {hint}")));
    }
    Ok(to)
}

fn strings(what: &str, d: DType) -> Result<()> {
    require(d == DType::Str, || format!("{what} expects a string tensor, received {d}"))
}

fn arity(what: &str, inputs: &[In], n: usize) -> Result<()> {
    if inputs.len() != n {
        return Err(Error::invalid(format!("{what} expects {n} inputs, received {}", inputs.len())));
    }
    Ok(())
}

/// A 1-D shape of unknown length (the flat values of a split or a decode).
fn unknown_vector() -> Shape {
    Shape::from_dims(vec![None])
}

/// The row splits of `n` rows: `n + 1` entries.
fn row_splits_shape(s: &Shape) -> Result<Shape> {
    match s.dims.as_deref() {
        None => Ok(unknown_vector()),
        Some([n]) => Ok(Shape::from_dims(vec![n.map(|n| n + 1)])),
        Some(_) => Err(Error::invalid(format!("expected a 1-D string tensor, received shape {s}"))),
    }
}

pub(crate) fn infer(op: &StringOp, inputs: &[In]) -> Result<(Shape, DType)> {
    if let StringOp::Record(r) = op {
        return crate::records::infer(r, inputs);
    }
    if let StringOp::Image(i) = op {
        return crate::image_codec::infer(i, inputs);
    }
    let name = op.type_name();
    if let StringOp::Format { pieces, .. } = op {
        arity(name, inputs, pieces.len().saturating_sub(1))?;
        return Ok((Shape::scalar(), DType::Str));
    }
    if let StringOp::Join { .. } = op {
        if inputs.is_empty() {
            return Err(Error::invalid("StringJoin expects at least one input, received none"));
        }
        let mut shape = Shape::known(&[]);
        for &(s, d) in inputs {
            strings(name, d)?;
            shape = broadcast_shapes(&shape, s)?;
        }
        return Ok((shape, DType::Str));
    }
    arity(name, inputs, if matches!(op, StringOp::Substr { .. }) { 3 } else { 1 })?;
    let (s, d) = inputs[0];
    if let StringOp::AsString(_) = op {
        require(d != DType::Str, || "AsString expects a number or bool tensor, received string".to_string())?;
        return Ok((s.clone(), DType::Str));
    }
    if let StringOp::UnicodeEncode = op {
        require(d == DType::I32, || format!("UnicodeEncode expects int32 code points, received {d}"))?;
        let dims = s.dims.as_ref().ok_or_else(|| Error::invalid("UnicodeEncode needs a known rank"))?;
        let lead = dims.split_last().map(|(_, l)| l.to_vec()).ok_or_else(|| {
            Error::invalid("UnicodeEncode expects code points of rank >= 1, received a scalar")
        })?;
        return Ok((Shape::from_dims(lead), DType::Str));
    }
    strings(name, d)?;
    Ok(match op {
        StringOp::Length { .. } => (s.clone(), DType::I32),
        StringOp::Lower { .. }
        | StringOp::Upper { .. }
        | StringOp::Strip
        | StringOp::RegexReplace { .. }
        | StringOp::ReadFile => (s.clone(), DType::Str),
        StringOp::RegexFullMatch { .. } => (s.clone(), DType::Bool),
        StringOp::ReduceJoin { axes, keepdims, .. } => (reduced(s, axes.as_deref(), *keepdims)?, DType::Str),
        StringOp::Substr { .. } => {
            let (ps, pd) = inputs[1];
            let (ls, ld) = inputs[2];
            require(pd.is_index() && pd == ld, || {
                format!("Substr expects pos and len of one dtype, int32 or int64; received {pd} and {ld}")
            })?;
            (broadcast_shapes(&broadcast_shapes(s, ps)?, ls)?, DType::Str)
        }
        StringOp::ToNumber { out_type } => {
            require(out_type.is_numeric(), || {
                format!("to_number out_type must be a number type, received {out_type}")
            })?;
            (s.clone(), *out_type)
        }
        StringOp::SplitValues { .. } => (unknown_vector(), DType::Str),
        StringOp::UnicodeDecodeValues { .. } => (unknown_vector(), DType::I32),
        StringOp::SplitRowSplits { .. } | StringOp::UnicodeDecodeRowSplits => {
            (row_splits_shape(s)?, DType::I64)
        }
        StringOp::DecodeRaw { out_type, .. } => {
            require(out_type.is_numeric() || *out_type == DType::Bool, || {
                format!("decode_raw out_type must be a number type, received {out_type}")
            })?;
            let mut dims: Vec<Dim> = s.dims.clone().unwrap_or_default();
            dims.push(None);
            (if s.dims.is_some() { Shape::from_dims(dims) } else { Shape::unknown() }, *out_type)
        }
        StringOp::Join { .. }
        | StringOp::Format { .. }
        | StringOp::AsString(_)
        | StringOp::UnicodeEncode
        | StringOp::Record(_)
        | StringOp::Image(_) => return Err(Error::internal("handled above")),
    })
}

fn reduced(s: &Shape, axes: Option<&[i64]>, keepdims: bool) -> Result<Shape> {
    let Some(dims) = s.dims.as_ref() else { return Ok(Shape::unknown()) };
    let axes = normalize_axes(axes, dims.len())?;
    Ok(Shape::from_dims(
        dims.iter()
            .enumerate()
            .filter_map(|(i, &d)| match (axes.contains(&i), keepdims) {
                (true, true) => Some(Some(1)),
                (true, false) => None,
                (false, _) => Some(d),
            })
            .collect(),
    ))
}
