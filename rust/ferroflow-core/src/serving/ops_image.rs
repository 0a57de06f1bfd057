//! The `graph.json` ops of image, sequence and signal models: convolution, pooling, resizing, the fused
//! LSTM step and Fourier transforms, with the few plumbing ops their graphs hold (range, shape checks).

use super::ops::Attrs;
use crate::complex_op::ComplexOp;
use crate::conv_op::{ConvOp, Padding, PoolKind, Window};
use crate::error::{Error, Result};
use crate::kernels::resize_weights::ResizeMethod;
use crate::op::Op;
use serde_json::Value;

/// The names this module builds; `ops::SUPPORTED_OPS` includes them.
pub const IMAGE_OPS: &[&str] = &[
    "conv2d",
    "max_pool2d",
    "avg_pool2d",
    "resize",
    "range",
    "ensure_shape",
    "check_numerics",
    "unsorted_segment_sum",
    "lstm_cell",
    "lstm_sequence",
    "complex.make",
    "complex.real",
    "complex.imag",
    "complex.conj",
    "complex.angle",
    "complex.abs",
    "complex.fft",
    "complex.ifft",
    "complex.rfft",
    "complex.irfft",
];

/// `[height, width]`, defaulting to `[1, 1]`.
fn pair(a: &Attrs, key: &str) -> Result<[usize; 2]> {
    let Some(_) = a.get(key) else { return Ok([1, 1]) };
    let v = a.usize_list(key)?;
    <[usize; 2]>::try_from(v.as_slice()).map_err(|_| a.bad(key, "two values (height, width)"))
}

fn padding(a: &Attrs) -> Result<Padding> {
    let v = a.req("padding")?;
    if let Some(name) = v.as_str() {
        return match name.to_ascii_uppercase().as_str() {
            "VALID" => Ok(Padding::Valid),
            "SAME" => Ok(Padding::Same),
            _ => Err(a.bad("padding", "'VALID', 'SAME' or [[top, bottom], [left, right]]")),
        };
    }
    let bad = || a.bad("padding", "'VALID', 'SAME' or [[top, bottom], [left, right]]");
    let rows = v.as_array().filter(|r| r.len() == 2).ok_or_else(bad)?;
    let mut pads = [[0usize; 2]; 2];
    for (row, out) in rows.iter().zip(pads.iter_mut()) {
        let cells = row.as_array().filter(|c| c.len() == 2).ok_or_else(bad)?;
        for (cell, slot) in cells.iter().zip(out.iter_mut()) {
            *slot = cell.as_u64().and_then(|u| usize::try_from(u).ok()).ok_or_else(bad)?;
        }
    }
    Ok(Padding::Explicit(pads))
}

fn window(a: &Attrs) -> Result<Window> {
    Ok(Window { strides: pair(a, "strides")?, dilations: pair(a, "dilations")?, padding: padding(a)? })
}

fn fft_lengths(a: &Attrs) -> Result<Vec<usize>> {
    let v = a.usize_list("fft_length")?;
    if v.is_empty() || v.len() > 3 || v.contains(&0) {
        return Err(a.bad("fft_length", "1 to 3 positive lengths"));
    }
    Ok(v)
}

fn fft_rank(a: &Attrs) -> Result<usize> {
    match a.i64("rank", 1)? {
        r @ 1..=3 => Ok(r as usize),
        _ => Err(a.bad("rank", "1, 2 or 3")),
    }
}

/// Static dimensions with `null` for unknown ones.
fn optional_dims(a: &Attrs, key: &str) -> Result<Vec<Option<usize>>> {
    let bad = || a.bad(key, "a list of non-negative integers or nulls");
    let items = a.req(key)?.as_array().ok_or_else(bad)?;
    items
        .iter()
        .map(|v| match v {
            Value::Null => Ok(None),
            v => v.as_u64().and_then(|u| usize::try_from(u).ok()).map(Some).ok_or_else(bad),
        })
        .collect()
}

/// The op called `name`, or None when it is not one of `IMAGE_OPS`.
pub(super) fn parse(name: &str, a: &Attrs) -> Result<Option<Op>> {
    let pool = |kind: PoolKind| -> Result<Op> {
        Ok(Op::Conv(ConvOp::Pool { kind, size: pair(a, "ksize")?, window: window(a)? }))
    };
    Ok(Some(match name {
        "conv2d" => Op::Conv(ConvOp::Conv2D(window(a)?)),
        "max_pool2d" => pool(PoolKind::Max)?,
        "avg_pool2d" => pool(PoolKind::Avg)?,
        "resize" => Op::Resize {
            height: a.usize("height")?,
            width: a.usize("width")?,
            method: ResizeMethod::parse(
                a.req("method")?.as_str().ok_or_else(|| a.bad("method", "a string"))?,
            )?,
            antialias: a.bool("antialias")?,
        },
        "range" => {
            Op::Range { dtype: a.dtype("dtype")?.ok_or_else(|| Error::invalid("missing attribute 'dtype'"))? }
        }
        "ensure_shape" => Op::EnsureShape { dims: optional_dims(a, "shape")? },
        "check_numerics" => Op::CheckNumerics {
            message: a.get("message").and_then(Value::as_str).unwrap_or_default().to_string(),
        },
        "unsorted_segment_sum" => Op::GatherGrad { axis: a.i64("axis", 0)? },
        "lstm_cell" => Op::LstmCell,
        "lstm_sequence" => Op::LstmSequence { inference: a.bool("inference")? },
        "complex.make" => Op::Complex(ComplexOp::Make),
        "complex.real" => Op::Complex(ComplexOp::Real),
        "complex.imag" => Op::Complex(ComplexOp::Imag),
        "complex.conj" => Op::Complex(ComplexOp::Conj),
        "complex.angle" => Op::Complex(ComplexOp::Angle),
        "complex.abs" => Op::Complex(ComplexOp::Abs),
        "complex.fft" => Op::Complex(ComplexOp::Fft { rank: fft_rank(a)?, inverse: false }),
        "complex.ifft" => Op::Complex(ComplexOp::Fft { rank: fft_rank(a)?, inverse: true }),
        "complex.rfft" => Op::Complex(ComplexOp::Rfft { lengths: fft_lengths(a)? }),
        "complex.irfft" => Op::Complex(ComplexOp::Irfft { lengths: fft_lengths(a)? }),
        _ => return Ok(None),
    }))
}
