//! Gradient rules for shape ops (reshape, transpose, concat, slicing, gather) and the softmax family.

use super::builder::Builder;
use super::rules::no_rule;
use crate::error::{Error, Result};
use crate::graph::{Node, NodeId};
use crate::op::{BinaryOp, Op, UnaryOp};

/// `g` reshaped to `x`'s shape. A static target (with -1 for at most one unknown dimension, which the
/// element count then fixes) where `x`'s shape allows: `ReshapeLike` reads `x` itself, which keeps `x`
/// alive until the backward pass, so the forward reshape of a shared `x` had to copy it (a Transformer
/// step copied 4 MB at each of its attention's reshapes).
fn reshape_back(b: &mut Builder, g: NodeId, x: NodeId) -> Result<NodeId> {
    if let Some(dims) = b.shape(x).dims.clone() {
        let unknown = dims.iter().filter(|d| d.is_none()).count();
        let empty = dims.contains(&Some(0));
        if unknown == 0 || unknown == 1 && !empty {
            let shape = dims.iter().map(|d| d.map_or(-1, |n| n as i64)).collect();
            return b.add(Op::Reshape { shape }, &[g]);
        }
    }
    b.add(Op::ReshapeLike, &[g, x])
}

pub(super) fn input_grads(
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
        // Every reshaping op only moves elements' positions in the shape, never their order.
        Op::Reshape { .. } | Op::ReshapeLike | Op::ExpandDims { .. } | Op::Squeeze { .. } => {
            first(reshape_back(b, g, ins[0])?)
        }
        Op::Transpose { perm } => {
            let inverse = perm.as_ref().map(|p| {
                let mut inv = vec![0; p.len()];
                for (i, &q) in p.iter().enumerate() {
                    inv[q] = i;
                }
                inv
            });
            first(b.add(Op::Transpose { perm: inverse }, &[g])?)
        }
        Op::Concat { axis } => {
            let mut inputs = vec![g];
            inputs.extend_from_slice(ins);
            let mut out = vec![None; ins.len()];
            for (index, slot) in out.iter_mut().enumerate() {
                if want[index] {
                    *slot = Some(b.add(Op::ConcatSplit { axis: *axis, index }, &inputs)?);
                }
            }
            out
        }
        // The gradient of taking one piece of a concatenation: that piece in place, zeros elsewhere.
        Op::ConcatSplit { axis, index } => {
            let mut pieces = Vec::with_capacity(ins.len() - 1);
            for (j, &orig) in ins[1..].iter().enumerate() {
                pieces.push(if j == *index { g } else { b.fill_like(orig, 0.0)? });
            }
            first(b.add(Op::Concat { axis: *axis }, &pieces)?)
        }
        Op::StridedSlice { specs } => {
            first(b.add(Op::StridedSliceGrad { specs: specs.clone() }, &[g, ins[0]])?)
        }
        Op::Resize { method, antialias, .. } => {
            first(b.add(Op::ResizeGrad { method: *method, antialias: *antialias }, &[g, ins[0]])?)
        }
        Op::Conv(c) => return super::rules_conv::input_grads(b, node, *c, g, want),
        Op::BatchNorm(op) => return super::rules_norm::input_grads(b, y, node, *op, g, want),
        Op::Complex(op) => return super::rules_complex::input_grads(b, y, node, op, g, want),
        Op::StridedSliceGrad { specs } => first(b.add(Op::StridedSlice { specs: specs.clone() }, &[g])?),
        Op::Gather { axis } => first(b.add(Op::GatherGrad { axis: *axis }, &[g, ins[1], ins[0]])?),
        Op::GatherGrad { axis } => first(b.add(Op::Gather { axis: *axis }, &[g, ins[1]])?),
        // The written row came from the value; every other row from the buffer. Neither needs the buffer's
        // values, so a loop writing a TensorArray keeps no history of it for its gradient.
        Op::WriteRow => {
            let mut out = vec![None; 3];
            if want[0] {
                let zeros = b.fill_like(ins[2], 0.0)?;
                out[0] = Some(b.add(Op::WriteRow, &[g, ins[1], zeros])?);
            }
            if want[2] {
                out[2] = Some(b.add(Op::Gather { axis: 0 }, &[g, ins[1]])?);
            }
            out
        }
        // y * (g - sum(g * y, axis)): one pass per row over the last axis (attention's softmax), else composed.
        Op::Softmax { axis } if is_last_axis(*axis, &node.shape) => first(b.add(Op::SoftmaxGrad, &[g, y])?),
        Op::Softmax { axis } => first(softmax_grad_composed(b, g, y, *axis)?),
        // out = y * (g - s) with s = sum(g * y): for an incoming u, dg = y * (u - sum(u * y)) (the same form)
        // and dy = u * (g - s) - g * sum(u * y).
        Op::SoftmaxGrad => {
            let (g0, y0) = (ins[0], ins[1]);
            let mut out = vec![None; 2];
            if want[0] {
                out[0] = Some(b.add(Op::SoftmaxGrad, &[g, y0])?);
            }
            if want[1] {
                let gy = b.mul(g0, y0)?;
                let s = b.reduce_sum(gy, Some(vec![-1]), true)?;
                let gs = b.sub(g0, s)?;
                let ugs = b.mul(g, gs)?;
                let uy = b.mul(g, y0)?;
                let suy = b.reduce_sum(uy, Some(vec![-1]), true)?;
                let g_suy = b.mul(g0, suy)?;
                out[1] = Some(b.sub(ugs, g_suy)?);
            }
            out
        }
        Op::LogSoftmax { axis } => {
            // g - softmax(x) * sum(g, axis), with softmax(x) = exp(y)
            let p = b.un(UnaryOp::Exp, y)?;
            let s = b.reduce_sum(g, Some(vec![*axis]), true)?;
            let ps = b.mul(p, s)?;
            first(b.sub(g, ps)?)
        }
        Op::SparseSoftmaxCrossEntropy => first(sparse_xent(b, node, g)?),
        Op::SoftmaxCrossEntropy => xent(b, ins[0], ins[1], g, want)?,
        Op::Eigh => first(b.add(Op::EighGrad, &[y, g])?),
        Op::Svd => first(b.add(Op::SvdGrad, &[ins[0], y, g])?),
        _ => return Err(no_rule(node)),
    })
}

