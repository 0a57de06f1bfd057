//! Composite and second-order gradients, and the contract of `gradients`: pruning, None, accumulation, errors.

use crate::*;
use ferroflow_core::grad::gradients;
use ferroflow_core::op::{BinaryOp, CompareOp, ReduceOp, UnaryOp};
use ferroflow_core::{DType, ErrorKind, Graph, NodeId, Op, Shape, Tensor, VarHandle};

// ---------------------------------------------------------------- composites and second order

#[test]
fn small_mlp_end_to_end() {
    let mut r = rng();
    let x = r.uniform(&[4, 3], -1.0, 1.0);
    let w1 = r.uniform(&[3, 5], -1.0, 1.0);
    let b1 = r.uniform(&[5], -0.5, 0.5);
    let w2 = r.uniform(&[5, 3], -1.0, 1.0);
    check_modes("mlp", &[x, w1, b1, w2], &[Dims::Static, Dims::Batch], |g, p| {
        let h = add(g, Op::MatMul { transpose_a: false, transpose_b: false }, &[p[0], p[1]]);
        let h = bin(g, BinaryOp::Add, h, p[2]);
        let h = un(g, UnaryOp::Tanh, h);
        let logits = add(g, Op::MatMul { transpose_a: false, transpose_b: false }, &[h, p[3]]);
        let labels = konst(g, Tensor::from_vec(&[4], vec![0i64, 2, 1, 2]).unwrap());
        let loss = add(g, Op::SparseSoftmaxCrossEntropy, &[logits, labels]);
        add(g, Op::Reduce { op: ReduceOp::Mean, axes: None, keepdims: false }, &[loss])
    });
}

/// Differentiating a gradient graph checks every rule used inside gradient rules (second order).
#[test]
fn second_order_against_finite_differences() {
    let mut r = rng();
    let x = r.uniform(&[3, 4], 0.5, 1.5);
    type Build = fn(&mut Graph, NodeId) -> NodeId;
    let cases: Vec<(&str, Build)> = vec![
        ("tanh", |g, x| un(g, UnaryOp::Tanh, x)),
        ("sigmoid", |g, x| un(g, UnaryOp::Sigmoid, x)),
        ("softmax", |g, x| add(g, Op::Softmax { axis: -1 }, &[x])),
        ("log_softmax", |g, x| add(g, Op::LogSoftmax { axis: 0 }, &[x])),
        ("pow", |g, x| bin(g, BinaryOp::Pow, x, x)),
        ("div", |g, x| {
            let s = un(g, UnaryOp::Sin, x);
            bin(g, BinaryOp::Div, s, x)
        }),
        ("mean", |g, x| {
            let e = un(g, UnaryOp::Exp, x);
            add(g, Op::Reduce { op: ReduceOp::Mean, axes: Some(vec![1]), keepdims: false }, &[e])
        }),
        ("max", |g, x| {
            let sq = un(g, UnaryOp::Square, x);
            add(g, Op::Reduce { op: ReduceOp::Max, axes: Some(vec![0]), keepdims: true }, &[sq])
        }),
        ("matmul", |g, x| {
            let t = un(g, UnaryOp::Sqrt, x);
            add(g, Op::MatMul { transpose_a: false, transpose_b: true }, &[t, x])
        }),
        ("sparse xent", |g, x| {
            let labels = konst(g, Tensor::from_vec(&[3], vec![0i32, 3, 1]).unwrap());
            add(g, Op::SparseSoftmaxCrossEntropy, &[x, labels])
        }),
        ("xent", |g, x| {
            let labels = un(g, UnaryOp::Sqrt, x);
            add(g, Op::SoftmaxCrossEntropy, &[x, labels])
        }),
        ("broadcast add", |g, x| {
            let row = add(g, Op::Reduce { op: ReduceOp::Sum, axes: Some(vec![0]), keepdims: false }, &[x]);
            let row = un(g, UnaryOp::Square, row);
            bin(g, BinaryOp::Mul, x, row)
        }),
    ];
    for (name, f) in cases {
        // Sparse cross-entropy's rule needs the class count, so only the batch may be unknown there.
        let last = if name == "sparse xent" { Dims::Batch } else { Dims::Unknown };
        check_modes(
            &format!("second order {name}"),
            std::slice::from_ref(&x),
            &[Dims::Static, last],
            |g, p| {
                let y = f(g, p[0]);
                let w = konst(g, Rng(7).uniform(&[3, 4], -1.0, 1.0));
                // Weighting by w keeps the first derivative from collapsing (softmax sums to one).
                let y = if name == "matmul" || name.contains("xent") || name == "mean" || name == "max" {
                    y
                } else {
                    bin(g, BinaryOp::Mul, y, w)
                };
                let l = sum_all(g, y);
                gradients(g, &[l], &[p[0]], None).unwrap()[0].unwrap()
            },
        );
    }
}

