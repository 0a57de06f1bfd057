//! Gradient rules for elementwise ops, matrix products and reductions; shape and NN ops live in `rules_shape`.

use super::builder::Builder;
use super::rules_shape;
use super::rules_special;
use crate::error::{Error, Result};
use crate::graph::{Node, NodeId};
use crate::op::{BinaryOp, CompareOp, Op, ReduceOp, UnaryOp};
use crate::shape::normalize_axes;

/// The gradient of each input of `node` (whose output is node `y`) given the gradient `g` of its output.
/// Only inputs with `want[i]` need an answer; the others may be `None` to save nodes.
pub(super) fn input_grads(
    b: &mut Builder,
    y: NodeId,
    node: &Node,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    if b.dtype(y).is_complex() && super::rules_complex::is_holomorphic(&node.op) {
        // conj(rule(conj(g))) = g * conj(f'(z)) for the rules below, which multiply by the derivative.
        let gc = super::rules_complex::conj(b, g)?;
        let grads = real_input_grads(b, y, node, gc, want)?;
        return super::rules_complex::conj_all(b, grads);
    }
    real_input_grads(b, y, node, g, want)
}

fn real_input_grads(
    b: &mut Builder,
    y: NodeId,
    node: &Node,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let ins = &node.inputs;
    let first = |gx: NodeId| -> Vec<Option<NodeId>> {
        let mut v = vec![None; ins.len()];
        v[0] = Some(gx);
        v
    };
    Ok(match &node.op {
        Op::Identity | Op::CheckNumerics { .. } | Op::EnsureShape { .. } => vec![Some(g)],
        Op::AfterControls => (0..ins.len()).map(|i| (i == 0).then_some(g)).collect(),
        // ReluGrad is linear in the incoming gradient with the same mask; the mask has zero derivative.
        Op::ReluGrad => first(b.add(Op::ReluGrad, &[g, ins[1]])?),
        Op::LstmCell => vec![
            if want[0] {
                Some(b.add(Op::LstmCellGrad { wrt_state: false }, &[ins[0], ins[1], g])?)
            } else {
                None
            },
            if want[1] {
                Some(b.add(Op::LstmCellGrad { wrt_state: true }, &[ins[0], ins[1], g])?)
            } else {
                None
            },
        ],
        // Its rule reads the contributions before they are summed (`mod.rs`).
        Op::LstmSequence { .. } => super::rules_lstm::sequence(b, y, ins, &[g], want)?,
        // Between float dtypes a cast is linear; the gradient goes back in the input's precision.
        Op::Cast(_) => vec![Some(b.cast(g, b.dtype(ins[0]))?)],
        Op::Unary(u) => vec![unary(b, *u, ins[0], y, g)?],
        Op::Binary(op) => binary(b, *op, ins[0], ins[1], y, g, want)?,
        Op::Select => {
            let zeros = b.fill_like(g, 0.0)?;
            let mut out = vec![None; 3];
            if want[1] {
                let gx = b.select(ins[0], g, zeros)?;
                out[1] = Some(b.reduce_to(gx, ins[1])?);
            }
            if want[2] {
                let gy = b.select(ins[0], zeros, g)?;
                out[2] = Some(b.reduce_to(gy, ins[2])?);
            }
            out
        }
        Op::MatMul { transpose_a, transpose_b } => {
            matmul(b, ins[0], ins[1], *transpose_a, *transpose_b, g, want)?
        }
        Op::Reduce { op, axes, keepdims } => vec![Some(reduce(b, *op, axes, *keepdims, ins[0], y, g)?)],
        // The helpers below only appear in forward graphs that are themselves gradients (second order).
        Op::UnreduceLike { axes, keepdims } => first(b.reduce_sum(g, axes.clone(), *keepdims)?),
        Op::ReduceToShapeOf => first(b.add(Op::BroadcastLike, &[g, ins[0]])?),
        Op::BroadcastLike | Op::BroadcastTo { .. } => first(b.reduce_to(g, ins[0])?),
        Op::Fill => vec![None, Some(b.reduce_to(g, ins[1])?)],
        _ => return rules_shape::input_grads(b, y, node, g, want),
    })
}

