//! String kernels: broadcasting helpers for byte-string elements and the `tf.strings` ops.

use crate::byte_string::ByteString;
use crate::error::{Error, Result};
use crate::shape::broadcast_dims;
use crate::tensor::{checked_len, ensure_allocatable, Storable, Tensor};
use ndarray::{ArrayD, IxDyn, Zip};

/// Broadcasts `a` to `shape`, naming both shapes when it cannot.
fn broadcast_view<'a, T>(a: &'a ArrayD<T>, shape: &[usize]) -> Result<ndarray::ArrayViewD<'a, T>> {
    a.broadcast(IxDyn(shape)).ok_or_else(|| {
        Error::invalid(format!(
            "cannot broadcast shape {} to {}",
            crate::shape::fmt_dims(a.shape()),
            crate::shape::fmt_dims(shape)
        ))
    })
}

/// `f` applied to pairs of elements of `a` and `b` under NumPy broadcasting.
pub fn broadcast_map2<A, B, U: Storable>(
    a: &ArrayD<A>,
    b: &ArrayD<B>,
    f: impl Fn(&A, &B) -> U,
) -> Result<Tensor> {
    let shape = broadcast_dims(a.shape(), b.shape())?;
    ensure_allocatable::<U>(checked_len(&shape, U::DTYPE)?)?;
    let (av, bv) = (broadcast_view(a, &shape)?, broadcast_view(b, &shape)?);
    Ok(Tensor::from_array(Zip::from(&av).and(&bv).map_collect(f)))
}

/// `tf.where(cond, x, y)` for strings, with three-way broadcasting.
pub fn select(c: &ArrayD<bool>, x: &ArrayD<ByteString>, y: &ArrayD<ByteString>) -> Result<Tensor> {
    let shape = broadcast_dims(&broadcast_dims(c.shape(), x.shape())?, y.shape())?;
    ensure_allocatable::<ByteString>(checked_len(&shape, crate::DType::Str)?)?;
    let (cv, xv, yv) = (broadcast_view(c, &shape)?, broadcast_view(x, &shape)?, broadcast_view(y, &shape)?);
    Ok(Tensor::from_array(Zip::from(&cv).and(&xv).and(&yv).map_collect(|&c, p, q| {
        if c {
            p.clone()
        } else {
            q.clone()
        }
    })))
}

#[path = "strings_format.rs"]
mod format;
#[path = "strings_number.rs"]
mod number;
#[path = "strings_split.rs"]
mod split;

use crate::string_op::StringOp;

/// The string-typed array of `t`, or a dtype error naming the op.
fn strs<'a>(t: &'a Tensor, what: &str) -> Result<&'a ArrayD<ByteString>> {
    t.array::<ByteString>()
        .map_err(|_| Error::dtype(format!("{what} expects a string tensor, received {}", t.dtype())))
}

/// Applies `f` to every element of a string tensor, keeping its shape.
fn map_strings<U: Storable>(t: &Tensor, what: &str, f: impl Fn(&[u8]) -> U) -> Result<Tensor> {
    let a = strs(t, what)?;
    Ok(Tensor::from_array(a.map(|s| f(s.as_bytes()))))
}

/// TensorFlow's `isspace`: space, tab, newline, vertical tab, form feed, carriage return.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn strip(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_space(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_space(b)).map_or(start, |e| e + 1);
    &s[start..end]
}

