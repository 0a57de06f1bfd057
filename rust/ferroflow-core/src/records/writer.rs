//! `tf.io.TFRecordWriter`'s core: framed records into a file, optionally GZIP or ZLIB compressed.

use super::compression::{Compression, Sink};
use super::framing::{io_error, write_record};
use crate::error::{Error, Result};

pub struct TfRecordWriter {
    sink: Option<Sink>,
    path: String,
}

impl TfRecordWriter {
    pub fn create(path: &str, compression: Compression, level: Option<u32>) -> Result<Self> {
        Ok(TfRecordWriter { sink: Some(Sink::create(path, compression, level)?), path: path.to_string() })
    }

    fn sink(&mut self) -> Result<&mut Sink> {
        let path = &self.path;
        self.sink.as_mut().ok_or_else(|| Error::precondition(format!("TFRecordWriter for {path} is closed")))
    }

    pub fn write(&mut self, record: &[u8]) -> Result<()> {
        let path = self.path.clone();
        write_record(self.sink()?.writer(), record).map_err(|e| io_error(&path, e))
    }

    pub fn flush(&mut self) -> Result<()> {
        let path = self.path.clone();
        self.sink()?.flush().map_err(|e| io_error(&path, e))
    }

    /// Finishes the file; closing twice is allowed, as in TensorFlow.
    pub fn close(&mut self) -> Result<()> {
        match self.sink.take() {
            Some(s) => s.finish().map_err(|e| io_error(&self.path, e)),
            None => Ok(()),
        }
    }
}

impl Drop for TfRecordWriter {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