fn unary(b: &mut Builder, u: UnaryOp, x: NodeId, y: NodeId, g: NodeId) -> Result<Option<NodeId>> {
    use UnaryOp::*;
    let gx = match u {
        Neg => b.neg(g)?,
        // d exp(x) = exp(x): reuse the forward result instead of recomputing it.
        Exp => b.mul(g, y)?,
        Log => b.div(g, x)?,
        // d sqrt(x) = 1 / (2 sqrt(x)), again from the output.
        Sqrt => {
            let two_y = b.scale(y, 2.0)?;
            b.div(g, two_y)?
        }
        // d x^-1/2 = -1/2 x^-3/2 = -1/2 y^3.
        Rsqrt => {
            let y2 = b.un(Square, y)?;
            let y3 = b.mul(y2, y)?;
            let d = b.scale(y3, -0.5)?;
            b.mul(g, d)?
        }
        Square => {
            let two_x = b.scale(x, 2.0)?;
            b.mul(g, two_x)?
        }
        Abs => {
            let s = b.un(Sign, x)?;
            b.mul(g, s)?
        }
        // Piecewise constant: zero almost everywhere (TensorFlow returns zeros, not None).
        Sign | Floor | Ceil | Round => b.fill_like(x, 0.0)?,
        Tanh => {
            let y2 = b.un(Square, y)?;
            let one = b.scalar(1.0, b.dtype(y))?;
            let d = b.sub(one, y2)?;
            b.mul(g, d)?
        }
        Sigmoid => {
            let one = b.scalar(1.0, b.dtype(y))?;
            let one_minus = b.sub(one, y)?;
            let d = b.mul(y, one_minus)?;
            b.mul(g, d)?
        }
        // From the output (y > 0 exactly where x > 0, as TensorFlow's rule reads it): the pre-activation
        // is then dead after the relu, which lets the plan fuse bias and relu into the product.
        Relu => b.add(Op::ReluGrad, &[g, y])?,
        // d 1/x = -1/x^2 = -y^2.
        Reciprocal => {
            let y2 = b.un(Square, y)?;
            let gy2 = b.mul(g, y2)?;
            b.neg(gy2)?
        }
        Sin => {
            let c = b.un(Cos, x)?;
            b.mul(g, c)?
        }
        Cos => {
            let s = b.un(Sin, x)?;
            let gs = b.mul(g, s)?;
            b.neg(gs)?
        }
        Log1p => {
            let one = b.scalar(1.0, b.dtype(x))?;
            let d = b.bin(BinaryOp::Add, one, x)?;
            b.div(g, d)?
        }
        // exp(x) rather than y + 1, which loses precision where expm1 is used for it (small x).
        Expm1 => {
            let e = b.un(Exp, x)?;
            b.mul(g, e)?
        }
        Softplus => {
            let s = b.un(Sigmoid, x)?;
            b.mul(g, s)?
        }
        LogicalNot | Invert => return Ok(None),
        Asin | Acos | Atan | Sinh | Cosh | Asinh | Acosh | Atanh | Erf | Erfc | Erfinv | Lgamma | Digamma
        | Trigamma => rules_special::unary(b, u, x, y, g)?,
    };
    Ok(Some(gx))
}

