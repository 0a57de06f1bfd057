//! `tf.io.serialize_tensor` / `parse_tensor`: a tensor as TensorFlow's `TensorProto` bytes (dtype, shape,
//! and the data as `tensor_content`, or `string_val` for strings), read back from any of TF's encodings.

use super::wire::{self, put_bytes, put_key, put_varint, Reader, Value};
use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::{Tensor, TensorData};

const WHAT: &str = "TensorProto";

/// TensorFlow's `DataType` enum numbers.
fn dtype_enum(d: DType) -> u64 {
    match d {
        DType::F32 => 1,
        DType::F64 => 2,
        DType::I32 => 3,
        DType::U8 => 4,
        DType::I16 => 5,
        DType::I8 => 6,
        DType::Str => 7,
        DType::C64 => 8,
        DType::I64 => 9,
        DType::Bool => 10,
        DType::U16 => 17,
        DType::C128 => 18,
        DType::F16 => 19,
        DType::BF16 => 14,
        DType::U32 => 22,
        DType::U64 => 23,
    }
}

fn dtype_of_enum(n: u64) -> Option<DType> {
    [
        DType::F32,
        DType::F64,
        DType::I32,
        DType::U8,
        DType::I16,
        DType::I8,
        DType::Str,
        DType::I64,
        DType::Bool,
    ]
    .into_iter()
    .chain([DType::U16, DType::U32, DType::U64, DType::C64, DType::C128, DType::F16, DType::BF16])
    .find(|&d| dtype_enum(d) == n)
}

/// The little-endian bytes of a numeric tensor's elements, in row-major order.
fn content(t: &Tensor) -> Vec<u8> {
    macro_rules! le {
        ($a:expr) => {
            $a.iter().flat_map(|x| x.to_le_bytes()).collect()
        };
    }
    match t.data() {
        TensorData::F32(a) => le!(a),
        TensorData::F64(a) => le!(a),
        TensorData::I32(a) => le!(a),
        TensorData::I64(a) => le!(a),
        TensorData::U8(a) => le!(a),
        TensorData::I8(a) => le!(a),
        TensorData::I16(a) => le!(a),
        TensorData::U16(a) => le!(a),
        TensorData::U32(a) => le!(a),
        TensorData::U64(a) => le!(a),
        TensorData::F16(a) => le!(a),
        TensorData::BF16(a) => le!(a),
        TensorData::Bool(a) => a.iter().map(|&b| u8::from(b)).collect(),
        TensorData::C64(a) => a.iter().flat_map(|x| [x.re, x.im]).flat_map(|p| p.to_le_bytes()).collect(),
        TensorData::C128(a) => a.iter().flat_map(|x| [x.re, x.im]).flat_map(|p| p.to_le_bytes()).collect(),
        TensorData::Str(_) => Vec::new(),
    }
}

pub fn serialize(t: &Tensor) -> Vec<u8> {
    let mut out = Vec::new();
    put_key(&mut out, 1, wire::VARINT);
    put_varint(&mut out, dtype_enum(t.dtype()));
    let mut shape = Vec::new();
    for &d in t.shape() {
        let mut dim = Vec::new();
        if d != 0 {
            put_key(&mut dim, 1, wire::VARINT);
            put_varint(&mut dim, d as u64);
        }
        put_bytes(&mut shape, 2, &dim);
    }
    put_bytes(&mut out, 2, &shape);
    if let TensorData::Str(a) = t.data() {
        for s in a.iter() {
            put_bytes(&mut out, 8, s);
        }
    } else {
        let c = content(t);
        if !c.is_empty() {
            put_bytes(&mut out, 4, &c);
        }
    }
    out
}

fn corrupt(why: impl std::fmt::Display) -> Error {
    Error::invalid(format!("Could not parse `serialized` as TensorProto: {why}"))
}

