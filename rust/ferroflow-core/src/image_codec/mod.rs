//! Image file formats as graph ops: `tf.io.decode_png`/`decode_jpeg`/`decode_image`, the encoders and `extract_jpeg_shape`.

mod channels;
mod jpeg_codec;
mod png_codec;

use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Which decode op: they all read PNG and JPEG (as TensorFlow's do), but report errors under their own names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DecodeKind {
    Png,
    Jpeg,
    /// `decode_image`: any supported format; `expand_animations` only changes the static shape.
    Image {
        expand_animations: bool,
    },
}

/// `tf.io.encode_jpeg`'s options that the encoder honours.
#[derive(Debug, Clone, PartialEq)]
pub struct JpegOptions {
    pub quality: u8,
    pub progressive: bool,
    pub optimize_size: bool,
    pub chroma_downsampling: bool,
    /// `None` for no density; otherwise (inches, x, y).
    pub density: Option<(bool, u16, u16)>,
    /// XMP metadata, written as an APP1 segment when not empty.
    pub xmp_metadata: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum ImageCodecOp {
    /// A scalar string of file bytes to a `[height, width, channels]` uint8 or uint16 image.
    Decode { kind: DecodeKind, channels: usize, dtype: DType },
    /// A `[height, width, channels]` uint8/uint16 image to PNG bytes; `compression` -1 (default) or 0..=9.
    EncodePng { compression: i64 },
    /// A `[height, width, 1 or 3]` uint8 image to JPEG bytes.
    EncodeJpeg(JpegOptions),
    /// The `[height, width, channels]` of a JPEG, from its header alone.
    ExtractJpegShape { out_type: DType },
}

impl ImageCodecOp {
    pub fn type_name(&self) -> &'static str {
        match self {
            ImageCodecOp::Decode { kind: DecodeKind::Png, .. } => "DecodePng",
            ImageCodecOp::Decode { kind: DecodeKind::Jpeg, .. } => "DecodeJpeg",
            ImageCodecOp::Decode { kind: DecodeKind::Image { .. }, .. } => "DecodeImage",
            ImageCodecOp::EncodePng { .. } => "EncodePng",
            ImageCodecOp::EncodeJpeg(_) => "EncodeJpeg",
            ImageCodecOp::ExtractJpegShape { .. } => "ExtractJpegShape",
        }
    }
}

/// The formats recognised by their leading bytes, as TensorFlow's `ClassifyFileFormat`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Png,
    Jpeg,
    Gif,
    Bmp,
    Unknown,
}

fn sniff(data: &[u8]) -> Format {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if data.starts_with(b"\xff\xd8\xff") {
        Format::Jpeg
    } else if data.starts_with(b"GIF8") {
        Format::Gif
    } else if data.starts_with(b"BM") {
        Format::Bmp
    } else {
        Format::Unknown
    }
}

fn check_channels(name: &str, channels: usize, allowed: &[usize]) -> Result<()> {
    if allowed.contains(&channels) {
        return Ok(());
    }
    let list: Vec<String> = allowed.iter().map(|c| c.to_string()).collect();
    Err(Error::invalid(format!("{name}: channels must be one of {}, got {channels}", list.join(", "))))
}

fn dims_of(s: &Shape) -> Option<&[Option<usize>]> {
    s.dims.as_deref()
}

