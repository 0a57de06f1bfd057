//! Plan fusions: short chains of steps that run as one kernel, where the profile showed the separate ops
//! spending their time writing and re-reading an intermediate that nothing else reads.
//!
//! A chain qualifies only when every intermediate has exactly one reader (the next member) and is not
//! fetched, so no one can observe that it was never materialized. Each fused step keeps its members, and
//! runs them one by one, exactly as unfused, when its kernel declines the operands (other dtypes or shapes)
//! or when every op's output must be checked for NaN/Inf (the check names the member that produced it).

use crate::conv_op::ConvOp;
use crate::error::{Error, Result};
use crate::graph::{Graph, NodeId};
use crate::kernels;
use crate::op::{BinaryOp, Op, UnaryOp};
use crate::tensor::Tensor;

/// What a fused step computes, which selects its kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `ApplyAdam(MatMul(x, dy, transpose_a))`: a dense layer's weight gradient and its update
    /// (`kernels::fused_adam`); arguments `x`, `dy` and the step size. Either operand may come through a
    /// `Reshape` to rows (a dense layer on a sequence: `stacked_weight_grad`), which is then a member: the
    /// kernel reads the reshape's input buffer as those rows instead of a copy of it.
    MatMulAdam,
    /// `[Relu](Add(MatMul(x, w), bias))`: a dense layer's forward pass with the bias and activation applied
    /// to the product's rows while they are in cache (`kernels::fused_dense`); arguments `[x, w, bias]`.
    DenseForward { relu: bool },
    /// `[Relu](Add(Conv2D(x, f), bias))`: a convolution layer's forward pass, the bias and activation
    /// applied to each chunk of output rows (`kernels::conv::conv2d_bias`); arguments `[x, f, bias]`.
    ConvForward { relu: bool },
    /// `Mul(x, DropoutMask(x))`: dropout's mask and its product in one pass; the mask is also stored in
    /// its own slot for the gradient. Arguments `[x]`.
    DropoutMul,
    /// `ReluGrad(Mul(g, mask), x)`, possibly through a `ReduceToShapeOf(_, x)`: the gradient through
    /// dropout and relu in one pass; arguments `[g, mask, x]`.
    MaskedReluGrad,
}

/// Where a member reads an input: one of the fused step's arguments, or an earlier member's output.
#[derive(Debug, Clone, Copy)]
enum Source {
    Arg(usize),
    Member(usize),
}

#[derive(Debug, Clone)]
struct Member {
    node: NodeId,
    inputs: Vec<Source>,
}

/// A fused step's recipe: its kernel and its members in evaluation order (the step's node is the last).
#[derive(Debug, Clone)]
pub(crate) struct Fused {
    kind: Kind,
    members: Vec<Member>,
    /// Members whose outputs other steps read too, with the slots that receive them.
    side: Vec<(usize, usize)>,
}

/// The part of a plan step that fusion reads and rewrites.
pub(crate) trait FusableStep {
    fn node(&self) -> NodeId;
    fn out(&self) -> usize;
    fn inputs(&self) -> &[usize];
    /// Turns this step into the fused chain `members` (this step's node last) reading `inputs`.
    fn fuse(&mut self, inputs: Vec<usize>, fused: Fused);
}

