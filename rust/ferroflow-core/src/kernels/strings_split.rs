//! String ops whose outputs change shape: substrings, splitting, raw byte decoding and Unicode code points.

use super::broadcast_view;
use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::broadcast_dims;
use crate::tensor::{Tensor, TensorData};
use ndarray::{ArrayD, Zip};

/// The pieces of `s`: on runs of whitespace (no empty pieces) without `sep`, else on every `sep`
/// (empty pieces kept), at most `maxsplit` splits when it is non-negative; Python's `str.split`.
fn pieces<'a>(s: &'a [u8], sep: Option<&ByteString>, maxsplit: i64) -> Vec<&'a [u8]> {
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let mut out = Vec::new();
    match sep.filter(|p| !p.is_empty()) {
        None => {
            let mut rest = s.trim_ascii_start();
            while !rest.is_empty() {
                if out.len() == limit {
                    out.push(rest.trim_ascii_end());
                    break;
                }
                let end = rest.iter().position(|b| b.is_ascii_whitespace()).unwrap_or(rest.len());
                out.push(&rest[..end]);
                rest = rest[end..].trim_ascii_start();
            }
        }
        Some(p) => {
            // With a separator an empty string is one empty piece (TensorFlow's and Python's rule).
            let p = p.as_bytes();
            let mut start = 0;
            let mut i = 0;
            while i + p.len() <= s.len() && out.len() < limit {
                if &s[i..i + p.len()] == p {
                    out.push(&s[start..i]);
                    i += p.len();
                    start = i;
                } else {
                    i += 1;
                }
            }
            out.push(&s[start..]);
        }
    }
    out
}

fn vector_of<'a>(a: &'a ArrayD<ByteString>, what: &str) -> Result<&'a ArrayD<ByteString>> {
    if a.ndim() != 1 {
        return Err(Error::invalid(format!(
            "{what} expects a 1-D string tensor, received rank {}",
            a.ndim()
        )));
    }
    Ok(a)
}

pub fn split_values(a: &ArrayD<ByteString>, sep: Option<&ByteString>, maxsplit: i64) -> Result<Tensor> {
    let a = vector_of(a, "split")?;
    let out: Vec<ByteString> =
        a.iter().flat_map(|s| pieces(s, sep, maxsplit)).map(ByteString::from).collect();
    Tensor::from_vec(&[out.len()], out)
}

/// Row splits from per-element counts: `[0, c0, c0 + c1, ...]`.
fn splits_of(counts: impl Iterator<Item = usize>) -> Result<Tensor> {
    let mut splits = vec![0i64];
    for c in counts {
        splits.push(splits[splits.len() - 1] + c as i64);
    }
    Tensor::from_vec(&[splits.len()], splits)
}

pub fn split_row_splits(a: &ArrayD<ByteString>, sep: Option<&ByteString>, maxsplit: i64) -> Result<Tensor> {
    splits_of(vector_of(a, "split")?.iter().map(|s| pieces(s, sep, maxsplit).len()))
}

/// Byte offsets of the characters of `s` (all bytes when not `utf8`), with `s.len()` appended.
fn char_starts(s: &[u8], utf8: bool) -> Vec<usize> {
    let mut starts: Vec<usize> = (0..s.len()).filter(|&i| !utf8 || s[i] & 0xC0 != 0x80).collect();
    starts.push(s.len());
    starts
}