/// (softmax(logits) - one_hot(labels)) * g, with g given one trailing axis to broadcast over classes.
fn sparse_xent(b: &mut Builder, node: &Node, g: NodeId) -> Result<NodeId> {
    let (logits, labels) = (node.inputs[0], node.inputs[1]);
    // OneHot needs its depth as an attribute, so the class count must be known while building.
    let depth = b.shape(logits).dims.as_ref().and_then(|d| d.last().copied().flatten()).ok_or_else(|| {
        Error::invalid(format!(
            "the gradient of sparse_softmax_cross_entropy_with_logits '{}' needs the number of classes \
             (the last dimension of logits '{}') known while the graph is built; received logits of shape {}",
            node.name,
            b.graph.node(logits).name,
            b.shape(logits)
        ))
    })?;
    let dtype = b.dtype(logits);
    let p = b.add(Op::Softmax { axis: -1 }, &[logits])?;
    let onehot = b.add(Op::OneHot { depth, on_value: 1.0, off_value: 0.0, axis: -1, dtype }, &[labels])?;
    let d = b.sub(p, onehot)?;
    let g_col = b.add(Op::ExpandDims { axis: -1 }, &[g])?;
    b.mul(d, g_col)
}

/// loss = -sum(labels * log_softmax(logits), -1). The logits' partial is softmax * sum(labels) - labels,
/// which is the familiar softmax - labels when labels are a distribution, and exact when they are not.
fn xent(
    b: &mut Builder,
    logits: NodeId,
    labels: NodeId,
    g: NodeId,
    want: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let g_col = b.add(Op::ExpandDims { axis: -1 }, &[g])?;
    let mut out = vec![None, None];
    if want[0] {
        let p = b.add(Op::Softmax { axis: -1 }, &[logits])?;
        let mass = b.reduce_sum(labels, Some(vec![-1]), true)?;
        let pm = b.mul(p, mass)?;
        let d = b.sub(pm, labels)?;
        let gl = b.mul(d, g_col)?;
        out[0] = Some(b.reduce_to(gl, logits)?);
    }
    if want[1] {
        let ls = b.add(Op::LogSoftmax { axis: -1 }, &[logits])?;
        let neg = b.neg(ls)?;
        let gl = b.bin(BinaryOp::Mul, neg, g_col)?;
        out[1] = Some(b.reduce_to(gl, labels)?);
    }
    Ok(out)
}

/// Whether `axis` is the last axis of a tensor of static `shape` (unknown ranks answer no).
fn is_last_axis(axis: i64, shape: &crate::shape::Shape) -> bool {
    shape.rank().is_some_and(|r| r > 0 && (axis == -1 || axis == r as i64 - 1))
}

