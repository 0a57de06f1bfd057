//! `tf.io.decode_csv`, one op per output column: splits each record into fields (RFC 4180 quoting when
//! asked), and converts the column's field to its dtype, or takes its default when the field is empty.

use crate::byte_string::ByteString;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct CsvColumn {
    /// The field this column reads (an index into the record's fields).
    pub field: usize,
    /// How many fields each record must have (exactly, or at least when `at_least`).
    pub num_fields: usize,
    pub at_least: bool,
    pub dtype: DType,
    /// A scalar of `dtype` used for empty fields and `na_value`; None: the field is required.
    pub default: Option<Tensor>,
    pub delim: u8,
    pub use_quote: bool,
    pub na_value: ByteString,
}

/// The fields of one record, unquoted.
pub fn split_fields(record: &[u8], delim: u8, use_quote: bool, index: usize) -> Result<Vec<Cow<'_, [u8]>>> {
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        if use_quote && record.get(i) == Some(&b'"') {
            let mut field = Vec::new();
            i += 1;
            loop {
                match record.get(i) {
                    None => {
                        return Err(Error::invalid(format!(
                            "Quoted field has to end with quote followed by delim or end in record {index}"
                        )))
                    }
                    Some(b'"') if record.get(i + 1) == Some(&b'"') => {
                        field.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        field.push(c);
                        i += 1;
                    }
                }
            }
            fields.push(Cow::Owned(field));
            match record.get(i) {
                None => return Ok(fields),
                Some(&c) if c == delim => i += 1,
                Some(_) => {
                    return Err(Error::invalid(format!(
                        "Quote inside a string has to be escaped by another quote in record {index}"
                    )))
                }
            }
        } else {
            let end = record[i.min(record.len())..].iter().position(|&c| c == delim).map(|p| p + i);
            match end {
                Some(e) => {
                    fields.push(Cow::Borrowed(&record[i..e]));
                    i = e + 1;
                }
                None => {
                    fields.push(Cow::Borrowed(&record[i.min(record.len())..]));
                    return Ok(fields);
                }
            }
        }
    }
}

fn number<T: std::str::FromStr>(s: &[u8]) -> Option<T> {
    std::str::from_utf8(s).ok().and_then(|t| t.trim().parse::<T>().ok())
}

/// One column of every record in `records` (any shape; the output has the same shape).
pub fn decode_column(col: &CsvColumn, records: &Tensor) -> Result<Tensor> {
    let a = records.array::<ByteString>().map_err(|_| {
        Error::dtype(format!("decode_csv expects string records, received {}", records.dtype()))
    })?;
    let mut raw: Vec<Option<ByteString>> = Vec::with_capacity(a.len());
    for (r, rec) in a.iter().enumerate() {
        // An empty record has no fields, as in TensorFlow (not one empty field).
        let fields =
            if rec.is_empty() { Vec::new() } else { split_fields(rec, col.delim, col.use_quote, r)? };
        let ok = if col.at_least { fields.len() >= col.num_fields } else { fields.len() == col.num_fields };
        if !ok {
            return Err(Error::invalid(format!(
                "Expect {} fields but have {} in record {r}",
                col.num_fields,
                fields.len()
            )));
        }
        let f = fields.get(col.field).ok_or_else(|| {
            Error::invalid(format!(
                "Field {} does not exist in record {r} of {} fields",
                col.field,
                fields.len()
            ))
        })?;
        let missing = f.is_empty() || (!col.na_value.is_empty() && f.as_ref() == col.na_value.as_bytes());
        if missing && col.default.is_none() {
            return Err(Error::invalid(format!(
                "Field {} is required but missing in record {r}!",
                col.field
            )));
        }
        raw.push((!missing).then(|| ByteString::from(f.as_ref())));
    }
    let shape = a.shape().to_vec();
    macro_rules! parsed {
        ($t:ty, $name:expr) => {{
            let d = col.default.as_ref().map(|t| t.array::<$t>().map(|a| a.iter().next().copied()));
            let d = d
                .transpose()
                .map_err(|_| Error::internal("decode_csv: default of the wrong dtype"))?
                .flatten();
            let mut v: Vec<$t> = Vec::with_capacity(raw.len());
            for (r, f) in raw.iter().enumerate() {
                v.push(match f {
                    Some(s) => number::<$t>(s).ok_or_else(|| {
                        Error::invalid(format!(
                            "Field {} in record {r} is not a valid {}: {}",
                            col.field,
                            $name,
                            String::from_utf8_lossy(s)
                        ))
                    })?,
                    None => d.unwrap_or_default(),
                });
            }
            Tensor::from_vec(&shape, v)
        }};
    }
    match col.dtype {
        DType::I32 => parsed!(i32, "int32"),
        DType::I64 => parsed!(i64, "int64"),
        DType::F32 => parsed!(f32, "float"),
        DType::F64 => parsed!(f64, "double"),
        DType::Str => {
            let d = col.default.as_ref().map(|t| t.array::<ByteString>().map(|a| a.iter().next().cloned()));
            let d = d
                .transpose()
                .map_err(|_| Error::internal("decode_csv: default of the wrong dtype"))?
                .flatten();
            let v: Vec<ByteString> =
                raw.into_iter().map(|f| f.or_else(|| d.clone()).unwrap_or_default()).collect();
            Tensor::from_vec(&shape, v)
        }
        other => Err(Error::dtype(format!(
            "decode_csv: record_defaults must be int32, int64, float32, float64 or string, received {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields() {
        let f = split_fields(br#"a,"b,""c""",,d"#, b',', true, 0).unwrap();
        let f: Vec<&[u8]> = f.iter().map(|c| c.as_ref()).collect();
        assert_eq!(f, vec![&b"a"[..], b"b,\"c\"", b"", b"d"]);
        assert!(split_fields(br#""ab"x,c"#, b',', true, 0).is_err());
        assert_eq!(split_fields(b"", b',', true, 0).unwrap().len(), 1);
        assert_eq!(split_fields(b"a,", b',', true, 0).unwrap().len(), 2);
    }
}
