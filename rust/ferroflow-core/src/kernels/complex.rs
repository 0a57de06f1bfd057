//! Complex-number kernels: building and taking apart complex tensors, their arithmetic, casts, products and sums.
//!
//! Products and sums split a complex tensor into its real and imaginary float parts and reuse the float
//! kernels (a complex matrix product is four real ones), so they run on the same tuned paths.

use super::elementwise::fast::{map, zip};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::{BinaryOp, CompareOp, ReduceOp, UnaryOp};
use crate::tensor::{Complex, Element, Tensor, TensorData};
use ndarray::ArrayD;

/// The float types complex numbers are made of.
pub(crate) trait Part: Element + rustfft::num_traits::Float + rustfft::FftNum {}
impl Part for f32 {}
impl Part for f64 {}

/// `complex(x, 0)` for a float tensor (what a cast of a number to complex gives).
pub fn from_real(x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::F32(a) => map(a, |v: f32| Complex::new(v, 0.0)),
        TensorData::F64(a) => map(a, |v: f64| Complex::new(v, 0.0)),
        _ => Err(Error::dtype(format!("expected a float32 or float64 tensor, received {}", x.dtype()))),
    }
}

/// A complex tensor of `shape` from a flat float tensor of interleaved (real, imaginary) parts.
pub fn from_pairs(parts: &Tensor, shape: &[usize]) -> Result<Tensor> {
    macro_rules! pairs {
        ($a:expr) => {{
            let v: Vec<_> = $a
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .chunks_exact(2)
                .map(|c| Complex::new(c[0], c[1]))
                .collect();
            Tensor::from_vec(shape, v)
        }};
    }
    match parts.data() {
        TensorData::F32(a) => pairs!(a),
        TensorData::F64(a) => pairs!(a),
        _ => {
            Err(Error::dtype(format!("complex parts must be float32 or float64, received {}", parts.dtype())))
        }
    }
}

/// `tf.cast` from a complex tensor: to another complex dtype part by part, to any other dtype through
/// the real part (the imaginary part is discarded, as TensorFlow does).
pub fn cast(x: &Tensor, to: DType) -> Result<Tensor> {
    match (x.data(), to) {
        (TensorData::C64(a), DType::C128) => map(a, |v: Complex<f32>| Complex::new(v.re as f64, v.im as f64)),
        (TensorData::C128(a), DType::C64) => map(a, |v: Complex<f64>| Complex::new(v.re as f32, v.im as f32)),
        (_, DType::Str) => Err(Error::dtype(format!("Cast {} to string is not supported", x.dtype()))),
        _ => super::elementwise::cast(&real(x)?, to),
    }
}

/// `tf.complex(real, imag)`: both float tensors of one dtype, broadcast against each other.
pub fn make(re: &Tensor, im: &Tensor) -> Result<Tensor> {
    match (re.data(), im.data()) {
        (TensorData::F32(a), TensorData::F32(b)) => zip(a, b, Complex::new),
        (TensorData::F64(a), TensorData::F64(b)) => zip(a, b, Complex::new),
        _ => Err(Error::dtype(format!(
            "complex expects two float32 or two float64 tensors, received {} and {}",
            re.dtype(),
            im.dtype()
        ))),
    }
}

macro_rules! per_part {
    ($x:expr, $what:expr, $v:ident => $f:expr) => {
        match $x.data() {
            TensorData::C64(a) => map(a, |$v: Complex<f32>| $f),
            TensorData::C128(a) => map(a, |$v: Complex<f64>| $f),
            _ => Err(Error::dtype(format!("{} expects a complex tensor, received {}", $what, $x.dtype()))),
        }
    };
}

pub fn real(x: &Tensor) -> Result<Tensor> {
    per_part!(x, "real", v => v.re)
}

pub fn imag(x: &Tensor) -> Result<Tensor> {
    per_part!(x, "imag", v => v.im)
}

pub fn conj(x: &Tensor) -> Result<Tensor> {
    per_part!(x, "conj", v => v.conj())
}

pub fn angle(x: &Tensor) -> Result<Tensor> {
    per_part!(x, "angle", v => v.im.atan2(v.re))
}

/// `|x|` without overflow for large parts (`hypot`).
pub fn abs(x: &Tensor) -> Result<Tensor> {
    per_part!(x, "abs", v => v.re.hypot(v.im))
}

fn unary_typed<T: Part>(op: UnaryOp, a: &ArrayD<Complex<T>>) -> Result<Tensor>
where
    Complex<T>: Element,
{
    let one = Complex::new(T::one(), T::zero());
    match op {
        UnaryOp::Neg => map(a, |v: Complex<T>| -v),
        UnaryOp::Square => map(a, |v: Complex<T>| v * v),
        // x / |x|, and 0 at 0, as TensorFlow's sign of a complex number.
        UnaryOp::Sign => map(a, |v: Complex<T>| {
            let r = v.re.hypot(v.im);
            if r == T::zero() {
                v
            } else {
                v / r
            }
        }),
        UnaryOp::Exp => map(a, |v: Complex<T>| v.exp()),
        UnaryOp::Log => map(a, |v: Complex<T>| v.ln()),
        UnaryOp::Sqrt => map(a, |v: Complex<T>| v.sqrt()),
        UnaryOp::Rsqrt => map(a, move |v: Complex<T>| one / v.sqrt()),
        UnaryOp::Tanh => map(a, |v: Complex<T>| v.tanh()),
        UnaryOp::Sigmoid => map(a, move |v: Complex<T>| one / (one + (-v).exp())),
        UnaryOp::Reciprocal => map(a, move |v: Complex<T>| one / v),
        UnaryOp::Sin => map(a, |v: Complex<T>| v.sin()),
        UnaryOp::Cos => map(a, |v: Complex<T>| v.cos()),
        UnaryOp::Log1p => map(a, move |v: Complex<T>| (one + v).ln()),
        UnaryOp::Expm1 => map(a, move |v: Complex<T>| v.exp() - one),
        _ => Err(Error::dtype(format!(
            "{op:?} is not defined for {} tensors",
            <Complex<T> as crate::tensor::Storable>::DTYPE
        ))),
    }
}