fn binary(
    b: &mut Builder,
    op: BinaryOp,
    x1: NodeId,
    x2: NodeId,
    y: NodeId,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    use BinaryOp::*;
    // Each partial is built only when wanted, then summed back over broadcast axes.
    let mut out = vec![None, None];
    let mut set = |b: &mut Builder, i: usize, gi: NodeId| -> Result<()> {
        let (x, other) = if i == 0 { (x1, x2) } else { (x2, x1) };
        out[i] = Some(b.reduce_to_operand(gi, x, other)?);
        Ok(())
    };
    match op {
        Add | Sub => {
            if want[0] {
                set(b, 0, g)?;
            }
            if want[1] {
                let g2 = if op == Sub { b.neg(g)? } else { g };
                set(b, 1, g2)?;
            }
        }
        Mul => {
            if want[0] {
                let g1 = b.mul(g, x2)?;
                set(b, 0, g1)?;
            }
            if want[1] {
                let g2 = b.mul(x1, g)?;
                set(b, 1, g2)?;
            }
        }
        Div => {
            if want[0] {
                let g1 = b.div(g, x2)?;
                set(b, 0, g1)?;
            }
            if want[1] {
                // d(a/b)/db = -a/b^2
                let b2 = b.un(UnaryOp::Square, x2)?;
                let q = b.div(x1, b2)?;
                let gq = b.mul(g, q)?;
                let g2 = b.neg(gq)?;
                set(b, 1, g2)?;
            }
        }
        Pow => {
            if want[0] {
                let one = b.scalar(1.0, b.dtype(x2))?;
                let e = b.sub(x2, one)?;
                let p = b.bin(Pow, x1, e)?;
                let d = b.mul(x2, p)?;
                let g1 = b.mul(g, d)?;
                set(b, 0, g1)?;
            }
            if want[1] && b.dtype(x1).is_complex() {
                let log = b.un(UnaryOp::Log, x1)?;
                let d = b.mul(y, log)?;
                let g2 = b.mul(g, d)?;
                set(b, 1, g2)?;
            } else if want[1] {
                // log(a) is NaN for a <= 0; like TensorFlow, mask it to zero there.
                let pos = b.positive(x1)?;
                let log = b.un(UnaryOp::Log, x1)?;
                let zeros = b.fill_like(x1, 0.0)?;
                let safe_log = b.select(pos, log, zeros)?;
                let d = b.mul(y, safe_log)?;
                let g2 = b.mul(g, d)?;
                set(b, 1, g2)?;
            }
        }
        Maximum | Minimum => {
            // Ties go to the first input, as in TensorFlow.
            let c = if op == Maximum { CompareOp::GreaterEqual } else { CompareOp::LessEqual };
            let to_first = b.compare(c, x1, x2)?;
            let zeros = b.fill_like(g, 0.0)?;
            if want[0] {
                let g1 = b.select(to_first, g, zeros)?;
                set(b, 0, g1)?;
            }
            if want[1] {
                let g2 = b.select(to_first, zeros, g)?;
                set(b, 1, g2)?;
            }
        }
        // mod(a, b) = a - floor(a / b) * b, so the quotient's floor is the partial for b.
        Mod => {
            if want[0] {
                set(b, 0, g)?;
            }
            if want[1] {
                let q = b.bin(FloorDiv, x1, x2)?;
                let gq = b.mul(g, q)?;
                let g2 = b.neg(gq)?;
                set(b, 1, g2)?;
            }
        }
        Atan2 => {
            let [gy, gx] = rules_special::atan2(b, x1, x2, g, want)?;
            if let Some(gy) = gy {
                set(b, 0, gy)?;
            }
            if let Some(gx) = gx {
                set(b, 1, gx)?;
            }
        }
        FloorDiv | LogicalAnd | LogicalOr | BitwiseAnd | BitwiseOr | BitwiseXor | LeftShift | RightShift => {}
    }
    Ok(out)
}

/// Matrix product gradients for each transpose combination; batch axes that were broadcast are summed
/// back to each operand's shape.
fn matmul(
    b: &mut Builder,
    a: NodeId,
    w: NodeId,
    ta: bool,
    tb: bool,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let mm = |b: &mut Builder, x: NodeId, y: NodeId, t1: bool, t2: bool| {
        b.add(Op::MatMul { transpose_a: t1, transpose_b: t2 }, &[x, y])
    };
    // Matrices (rank 2) have no batch axes to broadcast: the products already have the operands' shapes.
    let matrices = b.shape(a).rank() == Some(2) && b.shape(w).rank() == Some(2);
    let reduce = |b: &mut Builder, g: NodeId, x: NodeId| if matrices { Ok(g) } else { b.reduce_to(g, x) };
    let mut out = vec![None, None];
    if want[0] {
        let ga = match (ta, tb) {
            (false, false) => mm(b, g, w, false, true)?,
            (false, true) => mm(b, g, w, false, false)?,
            (true, false) => mm(b, w, g, false, true)?,
            (true, true) => mm(b, w, g, true, true)?,
        };
        out[0] = Some(reduce(b, ga, a)?);
    }
    if want[1] {
        if let Some(gb) = stacked_weight_grad(b, a, w, ta, tb, g)? {
            out[1] = Some(gb);
            return Ok(out);
        }
        let gb = match (ta, tb) {
            (false, false) => mm(b, a, g, true, false)?,
            (false, true) => mm(b, g, a, true, false)?,
            (true, false) => mm(b, a, g, false, false)?,
            (true, true) => mm(b, g, a, true, true)?,
        };
        out[1] = Some(reduce(b, gb, w)?);
    }
    Ok(out)
}

