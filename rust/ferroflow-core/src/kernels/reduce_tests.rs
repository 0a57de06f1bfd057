//! Tests of the reductions against hand-computed values: every axis set of a 3-D tensor, keepdims, ties, gradients.

use super::*;
use crate::error::ErrorKind;

/// x[i, j, k] = 100 i + 10 j + k with shape (2, 3, 4).
fn cube() -> Tensor {
    let v: Vec<f32> = (0..2)
        .flat_map(|i| (0..3).flat_map(move |j| (0..4).map(move |k| (100 * i + 10 * j + k) as f32)))
        .collect();
    Tensor::from_vec(&[2, 3, 4], v).unwrap()
}

/// Reference reduction by brute force over the index space.
fn brute(op: ReduceOp, axes: &[usize]) -> (Vec<usize>, Vec<f64>) {
    let dims = [2usize, 3, 4];
    let out_shape: Vec<usize> = (0..3).filter(|a| !axes.contains(a)).map(|a| dims[a]).collect();
    let mut groups: std::collections::BTreeMap<Vec<usize>, Vec<f64>> = Default::default();
    for i in 0..2 {
        for j in 0..3 {
            for k in 0..4 {
                let idx = [i, j, k];
                let key: Vec<usize> = (0..3).filter(|a| !axes.contains(a)).map(|a| idx[a]).collect();
                groups.entry(key).or_default().push((100 * i + 10 * j + k) as f64);
            }
        }
    }
    let vals = groups
        .values()
        .map(|v| match op {
            ReduceOp::Sum => v.iter().sum(),
            ReduceOp::Mean => v.iter().sum::<f64>() / v.len() as f64,
            ReduceOp::Max => v.iter().cloned().fold(f64::MIN, f64::max),
            ReduceOp::Min => v.iter().cloned().fold(f64::MAX, f64::min),
            ReduceOp::Prod => v.iter().map(|x| x / 100.0 + 1.0).product(),
        })
        .collect();
    (out_shape, vals)
}

#[test]
fn every_axis_set_of_a_3d_tensor() {
    let x = cube();
    // Prod uses a rescaled input so values stay exact-ish and non-zero.
    let xp = crate::kernels::elementwise::binary(
        crate::op::BinaryOp::Add,
        &crate::kernels::elementwise::binary(crate::op::BinaryOp::Div, &x, &Tensor::scalar(100f32)).unwrap(),
        &Tensor::scalar(1f32),
    )
    .unwrap();
    let sets: [&[usize]; 7] = [&[0], &[1], &[2], &[0, 1], &[0, 2], &[1, 2], &[0, 1, 2]];
    for op in [ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max, ReduceOp::Min, ReduceOp::Prod] {
        for axes in sets {
            let (shape, want) = brute(op, axes);
            let ax: Vec<i64> = axes.iter().map(|&a| a as i64).collect();
            let input = if op == ReduceOp::Prod { &xp } else { &x };
            let got = reduce(op, input, Some(&ax), false).unwrap();
            assert_eq!(got.shape(), &shape[..], "{op:?} {axes:?}");
            for (g, w) in got.to_f64_vec().iter().zip(&want) {
                assert!((g - w).abs() <= 1e-5 * w.abs().max(1.0), "{op:?} {axes:?}: {g} vs {w}");
            }
            let kd = reduce(op, input, Some(&ax), true).unwrap();
            let kshape: Vec<usize> =
                (0..3).map(|a| if axes.contains(&a) { 1 } else { [2, 3, 4][a] }).collect();
            assert_eq!(kd.shape(), &kshape[..]);
            assert_eq!(kd.to_f64_vec(), got.to_f64_vec());
        }
    }
    assert_eq!(reduce(ReduceOp::Sum, &x, None, false).unwrap().shape(), &[] as &[usize]);
    let neg = reduce(ReduceOp::Sum, &x, Some(&[-1]), false).unwrap();
    assert_eq!(neg.to_f64_vec(), reduce(ReduceOp::Sum, &x, Some(&[2]), false).unwrap().to_f64_vec());
    assert_eq!(reduce(ReduceOp::Sum, &x, Some(&[]), false).unwrap().to_f64_vec(), x.to_f64_vec());
}

