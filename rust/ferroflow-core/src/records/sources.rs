//! Streaming readers of record files, as `tf.data`'s file datasets read them: TFRecords, text lines and
//! fixed-length records. Each holds one buffer and one record at a time, so files larger than memory stream.

use super::compression::{open_read, Compression};
use super::framing::{io_error, TfRecordReader};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read};

/// How the records of a file are delimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    TfRecord,
    /// Lines without their `\n` (or `\r\n`), as `TextLineDataset` yields them.
    Lines,
    /// `record_bytes` per record after a header of `header_bytes`, before a footer of `footer_bytes`.
    Fixed {
        record_bytes: usize,
        header_bytes: usize,
        footer_bytes: usize,
    },
}

enum Inner {
    TfRecord(TfRecordReader<Box<dyn Read + Send>>),
    Lines(BufReader<Box<dyn Read + Send>>),
    Fixed(FixedReader),
}

/// The records of one file, read on demand.
pub struct RecordSource {
    inner: Inner,
    file: String,
}

impl RecordSource {
    pub fn open(path: &str, layout: &Layout, compression: Compression, buffer_size: usize) -> Result<Self> {
        let stream = open_read(path, compression, buffer_size)?;
        let inner = match layout {
            Layout::TfRecord => Inner::TfRecord(TfRecordReader::new(stream, path)),
            Layout::Lines => Inner::Lines(BufReader::new(stream)),
            Layout::Fixed { record_bytes, header_bytes, footer_bytes } => {
                if *record_bytes == 0 {
                    return Err(Error::invalid("record_bytes must be greater than zero"));
                }
                Inner::Fixed(FixedReader::new(stream, *record_bytes, *header_bytes, *footer_bytes))
            }
        };
        Ok(RecordSource { inner, file: path.to_string() })
    }

    /// The next record, or None at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<Vec<u8>>> {
        match &mut self.inner {
            Inner::TfRecord(r) => r.next_record(),
            Inner::Lines(r) => {
                let mut line = Vec::new();
                if r.read_until(b'\n', &mut line).map_err(|e| io_error(&self.file, e))? == 0 {
                    return Ok(None);
                }
                if line.last() == Some(&b'\n') {
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
                Ok(Some(line))
            }
            Inner::Fixed(r) => r.next_record(&self.file),
        }
    }

    /// Up to `max_records` records, stopping early once `max_bytes` are held; empty at the end of the file.
    pub fn next_chunk(&mut self, max_records: usize, max_bytes: usize) -> Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        let mut bytes = 0;
        while out.len() < max_records.max(1) && bytes < max_bytes.max(1) {
            match self.next_record()? {
                Some(r) => {
                    bytes += r.len() + 1;
                    out.push(r);
                }
                None => break,
            }
        }
        Ok(out)
    }
}

/// Fixed-length records: the footer is found by holding back `footer_bytes`, so it works on compressed
/// streams whose length is not known in advance.
struct FixedReader {
    stream: Box<dyn Read + Send>,
    record: usize,
    header: usize,
    footer: usize,
    pending: Vec<u8>,
    started: bool,
    eof: bool,
    body_read: u64,
}

impl FixedReader {
    fn new(stream: Box<dyn Read + Send>, record: usize, header: usize, footer: usize) -> Self {
        FixedReader {
            stream,
            record,
            header,
            footer,
            pending: Vec::new(),
            started: false,
            eof: false,
            body_read: 0,
        }
    }

    /// Reads until `pending` holds `want` bytes or the stream ends.
    fn fill(&mut self, want: usize, file: &str) -> Result<()> {
        while !self.eof && self.pending.len() < want {
            let start = self.pending.len();
            self.pending.resize(want, 0);
            let n = self.stream.read(&mut self.pending[start..]).map_err(|e| io_error(file, e));
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(e);
                }
            };
            self.pending.truncate(start + n);
            self.eof = n == 0;
        }
        Ok(())
    }

    fn next_record(&mut self, file: &str) -> Result<Option<Vec<u8>>> {
        if !self.started {
            self.started = true;
            self.fill(self.header, file)?;
            if self.pending.len() < self.header {
                return Err(Error::invalid(format!(
                    "{file} has {} bytes, fewer than the header of {} bytes",
                    self.pending.len(),
                    self.header
                )));
            }
            self.pending.drain(..self.header);
        }
        let want = self.record + self.footer;
        self.fill(want, file)?;
        if self.pending.len() >= want {
            let rest = self.pending.split_off(self.record);
            let rec = std::mem::replace(&mut self.pending, rest);
            self.body_read += self.record as u64;
            return Ok(Some(rec));
        }
        let body_left = self.pending.len().saturating_sub(self.footer);
        if body_left > 0 || self.pending.len() < self.footer {
            let body = self.body_read + body_left as u64;
            return Err(Error::invalid(format!(
                "Excluding the header ({} bytes) and footer ({} bytes), input file \"{file}\" has body length \
                 {body}, which is not an exact multiple of the record length ({} bytes).",
                self.header, self.footer, self.record
            )));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_records_with_header_and_footer() {
        let data: Vec<u8> = (0u8..12).collect();
        let mut r = FixedReader::new(Box::new(std::io::Cursor::new(data.clone())), 4, 2, 2);
        assert_eq!(r.next_record("f").unwrap(), Some(vec![2, 3, 4, 5]));
        assert_eq!(r.next_record("f").unwrap(), Some(vec![6, 7, 8, 9]));
        assert_eq!(r.next_record("f").unwrap(), None);
        let mut r = FixedReader::new(Box::new(std::io::Cursor::new(data)), 4, 1, 0);
        assert!(r.next_record("f").unwrap().is_some());
        assert!(r.next_record("f").unwrap().is_some());
        assert!(r.next_record("f").unwrap_err().message.contains("not an exact multiple"));
    }
}