/// Rewrites `steps`, replacing each fusable chain by one step.
pub(crate) fn fuse<S: FusableStep>(graph: &Graph, steps: &mut Vec<S>, fetch_slots: &[usize], n_slots: usize) {
    let mut readers = vec![0usize; n_slots];
    let mut producer = vec![usize::MAX; n_slots];
    for (i, step) in steps.iter().enumerate() {
        producer[step.out()] = i;
        for &s in step.inputs() {
            readers[s] += 1;
        }
    }
    // The step that produces input `k` of step `i`, when step `i` is its only reader and it is not fetched.
    let sole_producer = |steps: &[S], i: usize, k: usize| -> Option<usize> {
        let slot = *steps[i].inputs().get(k)?;
        let j = producer[slot];
        (j != usize::MAX && readers[slot] == 1 && !fetch_slots.contains(&slot)).then_some(j)
    };
    let op_of = |steps: &[S], i: usize| &graph.node(steps[i].node()).op;
    let is_f32 = |steps: &[S], i: usize| graph.node(steps[i].node()).dtype == crate::DType::F32;
    // Whether step `a`'s output is the sole input of a Relu, which then fuses it.
    let read_only_by_relu = |steps: &[S], a: usize| {
        (0..steps.len()).any(|r| {
            matches!(op_of(steps, r), Op::Unary(UnaryOp::Relu)) && sole_producer(steps, r, 0) == Some(a)
        })
    };
    let mut removed = vec![false; steps.len()];
    for i in 0..steps.len() {
        let chain: Option<(Kind, Vec<usize>)> = match op_of(steps, i) {
            Op::ApplyAdam { .. } => sole_producer(steps, i, 0)
                .filter(|&j| {
                    matches!(op_of(steps, j), Op::MatMul { transpose_a: true, transpose_b: false })
                        && is_f32(steps, j)
                })
                .map(|j| {
                    let reshapes = (0..2).filter_map(|k| {
                        sole_producer(steps, j, k)
                            .filter(|&r| matches!(op_of(steps, r), Op::Reshape { shape } if shape.len() == 2))
                    });
                    let mut chain: Vec<usize> = reshapes.collect();
                    chain.sort_unstable(); // producers before readers, as the plan runs them
                    chain.extend([j, i]);
                    (Kind::MatMulAdam, chain)
                }),
            Op::Unary(UnaryOp::Relu) | Op::Binary(BinaryOp::Add) => {
                let relu = matches!(op_of(steps, i), Op::Unary(UnaryOp::Relu));
                let add = if relu { sole_producer(steps, i, 0) } else { Some(i) };
                add.filter(|&a| matches!(op_of(steps, a), Op::Binary(BinaryOp::Add)) && is_f32(steps, a))
                    // A bias Add whose own reader is a Relu is fused from that Relu instead.
                    .filter(|&a| relu || !read_only_by_relu(steps, a))
                    .filter(|&a| graph.node(graph.node(steps[a].node()).inputs[1]).shape.rank() == Some(1))
                    .and_then(|a| sole_producer(steps, a, 0).map(|mm| (mm, a)))
                    .and_then(|(mm, a)| {
                        let kind = match op_of(steps, mm) {
                            Op::MatMul { transpose_a: false, transpose_b: false } => {
                                Kind::DenseForward { relu }
                            }
                            Op::Conv(ConvOp::Conv2D(_)) => Kind::ConvForward { relu },
                            _ => return None,
                        };
                        Some((kind, if relu { vec![mm, a, i] } else { vec![mm, a] }))
                    })
            }
            Op::Binary(BinaryOp::Mul) if is_f32(steps, i) => {
                // Mul(x, DropoutMask(x)) in either order; the mask's other readers all come later.
                let ins = steps[i].inputs();
                (0..2)
                    .find(|&k| {
                        let j = producer[ins[k]];
                        j != usize::MAX
                            && matches!(op_of(steps, j), Op::DropoutMask { .. })
                            && steps[j].inputs()[0] == ins[1 - k]
                            && !fetch_slots.contains(&ins[k])
                            && steps.iter().enumerate().all(|(r, s)| r >= i || !s.inputs().contains(&ins[k]))
                    })
                    .map(|k| (Kind::DropoutMul, vec![producer[ins[k]], i]))
            }
            Op::ReluGrad => {
                // The product may reach relu's gradient through a ReduceToShapeOf to relu's own output
                // (dropout's gradient, summed back to its input's shape): that is an identity whenever the
                // kernel takes the operands, which must all have that shape.
                let direct = sole_producer(steps, i, 0);
                let through = direct.filter(|&r| {
                    matches!(op_of(steps, r), Op::ReduceToShapeOf)
                        && steps[r].inputs()[1] == steps[i].inputs()[1]
                });
                let mul = match through {
                    Some(r) => sole_producer(steps, r, 0),
                    None => direct,
                };
                mul.filter(|&j| matches!(op_of(steps, j), Op::Binary(BinaryOp::Mul)) && is_f32(steps, j))
                    .map(|j| (Kind::MaskedReluGrad, std::iter::once(j).chain(through).chain([i]).collect()))
            }
            _ => None,
        };
        let Some((kind, chain)) = chain else { continue };
        if chain.iter().any(|&j| removed[j]) {
            continue;
        }
        let (inputs, mut fused) = build(steps, &chain, kind);
        if kind == Kind::DropoutMul {
            fused.side.push((0, steps[chain[0]].out()));
        }
        for &j in &chain[..chain.len() - 1] {
            removed[j] = true;
        }
        steps[i].fuse(inputs, fused);
    }
    let mut k = 0;
    steps.retain(|_| {
        k += 1;
        !removed[k - 1]
    });
}

/// The fused step's argument slots and members for `chain` (step indices, producer first).
fn build<S: FusableStep>(steps: &[S], chain: &[usize], kind: Kind) -> (Vec<usize>, Fused) {
    let mut args: Vec<usize> = Vec::new();
    let mut members = Vec::with_capacity(chain.len());
    for (pos, &j) in chain.iter().enumerate() {
        let inputs = steps[j]
            .inputs()
            .iter()
            .map(|&slot| match chain[..pos].iter().position(|&p| steps[p].out() == slot) {
                Some(m) => Source::Member(m),
                None => Source::Arg(args.iter().position(|&a| a == slot).unwrap_or_else(|| {
                    args.push(slot);
                    args.len() - 1
                })),
            })
            .collect();
        members.push(Member { node: steps[j].node(), inputs });
    }
    (args, Fused { kind, members, side: Vec::new() })
}

impl Fused {
    /// The members' op types joined with `+`, as profiles show the step (`MatMul+AddV2+Relu`).
    pub(crate) fn type_name(&self, graph: &Graph) -> String {
        let names: Vec<String> = self.members.iter().map(|m| graph.node(m.node).op.type_name()).collect();
        names.join("+")
    }

