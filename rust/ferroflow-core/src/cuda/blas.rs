//! Matrix products with cuBLAS. cuBLAS is column-major: the row-major C = op(A)·op(B) is computed as the
//! column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, that is with B passed first.

use super::device::{tensor_float_32, CudaDevice};
use super::device_tensor::DeviceTensor;
use crate::dtype::DType;
use crate::error::{Error, Result};
use cudarc::cublas::{result as blas, sys};

/// Leading (batch) axes of a product operand and its matrix shape.
fn split(shape: &[usize]) -> (&[usize], usize, usize) {
    let r = shape.len();
    (&shape[..r - 2], shape[r - 2], shape[r - 1])
}

/// `a @ b` of float32 tensors over their last two axes; the batch axes must be equal, or one side has none
/// (products that need other broadcasts stay on the CPU: `supported`).
pub fn matmul(
    device: &'static CudaDevice,
    a: &DeviceTensor,
    b: &DeviceTensor,
    ta: bool,
    tb: bool,
) -> Result<DeviceTensor> {
    if a.dtype() != DType::F32 || b.dtype() != DType::F32 {
        return Err(Error::dtype(format!(
            "MatMul on a GPU takes float32, received {} and {}",
            a.dtype(),
            b.dtype()
        )));
    }
    if !supported(a.shape(), b.shape()) {
        return Err(Error::invalid(format!(
            "MatMul on a GPU takes matrices with equal or absent batch axes, received {:?} and {:?}",
            a.shape(),
            b.shape()
        )));
    }
    let (batch_a, ar, ac) = split(a.shape());
    let (batch_b, br, bc) = split(b.shape());
    let (m, k) = if ta { (ac, ar) } else { (ar, ac) };
    let (k2, n) = if tb { (bc, br) } else { (br, bc) };
    if k != k2 {
        return Err(Error::invalid(format!(
            "MatMul: inner dimensions differ ({k} vs {k2}) for shapes {:?} and {:?}",
            a.shape(),
            b.shape()
        )));
    }
    let batch: Vec<usize> = if batch_a.len() >= batch_b.len() { batch_a.to_vec() } else { batch_b.to_vec() };
    let count: usize = batch.iter().product();
    let mut out_shape = batch;
    out_shape.extend([m, n]);
    let out = DeviceTensor::empty(device, DType::F32, &out_shape)?;
    if out.is_empty() {
        return Ok(out);
    }
    device.bind()?;
    let handle = device.blas.lock().unwrap_or_else(|e| e.into_inner());
    let mode = if tensor_float_32() {
        sys::cublasMath_t::CUBLAS_TF32_TENSOR_OP_MATH
    } else {
        sys::cublasMath_t::CUBLAS_DEFAULT_MATH
    };
    let op =
        |t: bool| if t { sys::cublasOperation_t::CUBLAS_OP_T } else { sys::cublasOperation_t::CUBLAS_OP_N };
    let (alpha, beta) = (1.0f32, 0.0f32);
    // Leading dimensions are the stored rows' lengths.
    let (lda, ldb, ldc) = (ac as i32, bc as i32, n as i32);
    let stride = |present: bool, size: usize| if present { size as i64 } else { 0 };
    let result = unsafe {
        // SAFETY: the handle is exclusively ours while locked; the pointers name blocks of the sizes
        // computed above, alive until the stream has run the product (allocator stream ordering).
        sys::cublasSetMathMode(handle.0, mode).result().and_then(|_| {
            blas::sgemm_strided_batched(
                handle.0,
                op(tb),
                op(ta),
                n as i32,
                m as i32,
                k as i32,
                &alpha,
                b.ptr() as *const f32,
                ldb,
                stride(!batch_b.is_empty(), br * bc),
                a.ptr() as *const f32,
                lda,
                stride(!batch_a.is_empty(), ar * ac),
                &beta,
                out.ptr() as *mut f32,
                ldc,
                (m * n) as i64,
                count as i32,
            )
        })
    };
    result.map_err(|e| device.error("in a cuBLAS product", format!("{e:?}")))?;
    Ok(out)
}

/// Shapes the GPU product takes: rank >= 2 each, batch axes equal or one side without batch axes.
pub fn supported(a: &[usize], b: &[usize]) -> bool {
    a.len() >= 2 && b.len() >= 2 && (a.len() == 2 || b.len() == 2 || a[..a.len() - 2] == b[..b.len() - 2])
}
