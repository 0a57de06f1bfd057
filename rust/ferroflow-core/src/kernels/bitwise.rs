//! Bitwise kernels on integer tensors: AND, OR, XOR, NOT and shifts clamped as TensorFlow's are.

use super::elementwise::fast::{map, zip};
use crate::error::{Error, Result};
use crate::op::BinaryOp;
use crate::tensor::{Element, Tensor, TensorData};

/// Integers and their bit operations. Shifts clamp the amount to `[0, bits - 1]`, as TensorFlow's
/// `LeftShift`/`RightShift` kernels do, so an out-of-range amount is defined rather than undefined
/// behaviour; a left shift wraps (bits shifted out are lost), a right shift of a signed integer is
/// arithmetic (it copies the sign bit).
pub(crate) trait Bits: Element {
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    fn invert(self) -> Self;
    fn shift_left(self, by: Self) -> Self;
    fn shift_right(self, by: Self) -> Self;
}

macro_rules! impl_bits {
    ($($t:ty),*) => {$(
        impl Bits for $t {
            #[inline(always)]
            fn and(self, o: Self) -> Self {
                self & o
            }
            #[inline(always)]
            fn or(self, o: Self) -> Self {
                self | o
            }
            #[inline(always)]
            fn xor(self, o: Self) -> Self {
                self ^ o
            }
            #[inline(always)]
            fn invert(self) -> Self {
                !self
            }
            #[inline(always)]
            fn shift_left(self, by: Self) -> Self {
                self.wrapping_shl(clamp_shift(by as i128, <$t>::BITS))
            }
            #[inline(always)]
            fn shift_right(self, by: Self) -> Self {
                self.wrapping_shr(clamp_shift(by as i128, <$t>::BITS))
            }
        }
    )*};
}
impl_bits!(i8, i16, i32, i64, u8, u16, u32, u64);

#[inline(always)]
fn clamp_shift(by: i128, bits: u32) -> u32 {
    by.clamp(0, bits as i128 - 1) as u32
}

fn zip_bits<T: Bits>(op: BinaryOp, a: &ndarray::ArrayD<T>, b: &ndarray::ArrayD<T>) -> Result<Tensor> {
    match op {
        BinaryOp::BitwiseAnd => zip(a, b, T::and),
        BinaryOp::BitwiseOr => zip(a, b, T::or),
        BinaryOp::BitwiseXor => zip(a, b, T::xor),
        BinaryOp::LeftShift => zip(a, b, T::shift_left),
        BinaryOp::RightShift => zip(a, b, T::shift_right),
        other => Err(Error::invalid(format!("{other:?} is not a bitwise op"))),
    }
}

/// Is `op` one of the bitwise binary ops this module computes?
pub(crate) fn is_bitwise(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::BitwiseAnd
            | BinaryOp::BitwiseOr
            | BinaryOp::BitwiseXor
            | BinaryOp::LeftShift
            | BinaryOp::RightShift
    )
}

fn not_integer(op: &str, a: &Tensor) -> Error {
    Error::dtype(format!("{op} expects integer tensors, received {}", a.dtype()))
}

/// A bitwise binary op with NumPy broadcasting; both inputs have one integer dtype.
pub fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype() != b.dtype() {
        return Err(Error::dtype(format!(
            "{op:?} expects both inputs to have the same dtype, received {} and {}",
            a.dtype(),
            b.dtype()
        )));
    }
    match (a.data(), b.data()) {
        (TensorData::I8(x), TensorData::I8(y)) => zip_bits(op, x, y),
        (TensorData::I16(x), TensorData::I16(y)) => zip_bits(op, x, y),
        (TensorData::I32(x), TensorData::I32(y)) => zip_bits(op, x, y),
        (TensorData::I64(x), TensorData::I64(y)) => zip_bits(op, x, y),
        (TensorData::U8(x), TensorData::U8(y)) => zip_bits(op, x, y),
        (TensorData::U16(x), TensorData::U16(y)) => zip_bits(op, x, y),
        (TensorData::U32(x), TensorData::U32(y)) => zip_bits(op, x, y),
        (TensorData::U64(x), TensorData::U64(y)) => zip_bits(op, x, y),
        _ => Err(not_integer(&format!("{op:?}"), a)),
    }
}

/// `~x`: every bit flipped (TensorFlow's `Invert`).
pub fn invert(x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::I8(a) => map(a, i8::invert),
        TensorData::I16(a) => map(a, i16::invert),
        TensorData::I32(a) => map(a, i32::invert),
        TensorData::I64(a) => map(a, i64::invert),
        TensorData::U8(a) => map(a, u8::invert),
        TensorData::U16(a) => map(a, u16::invert),
        TensorData::U32(a) => map(a, u32::invert),
        TensorData::U64(a) => map(a, u64::invert),
        _ => Err(not_integer("Invert", x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t<T: crate::tensor::Storable>(shape: &[usize], v: &[T]) -> Tensor {
        Tensor::from_vec(shape, v.to_vec()).unwrap()
    }

    #[test]
    fn and_or_xor_broadcast_like_numpy() {
        let a = t(&[2, 2], &[12i32, -1, 0, 7]);
        let b = t(&[2], &[10i32, 3]);
        assert_eq!(binary(BinaryOp::BitwiseAnd, &a, &b).unwrap().to_i64_vec(), vec![8, 3, 0, 3]);
        assert_eq!(binary(BinaryOp::BitwiseOr, &a, &b).unwrap().to_i64_vec(), vec![14, -1, 10, 7]);
        assert_eq!(binary(BinaryOp::BitwiseXor, &a, &b).unwrap().to_i64_vec(), vec![6, -4, 10, 4]);
        let u = t(&[2], &[0xF0u8, 0x0F]);
        assert_eq!(binary(BinaryOp::BitwiseXor, &u, &u).unwrap().to_i64_vec(), vec![0, 0]);
        assert_eq!(invert(&u).unwrap().to_i64_vec(), vec![0x0F, 0xF0]);
        assert_eq!(invert(&t(&[2], &[0i64, -5])).unwrap().to_i64_vec(), vec![-1, 4]);
    }

    #[test]
    fn shifts_clamp_the_amount_and_keep_the_sign() {
        let x = t(&[5], &[1i8, 1, -128, -128, 64]);
        let by = t(&[5], &[3i8, 9, 1, -2, 1]);
        // 1 << 9 clamps to 1 << 7 = -128; a negative amount clamps to 0; the left shift wraps.
        assert_eq!(binary(BinaryOp::LeftShift, &x, &by).unwrap().to_i64_vec(), vec![8, -128, 0, -128, -128]);
        // Arithmetic right shift copies the sign bit; 9 clamps to 7.
        assert_eq!(binary(BinaryOp::RightShift, &x, &by).unwrap().to_i64_vec(), vec![0, 0, -64, -128, 32]);
        let u = t(&[2], &[0x8000_0000u32, 1]);
        let n = t(&[2], &[31u32, 40]);
        assert_eq!(binary(BinaryOp::RightShift, &u, &n).unwrap().to_i64_vec(), vec![1, 0]);
        assert_eq!(binary(BinaryOp::LeftShift, &u, &n).unwrap().to_i64_vec(), vec![0, 0x8000_0000]);
    }

    #[test]
    fn floats_and_mixed_dtypes_are_refused() {
        let f = t(&[1], &[1.0f32]);
        assert!(binary(BinaryOp::BitwiseAnd, &f, &f).is_err());
        assert!(invert(&f).is_err());
        assert!(binary(BinaryOp::BitwiseOr, &t(&[1], &[1i32]), &t(&[1], &[1i64])).is_err());
    }
}
