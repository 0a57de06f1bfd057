//! Elementwise kernels: unary math, broadcasting binary arithmetic, comparisons, select and casts.

#[path = "elementwise_fast.rs"]
pub(crate) mod fast;
#[path = "elementwise_num.rs"]
pub(crate) mod num;

use self::fast::{map, zip, zip3};
pub(crate) use self::num::{max_nan, min_nan, Float, Num};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::op::{BinaryOp, CompareOp, UnaryOp};
use crate::tensor::{Element, Tensor, TensorData};
use ndarray::ArrayD;

/// Numerically stable logistic: never evaluates `exp` of a large positive number.
#[inline(always)]
fn sigmoid<T: Float>(x: T) -> T {
    if x >= T::ZERO {
        T::ONE.div(T::ONE.add(x.neg().exp()))
    } else {
        let e = x.exp();
        e.div(T::ONE.add(e))
    }
}

fn unary_float<T: Float>(op: UnaryOp, a: &ArrayD<T>) -> Result<Tensor> {
    match op {
        UnaryOp::Exp => map(a, |x: T| x.exp()),
        UnaryOp::Log => map(a, |x: T| x.ln()),
        UnaryOp::Sqrt => map(a, |x: T| x.sqrt()),
        UnaryOp::Rsqrt => map(a, |x: T| T::ONE.div(x.sqrt())),
        UnaryOp::Tanh => map(a, |x: T| x.tanh()),
        UnaryOp::Sigmoid => map(a, sigmoid),
        UnaryOp::Reciprocal => map(a, |x: T| T::ONE.div(x)),
        UnaryOp::Floor => map(a, |x: T| x.floor()),
        UnaryOp::Ceil => map(a, |x: T| x.ceil()),
        UnaryOp::Round => map(a, |x: T| x.round_even()),
        UnaryOp::Sin => map(a, |x: T| x.sin()),
        UnaryOp::Cos => map(a, |x: T| x.cos()),
        UnaryOp::Log1p => map(a, |x: T| x.ln_1p()),
        UnaryOp::Expm1 => map(a, |x: T| x.exp_m1()),
        UnaryOp::Softplus => map(a, |x: T| {
            let relu = if x > T::ZERO { x } else { T::ZERO };
            x.abs().neg().exp().ln_1p().add(relu)
        }),
        _ => unary_num(op, a),
    }
}

fn unary_num<T: Num>(op: UnaryOp, a: &ArrayD<T>) -> Result<Tensor> {
    match op {
        UnaryOp::Neg => map(a, |x: T| x.neg()),
        UnaryOp::Square => map(a, |x: T| x.mul(x)),
        UnaryOp::Abs => map(a, |x: T| x.abs()),
        UnaryOp::Sign => map(a, |x: T| x.sign()),
        // `x < 0 ? 0 : x` keeps NaN (like tf.nn.relu) and compiles to a branch-free select.
        UnaryOp::Relu => map(a, |x: T| if x < T::ZERO { T::ZERO } else { x }),
        UnaryOp::LogicalNot => {
            Err(Error::dtype(format!("LogicalNot expects a bool tensor, received {}", T::DTYPE)))
        }
        _ => Err(Error::dtype(format!("{op:?} expects a float tensor, received {}", T::DTYPE))),
    }
}

/// Applies a unary op; float-only math on an integer tensor is a dtype error, as in TensorFlow.
pub fn unary(op: UnaryOp, x: &Tensor) -> Result<Tensor> {
    if op == UnaryOp::Invert {
        return super::bitwise::invert(x);
    }
    if x.dtype().is_complex() {
        return super::complex::unary(op, x);
    }
    if let Some(f) = super::special::function(op) {
        return match x.data() {
            TensorData::F32(a) => map(a, |v: f32| f(v as f64) as f32),
            TensorData::F64(a) => map(a, f),
            _ => Err(Error::dtype(format!("{op:?} expects a float tensor, received {}", x.dtype()))),
        };
    }
    match x.data() {
        TensorData::F32(a) => unary_float(op, a),
        TensorData::F64(a) => unary_float(op, a),
        TensorData::Bool(a) => match op {
            UnaryOp::LogicalNot => map(a, |x: bool| !x),
            _ => Err(Error::dtype(format!("{op:?} expects a numeric tensor, received bool"))),
        },
        _ => crate::with_numeric!(x, a => unary_num(op, a),
            _ => Err(Error::dtype(format!("{op:?} expects a numeric tensor, received {}", x.dtype())))),
    }
}

