//! Batch-normalization kernels against float64 two-pass references, on shapes that take the split paths.

use super::compute;
use crate::batch_norm_op::BatchNormOp;
use crate::tensor::Tensor;

/// Deterministic values with a large mean against their spread, to catch a cancelling variance formula.
fn values(n: usize, seed: u64, offset: f64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            offset + ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
        })
        .collect()
}

fn f32s(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

fn run(op: BatchNormOp, inputs: &[Tensor]) -> Vec<f64> {
    let t = compute(&op, inputs).unwrap();
    match t.data() {
        crate::tensor::TensorData::F32(a) => a.iter().map(|&v| v as f64).collect(),
        crate::tensor::TensorData::F64(a) => a.iter().copied().collect(),
        _ => panic!("float output expected"),
    }
}

/// Mean and biased variance per column, by two passes in float64.
fn reference_moments(x: &[f64], c: usize) -> (Vec<f64>, Vec<f64>) {
    let rows = x.len() / c;
    let mean: Vec<f64> = (0..c).map(|j| (0..rows).map(|r| x[r * c + j]).sum::<f64>() / rows as f64).collect();
    let var: Vec<f64> = (0..c)
        .map(|j| (0..rows).map(|r| (x[r * c + j] - mean[j]).powi(2)).sum::<f64>() / rows as f64)
        .collect();
    (mean, var)
}

fn close(a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tol * (1.0 + y.abs()), "element {i}: {x} vs {y}");
    }
}

#[test]
fn moments_match_a_two_pass_reference_when_the_mean_dwarfs_the_spread() {
    // [128, 28, 28, 16] is a ResNet block's activation: many blocks, split across threads.
    for (rows, c) in [(37, 5), (128 * 28 * 28, 16)] {
        let x = values(rows * c, 7, 1000.0);
        let (mean, var) = reference_moments(&x, c);
        let got = run(BatchNormOp::Moments, &[Tensor::from_vec(&[rows, c], x.clone()).unwrap()]);
        close(&got[..c], &mean, 1e-12);
        close(&got[c..], &var, 1e-9);
        let got32 = run(BatchNormOp::Moments, &[Tensor::from_vec(&[rows, c], f32s(&x)).unwrap()]);
        close(&got32[c..], &var, 1e-3);
    }
}

#[test]
fn the_pool_gives_the_same_bits_as_one_thread() {
    let (rows, c) = (64 * 14 * 14, 32);
    let x = Tensor::from_vec(&[64, 14, 14, c], f32s(&values(rows * c, 3, 0.5))).unwrap();
    let dy = Tensor::from_vec(&[64, 14, 14, c], f32s(&values(rows * c, 4, 0.0))).unwrap();
    let moments = compute(&BatchNormOp::Moments, std::slice::from_ref(&x)).unwrap();
    let sums_op = BatchNormOp::GradSums { epsilon: 1e-3 };
    let inline = (
        run(BatchNormOp::Moments, std::slice::from_ref(&x)),
        run(sums_op, &[dy.clone(), x.clone(), moments.clone()]),
    );
    let pooled = crate::threading::install(|| {
        (
            run(BatchNormOp::Moments, std::slice::from_ref(&x)),
            run(sums_op, &[dy.clone(), x.clone(), moments.clone()]),
        )
    });
    assert_eq!(inline, pooled);
}

#[test]
fn normalization_and_its_gradients_follow_the_formulas() {
    let (rows, c, eps) = (300, 3, 1e-3);
    let x = values(rows * c, 11, 2.0);
    let dy = values(rows * c, 12, 0.1);
    let (gamma, beta) = (vec![0.5, 2.0, -1.0], vec![0.1, 0.0, 3.0]);
    let (mean, var) = reference_moments(&x, c);
    let t = |v: &[f64], shape: &[usize]| Tensor::from_vec(shape, v.to_vec()).unwrap();
    let packed = [mean.clone(), var.clone()].concat();
    let (xt, mt, gt) = (t(&x, &[rows, c]), t(&packed, &[2, c]), t(&gamma, &[c]));
    let y =
        run(BatchNormOp::Training { epsilon: eps }, &[xt.clone(), mt.clone(), gt.clone(), t(&beta, &[c])]);
    let xhat = |r: usize, j: usize| (x[r * c + j] - mean[j]) / (var[j] + eps).sqrt();
    let want_y: Vec<f64> = (0..rows * c).map(|i| xhat(i / c, i % c) * gamma[i % c] + beta[i % c]).collect();
    close(&y, &want_y, 1e-12);

    let sums = run(BatchNormOp::GradSums { epsilon: eps }, &[t(&dy, &[rows, c]), xt.clone(), mt.clone()]);
    let sum_dy: Vec<f64> = (0..c).map(|j| (0..rows).map(|r| dy[r * c + j]).sum()).collect();
    let sum_dy_xhat: Vec<f64> = (0..c).map(|j| (0..rows).map(|r| dy[r * c + j] * xhat(r, j)).sum()).collect();
    close(&sums, &[sum_dy.clone(), sum_dy_xhat.clone()].concat(), 1e-12);

    // dx = gamma / sqrt(var + eps) / n * (n * dy - sum(dy) - x_hat * sum(dy * x_hat))
    let dx =
        run(BatchNormOp::GradInput { epsilon: eps }, &[t(&dy, &[rows, c]), xt, mt, gt, t(&sums, &[2, c])]);
    let n = rows as f64;
    let want_dx: Vec<f64> = (0..rows * c)
        .map(|i| {
            let (r, j) = (i / c, i % c);
            gamma[j] / (var[j] + eps).sqrt() / n * (n * dy[i] - sum_dy[j] - xhat(r, j) * sum_dy_xhat[j])
        })
        .collect();
    close(&dx, &want_dx, 1e-12);
}

#[test]
fn inputs_that_do_not_fit_the_channels_are_an_error_not_a_panic() {
    let x = Tensor::from_vec(&[4, 3], vec![0f32; 12]).unwrap();
    let short = Tensor::from_vec(&[2, 2], vec![0f32; 4]).unwrap();
    let v = Tensor::from_vec(&[3], vec![0f32; 3]).unwrap();
    let err = compute(&BatchNormOp::Training { epsilon: 1e-3 }, &[x, short, v.clone(), v]).unwrap_err();
    assert!(err.to_string().contains("does not fit 3 channels"), "{err}");
}
