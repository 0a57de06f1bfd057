//! Tests of softmax and the cross-entropy kernels against hand-computed values and error messages.

use super::*;
use crate::error::ErrorKind;

fn softmax_ref(row: &[f64]) -> Vec<f64> {
    let m = row.iter().cloned().fold(f64::MIN, f64::max);
    let s: f64 = row.iter().map(|v| (v - m).exp()).sum();
    row.iter().map(|v| (v - m).exp() / s).collect()
}

fn assert_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol * (1.0 + w.abs()), "{got:?} vs {want:?}");
    }
}

#[test]
fn softmax_last_axis_and_log() {
    let x = Tensor::from_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 1000.0, 1000.0, -1000.0]).unwrap();
    let s = softmax(&x, -1, false).unwrap();
    let mut want = softmax_ref(&[1.0, 2.0, 3.0]);
    want.extend([0.5, 0.5, 0.0]);
    assert_close(&s.to_f64_vec(), &want, 1e-6);
    let l = softmax(&x, 1, true).unwrap().to_f64_vec();
    assert_close(&l[..3], &softmax_ref(&[1.0, 2.0, 3.0]).iter().map(|v| v.ln()).collect::<Vec<_>>(), 1e-6);
    assert_close(&l[3..5], &[-(2f64.ln()), -(2f64.ln())], 1e-6);
    assert_eq!(l[5], (-2000.0f32 - 2f32.ln()) as f64);
    assert_eq!(
        softmax(&Tensor::from_vec(&[2], vec![1i32, 2]).unwrap(), 0, false).unwrap_err().kind,
        ErrorKind::DType
    );
    assert!(softmax(&x, 2, false).is_err());
}

#[test]
fn softmax_other_axes() {
    // (2, 2, 2): softmax over axis 1 pairs x[i, 0, k] with x[i, 1, k].
    let v = vec![0.0f64, 1.0, 2.0, 3.0, 4.0, 6.0, 5.0, 5.0];
    let x = Tensor::from_vec(&[2, 2, 2], v.clone()).unwrap();
    let s = softmax(&x, 1, false).unwrap().to_f64_vec();
    for (i, k) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        let (a, b) = (i * 4 + k, i * 4 + 2 + k);
        let p = softmax_ref(&[v[a], v[b]]);
        assert_close(&[s[a], s[b]], &p, 1e-12);
    }
    let l = softmax(&x, 0, true).unwrap().to_f64_vec();
    for j in 0..4 {
        let p = softmax_ref(&[v[j], v[4 + j]]);
        assert_close(&[l[j], l[4 + j]], &[p[0].ln(), p[1].ln()], 1e-12);
    }
}

#[test]
fn sparse_cross_entropy_values_and_bad_labels() {
    let logits = Tensor::from_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 0.0, 0.0, 0.0]).unwrap();
    let labels = Tensor::from_vec(&[2], vec![2i32, 0]).unwrap();
    let loss = sparse_softmax_cross_entropy(&logits, &labels).unwrap();
    assert_eq!((loss.dtype(), loss.shape()), (crate::DType::F32, &[2usize][..]));
    let p = softmax_ref(&[1.0, 2.0, 3.0]);
    assert_close(&loss.to_f64_vec(), &[-p[2].ln(), 3f64.ln()], 1e-6);
    let l64 = Tensor::from_vec(&[2], vec![0i64, 1]).unwrap();
    assert_close(
        &sparse_softmax_cross_entropy(&logits, &l64).unwrap().to_f64_vec(),
        &[-p[0].ln(), 3f64.ln()],
        1e-6,
    );
    let ten = Tensor::from_vec(&[1, 10], vec![0.0f64; 10]).unwrap();
    let e = sparse_softmax_cross_entropy(&ten, &Tensor::from_vec(&[1], vec![12i64]).unwrap()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    assert_eq!(e.message, "label value 12 is outside the valid range [0, 10)");
    let e = sparse_softmax_cross_entropy(&ten, &Tensor::from_vec(&[1], vec![-1i32]).unwrap()).unwrap_err();
    assert!(e.message.contains("label value -1"), "{}", e.message);
    let f = Tensor::from_vec(&[2], vec![0.0f32, 1.0]).unwrap();
    assert_eq!(sparse_softmax_cross_entropy(&logits, &f).unwrap_err().kind, ErrorKind::DType);
    assert!(sparse_softmax_cross_entropy(&logits, &Tensor::from_vec(&[3], vec![0i32; 3]).unwrap()).is_err());
}

#[test]
fn dense_cross_entropy_matches_formula() {
    let logits = Tensor::from_vec(&[2, 1, 3], vec![1.0f64, 2.0, 3.0, -1.0, 0.0, 1.0]).unwrap();
    let labels = Tensor::from_vec(&[2, 1, 3], vec![0.2f64, 0.3, 0.5, 0.0, 1.0, 0.0]).unwrap();
    let loss = softmax_cross_entropy(&logits, &labels).unwrap();
    assert_eq!(loss.shape(), &[2, 1]);
    let p = softmax_ref(&[1.0, 2.0, 3.0]);
    let want0 = -(0.2 * p[0].ln() + 0.3 * p[1].ln() + 0.5 * p[2].ln());
    let want1 = -softmax_ref(&[-1.0, 0.0, 1.0])[1].ln();
    assert_close(&loss.to_f64_vec(), &[want0, want1], 1e-12);
    let f32l = Tensor::from_vec(&[2, 1, 3], vec![0f32; 6]).unwrap();
    assert_eq!(softmax_cross_entropy(&logits, &f32l).unwrap_err().kind, ErrorKind::DType);
    let short = Tensor::from_vec(&[2, 3], vec![0f64; 6]).unwrap();
    assert_eq!(softmax_cross_entropy(&logits, &short).unwrap_err().kind, ErrorKind::InvalidArgument);
}

#[test]
fn big_batches_take_the_parallel_row_path() {
    let (n, c) = (20_000, 10);
    let logits = Tensor::from_vec(&[n, c], (0..n * c).map(|v| ((v % 13) as f32) * 0.25).collect()).unwrap();
    let labels = Tensor::from_vec(&[n], (0..n).map(|r| (r % c) as i32).collect()).unwrap();
    let (s, loss) = crate::threading::install(|| {
        (softmax(&logits, -1, false).unwrap(), sparse_softmax_cross_entropy(&logits, &labels).unwrap())
    });
    let (s, loss) = (s.to_f64_vec(), loss.to_f64_vec());
    for r in [0usize, 1, 7777, n - 1] {
        let row: Vec<f64> = (0..c).map(|k| (((r * c + k) % 13) as f64) * 0.25).collect();
        let p = softmax_ref(&row);
        assert_close(&s[r * c..(r + 1) * c], &p, 1e-6);
        assert_close(&[loss[r]], &[-p[r % c].ln()], 1e-5);
    }
}
