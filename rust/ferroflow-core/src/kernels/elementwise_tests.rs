//! Tests of the elementwise kernels against hand-computed values, including every broadcasting fast path.

use super::*;
use crate::error::ErrorKind;

fn f32s(shape: &[usize], v: &[f32]) -> Tensor {
    Tensor::from_vec(shape, v.to_vec()).unwrap()
}
fn i32s(shape: &[usize], v: &[i32]) -> Tensor {
    Tensor::from_vec(shape, v.to_vec()).unwrap()
}
fn close(t: &Tensor, want: &[f64]) {
    let got = t.to_f64_vec();
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            g == w || (g - w).abs() <= 1e-6 * (1.0 + w.abs()) || (g.is_nan() && w.is_nan()),
            "{got:?} vs {want:?}"
        );
    }
}

#[test]
fn float_unary_ops() {
    let x = f32s(&[4], &[-2.5, -0.5, 0.5, 1.5]);
    close(&unary(UnaryOp::Round, &x).unwrap(), &[-2.0, -0.0, 0.0, 2.0]);
    close(&unary(UnaryOp::Floor, &x).unwrap(), &[-3.0, -1.0, 0.0, 1.0]);
    close(&unary(UnaryOp::Ceil, &x).unwrap(), &[-2.0, -0.0, 1.0, 2.0]);
    close(&unary(UnaryOp::Abs, &x).unwrap(), &[2.5, 0.5, 0.5, 1.5]);
    close(&unary(UnaryOp::Sign, &x).unwrap(), &[-1.0, -1.0, 1.0, 1.0]);
    close(&unary(UnaryOp::Relu, &x).unwrap(), &[0.0, 0.0, 0.5, 1.5]);
    close(&unary(UnaryOp::Square, &x).unwrap(), &[6.25, 0.25, 0.25, 2.25]);
    let y = f32s(&[3], &[1.0, 4.0, 0.25]);
    close(&unary(UnaryOp::Sqrt, &y).unwrap(), &[1.0, 2.0, 0.5]);
    close(&unary(UnaryOp::Rsqrt, &y).unwrap(), &[1.0, 0.5, 2.0]);
    close(&unary(UnaryOp::Reciprocal, &y).unwrap(), &[1.0, 0.25, 4.0]);
    close(&unary(UnaryOp::Log, &y).unwrap(), &[0.0, 4f64.ln(), 0.25f64.ln()]);
    let z = Tensor::from_vec(&[3], vec![0.0f64, 1.0, -1.0]).unwrap();
    close(&unary(UnaryOp::Exp, &z).unwrap(), &[1.0, 1f64.exp(), (-1f64).exp()]);
    close(&unary(UnaryOp::Expm1, &z).unwrap(), &[0.0, 1f64.exp_m1(), (-1f64).exp_m1()]);
    close(&unary(UnaryOp::Tanh, &z).unwrap(), &[0.0, 1f64.tanh(), -(1f64.tanh())]);
    close(&unary(UnaryOp::Sin, &z).unwrap(), &[0.0, 1f64.sin(), -(1f64.sin())]);
    close(&unary(UnaryOp::Cos, &z).unwrap(), &[1.0, 1f64.cos(), 1f64.cos()]);
    close(&unary(UnaryOp::Log1p, &z).unwrap(), &[0.0, 2f64.ln(), f64::NEG_INFINITY]);
    close(&unary(UnaryOp::Neg, &z).unwrap(), &[0.0, -1.0, 1.0]);
}

#[test]
fn sigmoid_and_softplus_are_stable() {
    let x = f32s(&[5], &[-1000.0, -1.0, 0.0, 1.0, 1000.0]);
    let s = 1.0 / (1.0 + (-1f64).exp());
    close(&unary(UnaryOp::Sigmoid, &x).unwrap(), &[0.0, 1.0 - s, 0.5, s, 1.0]);
    let sp = unary(UnaryOp::Softplus, &x).unwrap().to_f64_vec();
    assert_eq!(sp[0], 0.0);
    assert!((sp[1] - (1.0 + (-1f64).exp()).ln()).abs() < 1e-6);
    assert!((sp[2] - 2f64.ln()).abs() < 1e-6);
    assert!((sp[4] - 1000.0).abs() < 1e-3 && sp[4].is_finite());
}

