//! Tests of `pool`: windows against a direct loop, padding left out, and the gradients as exact adjoints.

use super::*;
use crate::conv_op::Padding;

fn image(shape: &[usize]) -> Tensor {
    let n: usize = shape.iter().product();
    // distinct values, so that every window has one maximum
    let v: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1009) as f64 / 100.0 - 5.0).collect();
    Tensor::from_vec(shape, v).unwrap()
}

fn window(strides: [usize; 2], padding: Padding) -> Window {
    Window { strides, dilations: [1, 1], padding }
}

#[test]
fn max_and_average_of_a_small_image() {
    // one 3x3 single-channel image, 2x2 windows, stride 1, SAME: the last row and column see padding
    let x = Tensor::from_vec(&[1, 3, 3, 1], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0f64]).unwrap();
    let w = window([1, 1], Padding::Same);
    let max = pool2d(&x, PoolKind::Max, [2, 2], &w).unwrap();
    assert_eq!(max.to_f64_vec(), vec![5.0, 6.0, 6.0, 8.0, 9.0, 9.0, 8.0, 9.0, 9.0]);
    let avg = pool2d(&x, PoolKind::Avg, [2, 2], &w).unwrap();
    assert_eq!(avg.to_f64_vec(), vec![3.0, 4.0, 4.5, 6.0, 7.0, 7.5, 7.5, 8.5, 9.0]);
    let valid = pool2d(&x, PoolKind::Max, [2, 2], &window([2, 2], Padding::Valid)).unwrap();
    assert_eq!((valid.shape(), valid.to_f64_vec()), (&[1usize, 1, 1, 1][..], vec![5.0]));
}

#[test]
fn gradients_are_the_adjoints_of_pooling_at_a_fixed_argmax() {
    for (shape, size, w) in [
        ([2, 7, 6, 3], [3, 3], window([2, 2], Padding::Same)),
        ([3, 28, 28, 4], [2, 2], window([2, 2], Padding::Valid)),
        ([1, 5, 8, 2], [2, 3], window([1, 2], Padding::Same)),
    ] {
        let x = image(&shape);
        for kind in [PoolKind::Max, PoolKind::Avg] {
            let y = pool2d(&x, kind, size, &w).unwrap();
            let dy = image(y.shape());
            let dx = pool2d_grad(&dy, &x, kind, size, &w).unwrap();
            // Pooling with the maxima's positions fixed is linear: <pool(v), dy> = <v, grad(dy)> for v = x
            // (max) or any v (average).
            let lhs: f64 = y.to_f64_vec().iter().zip(dy.to_f64_vec()).map(|(a, b)| a * b).sum();
            let rhs: f64 = x.to_f64_vec().iter().zip(dx.to_f64_vec()).map(|(a, b)| a * b).sum();
            assert!((lhs - rhs).abs() < 1e-9, "{kind:?} {shape:?}: {lhs} vs {rhs}");
        }
    }
}

/// Float32 max pooling (the vectorised kernel for 16 channels, the generic loop for 11) against float64's,
/// with NaNs that must reach their windows' outputs and an infinity; SAME padding.
#[test]
fn float32_max_pooling_keeps_nan_and_matches_float64() {
    for c in [16, 11] {
        let shape = [2, 7, 6, c];
        let mut v = image(&shape).to_f64_vec();
        v[(7 * 6 + 3) * c + c - 2] = f64::NAN; // image 1, pixel (0, 3): one window
        v[(2 * 6 + 2) * c + 4] = f64::NAN; // image 0, pixel (2, 2): two windows
        v[(4 * 6 + 5) * c + 1] = f64::INFINITY;
        let x = Tensor::from_vec(&shape, v).unwrap();
        let x32 = super::super::elementwise::cast(&x, crate::DType::F32).unwrap();
        let w = window([2, 2], Padding::Same);
        let want = pool2d(&x, PoolKind::Max, [3, 3], &w).unwrap().to_f64_vec();
        let got = pool2d(&x32, PoolKind::Max, [3, 3], &w).unwrap().to_f64_vec();
        assert_eq!(want.iter().filter(|a| a.is_nan()).count(), 3, "the NaNs reach one and two windows");
        for (a, b) in got.iter().zip(&want) {
            assert!(
                if b.is_nan() { a.is_nan() } else { a == b || (a - b).abs() < 1e-6 * b.abs() },
                "{c}: {a} vs {b}"
            );
        }
    }
}
