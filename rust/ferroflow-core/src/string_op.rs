//! The `tf.strings` / `tf.io` operations on string tensors, as attributes of one `Op::Strings` node.

use crate::byte_string::ByteString;
use crate::dtype::DType;
use std::sync::Arc;

/// How `tf.strings.as_string` prints numbers (C's printf conversions, as TensorFlow does).
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFormat {
    /// Digits after the point (`-1`: the conversion's default of 6).
    pub precision: i64,
    /// `%e` instead of `%f`.
    pub scientific: bool,
    /// `%g`: the shorter of `%e` and `%f`.
    pub shortest: bool,
    /// Minimum width, padded on the left with `fill` (`-1`: none).
    pub width: i64,
    /// `' '` or `'0'`, as TensorFlow allows.
    pub fill: char,
}

#[derive(Debug, Clone)]
pub enum StringOp {
    /// `tf.strings.length`: bytes, or UTF-8 characters when `utf8`; int32.
    Length {
        utf8: bool,
    },
    /// `tf.strings.lower` / `upper`: ASCII letters, or all of Unicode when `utf8`.
    Lower {
        utf8: bool,
    },
    Upper {
        utf8: bool,
    },
    /// `tf.strings.strip`: leading and trailing ASCII whitespace.
    Strip,
    /// `tf.strings.join`: elementwise concatenation of every input, broadcast together.
    Join {
        separator: ByteString,
    },
    /// `tf.strings.reduce_join` over `axes` (all when None).
    ReduceJoin {
        axes: Option<Vec<i64>>,
        keepdims: bool,
        separator: ByteString,
    },
    /// `tf.strings.regex_replace`; `rewrite` uses the regex crate's `$1` group syntax.
    RegexReplace {
        regex: Arc<regex::bytes::Regex>,
        rewrite: ByteString,
        global: bool,
    },
    /// `tf.strings.regex_full_match`: bool.
    RegexFullMatch {
        regex: Arc<regex::bytes::Regex>,
    },
    /// `tf.strings.substr(input, pos, len)` with pos/len broadcast against the input.
    Substr {
        utf8: bool,
    },
    /// `tf.strings.to_number`.
    ToNumber {
        out_type: DType,
    },
    /// `tf.strings.as_string` of a number or bool tensor.
    AsString(NumberFormat),
    /// `tf.strings.format`: `pieces` of the template around the summaries of the inputs (one fewer than the
    /// pieces); a scalar string.
    Format {
        pieces: Vec<ByteString>,
        summarize: i64,
    },
    /// `tf.strings.split` of a 1-D tensor: the pieces of every element, in order.
    SplitValues {
        sep: Option<ByteString>,
        maxsplit: i64,
    },
    /// The row splits (int64) that go with `SplitValues`: element `i` gave pieces `[s[i], s[i+1])`.
    SplitRowSplits {
        sep: Option<ByteString>,
        maxsplit: i64,
    },
    /// `tf.io.decode_raw`: each element's bytes as numbers along a new last axis.
    DecodeRaw {
        out_type: DType,
        little_endian: bool,
    },
    /// `tf.strings.unicode_decode` (UTF-8) of a 1-D tensor: every code point (int32), in order.
    UnicodeDecodeValues {
        replacement: i32,
    },
    /// The row splits (int64) that go with `UnicodeDecodeValues`.
    UnicodeDecodeRowSplits,
    /// `tf.strings.unicode_encode` (UTF-8): code points along the last axis to one string.
    UnicodeEncode,
    /// `tf.io.read_file`: the bytes of the file each element names.
    ReadFile,
    /// Parsing of records: Examples, CSV, serialized tensors (`crate::records`).
    Record(crate::records::RecordOp),
    /// Image files: PNG and JPEG decoding and encoding (`crate::image_codec`).
    Image(crate::image_codec::ImageCodecOp),
}

impl StringOp {
    /// TensorFlow's op name, shown in graphs and errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            StringOp::Length { .. } => "StringLength",
            StringOp::Lower { .. } => "StringLower",
            StringOp::Upper { .. } => "StringUpper",
            StringOp::Strip => "StringStrip",
            StringOp::Join { .. } => "StringJoin",
            StringOp::ReduceJoin { .. } => "ReduceJoin",
            StringOp::RegexReplace { .. } => "RegexReplace",
            StringOp::RegexFullMatch { .. } => "RegexFullMatch",
            StringOp::Substr { .. } => "Substr",
            StringOp::ToNumber { .. } => "StringToNumber",
            StringOp::AsString(_) => "AsString",
            StringOp::Format { .. } => "StringFormat",
            StringOp::SplitValues { .. } | StringOp::SplitRowSplits { .. } => "StringSplitV2",
            StringOp::DecodeRaw { .. } => "DecodeRaw",
            StringOp::UnicodeDecodeValues { .. } | StringOp::UnicodeDecodeRowSplits => "UnicodeDecode",
            StringOp::UnicodeEncode => "UnicodeEncode",
            StringOp::ReadFile => "ReadFile",
            StringOp::Record(r) => r.type_name(),
            StringOp::Image(i) => i.type_name(),
        }
    }
}
