//! `tf.train.Example` in protobuf wire format: Example{features: Features{feature: map<string, Feature>}},
//! Feature a oneof of BytesList, FloatList and Int64List. Encodes as TensorFlow does (packed numbers).

use super::wire::{self, put_bytes, put_key, put_varint, repeated_fixed32, repeated_varints, Reader, Value};
use crate::error::Result;

/// The values of one feature; `None` is a Feature with no list set.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureValues<B> {
    None,
    Bytes(Vec<B>),
    Floats(Vec<f32>),
    Ints(Vec<i64>),
}

impl<B> FeatureValues<B> {
    /// The feature's type as a TensorFlow dtype name (what a parse error reports as received).
    pub fn kind_name(&self) -> &'static str {
        match self {
            FeatureValues::None => "none",
            FeatureValues::Bytes(_) => "string",
            FeatureValues::Floats(_) => "float",
            FeatureValues::Ints(_) => "int64",
        }
    }

    pub fn len(&self) -> usize {
        match self {
            FeatureValues::None => 0,
            FeatureValues::Bytes(v) => v.len(),
            FeatureValues::Floats(v) => v.len(),
            FeatureValues::Ints(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const WHAT: &str = "tf.train.Example";

pub(super) fn encode_feature<B: AsRef<[u8]>>(values: &FeatureValues<B>) -> Vec<u8> {
    let mut list = Vec::new();
    let field = match values {
        FeatureValues::None => return Vec::new(),
        FeatureValues::Bytes(v) => {
            for b in v {
                put_bytes(&mut list, 1, b.as_ref());
            }
            1
        }
        FeatureValues::Floats(v) => {
            if !v.is_empty() {
                put_key(&mut list, 1, wire::LEN);
                put_varint(&mut list, 4 * v.len() as u64);
                for x in v {
                    list.extend_from_slice(&x.to_le_bytes());
                }
            }
            2
        }
        FeatureValues::Ints(v) => {
            if !v.is_empty() {
                let n: usize = v.iter().map(|&x| wire::varint_len(x as u64)).sum();
                put_key(&mut list, 1, wire::LEN);
                put_varint(&mut list, n as u64);
                for &x in v {
                    put_varint(&mut list, x as u64);
                }
            }
            3
        }
    };
    let mut out = Vec::with_capacity(list.len() + 6);
    put_bytes(&mut out, field, &list);
    out
}

/// The serialized Example of `features` (None: an Example whose `features` is not set), map entries in
/// the order given.
pub fn encode_example<K: AsRef<[u8]>, B: AsRef<[u8]>>(features: Option<&[(K, FeatureValues<B>)]>) -> Vec<u8> {
    let Some(features) = features else { return Vec::new() };
    let mut out = Vec::new();
    put_map(&mut out, 1, features.iter().map(|(k, v)| (k.as_ref(), encode_feature(v))));
    out
}

/// Field `field` of `out`: a message whose field 1 is the map of `entries` (key, serialized value), the
/// shape of both `Features` and `FeatureLists`.
pub(super) fn put_map<'k>(out: &mut Vec<u8>, field: u32, entries: impl Iterator<Item = (&'k [u8], Vec<u8>)>) {
    let mut map = Vec::new();
    let mut entry = Vec::new();
    for (key, value) in entries {
        entry.clear();
        put_bytes(&mut entry, 1, key);
        put_bytes(&mut entry, 2, &value);
        put_bytes(&mut map, 1, &entry);
    }
    put_bytes(out, field, &map);
}

/// One Feature message; a list field that repeats is merged, and a different list replaces it (oneof).
pub fn decode_feature(buf: &[u8]) -> Result<FeatureValues<&[u8]>> {
    let mut out = FeatureValues::None;
    let mut r = Reader::new(buf, WHAT);
    while let Some((field, value)) = r.field()? {
        let Value::Bytes(list) = value else { continue };
        if !(1..=3).contains(&field) {
            continue;
        }
        let mut lr = Reader::new(list, WHAT);
        match field {
            1 => {
                let mut v = match std::mem::replace(&mut out, FeatureValues::None) {
                    FeatureValues::Bytes(v) => v,
                    _ => Vec::new(),
                };
                while let Some((f, value)) = lr.field()? {
                    if let (1, Value::Bytes(b)) = (f, value) {
                        v.push(b);
                    }
                }
                out = FeatureValues::Bytes(v);
            }
            2 => {
                let mut bits = Vec::new();
                while let Some((f, value)) = lr.field()? {
                    if f == 1 {
                        repeated_fixed32(&value, WHAT, &mut bits)?;
                    }
                }
                let mut v = match std::mem::replace(&mut out, FeatureValues::None) {
                    FeatureValues::Floats(v) => v,
                    _ => Vec::new(),
                };
                v.extend(bits.into_iter().map(f32::from_bits));
                out = FeatureValues::Floats(v);
            }
            _ => {
                let mut raw = Vec::new();
                while let Some((f, value)) = lr.field()? {
                    if f == 1 {
                        repeated_varints(&value, WHAT, &mut raw)?;
                    }
                }
                let mut v = match std::mem::replace(&mut out, FeatureValues::None) {
                    FeatureValues::Ints(v) => v,
                    _ => Vec::new(),
                };
                v.extend(raw.into_iter().map(|x| x as i64));
                out = FeatureValues::Ints(v);
            }
        }
    }
    Ok(out)
}

fn for_each_entry<'a>(buf: &'a [u8], f: impl FnMut(&'a [u8], &'a [u8]) -> Result<()>) -> Result<()> {
    for_each_map_entry(buf, 1, f)
}

