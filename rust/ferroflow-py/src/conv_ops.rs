//! Builds `Op::Conv` (convolution and pooling) from its Python name and attributes.

use crate::op::Attrs;
use ferroflow_core::conv_op::{ConvOp, Padding, PoolKind, Window};
use ferroflow_core::op::Op;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

fn pair(a: &Attrs, key: &str) -> PyResult<[usize; 2]> {
    let v: Vec<usize> = match a.get(key)? {
        None => vec![1, 1],
        Some(v) => v.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "'{key}' must be two non-negative ints (height, width), received {v}"
            ))
        })?,
    };
    <[usize; 2]>::try_from(v.as_slice()).map_err(|_| {
        PyValueError::new_err(format!("'{key}' must hold two values (height, width), received {v:?}"))
    })
}

fn padding(a: &Attrs) -> PyResult<Padding> {
    let v = a.req("padding")?;
    if let Ok(name) = v.extract::<String>() {
        return match name.to_ascii_uppercase().as_str() {
            "VALID" => Ok(Padding::Valid),
            "SAME" => Ok(Padding::Same),
            _ => Err(PyValueError::new_err(format!(
                "padding must be 'VALID', 'SAME' or explicit, received '{name}'"
            ))),
        };
    }
    let pads: [[usize; 2]; 2] = v.extract().map_err(|_| {
        PyValueError::new_err(format!(
            "explicit padding must be [[top, bottom], [left, right]] of non-negative ints, received {v}"
        ))
    })?;
    Ok(Padding::Explicit(pads))
}

fn window(a: &Attrs) -> PyResult<Window> {
    Ok(Window { strides: pair(a, "strides")?, dilations: pair(a, "dilations")?, padding: padding(a)? })
}

/// The convolution or pooling op called `name`, or None for other names.
pub(crate) fn parse(name: &str, a: &Attrs) -> PyResult<Option<Op>> {
    let pool = |kind: PoolKind| -> PyResult<(PoolKind, [usize; 2], Window)> {
        Ok((kind, pair(a, "ksize")?, window(a)?))
    };
    let op = match name {
        "conv2d" => ConvOp::Conv2D(window(a)?),
        "conv2d_backprop_input" => ConvOp::Conv2DBackpropInput(window(a)?),
        "conv2d_backprop_filter" => ConvOp::Conv2DBackpropFilter(window(a)?),
        "max_pool2d" | "avg_pool2d" | "max_pool2d_grad" | "avg_pool2d_grad" => {
            let kind = if name.starts_with("max") { PoolKind::Max } else { PoolKind::Avg };
            let (kind, size, window) = pool(kind)?;
            if name.ends_with("_grad") {
                ConvOp::PoolGrad { kind, size, window }
            } else {
                ConvOp::Pool { kind, size, window }
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(Op::Conv(op)))
}
