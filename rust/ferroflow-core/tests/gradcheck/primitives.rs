//! Finite-difference checks of the gradient rule of every differentiable primitive.

use crate::*;
use ferroflow_core::grad::gradients;
use ferroflow_core::op::{BinaryOp, ReduceOp, SliceSpec, UnaryOp};
use ferroflow_core::{DType, Graph, Op, Shape, Tensor};

// ---------------------------------------------------------------- elementwise

#[test]
fn unary_ops() {
    use UnaryOp::*;
    let mut r = rng();
    let s = [2, 3];
    let any = r.uniform(&s, -1.5, 1.5);
    let positive = r.uniform(&s, 0.5, 2.0);
    let away_from_zero = r.signed(&s, 0.2, 1.5);
    // k + 0.3: away from integers (floor, ceil) and from halves (round).
    let fractional = f64s(&s, &[-2.7, -1.3, -0.7, 0.3, 1.3, 2.7]);
    let cases: Vec<(UnaryOp, &Tensor)> = vec![
        (Neg, &any),
        (Exp, &any),
        (Log, &positive),
        (Sqrt, &positive),
        (Rsqrt, &positive),
        (Square, &any),
        (Abs, &away_from_zero),
        (Sign, &away_from_zero),
        (Tanh, &any),
        (Sigmoid, &any),
        (Relu, &away_from_zero),
        (Reciprocal, &away_from_zero),
        (Floor, &fractional),
        (Ceil, &fractional),
        (Round, &fractional),
        (Sin, &any),
        (Cos, &any),
        (Log1p, &positive),
        (Expm1, &any),
        (Softplus, &any),
    ];
    for (u, x) in cases {
        check_op(&format!("{u:?}"), Op::Unary(u), std::slice::from_ref(x));
    }
}

#[test]
fn binary_ops_with_broadcasting() {
    use BinaryOp::*;
    let shapes: [(&[usize], &[usize]); 5] =
        [(&[3, 4], &[3, 4]), (&[3, 4], &[4]), (&[3, 1], &[1, 4]), (&[3, 4], &[]), (&[], &[3, 4])];
    let mut r = rng();
    for (sa, sb) in shapes {
        for op in [Add, Sub, Mul, Div, Pow, Maximum, Minimum] {
            let (a, b) = match op {
                Div => (r.uniform(sa, -2.0, 2.0), r.signed(sb, 0.5, 2.0)),
                Pow => (r.uniform(sa, 0.5, 2.0), r.uniform(sb, -1.5, 1.5)),
                _ => (r.uniform(sa, -2.0, 2.0), r.uniform(sb, -2.0, 2.0)),
            };
            check_op(&format!("{op:?} {sa:?} {sb:?}"), Op::Binary(op), &[a, b]);
        }
    }
}

#[test]
fn mod_away_from_jumps() {
    // a / b = k + 0.3 or k + 0.6: far from the integers where mod jumps.
    let b = f64s(&[2, 3], &[0.7, 1.1, 1.3, 0.9, 1.7, 2.3]);
    let q = [1.3, 2.6, 0.3, 3.6, 1.6, 0.6];
    let a: Vec<f64> = b.to_f64_vec().iter().zip(q).map(|(b, q)| b * q).collect();
    check_op("Mod", Op::Binary(BinaryOp::Mod), &[f64s(&[2, 3], &a), b]);
}

#[test]
fn select_with_broadcasting() {
    let mut r = rng();
    let cond = Tensor::from_vec(&[3, 4], (0..12).map(|i| i % 3 != 1).collect::<Vec<bool>>()).unwrap();
    let row_cond = Tensor::from_vec(&[4], vec![true, false, false, true]).unwrap();
    for (c, sx, sy) in [(&cond, [3usize, 4].as_slice(), [4usize].as_slice()), (&row_cond, &[3, 4], &[3, 1])] {
        let (x, y) = (r.uniform(sx, -1.0, 1.0), r.uniform(sy, -1.0, 1.0));
        let c = c.clone();
        check("Select", &[x, y], move |g, p| {
            let c = konst(g, c.clone());
            add(g, Op::Select, &[c, p[0], p[1]])
        });
    }
}