#[test]
fn gradient_of_gradient_of_cube_is_6x() {
    let xv = f64s(&[3], &[-1.5, 0.5, 2.0]);
    for use_pow in [false, true] {
        let mut g = Graph::new();
        let x = placeholder(&mut g, DType::F64, Shape::known(&[3]));
        let cube = if use_pow {
            let three = konst(&mut g, Tensor::scalar(3.0f64));
            bin(&mut g, BinaryOp::Pow, x, three)
        } else {
            let sq = bin(&mut g, BinaryOp::Mul, x, x);
            bin(&mut g, BinaryOp::Mul, sq, x)
        };
        let d1 = gradients(&mut g, &[cube], &[x], None).unwrap()[0].unwrap();
        let d2 = gradients(&mut g, &[d1], &[x], None).unwrap()[0].unwrap();
        let got = run1(&g, d2, &[(x, xv.clone())]).to_f64_vec();
        // Pow's a^(b-1) at negative a is NaN for non-integer b only; b = 3 stays exact.
        assert_close(&format!("d2 x^3 (pow={use_pow})"), &got, &[-9.0, 3.0, 12.0], 1e-9);
        assert!(g.node(d2).name.starts_with("gradients_1/"), "{}", g.node(d2).name);
    }
}

// ---------------------------------------------------------------- behaviour of `gradients`

#[test]
fn unrelated_and_blocked_inputs_give_none() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F32, Shape::known(&[2]));
    let unrelated = placeholder(&mut g, DType::F32, Shape::known(&[2]));
    let _other_use = un(&mut g, UnaryOp::Exp, unrelated);
    let stopped = add(&mut g, Op::StopGradient, &[x]);
    let as_int = add(&mut g, Op::Cast(DType::I32), &[x]);
    let back = add(&mut g, Op::Cast(DType::F32), &[as_int]);
    let y = bin(&mut g, BinaryOp::Add, stopped, back);
    let before = g.len();
    let grads = gradients(&mut g, &[y], &[x, unrelated], None).unwrap();
    assert_eq!(grads, vec![None, None]);
    // Nothing lies on a differentiable path, so nothing is added.
    assert_eq!(g.len(), before);
}

#[test]
fn contributions_accumulate_when_x_is_used_twice() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F32, Shape::known(&[3]));
    let y = bin(&mut g, BinaryOp::Mul, x, x);
    let gx = gradients(&mut g, &[y], &[x], None).unwrap()[0].unwrap();
    let xv = Tensor::from_vec(&[3], vec![1.0f32, -2.0, 0.5]).unwrap();
    assert_eq!(run1(&g, gx, &[(x, xv)]).to_f64_vec(), vec![2.0, -4.0, 1.0]);
    assert!(g.nodes().iter().any(|n| n.name.starts_with("gradients/") && n.name.ends_with("AddV2")));
}

#[test]
fn several_ys_custom_grad_ys_and_x_equal_to_y() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F64, Shape::known(&[2]));
    let a = un(&mut g, UnaryOp::Square, x);
    let b = un(&mut g, UnaryOp::Sin, x);
    let ga = konst(&mut g, f64s(&[2], &[1.0, 10.0]));
    let gb = konst(&mut g, f64s(&[2], &[2.0, 0.0]));
    let grads = gradients(&mut g, &[a, b], &[x, a], Some(&[ga, gb])).unwrap();
    let xv = f64s(&[2], &[0.5, -1.0]);
    let got = run1(&g, grads[0].unwrap(), &[(x, xv)]).to_f64_vec();
    let want = [1.0 * 2.0 * 0.5 + 2.0 * 0.5f64.cos(), -20.0];
    assert_close("weighted sum of two ys", &got, &want, 1e-12);
    assert_eq!(run1(&g, grads[1].unwrap(), &[]).to_f64_vec(), vec![1.0, 10.0]);
}

