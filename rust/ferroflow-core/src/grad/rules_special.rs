//! Gradient rules for the inverse trigonometric, hyperbolic and special functions, and for atan2.

use super::builder::Builder;
use crate::error::{Error, Result};
use crate::graph::NodeId;
use crate::op::{BinaryOp, UnaryOp};
use std::f64::consts::PI;

/// d f(x) for the functions of `kernels::special`, times the incoming gradient `g`; `y` is f(x).
pub(super) fn unary(b: &mut Builder, u: UnaryOp, x: NodeId, y: NodeId, g: NodeId) -> Result<NodeId> {
    use UnaryOp::*;
    let dtype = b.dtype(x);
    let d = match u {
        // 1 / sqrt(1 - x^2), negated for acos.
        Asin | Acos => {
            let one = b.scalar(1.0, dtype)?;
            let x2 = b.un(Square, x)?;
            let rest = b.sub(one, x2)?;
            let r = b.un(Rsqrt, rest)?;
            if u == Acos {
                b.neg(r)?
            } else {
                r
            }
        }
        // 1 / (1 + x^2) and 1 / (1 - x^2).
        Atan | Atanh => {
            let one = b.scalar(1.0, dtype)?;
            let x2 = b.un(Square, x)?;
            let den = if u == Atan { b.bin(BinaryOp::Add, one, x2)? } else { b.sub(one, x2)? };
            return b.div(g, den);
        }
        Sinh => b.un(Cosh, x)?,
        Cosh => b.un(Sinh, x)?,
        // 1 / sqrt(x^2 + 1) and 1 / sqrt(x^2 - 1).
        Asinh | Acosh => {
            let one = b.scalar(if u == Asinh { 1.0 } else { -1.0 }, dtype)?;
            let x2 = b.un(Square, x)?;
            let s = b.bin(BinaryOp::Add, x2, one)?;
            b.un(Rsqrt, s)?
        }
        // +-2/sqrt(pi) exp(-x^2).
        Erf | Erfc => {
            let x2 = b.un(Square, x)?;
            let n = b.neg(x2)?;
            let e = b.un(Exp, n)?;
            b.scale(e, if u == Erf { 2.0 } else { -2.0 } / PI.sqrt())?
        }
        // sqrt(pi)/2 exp(erfinv(x)^2), from the output.
        Erfinv => {
            let y2 = b.un(Square, y)?;
            let e = b.un(Exp, y2)?;
            b.scale(e, PI.sqrt() / 2.0)?
        }
        Lgamma => b.un(Digamma, x)?,
        Digamma => b.un(Trigamma, x)?,
        Trigamma => return Err(Error::invalid(
            "the gradient of trigamma (polygamma of order 1) is not available: third derivatives of lgamma \
                 and second derivatives of digamma cannot be taken",
        )),
        _ => return Err(Error::internal(format!("{u:?} has no special-function gradient rule"))),
    };
    b.mul(g, d)
}

/// The partials of atan2(y, x): x / (x^2 + y^2) for y and -y / (x^2 + y^2) for x, each times `g`.
pub(super) fn atan2(
    b: &mut Builder,
    y_in: NodeId,
    x_in: NodeId,
    g: NodeId,
    want: &[bool],
) -> Result<[Option<NodeId>; 2]> {
    let y2 = b.un(UnaryOp::Square, y_in)?;
    let x2 = b.un(UnaryOp::Square, x_in)?;
    let r2 = b.bin(BinaryOp::Add, x2, y2)?;
    let scaled = b.div(g, r2)?;
    let gy = if want[0] { Some(b.mul(scaled, x_in)?) } else { None };
    let gx = if want[1] {
        let p = b.mul(scaled, y_in)?;
        Some(b.neg(p)?)
    } else {
        None
    };
    Ok([gy, gx])
}