#[test]
fn identity_and_float_casts_pass_gradients() {
    let x = rng().uniform(&[2, 3], -1.0, 1.0);
    check_op("Identity", Op::Identity, std::slice::from_ref(&x));
    // Through float32 the value loses precision, so compare with the exact answer instead of FD.
    let mut g = Graph::new();
    let p = placeholder(&mut g, DType::F64, Shape::known(&[2, 3]));
    let c32 = add(&mut g, Op::Cast(DType::F32), &[p]);
    let sq = un(&mut g, UnaryOp::Square, c32);
    let back = add(&mut g, Op::Cast(DType::F64), &[sq]);
    let loss = sum_all(&mut g, back);
    let gx = gradients(&mut g, &[loss], &[p], None).unwrap()[0].unwrap();
    assert_eq!(g.node(gx).dtype, DType::F64);
    let got = run1(&g, gx, &[(p, x.clone())]).to_f64_vec();
    let want: Vec<f64> = x.to_f64_vec().iter().map(|v| 2.0 * v).collect();
    assert_close("cast f64 -> f32 -> f64", &got, &want, 1e-6);
}

// ---------------------------------------------------------------- matmul

#[test]
fn matmul_every_transpose_combination() {
    let mut r = rng();
    for ta in [false, true] {
        for tb in [false, true] {
            let a = r.uniform(if ta { &[4, 3] } else { &[3, 4] }, -1.0, 1.0);
            let b = r.uniform(if tb { &[5, 4] } else { &[4, 5] }, -1.0, 1.0);
            check_op(
                &format!("MatMul ta={ta} tb={tb}"),
                Op::MatMul { transpose_a: ta, transpose_b: tb },
                &[a, b],
            );
        }
    }
}

#[test]
fn batched_matmul_with_broadcast_batch() {
    let mut r = rng();
    // A stack times one matrix takes the stacked-rows weight gradient (one product, no batch sum).
    let cases: [(&[usize], &[usize], bool, bool); 6] = [
        (&[2, 3, 4], &[4, 5], false, false),
        (&[2, 2, 3, 4], &[5, 4], false, true),
        (&[2, 4, 3], &[4, 5], true, false),
        (&[2, 3, 4], &[2, 4, 5], false, false),
        (&[1, 4, 3], &[2, 5, 4], true, true),
        (&[3, 4], &[2, 2, 5, 4], false, true),
    ];
    for (sa, sb, ta, tb) in cases {
        let (a, b) = (r.uniform(sa, -1.0, 1.0), r.uniform(sb, -1.0, 1.0));
        check_op(&format!("MatMul {sa:?} {sb:?}"), Op::MatMul { transpose_a: ta, transpose_b: tb }, &[a, b]);
    }
}

// ---------------------------------------------------------------- reductions

#[test]
fn reductions_over_each_axis() {
    let mut r = rng();
    let x = r.uniform(&[2, 3, 4], -2.0, 2.0);
    // Products stay well conditioned with magnitudes near one and no zeros.
    let xp = r.signed(&[2, 3, 4], 0.5, 1.5);
    let axes: [Option<Vec<i64>>; 6] =
        [Some(vec![0]), Some(vec![1]), Some(vec![2]), Some(vec![-1]), Some(vec![0, 2]), None];
    for op in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max, ReduceOp::Min, ReduceOp::Prod] {
        for ax in &axes {
            for keepdims in [false, true] {
                let input = if op == ReduceOp::Prod { &xp } else { &x };
                let name = format!("reduce {op:?} axes={ax:?} keepdims={keepdims}");
                check_op(&name, Op::Reduce { op, axes: ax.clone(), keepdims }, std::slice::from_ref(input));
            }
        }
    }
}

#[test]
fn reduce_max_shares_the_gradient_among_ties() {
    let mut g = Graph::new();
    let x = konst(&mut g, f64s(&[2, 3], &[1.0, 3.0, 3.0, 5.0, 2.0, 1.0]));
    let m = add(&mut g, Op::Reduce { op: ReduceOp::Max, axes: Some(vec![1]), keepdims: false }, &[x]);
    let loss = sum_all(&mut g, m);
    let gx = gradients(&mut g, &[loss], &[x], None).unwrap()[0].unwrap();
    assert_eq!(run1(&g, gx, &[]).to_f64_vec(), vec![0.0, 0.5, 0.5, 1.0, 0.0, 0.0]);
}

