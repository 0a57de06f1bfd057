//! Elementwise ops on the GPU: unary maps, broadcasting binary ops and comparisons, relu's gradient, fills
//! and casts (kernels in `kernels/elementwise.cu`).

use super::device::CudaDevice;
use super::device_tensor::DeviceTensor;
use crate::cuda_args;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::{BinaryOp, CompareOp, UnaryOp};
use crate::shape::broadcast_dims;

/// The most axes a broadcasting kernel indexes (`MAX_RANK` in `common.cuh`).
pub const MAX_RANK: usize = 6;

/// `struct Broadcast` of `common.cuh`, field for field.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Broadcast {
    dims: [u64; MAX_RANK],
    a_strides: [u64; MAX_RANK],
    b_strides: [u64; MAX_RANK],
    rank: i32,
}

/// Element strides of `shape` right-aligned to `out` (0 along broadcast axes).
fn strides_in(shape: &[usize], out: &[usize]) -> [u64; MAX_RANK] {
    let mut strides = [0u64; MAX_RANK];
    let offset = out.len() - shape.len();
    let mut step = 1u64;
    for i in (0..shape.len()).rev() {
        strides[i + offset] = if shape[i] == 1 && out[i + offset] != 1 { 0 } else { step };
        step *= shape[i] as u64;
    }
    strides
}

pub fn broadcast(a: &[usize], b: &[usize], out: &[usize]) -> Broadcast {
    let mut s = Broadcast { rank: out.len() as i32, ..Default::default() };
    for (i, &d) in out.iter().enumerate() {
        s.dims[i] = d as u64;
    }
    s.a_strides = strides_in(a, out);
    s.b_strides = strides_in(b, out);
    s
}

pub fn unary_code(op: UnaryOp) -> Option<i32> {
    use UnaryOp::*;
    let order = [
        Neg, Exp, Log, Sqrt, Rsqrt, Square, Abs, Sign, Tanh, Sigmoid, Relu, Reciprocal, Floor, Ceil, Round,
        Sin, Cos, Log1p, Expm1, Softplus,
    ];
    order.iter().position(|&o| o == op).map(|p| p as i32)
}

pub fn binary_code(op: BinaryOp) -> Option<i32> {
    use BinaryOp::*;
    [Add, Sub, Mul, Div, Maximum, Minimum, Pow].iter().position(|&o| o == op).map(|p| p as i32)
}

/// Code 7 of `binary_f32_op`: the output is input a broadcast to the output shape.
pub const BROADCAST_A: i32 = 7;

pub fn compare_code(op: CompareOp) -> i32 {
    use CompareOp::*;
    [Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual].iter().position(|&o| o == op).unwrap_or(0)
        as i32
}

fn expect_f32(what: &str, t: &DeviceTensor) -> Result<()> {
    if t.dtype() != DType::F32 {
        return Err(Error::dtype(format!("{what} on a GPU takes float32, received {}", t.dtype())));
    }
    Ok(())
}

pub fn unary(dev: &'static CudaDevice, code: i32, x: &DeviceTensor) -> Result<DeviceTensor> {
    expect_f32("a unary op", x)?;
    let y = DeviceTensor::empty(dev, DType::F32, x.shape())?;
    let (xp, yp, n) = (x.ptr(), y.ptr(), x.len() as u64);
    let mut params = cuda_args![xp, yp, n, code];
    // SAFETY: both buffers hold n float32 values.
    unsafe { dev.launch_over("unary_f32", x.len(), &mut params) }?;
    Ok(y)
}

/// A binary op (`code` of `binary_f32_op`) with NumPy broadcasting; `out_shape` overrides the broadcast
/// shape for `BROADCAST_A`.
pub fn binary(
    dev: &'static CudaDevice,
    code: i32,
    a: &DeviceTensor,
    b: &DeviceTensor,
    out_shape: Option<&[usize]>,
) -> Result<DeviceTensor> {
    expect_f32("a binary op", a)?;
    expect_f32("a binary op", b)?;
    let out = match out_shape {
        Some(s) => s.to_vec(),
        None => broadcast_dims(a.shape(), b.shape())?,
    };
    check_rank(&out)?;
    let y = DeviceTensor::empty(dev, DType::F32, &out)?;
    let (ap, bp, yp, n) = (a.ptr(), b.ptr(), y.ptr(), y.len() as u64);
    if a.shape() == b.shape() && a.shape() == out.as_slice() {
        let mut params = cuda_args![ap, bp, yp, n, code];
        // SAFETY: three buffers of n float32 values.
        unsafe { dev.launch_over("binary_same_f32", y.len(), &mut params) }?;
    } else {
        let s = broadcast(a.shape(), b.shape(), &out);
        let mut params = cuda_args![ap, bp, yp, n, code, s];
        // SAFETY: the strides index within a and b by construction.
        unsafe { dev.launch_over("binary_f32", y.len(), &mut params) }?;
    }
    Ok(y)
}

