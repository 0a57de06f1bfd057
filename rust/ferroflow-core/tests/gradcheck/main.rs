//! Checks every gradient rule against central finite differences in float64, plus the behaviour of `gradients`.
//!
//! Shared helpers live here; `primitives.rs` checks each op's rule, `behaviour.rs` composites, second
//! order and the contract of `gradients` itself.

mod behaviour;
mod primitives;

use ferroflow_core::exec::{self, Plan};
use ferroflow_core::grad::gradients;
use ferroflow_core::op::{BinaryOp, ReduceOp, UnaryOp};
use ferroflow_core::{DType, Graph, NodeId, Op, Shape, Tensor};

// ---------------------------------------------------------------- helpers

/// splitmix64: deterministic inputs without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn uniform(&mut self, shape: &[usize], lo: f64, hi: f64) -> Tensor {
        let n = shape.iter().product();
        Tensor::from_vec(shape, (0..n).map(|_| lo + (hi - lo) * self.unit()).collect::<Vec<f64>>()).unwrap()
    }
    /// Magnitudes in [lo, hi] with random signs: keeps values away from kinks at zero.
    pub fn signed(&mut self, shape: &[usize], lo: f64, hi: f64) -> Tensor {
        let t = self.uniform(shape, lo, hi);
        let v = t.to_f64_vec().into_iter().map(|x| if self.unit() < 0.5 { -x } else { x }).collect();
        Tensor::from_vec(shape, v).unwrap()
    }
}

pub fn rng() -> Rng {
    Rng(0x5EED)
}

pub fn f64s(shape: &[usize], v: &[f64]) -> Tensor {
    Tensor::from_vec(shape, v.to_vec()).unwrap()
}

pub fn add(g: &mut Graph, op: Op, inputs: &[NodeId]) -> NodeId {
    g.add(op, inputs, "").unwrap_or_else(|e| panic!("building the test graph failed: {e}"))
}

pub fn konst(g: &mut Graph, t: Tensor) -> NodeId {
    add(g, Op::Const(t), &[])
}

pub fn un(g: &mut Graph, u: UnaryOp, x: NodeId) -> NodeId {
    add(g, Op::Unary(u), &[x])
}

pub fn bin(g: &mut Graph, b: BinaryOp, x: NodeId, y: NodeId) -> NodeId {
    add(g, Op::Binary(b), &[x, y])
}

pub fn sum_all(g: &mut Graph, x: NodeId) -> NodeId {
    add(g, Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[x])
}

pub fn placeholder(g: &mut Graph, dtype: DType, shape: Shape) -> NodeId {
    add(g, Op::Placeholder { dtype, shape }, &[])
}

pub fn run1(g: &Graph, fetch: NodeId, feeds: &[(NodeId, Tensor)]) -> Tensor {
    exec::run(g, &[fetch], feeds).unwrap_or_else(|e| panic!("run failed: {e}")).remove(0)
}

pub fn assert_close(name: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{name}: {} values, expected {}", got.len(), want.len());
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!((a - b).abs() <= tol * (1.0 + b.abs()), "{name}: element {i}: got {a}, expected {b}");
    }
}

/// How the placeholders' static shapes are declared: gradient rules must work when dimensions are
/// only known at run time.
#[derive(Debug, Clone, Copy)]
pub enum Dims {
    Static,
    /// Every dimension `None` (rank known).
    Unknown,
    /// Only the first dimension `None`, as for a batch.
    Batch,
}

pub const EPS: f64 = 1e-6;
pub const TOL: f64 = 1e-6;

/// loss = sum(build(inputs) * W) for fixed random W; compares d loss / d input from `gradients`
/// with central differences, once per `Dims` mode.
pub fn check_modes(
    name: &str,
    inputs: &[Tensor],
    modes: &[Dims],
    build: impl Fn(&mut Graph, &[NodeId]) -> NodeId,
) {
    for &mode in modes {
        let mut g = Graph::new();
        let ph: Vec<NodeId> = inputs
            .iter()
            .map(|t| {
                let dims = t.shape();
                let shape = match mode {
                    Dims::Static => Shape::known(dims),
                    Dims::Unknown => Shape::unknown_of_rank(dims.len()),
                    Dims::Batch => {
                        let mut s: Vec<Option<usize>> = dims.iter().map(|&d| Some(d)).collect();
                        if let Some(first) = s.first_mut() {
                            *first = None;
                        }
                        Shape::from_dims(s)
                    }
                };
                placeholder(&mut g, DType::F64, shape)
            })
            .collect();
        let out = build(&mut g, &ph);
        let feeds: Vec<(NodeId, Tensor)> = ph.iter().copied().zip(inputs.iter().cloned()).collect();
        let value = run1(&g, out, &feeds);
        let w = Rng(0xC0FFEE).uniform(value.shape(), -1.0, 1.0);
        let w = konst(&mut g, w);
        let weighted = bin(&mut g, BinaryOp::Mul, out, w);
        let loss = sum_all(&mut g, weighted);
        let grads = gradients(&mut g, &[loss], &ph, None)
            .unwrap_or_else(|e| panic!("{name} ({mode:?}): gradients failed: {e}"));
        let plan = Plan::new(&g, &[loss], &ph).unwrap();
        let eval = |vals: &[Tensor]| plan.run(&g, vals).unwrap()[0].to_f64_vec()[0];
        for (i, x) in inputs.iter().enumerate() {
            let gi = grads[i].unwrap_or_else(|| panic!("{name} ({mode:?}): no gradient for input {i}"));
            let analytic = run1(&g, gi, &feeds);
            assert_eq!(analytic.shape(), x.shape(), "{name} ({mode:?}): gradient {i} has the wrong shape");
            let base = x.to_f64_vec();
            let mut numeric = Vec::with_capacity(base.len());
            let mut vals: Vec<Tensor> = inputs.to_vec();
            for j in 0..base.len() {
                let mut at = |d: f64| {
                    let mut v = base.clone();
                    v[j] += d;
                    vals[i] = Tensor::from_vec(x.shape(), v).unwrap();
                    eval(&vals)
                };
                numeric.push((at(EPS) - at(-EPS)) / (2.0 * EPS));
            }
            assert_close(&format!("{name} ({mode:?}) d/d input {i}"), &analytic.to_f64_vec(), &numeric, TOL);
        }
    }
}

pub fn check(name: &str, inputs: &[Tensor], build: impl Fn(&mut Graph, &[NodeId]) -> NodeId) {
    check_modes(name, inputs, &[Dims::Static, Dims::Unknown], build)
}

pub fn check_op(name: &str, op: Op, inputs: &[Tensor]) {
    check(name, inputs, |g, x| add(g, op.clone(), x))
}
