//! Shape and dtype inference for the packed decompositions (`Eigh`, `Svd`) and their gradients.

use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::Op;
use crate::shape::{Dim, Shape};

/// `[..., a, b]`'s leading dims and last two, when the rank is known.
fn split(s: &Shape, what: &str) -> Result<Option<(Vec<Dim>, Dim, Dim)>> {
    let Some(dims) = s.dims.as_ref() else { return Ok(None) };
    if dims.len() < 2 {
        return Err(Error::invalid(format!("{what} expects a tensor of rank >= 2, received shape {s}")));
    }
    let r = dims.len();
    Ok(Some((dims[..r - 2].to_vec(), dims[r - 2], dims[r - 1])))
}

fn with_last_two(lead: Vec<Dim>, a: Dim, b: Dim) -> Shape {
    let mut dims = lead;
    dims.push(a);
    dims.push(b);
    Shape::from_dims(dims)
}

/// The output of `op` for input shapes `s` and dtypes `d`.
pub(crate) fn infer<'a>(
    op: &Op,
    s: impl Fn(usize) -> &'a Shape,
    d: impl Fn(usize) -> DType,
) -> Result<(Shape, DType)> {
    let name = op.type_name();
    if !matches!(d(0), DType::F32 | DType::F64) {
        return Err(Error::dtype(format!("{name} expects a float32 or float64 tensor, received {}", d(0))));
    }
    let shape = match op {
        Op::Eigh => match split(s(0), &name)? {
            None => Shape::unknown(),
            Some((lead, a, b)) => {
                if let (Some(a), Some(b)) = (a, b) {
                    if a != b {
                        return Err(Error::invalid(format!(
                            "{name} expects square matrices, received shape {}",
                            s(0)
                        )));
                    }
                }
                let n = a.or(b);
                with_last_two(lead, n.map(|n| n + 1), n)
            }
        },
        Op::Svd => match split(s(0), &name)? {
            None => Shape::unknown(),
            Some((lead, m, n)) => {
                let rows = match (m, n) {
                    (Some(m), Some(n)) => Some(1 + m + n),
                    _ => None,
                };
                let k = match (m, n) {
                    (Some(m), Some(n)) => Some(m.min(n)),
                    _ => None,
                };
                with_last_two(lead, rows, k)
            }
        },
        Op::EighGrad => match split(s(0), &name)? {
            None => Shape::unknown(),
            Some((lead, _, n)) => with_last_two(lead, n, n),
        },
        _ => s(0).clone(),
    };
    Ok((shape, d(0)))
}