pub fn infer(op: &ImageCodecOp, inputs: &[(&Shape, DType)]) -> Result<(Shape, DType)> {
    let name = op.type_name();
    let &[(shape, dtype)] = inputs else {
        return Err(Error::invalid(format!("{name} expects 1 input, received {}", inputs.len())));
    };
    match op {
        ImageCodecOp::Decode { kind, channels, dtype: out } => {
            string_scalar(name, shape, dtype)?;
            let allowed: &[usize] = if *kind == DecodeKind::Jpeg { &[0, 1, 3] } else { &[0, 1, 3, 4] };
            check_channels(name, *channels, allowed)?;
            if !matches!(out, DType::U8 | DType::U16) || (*kind == DecodeKind::Jpeg && *out != DType::U8) {
                return Err(Error::dtype(format!(
                    "{name} cannot produce {out}; it decodes to uint8 or uint16"
                )));
            }
            let c = (*channels > 0).then_some(*channels);
            let out_shape = match kind {
                DecodeKind::Image { expand_animations: true } => Shape::unknown(),
                _ => Shape::from_dims(vec![None, None, c]),
            };
            Ok((out_shape, *out))
        }
        ImageCodecOp::EncodePng { .. } | ImageCodecOp::EncodeJpeg(_) => {
            if let Some(d) = dims_of(shape) {
                if d.len() != 3 {
                    return Err(Error::invalid(format!(
                        "{name}: image must be 3-dimensional, received shape {shape}"
                    )));
                }
            }
            let ok = match op {
                ImageCodecOp::EncodePng { .. } => matches!(dtype, DType::U8 | DType::U16),
                _ => dtype == DType::U8,
            };
            if !ok {
                return Err(Error::dtype(format!("{name} cannot encode a {dtype} image")));
            }
            Ok((Shape::known(&[]), DType::Str))
        }
        ImageCodecOp::ExtractJpegShape { out_type } => {
            string_scalar(name, shape, dtype)?;
            if !matches!(out_type, DType::I32 | DType::I64) {
                return Err(Error::dtype(format!(
                    "{name}: output_type must be int32 or int64, received {out_type}"
                )));
            }
            Ok((Shape::known(&[3]), *out_type))
        }
    }
}

fn string_scalar(name: &str, shape: &Shape, dtype: DType) -> Result<()> {
    if dtype != DType::Str {
        return Err(Error::dtype(format!("{name} expects a string tensor, received {dtype}")));
    }
    match dims_of(shape) {
        Some(d) if !d.is_empty() => {
            Err(Error::invalid(format!("{name}: contents must be scalar, got shape {shape}")))
        }
        _ => Ok(()),
    }
}

fn scalar_bytes<'a>(name: &str, t: &'a Tensor) -> Result<&'a ByteString> {
    let a = t
        .array::<ByteString>()
        .map_err(|_| Error::dtype(format!("{name} expects a string tensor, received {}", t.dtype())))?;
    if a.ndim() != 0 {
        return Err(Error::invalid(format!(
            "{name}: contents must be scalar, got shape {}",
            crate::shape::fmt_dims(a.shape())
        )));
    }
    Ok(a.iter().next().expect("a scalar has one element"))
}

pub fn compute(op: &ImageCodecOp, inputs: &[Tensor]) -> Result<Tensor> {
    let name = op.type_name();
    let [x] = inputs else {
        return Err(Error::invalid(format!("{name} expects 1 input, received {}", inputs.len())));
    };
    match op {
        ImageCodecOp::Decode { channels, dtype, .. } => {
            let data = scalar_bytes(name, x)?.as_bytes();
            match sniff(data) {
                Format::Png => png_codec::decode(data, *channels, *dtype),
                Format::Jpeg => jpeg_codec::decode(data, *channels, *dtype),
                Format::Gif | Format::Bmp => Err(Error::invalid(format!(
                    "{name}: GIF and BMP images are not supported; PNG and JPEG are"
                ))),
                Format::Unknown => Err(Error::invalid(format!(
                    "{name}: Unknown image file format ({} bytes). One of JPEG, PNG required.",
                    data.len()
                ))),
            }
        }
        ImageCodecOp::EncodePng { compression } => png_codec::encode(x, *compression),
        ImageCodecOp::EncodeJpeg(options) => jpeg_codec::encode(x, options),
        ImageCodecOp::ExtractJpegShape { out_type } => {
            let (h, w, c) = jpeg_codec::header_shape(scalar_bytes(name, x)?.as_bytes())?;
            let dims = [h as i64, w as i64, c as i64];
            Ok(match out_type {
                DType::I32 => Tensor::from_vec(&[3], dims.iter().map(|&d| d as i32).collect())?,
                _ => Tensor::from_vec(&[3], dims.to_vec())?,
            })
        }
    }
}

/// Checks an image tensor for encoding: 3-D, with a channel count the format takes; gives (h, w, c).
fn image_dims(name: &str, t: &Tensor, channels: &[usize]) -> Result<(usize, usize, usize)> {
    let s = t.shape();
    let &[h, w, c] = s else {
        return Err(Error::invalid(format!(
            "{name}: image must be 3-dimensional, received shape {}",
            crate::shape::fmt_dims(s)
        )));
    };
    if !channels.contains(&c) {
        let list: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
        return Err(Error::invalid(format!(
            "{name}: image must have {} channels, got {c}",
            list.join(" or ")
        )));
    }
    Ok((h, w, c))
}