pub fn compare(
    dev: &'static CudaDevice,
    code: i32,
    a: &DeviceTensor,
    b: &DeviceTensor,
) -> Result<DeviceTensor> {
    expect_f32("a comparison", a)?;
    expect_f32("a comparison", b)?;
    let out = broadcast_dims(a.shape(), b.shape())?;
    check_rank(&out)?;
    let y = DeviceTensor::empty(dev, DType::Bool, &out)?;
    let s = broadcast(a.shape(), b.shape(), &out);
    let (ap, bp, yp, n) = (a.ptr(), b.ptr(), y.ptr(), y.len() as u64);
    let mut params = cuda_args![ap, bp, yp, n, code, s];
    // SAFETY: the strides index within a and b; y holds n bytes.
    unsafe { dev.launch_over("compare_f32", y.len(), &mut params) }?;
    Ok(y)
}

pub fn relu_grad(dev: &'static CudaDevice, g: &DeviceTensor, x: &DeviceTensor) -> Result<DeviceTensor> {
    expect_f32("ReluGrad", g)?;
    if g.shape() != x.shape() || x.dtype() != DType::F32 {
        return Err(Error::invalid(format!(
            "ReluGrad on a GPU takes two float32 tensors of one shape, received {:?} \
                                           and {:?}",
            g.shape(),
            x.shape()
        )));
    }
    let y = DeviceTensor::empty(dev, DType::F32, g.shape())?;
    let (gp, xp, yp, n) = (g.ptr(), x.ptr(), y.ptr(), y.len() as u64);
    let mut params = cuda_args![gp, xp, yp, n];
    // SAFETY: three buffers of n float32 values.
    unsafe { dev.launch_over("relu_grad_f32", y.len(), &mut params) }?;
    Ok(y)
}

pub fn fill(dev: &'static CudaDevice, shape: &[usize], value: f32) -> Result<DeviceTensor> {
    let y = DeviceTensor::empty(dev, DType::F32, shape)?;
    let (yp, n) = (y.ptr(), y.len() as u64);
    let mut params = cuda_args![yp, n, value];
    // SAFETY: y holds n float32 values.
    unsafe { dev.launch_over("fill_f32", y.len(), &mut params) }?;
    Ok(y)
}

/// The `cast` kernel's code of a dtype it converts.
pub fn cast_code(dtype: DType) -> Option<i32> {
    match dtype {
        DType::F32 => Some(0),
        DType::I32 => Some(1),
        DType::I64 => Some(2),
        DType::Bool => Some(3),
        _ => None,
    }
}

pub fn cast(dev: &'static CudaDevice, x: &DeviceTensor, to: DType) -> Result<DeviceTensor> {
    let (Some(from_code), Some(to_code)) = (cast_code(x.dtype()), cast_code(to)) else {
        return Err(Error::dtype(format!("Cast from {} to {to} has no GPU kernel", x.dtype())));
    };
    let y = DeviceTensor::empty(dev, to, x.shape())?;
    let (xp, yp, n) = (x.ptr(), y.ptr(), y.len() as u64);
    let mut params = cuda_args![xp, from_code, yp, to_code, n];
    // SAFETY: x and y hold n elements of their dtypes.
    unsafe { dev.launch_over("cast", y.len(), &mut params) }?;
    Ok(y)
}

fn check_rank(out: &[usize]) -> Result<()> {
    if out.len() > MAX_RANK {
        return Err(Error::invalid(format!(
            "GPU elementwise kernels take up to {MAX_RANK} axes, received {}",
            out.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_strides_are_zero_along_broadcast_axes() {
        let s = broadcast(&[3, 1], &[4], &[3, 4]);
        assert_eq!(&s.dims[..2], &[3, 4]);
        assert_eq!(&s.a_strides[..2], &[1, 0]);
        assert_eq!(&s.b_strides[..2], &[0, 1]);
        let s = broadcast(&[2, 3, 4], &[2, 3, 4], &[2, 3, 4]);
        assert_eq!(&s.a_strides[..3], &[12, 4, 1]);
    }

    #[test]
    fn op_codes_follow_the_kernel_switches() {
        assert_eq!(unary_code(UnaryOp::Neg), Some(0));
        assert_eq!(unary_code(UnaryOp::Relu), Some(10));
        assert_eq!(unary_code(UnaryOp::Softplus), Some(19));
        assert_eq!(unary_code(UnaryOp::Erf), None);
        assert_eq!(binary_code(BinaryOp::Pow), Some(6));
        assert_eq!(binary_code(BinaryOp::Mod), None);
        assert_eq!(compare_code(CompareOp::GreaterEqual), 5);
    }
}
