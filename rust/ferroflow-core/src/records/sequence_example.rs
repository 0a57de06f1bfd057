//! `tf.train.SequenceExample`: context Features and FeatureLists (map<string, FeatureList{repeated
//! Feature}>) in wire format, and the parse ops' reading of one feature list.

use super::example::{
    decode_feature, encode_feature, for_each_map_entry, put_map, DecodedFeatures, FeatureValues,
};
use super::wire::{put_bytes, Reader, Value};
use crate::error::Result;

/// The steps of one feature list.
pub type FeatureList<B> = Vec<FeatureValues<B>>;

/// The feature lists of a decoded SequenceExample: (key, steps) borrowing from the serialized bytes.
pub type DecodedLists<'a> = Vec<(&'a [u8], FeatureList<&'a [u8]>)>;

/// A serialized SequenceExample; None leaves `context` or `feature_lists` unset. Map entries are written in
/// the order given.
pub fn encode_sequence_example<K: AsRef<[u8]>, B: AsRef<[u8]>>(
    context: Option<&[(K, FeatureValues<B>)]>,
    lists: Option<&[(K, FeatureList<B>)]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(context) = context {
        put_map(&mut out, 1, context.iter().map(|(k, v)| (k.as_ref(), encode_feature(v))));
    }
    if let Some(lists) = lists {
        let encode_list = |steps: &FeatureList<B>| {
            let mut list = Vec::new();
            for step in steps {
                put_bytes(&mut list, 1, &encode_feature(step));
            }
            list
        };
        put_map(&mut out, 2, lists.iter().map(|(k, steps)| (k.as_ref(), encode_list(steps))));
    }
    out
}

fn decode_feature_list(buf: &[u8]) -> Result<FeatureList<&[u8]>> {
    let mut steps = Vec::new();
    let mut r = Reader::new(buf, "tf.train.SequenceExample");
    while let Some((field, value)) = r.field()? {
        if let (1, Value::Bytes(b)) = (field, value) {
            steps.push(decode_feature(b)?);
        }
    }
    Ok(steps)
}

/// The context features and the feature lists, each in first-seen order (a repeated key takes its last value).
pub fn decode_sequence_example(buf: &[u8]) -> Result<(DecodedFeatures<'_>, DecodedLists<'_>)> {
    let mut context: DecodedFeatures<'_> = Vec::new();
    for_each_map_entry(buf, 1, |key, feature| {
        let values = decode_feature(feature)?;
        match context.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = values,
            None => context.push((key, values)),
        }
        Ok(())
    })?;
    let mut lists: DecodedLists<'_> = Vec::new();
    for_each_map_entry(buf, 2, |key, list| {
        let steps = decode_feature_list(list)?;
        match lists.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = steps,
            None => lists.push((key, steps)),
        }
        Ok(())
    })?;
    Ok((context, lists))
}

/// The feature list named `key`, decoding no other; None when absent.
pub fn find_feature_list<'a>(buf: &'a [u8], key: &[u8]) -> Result<Option<FeatureList<&'a [u8]>>> {
    let mut found: Option<&[u8]> = None;
    for_each_map_entry(buf, 2, |k, list| {
        if k == key {
            found = Some(list);
        }
        Ok(())
    })?;
    found.map(decode_feature_list).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let context: Vec<(&[u8], FeatureValues<&[u8]>)> = vec![(b"id", FeatureValues::Bytes(vec![b"x"]))];
        let lists: Vec<(&[u8], FeatureList<&[u8]>)> =
            vec![(b"tok", vec![FeatureValues::Ints(vec![1, 2]), FeatureValues::Ints(vec![3])])];
        let bytes = encode_sequence_example(Some(&context), Some(&lists));
        let (c, l) = decode_sequence_example(&bytes).unwrap();
        assert_eq!((c, l), (context, lists.clone()));
        assert_eq!(find_feature_list(&bytes, b"tok").unwrap(), Some(lists[0].1.clone()));
        assert_eq!(find_feature_list(&bytes, b"no").unwrap(), None);
        // The context reads as an Example's features: both are field 1.
        let found = super::super::example::find_feature(&bytes, b"id").unwrap();
        assert_eq!(found, Some(FeatureValues::Bytes(vec![&b"x"[..]])));
    }
}