fn binary_num<T: Num>(op: BinaryOp, a: &ArrayD<T>, b: &ArrayD<T>) -> Result<Tensor> {
    let is_int = T::DTYPE.is_int();
    // Only an error when some output actually divides by the zero (`a` is not empty).
    let divides = matches!(op, BinaryOp::Div | BinaryOp::FloorDiv | BinaryOp::Mod);
    if is_int && divides && !a.is_empty() && b.iter().any(|&v| v == T::ZERO) {
        return Err(Error::invalid(format!("{op:?}: integer division by zero")));
    }
    if is_int && op == BinaryOp::Pow && b.iter().any(|&v| v < T::ZERO) && !a.is_empty() {
        return Err(Error::invalid("Pow: integers to negative integer powers are not allowed"));
    }
    match op {
        BinaryOp::Add => zip(a, b, |x: T, y: T| x.add(y)),
        BinaryOp::Sub => zip(a, b, |x: T, y: T| x.sub(y)),
        BinaryOp::Mul => zip(a, b, |x: T, y: T| x.mul(y)),
        BinaryOp::Div => zip(a, b, |x: T, y: T| x.div(y)),
        BinaryOp::FloorDiv => zip(a, b, |x: T, y: T| x.floor_div(y)),
        BinaryOp::Mod => zip(a, b, |x: T, y: T| x.modulo(y)),
        BinaryOp::Pow => zip(a, b, |x: T, y: T| x.pow(y)),
        BinaryOp::Maximum => zip(a, b, max_nan::<T>),
        BinaryOp::Minimum => zip(a, b, min_nan::<T>),
        BinaryOp::LogicalAnd | BinaryOp::LogicalOr => {
            Err(Error::dtype(format!("{op:?} expects bool tensors, received {}", T::DTYPE)))
        }
        // Bitwise ops are routed to `kernels::bitwise` first.
        BinaryOp::BitwiseAnd
        | BinaryOp::BitwiseOr
        | BinaryOp::BitwiseXor
        | BinaryOp::LeftShift
        | BinaryOp::RightShift => Err(Error::dtype(format!("{op:?} expects integer tensors"))),
        // Float inputs are computed before reaching here.
        BinaryOp::Atan2 => Err(Error::dtype(format!("Atan2 expects float tensors, received {}", T::DTYPE))),
    }
}

/// The dtype error for two inputs that differ: TensorFlow never promotes implicitly.
fn mismatch(name: impl std::fmt::Debug, a: &Tensor, b: &Tensor) -> Error {
    Error::dtype(format!(
        "{name:?} expects both inputs to have the same dtype, received {} and {}",
        a.dtype(),
        b.dtype()
    ))
}

/// Applies a binary op with NumPy broadcasting.
pub fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if super::bitwise::is_bitwise(op) {
        return super::bitwise::binary(op, a, b);
    }
    if a.dtype().is_complex() {
        return super::complex::binary(op, a, b);
    }
    if a.dtype().is_half() && b.dtype() == a.dtype() {
        // Direct callers (a variable's assign_add) reach here without the dispatch's widening.
        use super::half_precision::{narrow_to, widen};
        return narrow_to(&binary(op, &widen(a)?, &widen(b)?)?, a.dtype());
    }
    match (a.data(), b.data()) {
        (TensorData::F32(x), TensorData::F32(y)) if op == BinaryOp::Atan2 => zip(x, y, f32::atan2),
        (TensorData::F64(x), TensorData::F64(y)) if op == BinaryOp::Atan2 => zip(x, y, f64::atan2),
        (TensorData::Bool(x), TensorData::Bool(y)) => match op {
            BinaryOp::LogicalAnd => zip(x, y, |p: bool, q: bool| p & q),
            BinaryOp::LogicalOr => zip(x, y, |p: bool, q: bool| p | q),
            _ => Err(Error::dtype(format!("{op:?} expects numeric tensors, received bool"))),
        },
        (TensorData::Str(_), TensorData::Str(_)) => {
            Err(Error::dtype(format!("{op:?} expects numeric tensors, received string")))
        }
        _ => crate::with_numeric_pair!(a, b, (x, y) => binary_num(op, x, y), _ => Err(mismatch(op, a, b))),
    }
}