#[test]
fn integer_mean_bool_error_and_empty_axes() {
    let i = Tensor::from_vec(&[2, 2], vec![1i32, 2, 3, 5]).unwrap();
    let m = reduce(ReduceOp::Mean, &i, Some(&[1]), false).unwrap();
    assert_eq!(m.dtype(), DType::I32);
    assert_eq!(m.to_i64_vec(), vec![1, 4]);
    let b = Tensor::from_vec(&[2], vec![true, false]).unwrap();
    assert_eq!(reduce(ReduceOp::Sum, &b, None, false).unwrap_err().kind, ErrorKind::DType);
    let e = Tensor::from_vec(&[0, 3], Vec::<f32>::new()).unwrap();
    assert_eq!(reduce(ReduceOp::Max, &e, Some(&[0]), false).unwrap_err().kind, ErrorKind::InvalidArgument);
    assert_eq!(reduce(ReduceOp::Max, &e, Some(&[1]), false).unwrap().shape(), &[0]);
    assert_eq!(reduce(ReduceOp::Sum, &e, Some(&[0]), false).unwrap().to_f64_vec(), vec![0.0; 3]);
    assert_eq!(reduce(ReduceOp::Prod, &e, Some(&[0]), false).unwrap().to_f64_vec(), vec![1.0; 3]);
    assert!(reduce(ReduceOp::Sum, &i, Some(&[2]), false).is_err());
}

#[test]
fn large_means_are_accurate_and_parallel_paths_agree() {
    // 60000 x 10 of 0.1: naive f32 accumulation drifts by ~1e-4 relative here.
    let (n, c) = (60_000, 10);
    let x = Tensor::from_vec(&[n, c], vec![0.1f32; n * c]).unwrap();
    let run = || {
        let all = reduce(ReduceOp::Mean, &x, None, false).unwrap().to_f64_vec()[0];
        let cols = reduce(ReduceOp::Sum, &x, Some(&[0]), false).unwrap().to_f64_vec();
        let rows = reduce(ReduceOp::Max, &x, Some(&[1]), false).unwrap().to_f64_vec();
        (all, cols, rows)
    };
    let (all, cols, rows) = crate::threading::install(run);
    assert!((all - 0.1f32 as f64).abs() < 1e-7, "{all}");
    assert_eq!(cols.len(), c);
    for s in cols {
        assert!((s - 6000.0).abs() / 6000.0 < 1e-6, "{s}");
    }
    assert_eq!(rows.len(), n);
    assert!(rows.iter().all(|&r| r == 0.1f32 as f64));
    // A 3-D case with several reduced groups and many outputs.
    let y = Tensor::from_vec(&[40, 50, 40], (0..80_000).map(|v| (v % 7) as f64).collect()).unwrap();
    let got = crate::threading::install(|| reduce(ReduceOp::Sum, &y, Some(&[0, 2]), false).unwrap());
    let want: Vec<f64> = (0..50)
        .map(|j| (0..40).flat_map(|i| (0..40).map(move |k| ((i * 2000 + j * 40 + k) % 7) as f64)).sum())
        .collect();
    assert_eq!(got.to_f64_vec(), want);
}

