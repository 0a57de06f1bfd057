//! One element of a `tf.string` tensor: an immutable, shared byte string (cloning shares the bytes).

use std::sync::Arc;

/// Bytes, not text: TensorFlow strings hold arbitrary bytes (records, images) as well as UTF-8.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ByteString(Arc<[u8]>);

impl ByteString {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Default for ByteString {
    fn default() -> Self {
        ByteString(Arc::from(&[][..]))
    }
}

impl From<&[u8]> for ByteString {
    fn from(b: &[u8]) -> Self {
        ByteString(Arc::from(b))
    }
}

impl From<Vec<u8>> for ByteString {
    fn from(b: Vec<u8>) -> Self {
        ByteString(Arc::from(b))
    }
}

impl From<&str> for ByteString {
    fn from(s: &str) -> Self {
        ByteString::from(s.as_bytes())
    }
}

impl From<String> for ByteString {
    fn from(s: String) -> Self {
        ByteString::from(s.into_bytes())
    }
}

impl std::ops::Deref for ByteString {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// Shown as Python shows bytes (`b'abc'`), so error messages and debug output read naturally.
impl std::fmt::Debug for ByteString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b'{}'", self.0.escape_ascii())
    }
}
