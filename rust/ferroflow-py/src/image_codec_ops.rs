//! Builds the image codec ops (`strings.decode_png`, `strings.encode_jpeg` ...) from their Python names and attributes.

use crate::op::Attrs;
use ferroflow_core::image_codec::{DecodeKind, ImageCodecOp, JpegOptions};
use ferroflow_core::DType;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn u16_attr(a: &Attrs, key: &str, default: i64) -> PyResult<u16> {
    let v = a.i64(key, default)?;
    u16::try_from(v).map_err(|_| PyValueError::new_err(format!("{key} must be in [0, 65535], received {v}")))
}

/// `None` when `name` is not an image op, so the caller can try the next family.
pub fn parse(name: &str, a: &Attrs) -> PyResult<Option<ImageCodecOp>> {
    let decode = |kind: DecodeKind| -> PyResult<ImageCodecOp> {
        let channels = a.i64("channels", 0)?;
        let channels = usize::try_from(channels)
            .map_err(|_| PyValueError::new_err(format!("channels must be 0, 1, 3 or 4, got {channels}")))?;
        Ok(ImageCodecOp::Decode { kind, channels, dtype: a.dtype("dtype")?.unwrap_or(DType::U8) })
    };
    Ok(Some(match name {
        "decode_png" => decode(DecodeKind::Png)?,
        "decode_jpeg" => decode(DecodeKind::Jpeg)?,
        "decode_image" => decode(DecodeKind::Image { expand_animations: a.bool("expand_animations")? })?,
        "encode_png" => ImageCodecOp::EncodePng { compression: a.i64("compression", -1)? },
        "encode_jpeg" => {
            let quality = a.i64("quality", 95)?;
            let quality = u8::try_from(quality)
                .ok()
                .filter(|q| *q <= 100)
                .ok_or_else(|| PyValueError::new_err(format!("quality must be in [0,100], got {quality}")))?;
            let density = match a.get("density_unit")?.map(|v| v.extract::<String>()).transpose()?.as_deref()
            {
                None | Some("in") => {
                    Some((true, u16_attr(a, "x_density", 300)?, u16_attr(a, "y_density", 300)?))
                }
                Some("cm") => Some((false, u16_attr(a, "x_density", 300)?, u16_attr(a, "y_density", 300)?)),
                Some(other) => {
                    return Err(PyValueError::new_err(format!(
                        "density_unit must be 'in' or 'cm', received '{other}'"
                    )))
                }
            };
            ImageCodecOp::EncodeJpeg(JpegOptions {
                quality,
                progressive: a.bool("progressive")?,
                optimize_size: a.bool("optimize_size")?,
                chroma_downsampling: a
                    .get("chroma_downsampling")?
                    .is_none_or(|v| v.is_truthy().unwrap_or(true)),
                density,
                xmp_metadata: match a.get("xmp_metadata")? {
                    None => Vec::new(),
                    Some(v) => v.extract::<String>()?.into_bytes(),
                },
            })
        }
        "extract_jpeg_shape" => {
            ImageCodecOp::ExtractJpegShape { out_type: a.dtype("output_type")?.unwrap_or(DType::I32) }
        }
        _ => return Ok(None),
    }))
}
