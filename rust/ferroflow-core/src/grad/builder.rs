//! A thin node-adding helper for gradient rules: names nodes under `gradients/<node>_grad/` and keeps the rules short.

use crate::dtype::DType;
use crate::error::Result;
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, CompareOp, Op, ReduceOp, UnaryOp};
use crate::shape::Shape;
use crate::tensor::Tensor;

pub(super) struct Builder<'g> {
    pub graph: &'g mut Graph,
    /// `gradients`, or `gradients_1`, ... when an earlier call already used that scope, as in TensorFlow.
    root: String,
    scope: String,
    /// Reshapes already added, by (input, target): see `reshaped`.
    reshapes: std::collections::HashMap<(NodeId, Vec<i64>), NodeId>,
}

impl<'g> Builder<'g> {
    pub fn new(graph: &'g mut Graph) -> Builder<'g> {
        let used = |root: &str| graph.nodes().iter().any(|n| n.name.starts_with(&format!("{root}/")));
        let mut root = "gradients".to_string();
        let mut k = 0;
        while used(&root) {
            k += 1;
            root = format!("gradients_{k}");
        }
        Builder { graph, scope: root.clone(), root, reshapes: Default::default() }
    }

    /// Names the nodes added next after the forward node whose gradient they compute.
    pub fn set_scope(&mut self, forward_name: &str) {
        self.scope = format!("{}/{forward_name}_grad", self.root);
    }

    /// The scope the next nodes go under (`gradients/<node>_grad`).
    pub fn scope(&self) -> &str {
        &self.scope
    }

    pub fn add(&mut self, op: Op, inputs: &[NodeId]) -> Result<NodeId> {
        let name = format!("{}/{}", self.scope, op.type_name());
        self.graph.add(op, inputs, &name)
    }

    /// `x` reshaped to `shape`, one node per input and target in a gradient. The weight gradients of
    /// attention's query, key and value projections each reshaped the same input to rows: the input is
    /// shared until its last reshape, so the first two copied it (4 MB each in a Transformer step).
    pub fn reshaped(&mut self, x: NodeId, shape: Vec<i64>) -> Result<NodeId> {
        if let Some(&done) = self.reshapes.get(&(x, shape.clone())) {
            return Ok(done);
        }
        let id = self.add(Op::Reshape { shape: shape.clone() }, &[x])?;
        self.reshapes.insert((x, shape), id);
        Ok(id)
    }

    pub fn dtype(&self, id: NodeId) -> DType {
        self.graph.node(id).dtype
    }

    pub fn shape(&self, id: NodeId) -> &Shape {
        &self.graph.node(id).shape
    }

    /// Adds up gradient contributions; a single one is returned as is.
    pub fn sum(&mut self, parts: &[NodeId]) -> Result<NodeId> {
        let mut acc = parts[0];
        for &p in &parts[1..] {
            acc = self.bin(BinaryOp::Add, acc, p)?;
        }
        Ok(acc)
    }

    pub fn un(&mut self, u: UnaryOp, x: NodeId) -> Result<NodeId> {
        self.add(Op::Unary(u), &[x])
    }

    pub fn bin(&mut self, op: BinaryOp, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.add(Op::Binary(op), &[a, b])
    }

    pub fn mul(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.bin(BinaryOp::Mul, a, b)
    }

    pub fn div(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.bin(BinaryOp::Div, a, b)
    }

    pub fn sub(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.bin(BinaryOp::Sub, a, b)
    }

    pub fn neg(&mut self, x: NodeId) -> Result<NodeId> {
        self.un(UnaryOp::Neg, x)
    }

    /// A scalar constant of the given float dtype (broadcasts in binary ops).
    pub fn scalar(&mut self, value: f64, dtype: DType) -> Result<NodeId> {
        let t = match dtype {
            DType::F64 => Tensor::scalar(value),
            DType::C64 => Tensor::scalar(crate::tensor::Complex::new(value as f32, 0.0)),
            DType::F16 => Tensor::scalar(crate::tensor::f16::from_f64(value)),
            DType::BF16 => Tensor::scalar(crate::tensor::bf16::from_f64(value)),
            DType::C128 => Tensor::scalar(crate::tensor::Complex::new(value, 0.0)),
            _ => Tensor::scalar(value as f32),
        };
        self.add(Op::Const(t), &[])
    }

    /// `x * value` with a scalar constant of x's dtype.
    pub fn scale(&mut self, x: NodeId, value: f64) -> Result<NodeId> {
        let c = self.scalar(value, self.dtype(x))?;
        self.mul(x, c)
    }

    pub fn fill_like(&mut self, x: NodeId, value: f64) -> Result<NodeId> {
        self.add(Op::FillLike { value, dtype: None }, &[x])
    }

    pub fn compare(&mut self, c: CompareOp, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.add(Op::Compare(c), &[a, b])
    }

    /// `x > 0` as a bool mask, comparing against zeros shaped like x so unknown shapes work.
    pub fn positive(&mut self, x: NodeId) -> Result<NodeId> {
        let zero = self.fill_like(x, 0.0)?;
        self.compare(CompareOp::Greater, x, zero)
    }

    pub fn select(&mut self, cond: NodeId, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.add(Op::Select, &[cond, a, b])
    }

    pub fn cast(&mut self, x: NodeId, to: DType) -> Result<NodeId> {
        if self.dtype(x) == to {
            return Ok(x);
        }
        self.add(Op::Cast(to), &[x])
    }

    pub fn reduce_sum(&mut self, x: NodeId, axes: Option<Vec<i64>>, keepdims: bool) -> Result<NodeId> {
        self.add(Op::Reduce { op: ReduceOp::Sum, axes, keepdims }, &[x])
    }

    /// Broadcasts a reduction's gradient (or result) back to the shape of the reduced input `x`.
    pub fn unreduce(
        &mut self,
        g: NodeId,
        x: NodeId,
        axes: Option<Vec<i64>>,
        keepdims: bool,
    ) -> Result<NodeId> {
        self.add(Op::UnreduceLike { axes, keepdims }, &[g, x])
    }

    /// Sums the gradient `g` of a broadcasting `x op other` back to `x`'s shape; skipped where the static
    /// shapes prove that broadcasting left `x`'s shape as it was (a `[batch, n]` activation plus a bias
    /// `[n]`), so the plan neither runs the reduction nor keeps `x` alive for its shape.
    pub fn reduce_to_operand(&mut self, g: NodeId, x: NodeId, other: NodeId) -> Result<NodeId> {
        if keeps_shape(self.shape(x), self.shape(other)) {
            return Ok(g);
        }
        self.reduce_to(g, x)
    }

    /// Sums a broadcast gradient back to `x`'s shape; skipped when both shapes are fully known and equal.
    pub fn reduce_to(&mut self, g: NodeId, x: NodeId) -> Result<NodeId> {
        let (gs, xs) = (self.shape(g), self.shape(x));
        if gs.to_concrete().is_some() && gs == xs {
            return Ok(g);
        }
        self.add(Op::ReduceToShapeOf, &[g, x])
    }
}

/// Whether broadcasting `x` against `other` gives `x`'s shape whatever the unknown dimensions turn out to
/// be: on every axis `other` has 1 (or lacks it), or `x` has a known size other than 1.
fn keeps_shape(x: &Shape, other: &Shape) -> bool {
    let (Some(xd), Some(od)) = (&x.dims, &other.dims) else { return false };
    if od.len() > xd.len() {
        return false;
    }
    let pad = xd.len() - od.len();
    xd.iter().enumerate().all(|(i, &d)| {
        let o = if i < pad { Some(1) } else { od[i - pad] };
        o == Some(1) || matches!(d, Some(n) if n != 1)
    })
}