/// The unary ops TensorFlow defines on complex numbers (their principal branches, as NumPy's).
pub fn unary(op: UnaryOp, x: &Tensor) -> Result<Tensor> {
    match x.data() {
        TensorData::C64(a) => unary_typed(op, a),
        TensorData::C128(a) => unary_typed(op, a),
        _ => Err(Error::internal("complex::unary on a real tensor")),
    }
}

fn binary_typed<T: Part>(op: BinaryOp, a: &ArrayD<Complex<T>>, b: &ArrayD<Complex<T>>) -> Result<Tensor>
where
    Complex<T>: Element,
{
    match op {
        BinaryOp::Add => zip(a, b, |x: Complex<T>, y: Complex<T>| x + y),
        BinaryOp::Sub => zip(a, b, |x: Complex<T>, y: Complex<T>| x - y),
        BinaryOp::Mul => zip(a, b, |x: Complex<T>, y: Complex<T>| x * y),
        BinaryOp::Div => zip(a, b, |x: Complex<T>, y: Complex<T>| x / y),
        // 0 ** y is 0 for y != 0 and 1 for y == 0, where exp(y ln 0) would give NaN.
        BinaryOp::Pow => zip(a, b, |x: Complex<T>, y: Complex<T>| {
            if x == Complex::new(T::zero(), T::zero()) {
                let z = if y == x { T::one() } else { T::zero() };
                Complex::new(z, T::zero())
            } else {
                x.powc(y)
            }
        }),
        _ => Err(Error::dtype(format!(
            "{op:?} is not defined for {} tensors",
            <Complex<T> as crate::tensor::Storable>::DTYPE
        ))),
    }
}

/// Broadcasting arithmetic of two complex tensors of one dtype.
pub fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    match (a.data(), b.data()) {
        (TensorData::C64(x), TensorData::C64(y)) => binary_typed(op, x, y),
        (TensorData::C128(x), TensorData::C128(y)) => binary_typed(op, x, y),
        _ => Err(Error::dtype(format!(
            "{op:?} expects both inputs to have the same dtype, received {} and {}",
            a.dtype(),
            b.dtype()
        ))),
    }
}

/// Equality of complex numbers (they have no order).
pub fn compare(op: CompareOp, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    let equal = match op {
        CompareOp::Equal => true,
        CompareOp::NotEqual => false,
        _ => return Err(Error::dtype(format!("{op:?} is not defined for {} tensors", a.dtype()))),
    };
    match (a.data(), b.data()) {
        (TensorData::C64(x), TensorData::C64(y)) => zip(x, y, move |p, q| (p == q) == equal),
        (TensorData::C128(x), TensorData::C128(y)) => zip(x, y, move |p, q| (p == q) == equal),
        _ => Err(Error::dtype(format!(
            "{op:?} expects both inputs to have the same dtype, received {} and {}",
            a.dtype(),
            b.dtype()
        ))),
    }
}

fn parts(x: &Tensor) -> Result<(Tensor, Tensor)> {
    Ok((real(x)?, imag(x)?))
}

/// `(ar + i ai)(br + i bi)` as four real products.
pub fn matmul(a: &Tensor, b: &Tensor, ta: bool, tb: bool) -> Result<Tensor> {
    if a.dtype() != b.dtype() {
        return Err(Error::dtype(format!(
            "MatMul expects inputs of the same dtype, received {} and {}",
            a.dtype(),
            b.dtype()
        )));
    }
    let ((ar, ai), (br, bi)) = (parts(a)?, parts(b)?);
    let mm = |x: &Tensor, y: &Tensor| super::matmul::matmul(x, y, ta, tb);
    let sub = |x: Tensor, y: Tensor| super::elementwise::binary(BinaryOp::Sub, &x, &y);
    let add = |x: Tensor, y: Tensor| super::elementwise::binary(BinaryOp::Add, &x, &y);
    let re = sub(mm(&ar, &br)?, mm(&ai, &bi)?)?;
    let im = add(mm(&ar, &bi)?, mm(&ai, &br)?)?;
    make(&re, &im)
}

/// Sums and means, part by part.
pub fn reduce(op: ReduceOp, x: &Tensor, axes: Option<&[i64]>, keepdims: bool) -> Result<Tensor> {
    if !matches!(op, ReduceOp::Sum | ReduceOp::Mean) {
        return Err(Error::dtype(format!("reduce {op:?} is not defined for {} tensors", x.dtype())));
    }
    let (re, im) = parts(x)?;
    let r = |p: &Tensor| super::reduce::reduce(op, p, axes, keepdims);
    make(&r(&re)?, &r(&im)?)
}

/// `f` applied to the real and the imaginary part of `x`, recombined: for maps linear over the reals
/// (sums over broadcast axes, their inverse), which act on each part alone.
pub fn per_part(x: &Tensor, f: impl Fn(&Tensor) -> Result<Tensor>) -> Result<Tensor> {
    let (re, im) = parts(x)?;
    make(&f(&re)?, &f(&im)?)
}

/// Whether a tensor holds complex numbers (the generic kernels hand these to this module).
pub fn is_complex(x: &Tensor) -> bool {
    x.dtype().is_complex()
}