// ---------------------------------------------------------------- shape ops

#[test]
fn reshaping_ops() {
    let mut r = rng();
    let x = r.uniform(&[2, 3, 4], -1.0, 1.0);
    check_op("Reshape", Op::Reshape { shape: vec![-1, 4] }, std::slice::from_ref(&x));
    check_op("ExpandDims", Op::ExpandDims { axis: 1 }, std::slice::from_ref(&x));
    check_op("Transpose perm", Op::Transpose { perm: Some(vec![1, 2, 0]) }, std::slice::from_ref(&x));
    check_op("Transpose reverse", Op::Transpose { perm: None }, std::slice::from_ref(&x));
    check("ReshapeLike", std::slice::from_ref(&x), |g, p| {
        let like = konst(g, Tensor::zeros(DType::F64, &[6, 4]).unwrap());
        add(g, Op::ReshapeLike, &[p[0], like])
    });
    let y = r.uniform(&[2, 1, 4, 1], -1.0, 1.0);
    check_op("Squeeze axes", Op::Squeeze { axes: Some(vec![1, -1]) }, std::slice::from_ref(&y));
    check_modes("Squeeze all", std::slice::from_ref(&y), &[Dims::Static], |g, p| {
        add(g, Op::Squeeze { axes: None }, p)
    });
}

#[test]
fn broadcasting_ops() {
    let mut r = rng();
    let x = r.uniform(&[3, 1], -1.0, 1.0);
    check_op("BroadcastTo", Op::BroadcastTo { shape: vec![2, 3, 4] }, std::slice::from_ref(&x));
    check("BroadcastLike", std::slice::from_ref(&x), |g, p| {
        let like = konst(g, Tensor::zeros(DType::F64, &[2, 3, 4]).unwrap());
        add(g, Op::BroadcastLike, &[p[0], like])
    });
}

#[test]
fn concat_on_each_axis() {
    let mut r = rng();
    for axis in [0i64, 1, 2, -1] {
        let ax = axis.rem_euclid(3) as usize;
        let inputs: Vec<Tensor> = [1usize, 2, 3]
            .iter()
            .map(|&k| {
                let mut s = vec![2, 3, 4];
                s[ax] = k;
                r.uniform(&s, -1.0, 1.0)
            })
            .collect();
        check_op(&format!("Concat axis {axis}"), Op::Concat { axis }, &inputs);
    }
}

#[test]
fn strided_slices() {
    let x = rng().uniform(&[4, 5, 3], -1.0, 1.0);
    let cases = vec![
        vec![SliceSpec::Range { start: None, stop: None, step: -1 }],
        vec![SliceSpec::Range { start: Some(3), stop: Some(0), step: -2 }, SliceSpec::Index(-1)],
        vec![
            SliceSpec::Ellipsis,
            SliceSpec::Range { start: Some(1), stop: None, step: 1 },
            SliceSpec::NewAxis,
        ],
        vec![SliceSpec::Index(1), SliceSpec::Range { start: Some(-1), stop: None, step: -2 }],
    ];
    for specs in cases {
        check_op(&format!("StridedSlice {specs:?}"), Op::StridedSlice { specs }, std::slice::from_ref(&x));
    }
}

#[test]
fn gather_with_repeated_indices() {
    let params = rng().uniform(&[4, 3], -1.0, 1.0);
    for (axis, idx) in [(0i64, vec![2i32, 0, 2, 3]), (1, vec![1, 1, 0])] {
        let n = idx.len();
        let indices = Tensor::from_vec(&[n], idx).unwrap();
        check(&format!("Gather axis {axis}"), std::slice::from_ref(&params), move |g, p| {
            let i = konst(g, indices.clone());
            add(g, Op::Gather { axis }, &[p[0], i])
        });
    }
    // int64 indices with a 2-D index tensor.
    let indices = Tensor::from_vec(&[2, 2], vec![3i64, 0, 0, 1]).unwrap();
    check("Gather 2-D int64 indices", std::slice::from_ref(&params), move |g, p| {
        let i = konst(g, indices.clone());
        add(g, Op::Gather { axis: 0 }, &[p[0], i])
    });
}

