//! bfloat16 and float16 through casts, arithmetic in float32, and their stored bit patterns.

use super::*;
use crate::kernels::elementwise::{binary, cast};
use crate::op::BinaryOp;

fn bf16_tensor(values: &[f32]) -> Tensor {
    Tensor::from_vec(&[values.len()], values.iter().map(|&v| bf16::from_f32(v)).collect()).unwrap()
}

fn as_f32(t: &Tensor) -> Vec<f32> {
    cast(t, DType::F32).unwrap().array::<f32>().unwrap().iter().copied().collect()
}

#[test]
fn casts_to_bfloat16_round_to_nearest_even() {
    // 1 + 2^-8 lies halfway between 1 and the next bfloat16 (1 + 2^-7): ties go to the even mantissa, 1.
    // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: it goes to 1 + 2^-6.
    let x = Tensor::from_vec(&[3], vec![1.0f32 + 2f32.powi(-8), 1.0 + 3.0 * 2f32.powi(-8), 3.0e38]).unwrap();
    let y = cast(&x, DType::BF16).unwrap();
    assert_eq!(y.dtype(), DType::BF16);
    let back = as_f32(&y);
    assert_eq!(back[0], 1.0);
    assert_eq!(back[1], 1.0 + 2f32.powi(-6));
    // bfloat16 keeps float32's exponent range, unlike float16 (whose largest value is 65504).
    assert!((back[2] - 3.0e38).abs() / 3.0e38 < 1.0 / 128.0);
    assert_eq!(as_f32(&cast(&cast(&x, DType::F16).unwrap(), DType::F32).unwrap())[2], f32::INFINITY);
}

#[test]
fn bfloat16_arithmetic_computes_in_float32_and_keeps_its_dtype() {
    let a = bf16_tensor(&[1.5, -2.0, 256.0]);
    let b = bf16_tensor(&[0.25, 3.0, 1.0]);
    let sum = binary(BinaryOp::Add, &a, &b).unwrap();
    assert_eq!(sum.dtype(), DType::BF16);
    // 256 + 1 is not a bfloat16 (8 significant bits): it rounds to even, 256.
    assert_eq!(as_f32(&sum), vec![1.75, 1.0, 256.0]);
    let op = Op::Binary(BinaryOp::Mul);
    let product = compute(&op, &[a, b]).expect("a bfloat16 product is computed in float32").unwrap();
    assert_eq!(product.dtype(), DType::BF16);
    assert_eq!(as_f32(&product), vec![0.375, -6.0, 256.0]);
}

#[test]
fn element_moving_ops_keep_the_bits() {
    let a = bf16_tensor(&[1.0, 2.0, 3.0]);
    assert!(compute(&Op::Identity, std::slice::from_ref(&a)).is_none());
    assert_eq!(widen(&a).unwrap().dtype(), DType::F32);
    assert_eq!(narrow_to(&widen(&a).unwrap(), DType::BF16).unwrap().dtype(), DType::BF16);
    assert!(narrow_to(&a, DType::F16).is_err());
}
