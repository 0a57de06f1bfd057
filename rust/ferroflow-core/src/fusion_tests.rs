//! Fused plans give the same bits as the separate ops, and fuse only chains whose intermediates no one reads.

use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, Op, UnaryOp};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::DType;

fn values(len: usize, seed: f32) -> Vec<f32> {
    (0..len).map(|i| ((i as f32 * 0.37 + seed).sin() * 3.0).round() / 4.0 + 0.01 * seed).collect()
}

fn placeholder(g: &mut Graph, shape: &[usize], name: &str) -> NodeId {
    g.add(Op::Placeholder { dtype: DType::F32, shape: Shape::known(shape) }, &[], name).unwrap()
}

/// Runs `fetches` (first fetch compared) of `g` fed `feeds`, returning the values and the plan's step count.
fn run(g: &Graph, fetches: &[NodeId], feed_nodes: &[NodeId], feeds: &[Tensor]) -> (Vec<Vec<f64>>, usize) {
    let plan = Plan::new(g, fetches, feed_nodes).unwrap();
    // Fresh, unshared copies as the batch loop feeds them, so the in-place kernels take part.
    let owned = feeds.iter().map(|t| Tensor::new(t.data().clone())).collect();
    let out = crate::threading::install(|| plan.run_owned(g, owned)).unwrap();
    (out.iter().map(|t| t.to_f64_vec()).collect(), plan.num_steps())
}

#[test]
fn dense_forward_fuses_bias_and_relu_with_identical_results() {
    // 600 x 512 outputs: above the size from which the row passes split across threads; a stack of
    // matrices (a dense layer on a sequence) fuses as well.
    let cases: [(&[usize], usize); 3] = [(&[600, 40], 512), (&[7, 5], 3), (&[3, 200, 40], 512)];
    for (x_shape, n) in cases {
        let (m, k) = (x_shape[..x_shape.len() - 1].iter().product::<usize>(), x_shape[x_shape.len() - 1]);
        for relu in [true, false] {
            let mut g = Graph::new();
            let x = placeholder(&mut g, x_shape, "x");
            let w =
                g.add(Op::Const(Tensor::from_vec(&[k, n], values(k * n, 1.0)).unwrap()), &[], "w").unwrap();
            let b = g.add(Op::Const(Tensor::from_vec(&[n], values(n, 2.0)).unwrap()), &[], "b").unwrap();
            let mm = g.add(Op::MatMul { transpose_a: false, transpose_b: false }, &[x, w], "mm").unwrap();
            let add = g.add(Op::Binary(BinaryOp::Add), &[mm, b], "add").unwrap();
            let last = if relu { g.add(Op::Unary(UnaryOp::Relu), &[add], "relu").unwrap() } else { add };
            let feed = [Tensor::from_vec(x_shape, values(m * k, 3.0)).unwrap()];
            let (fused, fused_steps) = run(&g, &[last], &[x], &feed);
            // Fetching the intermediates keeps every op separate.
            let (plain, plain_steps) = run(&g, &[last, mm, add], &[x], &feed);
            assert_eq!(fused[0], plain[0], "m={m} relu={relu}");
            assert_eq!(
                fused_steps + 1 + usize::from(relu),
                plain_steps,
                "the product and bias fold into one step"
            );
            assert!(!relu || plain[0].contains(&0.0), "the data exercises the relu");
        }
    }
}

#[test]
fn a_bias_add_with_two_readers_is_not_fused() {
    let (m, k, n) = (4, 3, 5);
    let mut g = Graph::new();
    let x = placeholder(&mut g, &[m, k], "x");
    let w = g.add(Op::Const(Tensor::from_vec(&[k, n], values(k * n, 1.0)).unwrap()), &[], "w").unwrap();
    let b = g.add(Op::Const(Tensor::from_vec(&[n], values(n, 2.0)).unwrap()), &[], "b").unwrap();
    let mm = g.add(Op::MatMul { transpose_a: false, transpose_b: false }, &[x, w], "mm").unwrap();
    let add = g.add(Op::Binary(BinaryOp::Add), &[mm, b], "add").unwrap();
    let relu = g.add(Op::Unary(UnaryOp::Relu), &[add], "relu").unwrap();
    let neg = g.add(Op::Unary(UnaryOp::Neg), &[add], "neg").unwrap();
    let both = g.add(Op::Binary(BinaryOp::Sub), &[relu, neg], "sub").unwrap();
    let feed = [Tensor::from_vec(&[m, k], values(m * k, 3.0)).unwrap()];
    let (out, steps) = run(&g, &[both], &[x], &feed);
    // x is fed; w, b (constants), then MatMul+Add fused, Relu, Neg and Sub stay separate.
    assert_eq!(steps, 6);
    let (want, _) = run(&g, &[both, mm, add, relu, neg], &[x], &feed);
    assert_eq!(out[0], want[0]);
}