/// The gradient of a matrix `w` multiplied into a stack `a` (`[..., m, k] · [k, n]`, a dense layer on a
/// sequence) as one product of the stacked rows, `reshape(a, [-1, k])ᵀ · reshape(g, [-1, n])`: the
/// per-batch products and their sum over the batch axes (a `[batch, k, n]` intermediate) cost twice as
/// long at a Transformer's sizes. None when `a` is transposed, `w` is not a matrix of known shape, or
/// `a` has no batch axes.
fn stacked_weight_grad(
    b: &mut Builder,
    a: NodeId,
    w: NodeId,
    ta: bool,
    tb: bool,
    g: NodeId,
) -> Result<Option<NodeId>> {
    let Some(&[Some(w0), Some(w1)]) = b.shape(w).dims.as_deref() else { return Ok(None) };
    if ta || b.shape(a).rank().is_none_or(|r| r < 3) {
        return Ok(None);
    }
    // w is k x n, or n x k when transposed.
    let (k, n) = if tb { (w1, w0) } else { (w0, w1) };
    let rows_a = b.reshaped(a, vec![-1, k as i64])?;
    let rows_g = b.reshaped(g, vec![-1, n as i64])?;
    Ok(Some(if tb {
        b.add(Op::MatMul { transpose_a: true, transpose_b: false }, &[rows_g, rows_a])?
    } else {
        b.add(Op::MatMul { transpose_a: true, transpose_b: false }, &[rows_a, rows_g])?
    }))
}

fn reduce(
    b: &mut Builder,
    op: ReduceOp,
    axes: &Option<Vec<i64>>,
    keepdims: bool,
    x: NodeId,
    y: NodeId,
    g: NodeId,
) -> Result<NodeId> {
    let axes = axes.clone();
    match op {
        ReduceOp::Sum => b.unreduce(g, x, axes, keepdims),
        ReduceOp::Mean => {
            // The count is a constant when the reduced dimensions are known; otherwise it is computed
            // at run time as a sum of ones, which works whatever the batch size turns out to be.
            let scaled = match static_count(b, x, axes.as_deref()) {
                Some(count) => b.scale(g, 1.0 / count as f64)?,
                None => {
                    let ones = b.fill_like(x, 1.0)?;
                    let count = b.reduce_sum(ones, axes.clone(), keepdims)?;
                    b.div(g, count)?
                }
            };
            b.unreduce(scaled, x, axes, keepdims)
        }
        ReduceOp::Max | ReduceOp::Min => {
            // The gradient goes to every position equal to the extreme, shared equally among ties.
            let y_full = b.unreduce(y, x, axes.clone(), keepdims)?;
            let hit = b.compare(CompareOp::Equal, x, y_full)?;
            let mask = b.cast(hit, b.dtype(x))?;
            let ties = b.reduce_sum(mask, axes.clone(), keepdims)?;
            let share = b.div(g, ties)?;
            let share_full = b.unreduce(share, x, axes, keepdims)?;
            b.mul(mask, share_full)
        }
        // d prod / d x_i = prod / x_i: exact for nonzero inputs (a zero input gives inf or NaN).
        ReduceOp::Prod => {
            let gy = b.mul(g, y)?;
            let gy_full = b.unreduce(gy, x, axes, keepdims)?;
            b.div(gy_full, x)
        }
    }
}

/// The number of elements each output of a reduction of `x` over `axes` sums, when known statically.
fn static_count(b: &Builder, x: NodeId, axes: Option<&[i64]>) -> Option<usize> {
    let dims = b.shape(x).dims.as_ref()?;
    let axes = normalize_axes(axes, dims.len()).ok()?;
    axes.iter().map(|&a| dims[a]).product()
}

/// Returned for ops that cannot appear on a differentiable path (the mask in `mod.rs` excludes them).
pub(super) fn no_rule(node: &Node) -> Error {
    Error::internal(format!("no gradient rule for {} '{}'", node.op.type_name(), node.name))
}
