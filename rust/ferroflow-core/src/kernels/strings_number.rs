//! Numbers to strings and back: `tf.strings.to_number` and `tf.strings.as_string` with C's printf rules.

use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::string_op::NumberFormat;
use crate::tensor::{Tensor, TensorData};
use ndarray::ArrayD;

fn bad_number(s: &[u8]) -> Error {
    Error::invalid(format!("StringToNumberOp could not correctly convert string: {}", s.escape_ascii()))
}

/// The text of `s` with surrounding whitespace removed, as TensorFlow's `safe_strto*` accept it.
fn trimmed(s: &[u8]) -> Result<&str> {
    std::str::from_utf8(s).map(str::trim).map_err(|_| bad_number(s))
}

fn parse_float(s: &[u8]) -> Result<f64> {
    let t = trimmed(s)?;
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    // Rust parses "inf"/"nan"/"infinity" too; TensorFlow's parser also accepts them.
    if unsigned.is_empty()
        || !(unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || unsigned.starts_with("inf")
            || unsigned.starts_with("nan"))
    {
        return Err(bad_number(s));
    }
    t.parse::<f64>().map_err(|_| bad_number(s))
}

fn parse_int(s: &[u8]) -> Result<i128> {
    trimmed(s)?.parse::<i128>().map_err(|_| bad_number(s))
}

/// `tf.strings.to_number`: every element parsed as `out_type`; a value that does not parse, or does
/// not fit, is an error naming it.
pub fn to_number(a: &ArrayD<ByteString>, out_type: DType) -> Result<Tensor> {
    macro_rules! ints {
        ($t:ty) => {{
            let mut out = Vec::with_capacity(a.len());
            for s in a.iter() {
                let v = parse_int(s)?;
                out.push(<$t>::try_from(v).map_err(|_| bad_number(s))?);
            }
            Tensor::from_vec(a.shape(), out)
        }};
    }
    match out_type {
        DType::F32 => {
            let v: Vec<f32> = a.iter().map(|s| parse_float(s).map(|v| v as f32)).collect::<Result<_>>()?;
            Tensor::from_vec(a.shape(), v)
        }
        DType::F64 => Tensor::from_vec(a.shape(), a.iter().map(|s| parse_float(s)).collect::<Result<_>>()?),
        DType::I32 => ints!(i32),
        DType::I64 => ints!(i64),
        DType::U8 => ints!(u8),
        DType::I8 => ints!(i8),
        DType::I16 => ints!(i16),
        DType::U16 => ints!(u16),
        DType::U32 => ints!(u32),
        DType::U64 => ints!(u64),
        other => Err(Error::dtype(format!("to_number out_type must be a number type, received {other}"))),
    }
}

/// C's `%.{p}e`: one digit before the point and a signed exponent of at least two digits.
fn c_scientific(v: f64, precision: usize) -> String {
    let s = format!("{v:.precision$e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = exp.strip_prefix('-').map_or(('+', exp), |d| ('-', d));
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// C's `%.{p}g`: `%e` when the exponent is below -4 or at least the precision, else `%f`; trailing
/// zeros removed.
pub(super) fn c_general(v: f64, precision: usize) -> String {
    let p = precision.max(1);
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let exp = format!("{v:.prec$e}", prec = p - 1)
        .split_once('e')
        .and_then(|(_, e)| e.parse::<i32>().ok())
        .unwrap_or(0);
    let strip = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if exp < -4 || exp >= p as i32 {
        let s = c_scientific(v, p - 1);
        let (m, e) = s.split_once('e').unwrap_or((&s, ""));
        format!("{}e{e}", strip(m.to_string()))
    } else {
        strip(format!("{v:.prec$}", prec = (p as i32 - 1 - exp).max(0) as usize))
    }
}

fn format_float(v: f64, f: &NumberFormat) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let p = if f.precision < 0 { 6 } else { f.precision as usize };
    if f.shortest {
        c_general(v, p)
    } else if f.scientific {
        c_scientific(v, p)
    } else {
        format!("{v:.p$}")
    }
}

fn pad(s: String, f: &NumberFormat) -> ByteString {
    let width = if f.width < 0 { 0 } else { f.width as usize };
    if s.len() >= width {
        return ByteString::from(s);
    }
    let fill = width - s.len();
    if f.fill == '0' {
        // Zero padding goes after the sign, as printf's `%0Nd` does.
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        ByteString::from(format!("{sign}{}{digits}", "0".repeat(fill)))
    } else {
        ByteString::from(format!("{}{s}", f.fill.to_string().repeat(fill)))
    }
}

/// `tf.strings.as_string`: numbers printed with `%d`, `%f`, `%e` or `%g`; bools as `true`/`false`.
pub fn as_string(x: &Tensor, f: &NumberFormat) -> Result<Tensor> {
    let out: ArrayD<ByteString> = match x.data() {
        TensorData::F32(a) => a.map(|&v| pad(format_float(v as f64, f), f)),
        TensorData::F64(a) => a.map(|&v| pad(format_float(v, f), f)),
        TensorData::Bool(a) => a.map(|&v| pad(v.to_string(), f)),
        TensorData::Str(_) => {
            return Err(Error::dtype("AsString expects a number or bool tensor, received string"))
        }
        _ => {
            crate::with_numeric!(x, a => a.map(|v| pad(v.to_string(), f)), _ => return Err(Error::internal("unreachable dtype")))
        }
    };
    Ok(Tensor::from_array(out))
}
