//! Gradient rules for complex numbers and Fourier transforms, with TensorFlow's convention: for a real
//! loss L of z = x + iy the gradient is dL/dx + i dL/dy, so a holomorphic f passes back `g * conj(f'(z))`.

use super::builder::Builder;
use crate::complex_op::ComplexOp;
use crate::error::{Error, Result};
use crate::graph::{Node, NodeId};
use crate::op::{BinaryOp, Op, UnaryOp};

fn complex(b: &mut Builder, op: ComplexOp, inputs: &[NodeId]) -> Result<NodeId> {
    b.add(Op::Complex(op), inputs)
}

/// `complex(re, im)` with `None` standing for zeros shaped like the other part.
fn make(b: &mut Builder, re: Option<NodeId>, im: Option<NodeId>) -> Result<NodeId> {
    let (re, im) = match (re, im) {
        (Some(r), Some(i)) => (r, i),
        (Some(r), None) => (r, b.fill_like(r, 0.0)?),
        (None, Some(i)) => (b.fill_like(i, 0.0)?, i),
        (None, None) => return Err(Error::internal("complex of two missing parts")),
    };
    complex(b, ComplexOp::Make, &[re, im])
}

/// The ops whose real rules, applied to `conj(g)` and conjugated after, give the complex gradient:
/// analytic functions whose real rule multiplies by the derivative.
pub(super) fn is_holomorphic(op: &Op) -> bool {
    use UnaryOp::*;
    match op {
        Op::Unary(u) => matches!(
            u,
            Square | Exp | Log | Sqrt | Rsqrt | Tanh | Sigmoid | Reciprocal | Sin | Cos | Log1p | Expm1
        ),
        Op::Binary(op) => matches!(op, BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow),
        Op::MatMul { .. } => true,
        _ => false,
    }
}

/// Conjugates each present gradient.
pub(super) fn conj_all(b: &mut Builder, grads: Vec<Option<NodeId>>) -> Result<Vec<Option<NodeId>>> {
    grads.into_iter().map(|g| g.map(|g| complex(b, ComplexOp::Conj, &[g])).transpose()).collect()
}

pub(super) fn conj(b: &mut Builder, g: NodeId) -> Result<NodeId> {
    complex(b, ComplexOp::Conj, &[g])
}

/// The gradient of each input of an `Op::Complex` node (output `y`) given its output's gradient `g`.
pub(super) fn input_grads(
    b: &mut Builder,
    y: NodeId,
    node: &Node,
    op: &ComplexOp,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let x = node.inputs[0];
    Ok(match op {
        ComplexOp::Make => {
            let mut out = vec![None, None];
            if want[0] {
                let re = complex(b, ComplexOp::Real, &[g])?;
                out[0] = Some(b.reduce_to_operand(re, node.inputs[0], node.inputs[1])?);
            }
            if want[1] {
                let im = complex(b, ComplexOp::Imag, &[g])?;
                out[1] = Some(b.reduce_to_operand(im, node.inputs[1], node.inputs[0])?);
            }
            out
        }
        ComplexOp::Real => vec![Some(make(b, Some(g), None)?)],
        ComplexOp::Imag => vec![Some(make(b, None, Some(g))?)],
        ComplexOp::Conj => vec![Some(conj(b, g)?)],
        // d|z| = z / |z| (zero where z is zero, as TensorFlow's div_no_nan).
        ComplexOp::Abs => {
            let ratio = b.div(g, y)?;
            let nonzero = b.positive(y)?;
            let zeros = b.fill_like(ratio, 0.0)?;
            let safe = b.select(nonzero, ratio, zeros)?;
            let scale = make(b, Some(safe), None)?;
            vec![Some(b.mul(scale, x)?)]
        }
        // angle = atan2(im, re): the gradient is -g / (im + i re).
        ComplexOp::Angle => {
            let re = complex(b, ComplexOp::Real, &[x])?;
            let im = complex(b, ComplexOp::Imag, &[x])?;
            let swapped = make(b, Some(im), Some(re))?;
            let gc = make(b, Some(g), None)?;
            let q = b.div(gc, swapped)?;
            vec![Some(b.neg(q)?)]
        }
        // The adjoint of the unnormalized forward transform is n times the (normalized) inverse.
        ComplexOp::Fft { rank, inverse } => {
            let back = complex(b, ComplexOp::Fft { rank: *rank, inverse: !*inverse }, &[g])?;
            let dims = b.shape(x).dims.clone();
            let n = dims.and_then(|d| {
                d[d.len().saturating_sub(*rank)..].iter().try_fold(1usize, |acc, v| v.map(|v| acc * v))
            });
            let Some(n) = n else {
                return Err(Error::invalid(format!(
                    "the gradient of {} needs the transformed axes' sizes to be known",
                    op.type_name()
                )));
            };
            let factor = if *inverse { 1.0 / n as f64 } else { n as f64 };
            vec![Some(if factor == 1.0 { back } else { b.scale(back, factor)? })]
        }
        ComplexOp::Rfft { lengths } => {
            vec![Some(complex(b, ComplexOp::RfftGrad { lengths: lengths.clone() }, &[g, x])?)]
        }
        ComplexOp::Irfft { lengths } => {
            vec![Some(complex(b, ComplexOp::IrfftGrad { lengths: lengths.clone() }, &[g, x])?)]
        }
        ComplexOp::RfftGrad { .. } | ComplexOp::IrfftGrad { .. } => {
            return Err(Error::invalid(format!(
                "{} has no gradient (second derivatives of real FFTs are not supported)",
                op.type_name()
            )))
        }
    })
}
