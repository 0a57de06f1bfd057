//! The output shapes of products, reductions and reshaping ops (reshape, transpose, squeeze, ...) for `infer`.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::infer::{require, require_float};
use crate::kernels::resize_weights::ResizeMethod;
use crate::op::{ReduceOp, UnaryOp};
use crate::shape::{broadcast_shapes, normalize_axes, normalize_axis, Dim, Shape};

/// `[n, height, width, c]` from images `[n, h, w, c]`; interpolation needs floats, nearest any number.
pub(crate) fn resize_shape(
    s: &Shape,
    d: DType,
    size: [usize; 2],
    method: ResizeMethod,
) -> Result<(Shape, DType)> {
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

pub(crate) fn reduce_name(op: ReduceOp) -> &'static str {
    match op {
        ReduceOp::Sum => "sum",
        ReduceOp::Mean => "mean",
        ReduceOp::Max => "max",
        ReduceOp::Min => "min",
        ReduceOp::Prod => "prod",
    }
}

pub(crate) fn unary_dtype(u: UnaryOp, d: DType) -> Result<DType> {
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

pub(crate) fn dims(s: &Shape) -> Option<&Vec<Dim>> {
    s.dims.as_ref()
}

pub(crate) fn matmul_shape(a: &Shape, b: &Shape, ta: bool, tb: bool) -> Result<Shape> {
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

pub(crate) fn reshape_shape(s: &Shape, target: &[i64]) -> Result<Shape> {
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

pub(crate) fn transpose_shape(s: &Shape, perm: Option<&[usize]>) -> Result<Shape> {
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

pub(crate) fn expand_dims_shape(s: &Shape, axis: i64) -> Result<Shape> {
    let Some(d) = dims(s) else { return Ok(Shape::unknown()) };
    let at = normalize_axis(axis, d.len() + 1)
        .map_err(|_| Error::invalid(format!("expand_dims axis {axis} is out of range for shape {s}")))?;
    let mut out = d.clone();
    out.insert(at, Some(1));
    Ok(Shape::from_dims(out))
}

pub(crate) fn squeeze_shape(s: &Shape, axes: Option<&[i64]>) -> Result<Shape> {
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