/// Calls `f(key, value bytes)` for every entry of the map in field 1 of the message in field `outer` of
/// `buf` (Example's features, SequenceExample's context or feature lists), in wire order.
pub(super) fn for_each_map_entry<'a>(
    buf: &'a [u8],
    outer: u32,
    mut f: impl FnMut(&'a [u8], &'a [u8]) -> Result<()>,
) -> Result<()> {
    let mut r = Reader::new(buf, WHAT);
    while let Some((field, value)) = r.field()? {
        let Value::Bytes(features) = value else { continue };
        if field != outer {
            continue;
        }
        let mut fr = Reader::new(features, WHAT);
        while let Some((field, value)) = fr.field()? {
            let (1, Value::Bytes(entry)) = (field, value) else { continue };
            let (mut key, mut feature): (&[u8], &[u8]) = (&[], &[]);
            let mut er = Reader::new(entry, WHAT);
            while let Some((field, value)) = er.field()? {
                match (field, value) {
                    (1, Value::Bytes(b)) => key = b,
                    (2, Value::Bytes(b)) => feature = b,
                    _ => {}
                }
            }
            f(key, feature)?;
        }
    }
    Ok(())
}

/// The features of a decoded Example: (key, values) borrowing from the serialized bytes.
pub type DecodedFeatures<'a> = Vec<(&'a [u8], FeatureValues<&'a [u8]>)>;

/// Every feature of a serialized Example, in first-seen order; a key that repeats takes its last value.
pub fn decode_example(buf: &[u8]) -> Result<DecodedFeatures<'_>> {
    let mut out: DecodedFeatures<'_> = Vec::new();
    for_each_entry(buf, |key, feature| {
        let values = decode_feature(feature)?;
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = values,
            None => out.push((key, values)),
        }
        Ok(())
    })?;
    Ok(out)
}

/// The feature named `key` of a serialized Example, decoding no other feature; None when absent.
pub fn find_feature<'a>(buf: &'a [u8], key: &[u8]) -> Result<Option<FeatureValues<&'a [u8]>>> {
    let mut found: Option<&[u8]> = None;
    for_each_entry(buf, |k, feature| {
        if k == key {
            found = Some(feature);
        }
        Ok(())
    })?;
    found.map(decode_feature).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_unpacked_lists() {
        let features: Vec<(&[u8], FeatureValues<&[u8]>)> = vec![
            (b"b", FeatureValues::Bytes(vec![b"x", b""])),
            (b"f", FeatureValues::Floats(vec![1.5, -2.0])),
            (b"i", FeatureValues::Ints(vec![-1, 300])),
            (b"e", FeatureValues::Floats(vec![])),
        ];
        let bytes = encode_example(Some(&features));
        assert_eq!(decode_example(&bytes).unwrap(), features);
        assert_eq!(find_feature(&bytes, b"i").unwrap(), Some(FeatureValues::Ints(vec![-1, 300])));
        assert_eq!(find_feature(&bytes, b"zz").unwrap(), None);
        // Int64List{value: 7, value: 8} written unpacked, in a Feature under key "u".
        let list = [0x08, 7, 0x08, 8];
        let mut feature = Vec::new();
        put_bytes(&mut feature, 3, &list);
        let mut entry = Vec::new();
        put_bytes(&mut entry, 1, b"u");
        put_bytes(&mut entry, 2, &feature);
        let mut map = Vec::new();
        put_bytes(&mut map, 1, &entry);
        let mut ex = Vec::new();
        put_bytes(&mut ex, 1, &map);
        assert_eq!(find_feature(&ex, b"u").unwrap(), Some(FeatureValues::Ints(vec![7, 8])));
        assert!(decode_example(&ex[..ex.len() - 1]).is_err());
        assert_eq!(encode_example::<&[u8], &[u8]>(None), Vec::<u8>::new());
    }
}