/// `y * (g - sum(g * y, axis))` from elementwise ops, for softmaxes over other axes.
fn softmax_grad_composed(b: &mut Builder, g: NodeId, y: NodeId, axis: i64) -> Result<NodeId> {
    let gy = b.mul(g, y)?;
    let s = b.reduce_sum(gy, Some(vec![axis]), true)?;
    let d = b.sub(g, s)?;
    b.mul(y, d)
}

#[cfg(test)]
mod tests {
    use crate::exec::Plan;
    use crate::graph::Graph;
    use crate::op::{Op, ReduceOp};
    use crate::shape::Shape;
    use crate::tensor::Tensor;
    use crate::DType;

    /// The gradient of a reshape of `x` shaped `dims`, and the op that computes it.
    fn reshape_gradient(dims: Vec<Option<usize>>) -> (Vec<f64>, Op, bool) {
        let mut g = Graph::new();
        let x =
            g.add(Op::Placeholder { dtype: DType::F64, shape: Shape::from_dims(dims) }, &[], "x").unwrap();
        let y = g.add(Op::Reshape { shape: vec![-1] }, &[x], "y").unwrap();
        let loss = g.add(Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[y], "").unwrap();
        let grad = crate::grad::gradients(&mut g, &[loss], &[x], None).unwrap()[0].unwrap();
        let node = g.node(grad).clone();
        let plan = Plan::new(&g, &[grad], &[x]).unwrap();
        let got = plan.run(&g, &[Tensor::from_vec(&[2, 3], vec![1.0; 6]).unwrap()]).unwrap();
        assert_eq!(got[0].shape(), &[2, 3]);
        (got[0].to_f64_vec(), node.op, node.inputs.contains(&x))
    }

    #[test]
    fn a_reshape_gradient_reads_the_input_only_when_its_shape_is_not_known_enough() {
        // One unknown dimension: a static target with -1, so the forward pass need not keep `x`.
        let (values, op, reads_x) = reshape_gradient(vec![None, Some(3)]);
        assert_eq!(values, vec![1.0; 6]);
        assert!(matches!(op, Op::Reshape { ref shape } if shape == &[-1, 3]) && !reads_x);
        // Two unknown dimensions: only `x`'s run-time shape tells.
        let (values, op, reads_x) = reshape_gradient(vec![None, None]);
        assert_eq!(values, vec![1.0; 6]);
        assert!(matches!(op, Op::ReshapeLike) && reads_x);
    }

    #[test]
    fn weight_gradients_of_one_stacked_input_share_its_reshape_to_rows() {
        // x: [batch, 4, 3] times two 3 x 2 weights (attention's query and key projections of one input).
        let mut g = Graph::new();
        let x = g
            .add(
                Op::Placeholder { dtype: DType::F64, shape: Shape::from_dims(vec![None, Some(4), Some(3)]) },
                &[],
                "x",
            )
            .unwrap();
        let weight = |g: &mut Graph, name: &str| {
            g.add(Op::Placeholder { dtype: DType::F64, shape: Shape::known(&[3, 2]) }, &[], name).unwrap()
        };
        let (w1, w2) = (weight(&mut g, "w1"), weight(&mut g, "w2"));
        let mm = Op::MatMul { transpose_a: false, transpose_b: false };
        let y1 = g.add(mm.clone(), &[x, w1], "y1").unwrap();
        let y2 = g.add(mm, &[x, w2], "y2").unwrap();
        let sum = |g: &mut Graph, y| {
            g.add(Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[y], "").unwrap()
        };
        let (l1, l2) = (sum(&mut g, y1), sum(&mut g, y2));
        let grads = crate::grad::gradients(&mut g, &[l1, l2], &[w1, w2], None).unwrap();
        let reshapes_of_x =
            g.nodes().iter().filter(|n| matches!(n.op, Op::Reshape { .. }) && n.inputs == [x]).count();
        assert_eq!(reshapes_of_x, 1);
        // Each weight's gradient is the column sums of x's rows: 2 batches x 4 rows of (1, 2, 3).
        let xs: Vec<f64> = (0..24).map(|i| (i % 3 + 1) as f64).collect();
        let feeds =
            [Tensor::from_vec(&[2, 4, 3], xs).unwrap(), Tensor::from_vec(&[3, 2], vec![0.0; 6]).unwrap()];
        let feeds = [feeds[0].clone(), feeds[1].clone(), feeds[1].clone()];
        let wanted = [grads[0].unwrap(), grads[1].unwrap()];
        let plan = Plan::new(&g, &wanted, &[x, w1, w2]).unwrap();
        for got in plan.run(&g, &feeds).unwrap() {
            assert_eq!(got.to_f64_vec(), vec![8.0, 8.0, 16.0, 16.0, 24.0, 24.0]);
        }
    }
}