fn parse_shape(buf: &[u8]) -> Result<Vec<usize>> {
    let mut dims = Vec::new();
    let mut r = Reader::new(buf, WHAT);
    while let Some((field, value)) = r.field()? {
        match (field, value) {
            (2, Value::Bytes(dim)) => {
                let mut size: i64 = 0;
                let mut dr = Reader::new(dim, WHAT);
                while let Some((f, v)) = dr.field()? {
                    if let (1, Value::Varint(s)) = (f, v) {
                        size = s as i64;
                    }
                }
                dims.push(usize::try_from(size).map_err(|_| corrupt(format!("dimension {size}")))?);
            }
            (3, Value::Varint(1)) => return Err(corrupt("the shape has unknown rank")),
            _ => {}
        }
    }
    Ok(dims)
}

/// Fills `n` elements from the decoded values: all of them, or (TensorFlow's rule) the last one repeated.
fn filled<T: Clone + Default>(v: Vec<T>, n: usize) -> Result<Vec<T>> {
    if v.len() == n {
        return Ok(v);
    }
    if v.len() > n {
        return Err(corrupt(format!("{} values for {n} elements", v.len())));
    }
    // A shape read from the bytes may be huge: fail with an error, not an abort, when it cannot fit.
    crate::tensor::ensure_allocatable::<T>(n)?;
    let last = v.last().cloned().unwrap_or_default();
    let mut v = v;
    v.try_reserve_exact(n - v.len())
        .map_err(|_| Error::out_of_memory(format!("cannot allocate {n} elements")))?;
    v.resize(n, last);
    Ok(v)
}

fn from_le<T, const N: usize>(c: &[u8], n: usize, f: impl Fn([u8; N]) -> T) -> Result<Vec<T>> {
    if c.len() != n * N {
        return Err(corrupt(format!("tensor_content of {} bytes for {n} elements of {N} bytes", c.len())));
    }
    Ok(c.chunks_exact(N)
        .map(|b| {
            let mut a = [0u8; N];
            a.copy_from_slice(b);
            f(a)
        })
        .collect())
}