/// UTF-8 characters in `s`: every byte that does not continue a multi-byte sequence starts one.
fn utf8_len(s: &[u8]) -> usize {
    s.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn case_map(s: &[u8], upper: bool, utf8: bool) -> ByteString {
    match (utf8, std::str::from_utf8(s)) {
        (true, Ok(text)) => ByteString::from(if upper { text.to_uppercase() } else { text.to_lowercase() }),
        _ if upper => ByteString::from(s.to_ascii_uppercase()),
        _ => ByteString::from(s.to_ascii_lowercase()),
    }
}

/// Evaluates one string op.
pub fn compute(op: &StringOp, inputs: &[Tensor]) -> Result<Tensor> {
    let name = op.type_name();
    let x = &inputs[0];
    match op {
        StringOp::Length { utf8 } => map_strings(x, name, |s| {
            (if *utf8 { utf8_len(s) } else { s.len() }).min(i32::MAX as usize) as i32
        }),
        StringOp::Lower { utf8 } => map_strings(x, name, |s| case_map(s, false, *utf8)),
        StringOp::Upper { utf8 } => map_strings(x, name, |s| case_map(s, true, *utf8)),
        StringOp::Strip => map_strings(x, name, |s| ByteString::from(strip(s))),
        StringOp::Join { separator } => join(inputs, separator),
        StringOp::ReduceJoin { axes, keepdims, separator } => {
            reduce_join(strs(x, name)?, axes.as_deref(), *keepdims, separator)
        }
        StringOp::RegexReplace { regex, rewrite, global } => map_strings(x, name, |s| {
            let out = if *global {
                regex.replace_all(s, rewrite.as_bytes())
            } else {
                regex.replace(s, rewrite.as_bytes())
            };
            ByteString::from(out.as_ref())
        }),
        StringOp::RegexFullMatch { regex } => map_strings(x, name, |s| regex.is_match(s)),
        StringOp::Substr { utf8 } => split::substr(strs(x, name)?, &inputs[1], &inputs[2], *utf8),
        StringOp::ToNumber { out_type } => number::to_number(strs(x, name)?, *out_type),
        StringOp::AsString(format) => number::as_string(x, format),
        StringOp::Format { pieces, summarize } => format::format(pieces, *summarize, inputs),
        StringOp::SplitValues { sep, maxsplit } => {
            split::split_values(strs(x, name)?, sep.as_ref(), *maxsplit)
        }
        StringOp::SplitRowSplits { sep, maxsplit } => {
            split::split_row_splits(strs(x, name)?, sep.as_ref(), *maxsplit)
        }
        StringOp::DecodeRaw { out_type, little_endian } => {
            split::decode_raw(strs(x, name)?, *out_type, *little_endian)
        }
        StringOp::UnicodeDecodeValues { replacement } => split::unicode_decode(strs(x, name)?, *replacement),
        StringOp::UnicodeDecodeRowSplits => split::unicode_row_splits(strs(x, name)?),
        StringOp::UnicodeEncode => split::unicode_encode(x),
        StringOp::ReadFile => read_files(strs(x, name)?),
        StringOp::Record(r) => crate::records::compute(r, inputs),
        StringOp::Image(i) => crate::image_codec::compute(i, inputs),
    }
}

/// `tf.strings.join`: the inputs broadcast together, each output the concatenation of its elements.
fn join(inputs: &[Tensor], separator: &ByteString) -> Result<Tensor> {
    let arrays: Vec<&ArrayD<ByteString>> =
        inputs.iter().map(|t| strs(t, "StringJoin")).collect::<Result<_>>()?;
    let mut shape: Vec<usize> = Vec::new();
    for a in &arrays {
        shape = broadcast_dims(&shape, a.shape())?;
    }
    let n = checked_len(&shape, crate::DType::Str)?;
    ensure_allocatable::<ByteString>(n)?;
    let views: Vec<_> = arrays.iter().map(|a| broadcast_view(a, &shape)).collect::<Result<_>>()?;
    let mut iters: Vec<_> = views.iter().map(|v| v.iter()).collect();
    let mut out = Vec::with_capacity(n);
    let mut buf = Vec::new();
    for _ in 0..n {
        buf.clear();
        for (k, it) in iters.iter_mut().enumerate() {
            if k > 0 {
                buf.extend_from_slice(separator);
            }
            buf.extend_from_slice(it.next().map_or(&[][..], |s| s.as_bytes()));
        }
        out.push(ByteString::from(buf.as_slice()));
    }
    Tensor::from_vec(&shape, out)
}

/// `tf.strings.reduce_join`: the reduced axes are moved last, so each output joins one contiguous run.
fn reduce_join(
    a: &ArrayD<ByteString>,
    axes: Option<&[i64]>,
    keepdims: bool,
    separator: &ByteString,
) -> Result<Tensor> {
    let axes = crate::shape::normalize_axes(axes, a.ndim())?;
    let kept: Vec<usize> = (0..a.ndim()).filter(|i| !axes.contains(i)).collect();
    let perm: Vec<usize> = kept.iter().chain(axes.iter()).copied().collect();
    let moved = a.view().permuted_axes(IxDyn(&perm));
    let moved = moved.as_standard_layout();
    let flat = moved.as_slice().ok_or_else(|| Error::internal("reduce_join: layout is not contiguous"))?;
    let run: usize = axes.iter().map(|&i| a.shape()[i]).product();
    let rows: usize = kept.iter().map(|&i| a.shape()[i]).product();
    let joined: Vec<ByteString> = (0..rows)
        .map(|r| {
            let parts: Vec<&[u8]> = flat[r * run..(r + 1) * run].iter().map(|s| s.as_bytes()).collect();
            ByteString::from(parts.join(separator.as_bytes()))
        })
        .collect();
    let shape: Vec<usize> = (0..a.ndim())
        .filter_map(|i| match (axes.contains(&i), keepdims) {
            (true, true) => Some(1),
            (true, false) => None,
            (false, _) => Some(a.shape()[i]),
        })
        .collect();
    Tensor::from_vec(&shape, joined)
}

/// `tf.io.read_file`: a missing or unreadable file is an error naming it.
fn read_files(a: &ArrayD<ByteString>) -> Result<Tensor> {
    let mut out = Vec::with_capacity(a.len());
    for path in a.iter() {
        let name = String::from_utf8_lossy(path);
        let bytes = std::fs::read(name.as_ref()).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::not_found(format!("{name}; No such file or directory")),
            _ => Error::invalid(format!("cannot read {name}: {e}")),
        })?;
        out.push(ByteString::from(bytes));
    }
    Tensor::from_vec(a.shape(), out)
}