#[test]
fn only_nodes_between_xs_and_ys_get_gradients() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F32, Shape::known(&[2, 2]));
    let w = placeholder(&mut g, DType::F32, Shape::known(&[2, 2]));
    let side = add(&mut g, Op::Unary(UnaryOp::Exp), &[w]);
    let m = g.add(Op::MatMul { transpose_a: false, transpose_b: false }, &[x, side], "dense/MatMul").unwrap();
    let y = sum_all(&mut g, m);
    gradients(&mut g, &[y], &[x], None).unwrap();
    let names: Vec<&str> =
        g.nodes().iter().map(|n| n.name.as_str()).filter(|n| n.starts_with("gradients/")).collect();
    assert!(names.iter().any(|n| n.starts_with("gradients/dense/MatMul_grad/MatMul")), "{names:?}");
    // The MatMul's second operand needs no gradient, and nothing is built for the Exp feeding it.
    assert_eq!(names.iter().filter(|n| n.contains("MatMul_grad/MatMul")).count(), 1, "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Exp")), "{names:?}");
}

#[test]
fn variables_are_leaves() {
    let mut g = Graph::new();
    let v = VarHandle::with_value("w", f64s(&[2], &[3.0, -1.0]));
    let read = add(&mut g, Op::ReadVariable(v.clone()), &[]);
    let sq = un(&mut g, UnaryOp::Square, read);
    let y = sum_all(&mut g, sq);
    let gv = gradients(&mut g, &[y], &[read], None).unwrap()[0].unwrap();
    assert_eq!(run1(&g, gv, &[]).to_f64_vec(), vec![6.0, -2.0]);
    // Assign passes no gradient back to the value it writes.
    let assigned = add(&mut g, Op::Assign { var: v, kind: ferroflow_core::op::AssignKind::Set }, &[sq]);
    assert_eq!(gradients(&mut g, &[assigned], &[read], None).unwrap(), vec![None]);
}

#[test]
fn non_float_xs_and_ys_are_dtype_errors() {
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F32, Shape::known(&[2]));
    let i = placeholder(&mut g, DType::I32, Shape::known(&[2]));
    let as_int = add(&mut g, Op::Cast(DType::I32), &[x]);
    let e = gradients(&mut g, &[as_int], &[x], None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DType);
    assert!(e.message.contains(&g.node(as_int).name), "{}", e.message);
    let e = gradients(&mut g, &[x], &[i], None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DType);
    assert!(e.message.contains(&g.node(i).name), "{}", e.message);
    let cmp = add(&mut g, Op::Compare(CompareOp::Less), &[x, x]);
    assert_eq!(gradients(&mut g, &[cmp], &[x], None).unwrap_err().kind, ErrorKind::DType);
}

/// Broadcasting gradients are summed back only where the static shapes leave it possible: a batch of
/// activations plus a bias needs no sum for the activations, the bias does, and an operand whose batch
/// axis may be 1 keeps its reduction (and gets the right value at run time).
#[test]
fn broadcast_gradients_skip_only_provably_identity_reductions() {
    let reductions = |g: &Graph, from: usize| {
        g.nodes()[from..].iter().filter(|n| matches!(n.op, Op::ReduceToShapeOf)).count()
    };
    let batch = |n: usize| Shape { dims: Some(vec![None, Some(n)]) };
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F64, batch(3));
    let b = placeholder(&mut g, DType::F64, Shape::known(&[3]));
    let y = bin(&mut g, BinaryOp::Add, x, b);
    let loss = sum_all(&mut g, y);
    let first = g.len();
    let grads = gradients(&mut g, &[loss], &[x, b], None).unwrap();
    assert_eq!(reductions(&g, first), 1, "only the bias gradient is summed");
    let (gx, gb) = (grads[0].unwrap(), grads[1].unwrap());
    let feeds = [(x, f64s(&[2, 3], &[1.0; 6])), (b, f64s(&[3], &[0.0; 3]))];
    assert_eq!(run1(&g, gx, &feeds).to_f64_vec(), vec![1.0; 6]);
    assert_eq!(run1(&g, gb, &feeds).to_f64_vec(), vec![2.0; 3]);

    // [None, 3] * [None, 3]: either batch axis may be 1, so both keep their reduction.
    let mut g = Graph::new();
    let x = placeholder(&mut g, DType::F64, batch(3));
    let z = placeholder(&mut g, DType::F64, batch(3));
    let y = bin(&mut g, BinaryOp::Mul, x, z);
    let loss = sum_all(&mut g, y);
    let first = g.len();
    let gx = gradients(&mut g, &[loss], &[x], None).unwrap()[0].unwrap();
    assert_eq!(reductions(&g, first), 1);
    let feeds = [(x, f64s(&[1, 3], &[1.0, 2.0, 3.0])), (z, f64s(&[2, 3], &[1.0, 1.0, 1.0, 2.0, 2.0, 2.0]))];
    assert_eq!(run1(&g, gx, &feeds).to_f64_vec(), vec![3.0, 3.0, 3.0], "x broadcast over the batch");
}
