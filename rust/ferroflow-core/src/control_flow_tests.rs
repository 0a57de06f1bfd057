//! While and Cond nodes: values against plain loops, gradients against finite differences, and build-time errors.

use crate::control_flow::{add_with_items, Body, CondSpec, ControlOp, WhileSpec};
use crate::exec::Plan;
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, CompareOp, Op, ReduceOp, UnaryOp};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::DType;
use std::sync::Arc;

fn ph(g: &mut Graph, dtype: DType, shape: &[usize], name: &str) -> NodeId {
    g.add(Op::Placeholder { dtype, shape: Shape::known(shape) }, &[], name).unwrap()
}

fn op(g: &mut Graph, op: Op, inputs: &[NodeId]) -> NodeId {
    g.add(op, inputs, "").unwrap()
}

/// `(i, x) -> (i + 1, sin(x * w))` while `i < n`, with `w` and `n` captured.
fn sine_loop() -> WhileSpec {
    let mut g = Graph::new();
    let (i, x) = (ph(&mut g, DType::I64, &[], "i"), ph(&mut g, DType::F64, &[3], "x"));
    let (w, n) = (ph(&mut g, DType::F64, &[3], "w"), ph(&mut g, DType::I64, &[], "n"));
    let more = op(&mut g, Op::Compare(CompareOp::Less), &[i, n]);
    let one = op(&mut g, Op::Const(Tensor::scalar(1i64)), &[]);
    let next_i = op(&mut g, Op::Binary(BinaryOp::Add), &[i, one]);
    let xw = op(&mut g, Op::Binary(BinaryOp::Mul), &[x, w]);
    let next_x = op(&mut g, Op::Unary(UnaryOp::Sin), &[xw]);
    WhileSpec::new(Body { graph: g, inputs: vec![i, x, w, n] }, more, vec![next_i, next_x], None).unwrap()
}

fn reference(x: &[f64], w: &[f64], n: usize) -> f64 {
    let mut x = x.to_vec();
    for _ in 0..n {
        x = x.iter().zip(w).map(|(a, b)| (a * b).sin()).collect();
    }
    x.iter().sum()
}

fn vec3(v: [f64; 3]) -> Tensor {
    Tensor::from_vec(&[3], v.to_vec()).unwrap()
}

#[test]
fn while_loop_values_and_gradients_match_a_plain_loop() {
    let mut g = Graph::new();
    let (i0, x0) = (ph(&mut g, DType::I64, &[], "i0"), ph(&mut g, DType::F64, &[3], "x0"));
    let (w0, n0) = (ph(&mut g, DType::F64, &[3], "w0"), ph(&mut g, DType::I64, &[], "n0"));
    let (_, out) =
        add_with_items(&mut g, ControlOp::While(Arc::new(sine_loop())), &[i0, x0, w0, n0], "w").unwrap();
    let loss = op(&mut g, Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[out[1]]);
    let grads: Vec<NodeId> = crate::grad::gradients(&mut g, &[loss], &[x0, w0], None)
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect();
    let plan = Plan::new(&g, &[out[0], loss, grads[0], grads[1]], &[i0, x0, w0, n0]).unwrap();
    let (x, w) = ([0.3, -0.5, 0.9], [1.1, 0.7, -1.3]);
    for n in [0usize, 1, 4] {
        let feeds = [Tensor::scalar(0i64), vec3(x), vec3(w), Tensor::scalar(n as i64)];
        let got = plan.run(&g, &feeds).unwrap();
        assert_eq!(got[0].to_f64_vec(), vec![n as f64]);
        assert!((got[1].to_f64_vec()[0] - reference(&x, &w, n)).abs() < 1e-12);
        let eps = 1e-6;
        for k in 0..3 {
            let (mut xp, mut xm, mut wp, mut wm) = (x, x, w, w);
            xp[k] += eps;
            xm[k] -= eps;
            wp[k] += eps;
            wm[k] -= eps;
            let dx = (reference(&xp, &w, n) - reference(&xm, &w, n)) / (2.0 * eps);
            let dw = (reference(&x, &wp, n) - reference(&x, &wm, n)) / (2.0 * eps);
            assert!((got[2].to_f64_vec()[k] - dx).abs() < 1e-7, "n={n} dx[{k}]");
            assert!((got[3].to_f64_vec()[k] - dw).abs() < 1e-7, "n={n} dw[{k}]");
        }
    }
}