    /// The members' nodes, in evaluation order (this step's node last).
    pub(crate) fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.members.iter().map(|m| m.node)
    }

    /// The slots that receive the side outputs `run` returns, in order.
    pub(crate) fn side_slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.side.iter().map(|&(_, slot)| slot)
    }

    /// Runs the fused step on its arguments: the kernel when it takes them, else member by member. Returns
    /// the step's output and the side outputs (see `side_slots`).
    pub(crate) fn run(
        &self,
        graph: &Graph,
        args: &mut [Tensor],
        check_numerics: bool,
    ) -> Result<(Tensor, Vec<Tensor>)> {
        if !check_numerics {
            if let Some(out) = self.kernel(graph, args) {
                let last = self.members.last().map_or("", |m| graph.node(m.node).name.as_str());
                return out.map_err(|e| e.context(format!("{} '{last}'", self.type_name(graph))));
            }
        }
        let mut outputs: Vec<Tensor> = Vec::with_capacity(self.members.len());
        for member in &self.members {
            let node = graph.node(member.node);
            let inputs: Vec<Tensor> = member
                .inputs
                .iter()
                .map(|&s| match s {
                    Source::Arg(a) => args[a].clone(),
                    Source::Member(m) => outputs[m].clone(),
                })
                .collect();
            let out = kernels::compute(&node.op, &inputs)
                .map_err(|e| e.context(format!("{} '{}'", node.op.type_name(), node.name)))?;
            if check_numerics {
                crate::exec::check_finite(graph, node, &out, &inputs)?;
            }
            outputs.push(out);
        }
        let sides = self.side.iter().map(|&(m, _)| outputs[m].clone()).collect();
        let out = outputs.pop().ok_or_else(|| Error::internal("a fused step without members"))?;
        Ok((out, sides))
    }

    /// The product's two operands of a `MatMulAdam` step as row matrices: an argument as it is, or the
    /// input of a member `Reshape` with that reshape's rows and columns (None where the target does not
    /// fit the input; the members then run one by one and report it).
    fn product_rows<'a>(
        &self,
        graph: &Graph,
        args: &'a [Tensor],
    ) -> Option<[kernels::fused_adam::Rows<'a>; 2]> {
        let product = &self.members[self.members.len().checked_sub(2)?];
        let operand = |k: usize| -> Option<kernels::fused_adam::Rows<'a>> {
            match *product.inputs.get(k)? {
                Source::Arg(a) => kernels::fused_adam::Rows::of(&args[a]),
                Source::Member(m) => {
                    let reshape = &self.members[m];
                    let (Op::Reshape { shape }, Some(&Source::Arg(a))) =
                        (&graph.node(reshape.node).op, reshape.inputs.first())
                    else {
                        return None;
                    };
                    let dims = kernels::shape_ops::reshape_target(&args[a], shape).ok()?;
                    kernels::fused_adam::Rows::relabelled(&args[a], &dims)
                }
            }
        };
        Some([operand(0)?, operand(1)?])
    }

    /// The fused kernel, or None where it does not take these operands.
    fn kernel(&self, graph: &Graph, args: &mut [Tensor]) -> Option<Result<(Tensor, Vec<Tensor>)>> {
        if self.kind == Kind::DropoutMul {
            let Op::DropoutMask { rate, seed, dtype, counter } = &graph.node(self.members[0].node).op else {
                return None;
            };
            if *dtype != crate::DType::F32 || args.len() != 1 || args[0].dtype() != crate::DType::F32 {
                return None;
            }
            let step = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Some(
                kernels::random::dropout_apply(&args[0], *rate, *seed, step).map(|(y, m)| (y, vec![m])),
            );
        }
        if args.len() != 3 {
            return None; // a member read one value twice: not the shape the kernels are written for
        }
        // (Every kind's arguments are its first member's inputs then the step size or bias, in order, except
        // `MatMulAdam`'s, whose reshape members may come first in either order: it finds its operands.)
        let last = &graph.node(self.members.last()?.node).op;
        let single = match self.kind {
            Kind::MatMulAdam => {
                let Op::ApplyAdam { var, m, v, beta_1, beta_2, epsilon } = last else { return None };
                let betas = (*beta_1, *beta_2, *epsilon);
                let [x, dy] = self.product_rows(graph, args)?;
                let alpha = self.members.last()?.inputs.get(1).and_then(|&s| match s {
                    Source::Arg(a) => Some(&args[a]),
                    Source::Member(_) => None,
                })?;
                kernels::fused_adam::matmul_t_adam(x, dy, alpha, (var, m, v), betas)
            }
            Kind::DenseForward { relu } => {
                kernels::fused_dense::dense_forward(&args[0], &args[1], &args[2], relu)
            }
            Kind::ConvForward { relu } => {
                let Op::Conv(ConvOp::Conv2D(window)) = &graph.node(self.members[0].node).op else {
                    return None;
                };
                kernels::conv::conv2d_bias(&args[0], &args[1], &args[2], window, relu)
            }
            Kind::MaskedReluGrad => kernels::fused_dense::masked_relu_grad(args),
            Kind::DropoutMul => None,
        };
        single.map(|r| r.map(|out| (out, Vec::new())))
    }
}

#[cfg(test)]
#[path = "fusion_tests.rs"]
mod tests;
