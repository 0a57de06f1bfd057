//! Tests of shape and dtype inference: broadcasting, matmul, reshape and the other shape rules.

use super::*;
use crate::op::SliceSpec;

fn sh(d: &[Option<usize>]) -> Shape {
    Shape::from_dims(d.to_vec())
}

#[test]
fn matmul_with_unknown_batch() {
    let (s, d) = infer(
        &Op::MatMul { transpose_a: false, transpose_b: false },
        &[(&sh(&[None, Some(784)]), DType::F32), (&Shape::known(&[784, 512]), DType::F32)],
    )
    .unwrap();
    assert_eq!(s, sh(&[None, Some(512)]));
    assert_eq!(d, DType::F32);
}

#[test]
fn matmul_mismatch_names_shapes() {
    let e = infer(
        &Op::MatMul { transpose_a: false, transpose_b: false },
        &[(&Shape::known(&[32, 784]), DType::F32), (&Shape::known(&[512, 10]), DType::F32)],
    )
    .unwrap_err();
    assert!(e.message.contains("(32, 784)") && e.message.contains("(512, 10)"), "{}", e.message);
}

#[test]
fn dtype_mismatch_is_a_dtype_error() {
    let e = infer(
        &Op::Binary(BinaryOp::Add),
        &[(&Shape::known(&[2]), DType::F32), (&Shape::known(&[2]), DType::I32)],
    )
    .unwrap_err();
    assert_eq!(e.kind, crate::error::ErrorKind::DType);
    assert!(e.message.contains("float32") && e.message.contains("int32"));
}

#[test]
fn reshape_flatten_with_unknown_batch() {
    let (s, _) =
        infer(&Op::Reshape { shape: vec![-1, 784] }, &[(&sh(&[None, Some(28), Some(28)]), DType::F32)])
            .unwrap();
    assert_eq!(s, sh(&[None, Some(784)]));
    assert!(infer(&Op::Reshape { shape: vec![5] }, &[(&Shape::known(&[2, 3]), DType::F32)]).is_err());
}

#[test]
fn slicing_follows_python() {
    assert_eq!(range_len(10, None, None, 1), 10);
    assert_eq!(range_len(10, None, None, -1), 10);
    assert_eq!(range_len(10, Some(-3), None, 1), 3);
    assert_eq!(range_len(10, Some(8), Some(2), -2), 3);
    assert_eq!(range_len(5, Some(7), None, 1), 0);
    let specs = vec![SliceSpec::Ellipsis, SliceSpec::Index(0), SliceSpec::NewAxis];
    let (s, _) = infer(&Op::StridedSlice { specs }, &[(&Shape::known(&[2, 3, 4]), DType::F32)]).unwrap();
    assert_eq!(s, Shape::known(&[2, 3, 1]));
}

#[test]
fn sparse_xent_checks_label_shape() {
    let op = Op::SparseSoftmaxCrossEntropy;
    assert!(infer(&op, &[(&sh(&[None, Some(10)]), DType::F32), (&sh(&[None]), DType::I64)]).is_ok());
    assert!(
        infer(&op, &[(&Shape::known(&[4, 10]), DType::F32), (&Shape::known(&[4, 1]), DType::I64)]).is_err()
    );
}