#[test]
fn cond_runs_one_branch_and_differentiates_it() {
    let mut b = Graph::new();
    let (a, c) = (ph(&mut b, DType::F64, &[3], "a"), ph(&mut b, DType::F64, &[3], "c"));
    let then = op(&mut b, Op::Binary(BinaryOp::Mul), &[a, c]);
    let other = op(&mut b, Op::Unary(UnaryOp::Exp), &[a]);
    let spec = CondSpec::new(Body { graph: b, inputs: vec![a, c] }, vec![then], vec![other]).unwrap();
    let mut g = Graph::new();
    let p = ph(&mut g, DType::Bool, &[], "p");
    let (x, y) = (ph(&mut g, DType::F64, &[3], "x"), ph(&mut g, DType::F64, &[3], "y"));
    let (_, out) = add_with_items(&mut g, ControlOp::Cond(Arc::new(spec)), &[p, x, y], "cond").unwrap();
    let loss = op(&mut g, Op::Reduce { op: ReduceOp::Sum, axes: None, keepdims: false }, &[out[0]]);
    let grads: Vec<NodeId> = crate::grad::gradients(&mut g, &[loss], &[x, y], None)
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect();
    let plan = Plan::new(&g, &[out[0], grads[0], grads[1]], &[p, x, y]).unwrap();
    let (xv, yv) = ([0.3, -0.5, 0.9], [1.1, 0.7, -1.3]);
    let taken = plan.run(&g, &[Tensor::scalar(true), vec3(xv), vec3(yv)]).unwrap();
    assert_eq!(taken[0].to_f64_vec(), xv.iter().zip(&yv).map(|(a, b)| a * b).collect::<Vec<_>>());
    assert_eq!(taken[1].to_f64_vec(), yv.to_vec());
    assert_eq!(taken[2].to_f64_vec(), xv.to_vec());
    let other = plan.run(&g, &[Tensor::scalar(false), vec3(xv), vec3(yv)]).unwrap();
    let e: Vec<f64> = xv.iter().map(|a: &f64| a.exp()).collect();
    assert_eq!(other[0].to_f64_vec(), e);
    assert_eq!(other[1].to_f64_vec(), e);
    assert_eq!(other[2].to_f64_vec(), vec![0.0; 3]);
}

#[test]
fn malformed_loops_and_branches_are_errors_at_build_time() {
    // A condition that is not a scalar bool.
    let mut g = Graph::new();
    let x = ph(&mut g, DType::F64, &[3], "x");
    let y = op(&mut g, Op::Unary(UnaryOp::Exp), &[x]);
    let err = WhileSpec::new(Body { graph: g.clone(), inputs: vec![x] }, x, vec![y], None).unwrap_err();
    assert!(err.to_string().contains("scalar bool"), "{err}");
    // A body that changes a loop variable's dtype or shape.
    let mut h = Graph::new();
    let v = ph(&mut h, DType::F64, &[3], "v");
    let t = op(&mut h, Op::Const(Tensor::scalar(true)), &[]);
    let wrong = op(&mut h, Op::Cast(DType::F32), &[v]);
    let err = WhileSpec::new(Body { graph: h.clone(), inputs: vec![v] }, t, vec![wrong], None).unwrap_err();
    assert!(err.to_string().contains("float32"), "{err}");
    let longer = op(&mut h, Op::Concat { axis: 0 }, &[v, v]);
    let err = WhileSpec::new(Body { graph: h.clone(), inputs: vec![v] }, t, vec![longer], None).unwrap_err();
    assert!(err.to_string().contains("shape_invariants"), "{err}");
    // Branches of different dtypes, and a node fed the wrong inputs.
    let err = CondSpec::new(Body { graph: h.clone(), inputs: vec![v] }, vec![v], vec![wrong]).unwrap_err();
    assert!(err.to_string().contains("false_fn"), "{err}");
    let spec = CondSpec::new(Body { graph: h, inputs: vec![v] }, vec![v], vec![v]).unwrap();
    let mut outer = Graph::new();
    let p = ph(&mut outer, DType::F64, &[], "p");
    let q = ph(&mut outer, DType::F64, &[3], "q");
    let err = add_with_items(&mut outer, ControlOp::Cond(Arc::new(spec)), &[p, q], "c").unwrap_err();
    assert!(err.to_string().contains("scalar bool"), "{err}");
}