fn compare_typed<T: Element + PartialOrd>(op: CompareOp, a: &ArrayD<T>, b: &ArrayD<T>) -> Result<Tensor> {
    match op {
        CompareOp::Equal => zip(a, b, |x: T, y: T| x == y),
        CompareOp::NotEqual => zip(a, b, |x: T, y: T| x != y),
        CompareOp::Less => zip(a, b, |x: T, y: T| x < y),
        CompareOp::LessEqual => zip(a, b, |x: T, y: T| x <= y),
        CompareOp::Greater => zip(a, b, |x: T, y: T| x > y),
        CompareOp::GreaterEqual => zip(a, b, |x: T, y: T| x >= y),
    }
}

/// Compares with broadcasting, returning a bool tensor; strings compare only for (in)equality.
pub fn compare(op: CompareOp, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if a.dtype().is_complex() {
        return super::complex::compare(op, a, b);
    }
    match (a.data(), b.data()) {
        (TensorData::Bool(x), TensorData::Bool(y)) => compare_typed(op, x, y),
        (TensorData::Str(x), TensorData::Str(y)) => match op {
            CompareOp::Equal => super::strings::broadcast_map2(x, y, |p, q| p == q),
            CompareOp::NotEqual => super::strings::broadcast_map2(x, y, |p, q| p != q),
            _ => Err(Error::dtype(format!(
                "{op:?} is not defined for string tensors; only Equal and NotEqual are"
            ))),
        },
        _ => crate::with_numeric_pair!(a, b, (x, y) => compare_typed(op, x, y), _ => Err(mismatch(op, a, b))),
    }
}

/// `tf.where(cond, x, y)` with three-way broadcasting.
pub fn select(c: &Tensor, x: &Tensor, y: &Tensor) -> Result<Tensor> {
    let cond = match c.data() {
        TensorData::Bool(c) => c,
        _ => return Err(Error::dtype(format!("Select expects a bool condition, received {}", c.dtype()))),
    };
    // One condition for same-shaped operands (a random flip's coin): the result is one of them, shared.
    if cond.len() == 1
        && c.shape().len() <= x.shape().len()
        && x.shape() == y.shape()
        && x.dtype() == y.dtype()
    {
        let pick = cond.iter().next().copied().unwrap_or(false);
        return Ok(if pick { x.clone() } else { y.clone() });
    }
    match (x.data(), y.data()) {
        (TensorData::Bool(p), TensorData::Bool(q)) => zip3(cond, p, q),
        (TensorData::Str(p), TensorData::Str(q)) => super::strings::select(cond, p, q),
        _ => crate::with_numeric_pair!(x, y, (p, q) => zip3(cond, p, q), _ => Err(mismatch("Select", x, y))),
    }
}

/// `g` where `x > 0`, else 0 (the gradient of relu), for same-shaped float tensors; other shapes broadcast.
pub fn relu_grad(g: &Tensor, x: &Tensor) -> Result<Tensor> {
    if g.shape() != x.shape() {
        let mask = compare(CompareOp::Greater, x, &Tensor::full(x.dtype(), &[], 0.0)?)?;
        return select(&mask, g, &Tensor::full(g.dtype(), &[], 0.0)?);
    }
    match (g.data(), x.data()) {
        (TensorData::F32(g), TensorData::F32(x)) => zip(g, x, |g, x| if x > 0.0 { g } else { 0.0 }),
        (TensorData::F64(g), TensorData::F64(x)) => zip(g, x, |g, x| if x > 0.0 { g } else { 0.0 }),
        _ => Err(mismatch("ReluGrad", g, x)),
    }
}

/// Conversions between element types with TensorFlow's rules (float to int truncates, to bool is `!= 0`).
trait CastElem: Element {
    fn to_f64(self) -> f64;
    fn to_i64(self) -> i64;
    fn truthy(self) -> bool;
    fn from_f64(v: f64) -> Self;
    fn from_i64(v: i64) -> Self;
    fn from_bool(v: bool) -> Self;
}