#[test]
fn masked_relu_gradient_matches_mul_then_relu_grad() {
    for len in [300_000, 13] {
        let mut g = Graph::new();
        let dy = placeholder(&mut g, &[len], "dy");
        let mask = placeholder(&mut g, &[len], "mask");
        let x = placeholder(&mut g, &[len], "x");
        let mul = g.add(Op::Binary(BinaryOp::Mul), &[dy, mask], "mul").unwrap();
        let grad = g.add(Op::ReluGrad, &[mul, x], "relu_grad").unwrap();
        let feeds = [
            Tensor::from_vec(&[len], values(len, 1.0)).unwrap(),
            Tensor::from_vec(&[len], (0..len).map(|i| if i % 5 == 0 { 0f32 } else { 1.25 }).collect())
                .unwrap(),
            Tensor::from_vec(&[len], values(len, 2.0)).unwrap(),
        ];
        let (fused, fused_steps) = run(&g, &[grad], &[dy, mask, x], &feeds);
        let (plain, plain_steps) = run(&g, &[grad, mul], &[dy, mask, x], &feeds);
        assert_eq!(fused[0], plain[0]);
        assert_eq!((fused_steps, plain_steps), (1, 2));
        // The caller's feeds are never written: run() shares them with the plan.
        let plan = Plan::new(&g, &[grad], &[dy, mask, x]).unwrap();
        let before = feeds[0].to_f64_vec();
        plan.run(&g, &feeds).unwrap();
        assert_eq!(feeds[0].to_f64_vec(), before);
    }
}

#[test]
fn values_moved_at_their_last_use_are_reused_and_shared_ones_are_not_written() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, &[2, 3], "x");
    let flat = g.add(Op::Reshape { shape: vec![6] }, &[x], "flat").unwrap();
    let relu = g.add(Op::Unary(UnaryOp::Relu), &[flat], "relu").unwrap();
    let twice = g.add(Op::Binary(BinaryOp::Add), &[relu, relu], "twice").unwrap();
    let feed = Tensor::from_vec(&[2, 3], vec![-1f32, 2.0, -3.0, 4.0, 0.5, -0.0]).unwrap();
    let plan = Plan::new(&g, &[twice, relu], &[x]).unwrap();
    let out = plan.run(&g, std::slice::from_ref(&feed)).unwrap();
    assert_eq!(out[0].to_f64_vec(), vec![0.0, 4.0, 0.0, 8.0, 1.0, 0.0]);
    // The relu is fetched too: the Add may not have written into its buffer.
    assert_eq!(out[1].to_f64_vec(), vec![0.0, 2.0, 0.0, 4.0, 0.5, 0.0]);
    assert_eq!(feed.to_f64_vec(), vec![-1.0, 2.0, -3.0, 4.0, 0.5, 0.0]);
    let owned = plan.run_owned(&g, vec![Tensor::new(feed.data().clone())]).unwrap();
    assert_eq!(owned[0].to_f64_vec(), out[0].to_f64_vec());
}

