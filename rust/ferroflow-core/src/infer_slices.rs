//! The output shapes of ops that join, slice or pick parts of tensors (concat, strided slices, gather,
//! one-hot, sparse cross-entropy) for `infer`.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer_shapes::dims;
use crate::op::SliceSpec;
use crate::shape::{normalize_axis, Dim, Shape};

type In<'a> = (&'a Shape, DType);

pub(crate) fn concat_shape(inputs: &[In], axis: i64) -> Result<(Shape, DType)> {
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

pub(crate) fn slice_shape(s: &Shape, specs: &[SliceSpec]) -> Result<Shape> {
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

pub(crate) fn gather_shape(params: &Shape, indices: &Shape, axis: i64) -> Result<Shape> {
    let (Some(p), Some(i)) = (dims(params), dims(indices)) else { return Ok(Shape::unknown()) };
    let ax = normalize_axis(axis, p.len())?;
    let mut out = p[..ax].to_vec();
    out.extend_from_slice(i);
    out.extend_from_slice(&p[ax + 1..]);
    Ok(Shape::from_dims(out))
}

pub(crate) fn one_hot_shape(s: &Shape, depth: usize, axis: i64) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let at = if axis == -1 { d.len() } else { normalize_axis(axis, d.len() + 1)? };
    let mut out = d.clone();
    out.insert(at, Some(depth));
    Ok(Shape::from_dims(out))
}

pub(crate) fn sparse_xent_shape(logits: &Shape, labels: &Shape) -> Result<Shape> {
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