macro_rules! impl_cast {
    ($t:ty) => {
        impl CastElem for $t {
            fn to_f64(self) -> f64 {
                Num::to_f64(self)
            }
            fn to_i64(self) -> i64 {
                Num::to_i64(self)
            }
            fn truthy(self) -> bool {
                self != <$t as Num>::ZERO
            }
            fn from_f64(v: f64) -> Self {
                <$t as Num>::from_f64(v)
            }
            fn from_i64(v: i64) -> Self {
                <$t as Num>::from_i64(v)
            }
            fn from_bool(v: bool) -> Self {
                v as u8 as $t
            }
        }
    };
}
impl_cast!(f32);
impl_cast!(f64);
impl_cast!(i32);
impl_cast!(i64);
impl_cast!(u8);
impl_cast!(i8);
impl_cast!(i16);
impl_cast!(u16);
impl_cast!(u32);
impl_cast!(u64);

impl CastElem for bool {
    fn to_f64(self) -> f64 {
        self as u8 as f64
    }
    fn to_i64(self) -> i64 {
        self as i64
    }
    fn truthy(self) -> bool {
        self
    }
    fn from_f64(v: f64) -> Self {
        v != 0.0
    }
    fn from_i64(v: i64) -> Self {
        v != 0
    }
    fn from_bool(v: bool) -> Self {
        v
    }
}

#[inline(always)]
fn convert<T: CastElem, U: CastElem>(x: T) -> U {
    // The branches are on constants, so each instantiation keeps only one. Integer to integer goes
    // through i64 (two's-complement truncation, like C's casts); anything touching a float goes
    // through f64, which is exact for every integer a float target can hold.
    if U::DTYPE == DType::Bool {
        U::from_bool(x.truthy())
    } else if T::DTYPE.is_float() || U::DTYPE.is_float() {
        U::from_f64(x.to_f64())
    } else {
        U::from_i64(x.to_i64())
    }
}

fn cast_from<T: CastElem>(a: &ArrayD<T>, d: DType) -> Result<Tensor> {
    match d {
        DType::F32 => map(a, convert::<T, f32>),
        DType::F64 => map(a, convert::<T, f64>),
        DType::I32 => map(a, convert::<T, i32>),
        DType::I64 => map(a, convert::<T, i64>),
        DType::Bool => map(a, convert::<T, bool>),
        DType::U8 => map(a, convert::<T, u8>),
        DType::I8 => map(a, convert::<T, i8>),
        DType::I16 => map(a, convert::<T, i16>),
        DType::U16 => map(a, convert::<T, u16>),
        DType::U32 => map(a, convert::<T, u32>),
        DType::U64 => map(a, convert::<T, u64>),
        DType::Str => Err(string_cast(T::DTYPE, d)),
        // Through the parts' float dtype: the imaginary part is zero.
        DType::C64 | DType::C128 => super::complex::from_real(&cast_from(a, d.real_part())?),
        DType::F16 | DType::BF16 => super::half_precision::narrow_to(&cast_from(a, DType::F32)?, d),
    }
}

/// TensorFlow has no cast to or from strings: numbers are parsed and printed by string ops.
fn string_cast(from: DType, to: DType) -> Error {
    let hint = if to == DType::Str { "tf.strings.as_string" } else { "tf.strings.to_number" };
    Error::dtype(format!("Cast {from} to {to} is not supported; use {hint}"))
}

/// `tf.cast` between any two number or bool dtypes.
pub fn cast(x: &Tensor, d: DType) -> Result<Tensor> {
    if x.dtype() == d {
        return Ok(x.clone());
    }
    match x.data() {
        TensorData::Bool(a) => cast_from(a, d),
        TensorData::Str(_) => Err(string_cast(DType::Str, d)),
        TensorData::C64(_) | TensorData::C128(_) => super::complex::cast(x, d),
        TensorData::F16(_) | TensorData::BF16(_) => cast(&super::half_precision::widen(x)?, d),
        _ => crate::with_numeric!(x, a => cast_from(a, d), _ => Err(Error::internal("unreachable dtype"))),
    }
}

#[cfg(test)]
#[path = "elementwise_tests.rs"]
mod tests;