/// The gradient helpers are ops like any other: second-order gradients differentiate them.
#[test]
fn gradient_helper_ops() {
    let mut r = rng();
    let like = Tensor::zeros(DType::F64, &[2, 3, 4]).unwrap();
    let g1 = r.uniform(&[2, 4], -1.0, 1.0);
    let l = like.clone();
    check("UnreduceLike", &[g1], move |g, p| {
        let x = konst(g, l.clone());
        add(g, Op::UnreduceLike { axes: Some(vec![1]), keepdims: false }, &[p[0], x])
    });
    let big = r.uniform(&[2, 3, 4], -1.0, 1.0);
    check("ReduceToShapeOf", std::slice::from_ref(&big), |g, p| {
        let x = konst(g, Tensor::zeros(DType::F64, &[3, 1]).unwrap());
        add(g, Op::ReduceToShapeOf, &[p[0], x])
    });
    check("ConcatSplit", std::slice::from_ref(&big), |g, p| {
        let a = konst(g, Tensor::zeros(DType::F64, &[2, 1, 4]).unwrap());
        let b = konst(g, Tensor::zeros(DType::F64, &[2, 2, 4]).unwrap());
        add(g, Op::ConcatSplit { axis: 1, index: 1 }, &[p[0], a, b])
    });
    let specs = vec![SliceSpec::Range { start: None, stop: None, step: -2 }, SliceSpec::Index(1)];
    let small = r.uniform(&[1, 4], -1.0, 1.0);
    check("StridedSliceGrad", &[small], move |g, p| {
        let x = konst(g, Tensor::zeros(DType::F64, &[2, 3, 4]).unwrap());
        add(g, Op::StridedSliceGrad { specs: specs.clone() }, &[p[0], x])
    });
    let rows = r.uniform(&[3, 4], -1.0, 1.0);
    check("GatherGrad", &[rows], |g, p| {
        let i = konst(g, Tensor::from_vec(&[3], vec![1i32, 0, 1]).unwrap());
        let x = konst(g, Tensor::zeros(DType::F64, &[2, 4]).unwrap());
        add(g, Op::GatherGrad { axis: 0 }, &[p[0], i, x])
    });
}

// ---------------------------------------------------------------- softmax family

#[test]
fn softmax_and_log_softmax_on_each_axis() {
    let x = rng().uniform(&[2, 3, 4], -2.0, 2.0);
    for axis in [0i64, 1, 2, -1] {
        check_op(&format!("Softmax axis {axis}"), Op::Softmax { axis }, std::slice::from_ref(&x));
        check_op(&format!("LogSoftmax axis {axis}"), Op::LogSoftmax { axis }, std::slice::from_ref(&x));
    }
}

#[test]
fn sparse_softmax_cross_entropy() {
    let logits = rng().uniform(&[4, 5], -2.0, 2.0);
    let i32_labels = Tensor::from_vec(&[4], vec![0i32, 4, 2, 2]).unwrap();
    let i64_labels = Tensor::from_vec(&[4], vec![1i64, 3, 0, 4]).unwrap();
    for labels in [i32_labels, i64_labels] {
        check_modes(
            "SparseSoftmaxCrossEntropy",
            std::slice::from_ref(&logits),
            &[Dims::Static, Dims::Batch],
            move |g, p| {
                let y = konst(g, labels.clone());
                add(g, Op::SparseSoftmaxCrossEntropy, &[p[0], y])
            },
        );
    }
}

#[test]
fn sparse_cross_entropy_needs_a_known_class_count() {
    let mut g = Graph::new();
    let logits = placeholder(&mut g, DType::F32, Shape::unknown_of_rank(2));
    let labels = konst(&mut g, Tensor::from_vec(&[2], vec![0i32, 1]).unwrap());
    let loss = add(&mut g, Op::SparseSoftmaxCrossEntropy, &[logits, labels]);
    let e = gradients(&mut g, &[loss], &[logits], None).unwrap_err();
    assert!(e.message.contains("number of classes"), "{}", e.message);
}

#[test]
fn softmax_cross_entropy_both_inputs() {
    let mut r = rng();
    let logits = r.uniform(&[4, 5], -2.0, 2.0);
    // Labels that are not normalised check the exact partial, not just softmax - labels.
    let labels = r.uniform(&[4, 5], 0.0, 1.0);
    check_op("SoftmaxCrossEntropy", Op::SoftmaxCrossEntropy, &[logits, labels]);
}