/// `tf.strings.substr`: `pos` may count from the end when negative; a substring running past the end
/// is cut there; a position outside the string is an error naming it.
pub fn substr(a: &ArrayD<ByteString>, pos: &Tensor, len: &Tensor, utf8: bool) -> Result<Tensor> {
    let as_i64 = |t: &Tensor| -> Result<ArrayD<i64>> {
        match t.data() {
            TensorData::I32(p) => Ok(p.mapv(i64::from)),
            TensorData::I64(p) => Ok(p.clone()),
            _ => Err(Error::dtype(format!(
                "substr expects int32 or int64 pos and len, received {}",
                t.dtype()
            ))),
        }
    };
    let (pos, len) = (as_i64(pos)?, as_i64(len)?);
    let shape = broadcast_dims(&broadcast_dims(a.shape(), pos.shape())?, len.shape())?;
    let (av, pv, lv) =
        (broadcast_view(a, &shape)?, broadcast_view(&pos, &shape)?, broadcast_view(&len, &shape)?);
    let mut failure = None;
    let out = Zip::from(&av).and(&pv).and(&lv).map_collect(|s, &p, &l| {
        let starts = char_starts(s, utf8);
        let n = starts.len() as i64 - 1;
        let begin = if p < 0 { p + n } else { p };
        if begin < 0 || begin > n {
            failure.get_or_insert_with(|| {
                Error::invalid(format!(
                    "pos {p} out of range for string b'{}' of length {n}",
                    s.escape_ascii()
                ))
            });
            return ByteString::default();
        }
        let end = if l < 0 { n } else { (begin + l).min(n) };
        ByteString::from(&s[starts[begin as usize]..starts[end as usize]])
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(Tensor::from_array(out)),
    }
}

/// `tf.io.decode_raw`: every element must hold the same number of bytes, a multiple of the type's size.
pub fn decode_raw(a: &ArrayD<ByteString>, out_type: DType, little_endian: bool) -> Result<Tensor> {
    let size = out_type.size_of();
    let width = a.iter().next().map_or(0, |s| s.len());
    if let Some(s) = a.iter().find(|s| s.len() != width) {
        return Err(Error::invalid(format!(
            "DecodeRaw requires input strings to all be the same size, but element 0 has size {width} != {}",
            s.len()
        )));
    }
    if !width.is_multiple_of(size) {
        return Err(Error::invalid(format!(
            "Input to DecodeRaw has length {width} that is not a multiple of {size}, the size of {out_type}"
        )));
    }
    let mut shape = a.shape().to_vec();
    shape.push(width / size);
    let bytes: Vec<u8> = a.iter().flat_map(|s| s.iter().copied()).collect();
    if out_type == DType::Str {
        return Err(Error::dtype("decode_raw out_type must be a number type, received string"));
    }
    Tensor::from_raw_bytes(out_type, &shape, &bytes, little_endian)
}

/// The code points of UTF-8 bytes; each invalid sequence becomes `replacement` (TensorFlow's
/// `errors="replace"`), or is dropped when `replacement` is negative (`errors="ignore"`).
fn code_points(s: &[u8], replacement: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for chunk in s.utf8_chunks() {
        out.extend(chunk.valid().chars().map(|c| c as i32));
        if !chunk.invalid().is_empty() && replacement >= 0 {
            out.push(replacement);
        }
    }
    out
}

pub fn unicode_decode(a: &ArrayD<ByteString>, replacement: i32) -> Result<Tensor> {
    let v: Vec<i32> =
        vector_of(a, "unicode_decode")?.iter().flat_map(|s| code_points(s, replacement)).collect();
    Tensor::from_vec(&[v.len()], v)
}

pub fn unicode_row_splits(a: &ArrayD<ByteString>) -> Result<Tensor> {
    splits_of(vector_of(a, "unicode_decode")?.iter().map(|s| code_points(s, 0xFFFD).len()))
}

/// `tf.strings.unicode_encode` to UTF-8: code points along the last axis; an invalid one becomes U+FFFD.
pub fn unicode_encode(x: &Tensor) -> Result<Tensor> {
    let a = x.array::<i32>().map_err(|_| {
        Error::dtype(format!("unicode_encode expects int32 code points, received {}", x.dtype()))
    })?;
    let Some((&last, lead)) = a.shape().split_last() else {
        return Err(Error::invalid("unicode_encode expects code points of rank >= 1, received a scalar"));
    };
    let std = a.as_standard_layout();
    let flat = std.as_slice().ok_or_else(|| Error::internal("unicode_encode: layout is not contiguous"))?;
    let rows = lead.iter().product::<usize>();
    let out: Vec<ByteString> = (0..rows)
        .map(|r| {
            let text: String = flat[r * last..(r + 1) * last]
                .iter()
                .map(|&c| u32::try_from(c).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}'))
                .collect();
            ByteString::from(text)
        })
        .collect();
    Tensor::from_vec(lead, out)
}