pub fn parse(buf: &[u8], out_type: DType) -> Result<Tensor> {
    let (mut dtype, mut shape, mut tensor_content) = (None, Vec::new(), None);
    let (mut strings, mut ints, mut f32s, mut f64s) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // scomplex_val (9) and dcomplex_val (12): interleaved real and imaginary parts.
    let (mut c64s, mut c128s) = (Vec::new(), Vec::new());
    let mut r = Reader::new(buf, WHAT);
    while let Some((field, value)) = r.field().map_err(|e| corrupt(e.message))? {
        match (field, &value) {
            (1, Value::Varint(d)) => dtype = Some(*d),
            (2, Value::Bytes(b)) => shape = parse_shape(b)?,
            (4, Value::Bytes(b)) => tensor_content = Some(*b),
            (8, Value::Bytes(b)) => strings.push(ByteString::from(*b)),
            (5, _) => wire::repeated_fixed32(&value, WHAT, &mut f32s)?,
            (6, _) => wire::repeated_fixed64(&value, WHAT, &mut f64s)?,
            (9, _) => wire::repeated_fixed32(&value, WHAT, &mut c64s)?,
            (12, _) => wire::repeated_fixed64(&value, WHAT, &mut c128s)?,
            // half_val (13) holds float16 and bfloat16 bit patterns as varints.
            (7 | 10 | 11 | 13 | 16 | 17, _) => wire::repeated_varints(&value, WHAT, &mut ints)?,
            _ => {}
        }
    }
    let found = dtype.map(|d| dtype_of_enum(d).ok_or_else(|| corrupt(format!("unsupported DataType {d}"))));
    let found = found.transpose()?.ok_or_else(|| corrupt("no dtype"))?;
    if found != out_type {
        return Err(Error::invalid(format!(
            "Type mismatch between parsed tensor ({found}) and dtype ({out_type})"
        )));
    }
    let n = crate::tensor::checked_len(&shape, found)?;
    macro_rules! numbers {
        ($t:ty, $vals:expr) => {{
            let v: Vec<$t> = match tensor_content {
                Some(c) => from_le(c, n, <$t>::from_le_bytes)?,
                None => filled($vals, n)?,
            };
            Tensor::from_vec(&shape, v)
        }};
    }
    match found {
        DType::Str => Tensor::from_vec(&shape, filled(strings, n)?),
        DType::F32 => numbers!(f32, f32s.into_iter().map(f32::from_bits).collect()),
        DType::F64 => numbers!(f64, f64s.into_iter().map(f64::from_bits).collect()),
        DType::I32 => numbers!(i32, ints.iter().map(|&x| x as i32).collect()),
        DType::I64 => numbers!(i64, ints.iter().map(|&x| x as i64).collect()),
        DType::U8 => numbers!(u8, ints.iter().map(|&x| x as u8).collect()),
        DType::I8 => numbers!(i8, ints.iter().map(|&x| x as i8).collect()),
        DType::I16 => numbers!(i16, ints.iter().map(|&x| x as i16).collect()),
        DType::U16 => numbers!(u16, ints.iter().map(|&x| x as u16).collect()),
        DType::U32 => numbers!(u32, ints.iter().map(|&x| x as u32).collect()),
        DType::U64 => numbers!(u64, ints.clone()),
        DType::F16 => numbers!(
            crate::tensor::f16,
            ints.iter().map(|&x| crate::tensor::f16::from_bits(x as u16)).collect()
        ),
        DType::BF16 => numbers!(
            crate::tensor::bf16,
            ints.iter().map(|&x| crate::tensor::bf16::from_bits(x as u16)).collect()
        ),
        DType::C64 | DType::C128 => {
            // The content holds 2n parts; a parts tensor of the float dtype decodes them.
            let part = found.real_part();
            let parts = match tensor_content {
                Some(c) => Tensor::from_raw_bytes(part, &[2 * n], c, true)?,
                None if found == DType::C64 => {
                    Tensor::from_vec(&[c64s.len()], c64s.into_iter().map(f32::from_bits).collect())?
                }
                None => Tensor::from_vec(&[c128s.len()], c128s.into_iter().map(f64::from_bits).collect())?,
            };
            let pairs = if tensor_content.is_some() || parts.len() == 2 * n {
                parts
            } else {
                // A repeated value field may hold one pair for the whole tensor, or none (zeros).
                let v = parts.to_f64_vec();
                let (re, im) = (v.first().copied().unwrap_or(0.0), v.get(1).copied().unwrap_or(0.0));
                let filled: Vec<f64> = (0..n).flat_map(|_| [re, im]).collect();
                crate::kernels::elementwise::cast(&Tensor::from_vec(&[2 * n], filled)?, part)?
            };
            crate::kernels::complex::from_pairs(&pairs, &shape)
        }
        DType::Bool => {
            let v: Vec<bool> = match tensor_content {
                Some(c) => from_le(c, n, |[b]: [u8; 1]| b != 0)?,
                None => filled(ints.iter().map(|&x| x != 0).collect(), n)?,
            };
            Tensor::from_vec(&shape, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = Tensor::from_vec(&[2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, -6.5]).unwrap();
        let back = parse(&serialize(&t), DType::F32).unwrap();
        assert_eq!(back.shape(), &[2, 3]);
        assert_eq!(back.to_f64_vec(), t.to_f64_vec());
        let s = Tensor::from_vec(&[2], vec![ByteString::from("a"), ByteString::from("")]).unwrap();
        let back = parse(&serialize(&s), DType::Str).unwrap();
        assert_eq!(
            back.array::<ByteString>().unwrap().as_slice().unwrap(),
            &[ByteString::from("a"), ByteString::from("")]
        );
        assert!(parse(&serialize(&t), DType::I32).unwrap_err().message.contains("Type mismatch"));
        assert!(parse(b"\xff", DType::F32).is_err());
    }
}