#[test]
fn argmax_ties_nan_and_axes() {
    let x = Tensor::from_vec(&[2, 3], vec![1.0f32, 3.0, 3.0, 2.0, 2.0, 0.0]).unwrap();
    let a = arg_extreme(&x, 1, DType::I64, true).unwrap();
    assert_eq!((a.dtype(), a.to_i64_vec()), (DType::I64, vec![1, 0]));
    let a = arg_extreme(&x, 0, DType::I32, true).unwrap();
    assert_eq!((a.dtype(), a.to_i64_vec()), (DType::I32, vec![1, 0, 0]));
    assert_eq!(arg_extreme(&x, -1, DType::I32, false).unwrap().to_i64_vec(), vec![0, 2]);
    let n = Tensor::from_vec(&[4], vec![1.0f64, f64::NAN, 5.0, f64::NAN]).unwrap();
    assert_eq!(arg_extreme(&n, 0, DType::I64, true).unwrap().to_i64_vec(), vec![1]);
    assert_eq!(arg_extreme(&n, 0, DType::I64, false).unwrap().to_i64_vec(), vec![1]);
    let i = Tensor::from_vec(&[3], vec![-4i64, -9, -9]).unwrap();
    assert_eq!(arg_extreme(&i, 0, DType::I64, false).unwrap().to_i64_vec(), vec![1]);
    assert_eq!(arg_extreme(&x, 0, DType::F32, true).unwrap_err().kind, ErrorKind::DType);
    assert!(arg_extreme(&x, 2, DType::I64, true).is_err());
    // Above the parallel threshold (2^18 elements).
    let big = Tensor::from_vec(&[100_000, 3], (0..300_000).map(|v| ((v * 7) % 5) as f32).collect()).unwrap();
    let am = crate::threading::install(|| arg_extreme(&big, 1, DType::I64, true).unwrap()).to_i64_vec();
    for r in [0usize, 1, 2, 99_999] {
        let row: Vec<i64> = (0..3).map(|k| (((r * 3 + k) * 7) % 5) as i64).collect();
        let m = *row.iter().max().unwrap();
        assert_eq!(am[r], row.iter().position(|&v| v == m).unwrap() as i64);
    }
}

#[test]
fn unreduce_like_broadcasts_back() {
    let x = cube();
    let g = Tensor::from_vec(&[2, 4], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]).unwrap();
    let u = unreduce_like(&g, &x, Some(&[1]), false).unwrap();
    assert_eq!(u.shape(), &[2, 3, 4]);
    let v = u.to_f64_vec();
    assert_eq!(&v[..8], &[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(&v[12..16], &[5.0, 6.0, 7.0, 8.0]);
    let g = Tensor::from_vec(&[2, 3, 1], (1..=6).map(|v| v as f64).collect()).unwrap();
    let u = unreduce_like(&g, &x, Some(&[-1]), true).unwrap();
    assert_eq!(u.dtype(), DType::F64);
    assert_eq!(&u.to_f64_vec()[..8], &[1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0]);
    let s = unreduce_like(&Tensor::scalar(3.0f32), &x, None, false).unwrap();
    assert_eq!(s.to_f64_vec(), vec![3.0; 24]);
    assert!(unreduce_like(&Tensor::from_vec(&[5], vec![0f32; 5]).unwrap(), &x, Some(&[1]), false).is_err());
}

#[test]
fn reduce_to_shape_sums_broadcast_axes() {
    let g = Tensor::from_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    assert_eq!(reduce_to_shape(&g, &[3]).unwrap().to_f64_vec(), vec![5.0, 7.0, 9.0]);
    let c = reduce_to_shape(&g, &[2, 1]).unwrap();
    assert_eq!((c.shape(), c.to_f64_vec()), (&[2usize, 1][..], vec![6.0, 15.0]));
    let s = reduce_to_shape(&g, &[]).unwrap();
    assert_eq!((s.shape(), s.to_f64_vec()), (&[] as &[usize], vec![21.0]));
    assert_eq!(reduce_to_shape(&g, &[1, 1, 3]).unwrap().shape(), &[1, 1, 3]);
    assert_eq!(reduce_to_shape(&g, &[2, 3]).unwrap().to_f64_vec(), g.to_f64_vec());
    let e = reduce_to_shape(&g, &[4]).unwrap_err();
    assert!(e.message.contains("(2, 3)") && e.message.contains("(4,)"), "{}", e.message);
    // The bias gradient of a big batch goes through the parallel column path.
    let big = Tensor::from_vec(&[20_000, 8], vec![0.5f32; 160_000]).unwrap();
    let b = crate::threading::install(|| reduce_to_shape(&big, &[8]).unwrap());
    assert_eq!(b.to_f64_vec(), vec![10_000.0; 8]);
}