#[test]
fn unary_dtype_rules() {
    let i = i32s(&[3], &[-3, 0, 5]);
    let e = unary(UnaryOp::Exp, &i).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DType);
    assert_eq!(e.message, "Exp expects a float tensor, received int32");
    assert_eq!(unary(UnaryOp::Neg, &i).unwrap().to_i64_vec(), vec![3, 0, -5]);
    assert_eq!(unary(UnaryOp::Relu, &i).unwrap().to_i64_vec(), vec![0, 0, 5]);
    assert_eq!(unary(UnaryOp::Sign, &i).unwrap().to_i64_vec(), vec![-1, 0, 1]);
    assert_eq!(unary(UnaryOp::Abs, &i).unwrap().dtype(), DType::I32);
    let b = Tensor::from_vec(&[2], vec![true, false]).unwrap();
    assert_eq!(unary(UnaryOp::LogicalNot, &b).unwrap().to_i64_vec(), vec![0, 1]);
    assert_eq!(unary(UnaryOp::LogicalNot, &i).unwrap_err().kind, ErrorKind::DType);
    assert_eq!(unary(UnaryOp::Neg, &b).unwrap_err().kind, ErrorKind::DType);
}

#[test]
fn broadcasting_paths_agree_with_hand_values() {
    let a = f32s(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    // equal shapes
    close(&binary(BinaryOp::Add, &a, &a).unwrap(), &[2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    // scalar on either side
    let s = Tensor::scalar(10.0f32);
    close(&binary(BinaryOp::Sub, &a, &s).unwrap(), &[-9.0, -8.0, -7.0, -6.0, -5.0, -4.0]);
    close(&binary(BinaryOp::Sub, &s, &a).unwrap(), &[9.0, 8.0, 7.0, 6.0, 5.0, 4.0]);
    // bias row [3] and [1, 3] on either side
    let r = f32s(&[3], &[10.0, 20.0, 30.0]);
    close(&binary(BinaryOp::Add, &a, &r).unwrap(), &[11.0, 22.0, 33.0, 14.0, 25.0, 36.0]);
    close(&binary(BinaryOp::Sub, &r, &a).unwrap(), &[9.0, 18.0, 27.0, 6.0, 15.0, 24.0]);
    // keepdims column [2, 1] on either side
    let c = f32s(&[2, 1], &[1.0, 2.0]);
    close(&binary(BinaryOp::Div, &a, &c).unwrap(), &[1.0, 2.0, 3.0, 2.0, 2.5, 3.0]);
    close(&binary(BinaryOp::Sub, &c, &a).unwrap(), &[0.0, -1.0, -2.0, -2.0, -3.0, -4.0]);
    // outer product: both operands broadcast
    let o = binary(BinaryOp::Mul, &c, &r).unwrap();
    assert_eq!(o.shape(), &[2, 3]);
    close(&o, &[10.0, 20.0, 30.0, 20.0, 40.0, 60.0]);
    // middle axis [2, 1, 2] against [2, 3, 2]
    let m = Tensor::from_vec(&[2, 1, 2], vec![1.0f64, 2.0, 3.0, 4.0]).unwrap();
    let big = Tensor::from_vec(&[2, 3, 2], (0..12).map(|v| v as f64).collect()).unwrap();
    let want: Vec<f64> = (0..12).map(|i| i as f64 + [1.0, 2.0, 3.0, 4.0][(i / 6) * 2 + i % 2]).collect();
    close(&binary(BinaryOp::Add, &big, &m).unwrap(), &want);
    close(&binary(BinaryOp::Add, &m, &big).unwrap(), &want);
}

#[test]
fn broadcast_and_dtype_errors_name_both() {
    let a = f32s(&[2, 3], &[0.0; 6]);
    let b = f32s(&[4], &[0.0; 4]);
    let e = binary(BinaryOp::Add, &a, &b).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    assert!(e.message.contains("(2, 3)") && e.message.contains("(4,)"), "{}", e.message);
    let i = i32s(&[3], &[1, 2, 3]);
    let e = binary(BinaryOp::Add, &a, &i).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DType);
    assert!(e.message.contains("float32") && e.message.contains("int32"), "{}", e.message);
    assert_eq!(compare(CompareOp::Less, &a, &i).unwrap_err().kind, ErrorKind::DType);
}

#[test]
fn integer_division_follows_python_and_never_panics() {
    let a = i32s(&[4], &[7, -7, 7, -7]);
    let b = i32s(&[4], &[2, 2, -2, -2]);
    assert_eq!(binary(BinaryOp::Div, &a, &b).unwrap().to_i64_vec(), vec![3, -3, -3, 3]);
    assert_eq!(binary(BinaryOp::FloorDiv, &a, &b).unwrap().to_i64_vec(), vec![3, -4, -4, 3]);
    assert_eq!(binary(BinaryOp::Mod, &a, &b).unwrap().to_i64_vec(), vec![1, 1, -1, -1]);
    let zero = i32s(&[4], &[1, 0, 1, 1]);
    for op in [BinaryOp::Div, BinaryOp::FloorDiv, BinaryOp::Mod] {
        assert_eq!(binary(op, &a, &zero).unwrap_err().kind, ErrorKind::InvalidArgument);
    }
    let min = i32s(&[1], &[i32::MIN]);
    let neg1 = i32s(&[1], &[-1]);
    assert_eq!(binary(BinaryOp::Div, &min, &neg1).unwrap().to_i64_vec(), vec![i32::MIN as i64]);
    assert_eq!(binary(BinaryOp::Mod, &min, &neg1).unwrap().to_i64_vec(), vec![0]);
    let x = f32s(&[4], &[7.0, -7.0, 7.0, -7.0]);
    let y = f32s(&[4], &[2.0, 2.0, -2.0, -2.0]);
    close(&binary(BinaryOp::FloorDiv, &x, &y).unwrap(), &[3.0, -4.0, -4.0, 3.0]);
    close(&binary(BinaryOp::Mod, &x, &y).unwrap(), &[1.0, 1.0, -1.0, -1.0]);
}

#[test]
fn pow_max_min_and_logic() {
    let a = i32s(&[3], &[2, -3, 5]);
    let b = i32s(&[3], &[10, 3, 0]);
    assert_eq!(binary(BinaryOp::Pow, &a, &b).unwrap().to_i64_vec(), vec![1024, -27, 1]);
    assert!(binary(BinaryOp::Pow, &a, &i32s(&[1], &[-1])).is_err());
    let x = f32s(&[3], &[1.0, f32::NAN, -2.0]);
    let y = f32s(&[3], &[2.0, 0.0, -3.0]);
    close(&binary(BinaryOp::Maximum, &x, &y).unwrap(), &[2.0, f64::NAN, -2.0]);
    close(&binary(BinaryOp::Minimum, &x, &y).unwrap(), &[1.0, f64::NAN, -3.0]);
    close(&binary(BinaryOp::Pow, &y, &f32s(&[], &[2.0])).unwrap(), &[4.0, 0.0, 9.0]);
    let p = Tensor::from_vec(&[2, 2], vec![true, true, false, false]).unwrap();
    let q = Tensor::from_vec(&[2], vec![true, false]).unwrap();
    assert_eq!(binary(BinaryOp::LogicalAnd, &p, &q).unwrap().to_i64_vec(), vec![1, 0, 0, 0]);
    assert_eq!(binary(BinaryOp::LogicalOr, &p, &q).unwrap().to_i64_vec(), vec![1, 1, 1, 0]);
    assert_eq!(binary(BinaryOp::Add, &p, &q).unwrap_err().kind, ErrorKind::DType);
    assert_eq!(binary(BinaryOp::LogicalAnd, &x, &y).unwrap_err().kind, ErrorKind::DType);
}

#[test]
fn compare_and_select_broadcast() {
    let a = i32s(&[2, 2], &[1, 5, 3, 4]);
    let b = i32s(&[2], &[3, 4]);
    let lt = compare(CompareOp::Less, &a, &b).unwrap();
    assert_eq!(lt.dtype(), DType::Bool);
    assert_eq!(lt.to_i64_vec(), vec![1, 0, 0, 0]);
    assert_eq!(compare(CompareOp::Equal, &a, &b).unwrap().to_i64_vec(), vec![0, 0, 1, 1]);
    assert_eq!(compare(CompareOp::GreaterEqual, &a, &b).unwrap().to_i64_vec(), vec![0, 1, 1, 1]);
    let cond = Tensor::from_vec(&[2, 1], vec![true, false]).unwrap();
    let x = f32s(&[2], &[1.0, 2.0]);
    let y = f32s(&[], &[-1.0]);
    let s = select(&cond, &x, &y).unwrap();
    assert_eq!(s.shape(), &[2, 2]);
    close(&s, &[1.0, 2.0, -1.0, -1.0]);
    let full = select(&lt, &a, &i32s(&[2, 2], &[0, 0, 0, 0])).unwrap();
    assert_eq!(full.to_i64_vec(), vec![1, 0, 0, 0]);
    assert_eq!(select(&x, &x, &x).unwrap_err().kind, ErrorKind::DType);
    assert_eq!(select(&cond, &x, &a).unwrap_err().kind, ErrorKind::DType);
}

#[test]
fn scalars_and_short_rows_broadcast_over_long_outputs() {
    // Short rows repeat into a longer tiled row; lengths that do not divide it, and outputs above the
    // parallel threshold, check that every element still pairs with `row[i % len]`.
    for (rows, len) in [(5usize, 3usize), (7, 7), (40_000, 3), (3, 1), (9000, 5)] {
        let a: Vec<f32> = (0..rows * len).map(|v| v as f32).collect();
        let row: Vec<f32> = (0..len).map(|v| 10.0 * (v as f32 + 1.0)).collect();
        let got = binary(BinaryOp::Sub, &f32s(&[rows, len], &a), &f32s(&[len], &row)).unwrap();
        let want: Vec<f64> = a.iter().enumerate().map(|(i, &x)| (x - row[i % len]) as f64).collect();
        close(&got, &want);
        let flipped = binary(BinaryOp::Sub, &f32s(&[len], &row), &f32s(&[rows, len], &a)).unwrap();
        close(&flipped, &want.iter().map(|v| -v).collect::<Vec<_>>());
        let scaled = binary(BinaryOp::Mul, &f32s(&[rows, len], &a), &f32s(&[], &[0.5])).unwrap();
        close(&scaled, &a.iter().map(|&x| x as f64 * 0.5).collect::<Vec<_>>());
    }
}

#[test]
fn select_with_one_condition_per_block() {
    // A scalar condition and a per-image `[n, 1, 1]` condition take whole blocks; sizes above the
    // parallel threshold take the split path.
    for n in [2usize, 3, 40_000] {
        let x: Vec<f32> = (0..n * 6).map(|v| v as f32).collect();
        let y: Vec<f32> = x.iter().map(|v| -v).collect();
        let (xt, yt) = (f32s(&[n, 2, 3], &x), f32s(&[n, 2, 3], &y));
        let pick: Vec<bool> = (0..n).map(|i| i % 3 == 1).collect();
        let per_image = Tensor::from_vec(&[n, 1, 1], pick.clone()).unwrap();
        let want: Vec<f64> = (0..n * 6).map(|i| if pick[i / 6] { x[i] } else { y[i] } as f64).collect();
        close(&select(&per_image, &xt, &yt).unwrap(), &want);
        let scalar = Tensor::from_vec(&[], vec![false]).unwrap();
        assert_eq!(select(&scalar, &xt, &yt).unwrap().to_f64_vec(), yt.to_f64_vec());
    }
}

#[test]
fn casts_between_every_pair() {
    let f = Tensor::from_vec(&[4], vec![-1.7f32, 0.0, 2.9, 0.5]).unwrap();
    assert_eq!(cast(&f, DType::I32).unwrap().to_i64_vec(), vec![-1, 0, 2, 0]);
    assert_eq!(cast(&f, DType::Bool).unwrap().to_i64_vec(), vec![1, 0, 1, 1]);
    let i = Tensor::from_vec(&[2], vec![3_000_000_000i64, -2]).unwrap();
    assert_eq!(cast(&i, DType::I32).unwrap().to_i64_vec(), vec![3_000_000_000i64 as i32 as i64, -2]);
    let b = Tensor::from_vec(&[2], vec![true, false]).unwrap();
    for d in DType::ALL {
        if d == DType::Str {
            // No cast reaches strings: they are printed and parsed by string ops.
            assert_eq!(cast(&f, d).unwrap_err().kind, ErrorKind::DType);
            continue;
        }
        for src in [&f, &i, &b] {
            let c = cast(src, d).unwrap();
            assert_eq!(c.dtype(), d);
            assert_eq!(c.shape(), src.shape());
        }
        assert_eq!(cast(&b, d).unwrap().to_f64_vec(), vec![1.0, 0.0]);
    }
    close(&cast(&i, DType::F64).unwrap(), &[3e9, -2.0]);
    // Narrow integers truncate like C's casts; unsigned 64-bit values above i64::MAX reach floats intact.
    assert_eq!(cast(&i, DType::U8).unwrap().to_i64_vec(), vec![3_000_000_000i64 as u8 as i64, 254]);
    let big = Tensor::from_vec(&[1], vec![u64::MAX]).unwrap();
    close(&cast(&big, DType::F64).unwrap(), &[u64::MAX as f64]);
}

#[test]
fn large_inputs_take_the_parallel_paths() {
    let n = 300_000;
    let m = 100;
    let a = Tensor::from_vec(&[n / m, m], (0..n).map(|v| v as f32).collect()).unwrap();
    let row = Tensor::from_vec(&[m], (0..m).map(|v| v as f32).collect()).unwrap();
    let col = Tensor::from_vec(&[n / m, 1], (0..n / m).map(|v| v as f32).collect()).unwrap();
    let run = || {
        let same = binary(BinaryOp::Add, &a, &a).unwrap().to_f64_vec();
        let bias = binary(BinaryOp::Add, &a, &row).unwrap().to_f64_vec();
        let colv = binary(BinaryOp::Sub, &a, &col).unwrap().to_f64_vec();
        let outer = binary(BinaryOp::Mul, &col, &row).unwrap().to_f64_vec();
        let relu = unary(UnaryOp::Relu, &a).unwrap().to_f64_vec();
        (same, bias, colv, outer, relu)
    };
    let (same, bias, colv, outer, relu) = crate::threading::install(run);
    for i in (0..n).step_by(997).chain([n - 1]) {
        let (r, j) = ((i / m) as f64, (i % m) as f64);
        assert_eq!(same[i], 2.0 * i as f64);
        assert_eq!(bias[i], i as f64 + j);
        assert_eq!(colv[i], i as f64 - r);
        assert_eq!(outer[i], r * j);
        assert_eq!(relu[i], i as f64);
    }
    let cond = compare(CompareOp::Greater, &a, &Tensor::scalar(1000.0f32)).unwrap();
    let s = select(&cond, &a, &Tensor::scalar(0.0f32)).unwrap().to_f64_vec();
    assert_eq!((s[1000], s[1001]), (0.0, 1001.0));
}

#[test]
fn long_rows_split_inside_the_row() {
    let m = 40_000;
    let a = Tensor::from_vec(&[3, m], (0..3 * m).map(|v| v as f64).collect()).unwrap();
    let b = Tensor::from_vec(&[m], (0..m).map(|v| -(v as f64)).collect()).unwrap();
    let c = Tensor::from_vec(&[3, 1], vec![1.0f64, 2.0, 3.0]).unwrap();
    let (s, p) = crate::threading::install(|| {
        (
            binary(BinaryOp::Add, &b, &a).unwrap().to_f64_vec(),
            binary(BinaryOp::Mul, &a, &c).unwrap().to_f64_vec(),
        )
    });
    for i in [0, 1, m - 1, m, 2 * m + 17, 3 * m - 1] {
        assert_eq!(s[i], ((i / m) * m) as f64);
        assert_eq!(p[i], i as f64 * (i / m + 1) as f64);
    }
}

#[test]
fn one_condition_for_same_shaped_operands_picks_one_of_them() {
    let x = f32s(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let y = f32s(&[2, 3], &[-1.0; 6]);
    for (c, shape) in [(true, vec![]), (false, vec![1]), (true, vec![1, 1])] {
        let cond = Tensor::from_vec(&shape, vec![c]).unwrap();
        let got = select(&cond, &x, &y).unwrap();
        assert_eq!(got.shape(), &[2, 3]);
        close(&got, &if c { x.to_f64_vec() } else { y.to_f64_vec() });
    }
    // A condition of higher rank than the operands still broadcasts the result to its rank.
    let cond = Tensor::from_vec(&[1, 1, 1], vec![true]).unwrap();
    assert_eq!(select(&cond, &x, &y).unwrap().shape(), &[1, 2, 3]);
    // Operands of different dtypes are still refused.
    let cond = Tensor::from_vec(&[], vec![true]).unwrap();
    assert_eq!(select(&cond, &x, &i32s(&[2, 3], &[0; 6])).unwrap_err().kind, ErrorKind::DType);
}