#[test]
fn masked_relu_gradient_sees_through_an_identity_reduction() {
    let len = 1000;
    let mut g = Graph::new();
    let dy = placeholder(&mut g, &[len], "dy");
    let mask = placeholder(&mut g, &[len], "mask");
    let x = placeholder(&mut g, &[len], "x");
    let mul = g.add(Op::Binary(BinaryOp::Mul), &[dy, mask], "mul").unwrap();
    let back = g.add(Op::ReduceToShapeOf, &[mul, x], "reduce").unwrap();
    let grad = g.add(Op::ReluGrad, &[back, x], "relu_grad").unwrap();
    let feeds = [
        Tensor::from_vec(&[len], values(len, 1.0)).unwrap(),
        Tensor::from_vec(&[len], values(len, 4.0)).unwrap(),
        Tensor::from_vec(&[len], values(len, 2.0)).unwrap(),
    ];
    let (fused, fused_steps) = run(&g, &[grad], &[dy, mask, x], &feeds);
    let (plain, plain_steps) = run(&g, &[grad, mul, back], &[dy, mask, x], &feeds);
    assert_eq!(fused[0], plain[0]);
    assert_eq!((fused_steps, plain_steps), (1, 3));
}

#[test]
fn dropout_multiplies_its_mask_in_the_same_pass_and_keeps_the_mask_for_later_readers() {
    for len in [200_000, 50] {
        // Built twice: each graph's mask counter starts at 0, so both draw the same mask.
        let build = || {
            let mut g = Graph::new();
            let x = placeholder(&mut g, &[len], "x");
            let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let op = Op::DropoutMask { rate: 0.25, seed: 9, dtype: DType::F32, counter };
            let mask = g.add(op, &[x], "mask").unwrap();
            let y = g.add(Op::Binary(BinaryOp::Mul), &[mask, x], "mul").unwrap();
            let later = g.add(Op::Unary(UnaryOp::Neg), &[mask], "later").unwrap();
            (g, x, mask, y, later)
        };
        let feed = [Tensor::from_vec(&[len], values(len, 1.0)).unwrap()];
        let (g, x, _, y, later) = build();
        let (fused, fused_steps) = run(&g, &[y, later], &[x], &feed);
        let (g, x, mask, y, later) = build();
        let (plain, plain_steps) = run(&g, &[y, later, mask], &[x], &feed);
        assert_eq!((fused_steps, plain_steps), (2, 3));
        // The fused step's mask counter is part of the plan's random state.
        let plan = Plan::new(&g, &[y, later], &[x]).unwrap();
        assert_eq!(plan.random_counters(&g), vec![1]);
        assert_eq!(fused[0], plain[0]);
        assert_eq!(fused[1], plain[1], "the mask's other reader sees the same mask");
        let kept = plain[2].iter().filter(|&&m| m != 0.0).count() as f64 / len as f64;
        // Within four standard errors of the kept fraction 1 - rate.
        assert!((kept - 0.75).abs() < 4.0 * (0.75 * 0.25 / len as f64).sqrt(), "{kept}");
    }
}

#[test]
fn conv_forward_fuses_bias_and_relu_with_identical_results() {
    use crate::conv_op::{ConvOp, Padding, Window};
    // A 2 x 30 x 30 x 3 batch into 16 channels: the patch matrix spans several of the tests' small chunks.
    let window = Window { strides: [1, 1], dilations: [1, 1], padding: Padding::Same };
    for relu in [true, false] {
        let mut g = Graph::new();
        let x = placeholder(&mut g, &[2, 30, 30, 3], "x");
        let f =
            g.add(Op::Const(Tensor::from_vec(&[3, 3, 3, 16], values(432, 1.0)).unwrap()), &[], "f").unwrap();
        let b = g.add(Op::Const(Tensor::from_vec(&[16], values(16, 2.0)).unwrap()), &[], "b").unwrap();
        let conv = g.add(Op::Conv(ConvOp::Conv2D(window)), &[x, f], "conv").unwrap();
        let add = g.add(Op::Binary(BinaryOp::Add), &[conv, b], "add").unwrap();
        let last = if relu { g.add(Op::Unary(UnaryOp::Relu), &[add], "relu").unwrap() } else { add };
        let feed = [Tensor::from_vec(&[2, 30, 30, 3], values(5400, 3.0)).unwrap()];
        let (fused, fused_steps) = run(&g, &[last], &[x], &feed);
        let (plain, plain_steps) = run(&g, &[last, conv, add], &[x], &feed);
        assert_eq!(fused[0], plain[0], "relu={relu}");
        assert_eq!(
            fused_steps + 1 + usize::from(relu),
            plain_steps,
            "the convolution and bias fold into one step"
        );
        assert!(!relu || plain[0].contains(&0.0), "the data exercises the relu");
    }
}
