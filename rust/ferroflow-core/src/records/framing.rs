//! TFRecord framing: each record is a little-endian u64 length, its masked CRC32C, the data, and the
//! data's masked CRC32C. Reading checks both CRCs and names the file and offset of a corrupt record.

use super::crc::masked_crc32c;
use crate::error::{Error, Result};
use std::io::{Read, Write};

/// Writes `data` as one framed record.
pub fn write_record<W: Write + ?Sized>(w: &mut W, data: &[u8]) -> std::io::Result<()> {
    let len = (data.len() as u64).to_le_bytes();
    w.write_all(&len)?;
    w.write_all(&masked_crc32c(&len).to_le_bytes())?;
    w.write_all(data)?;
    w.write_all(&masked_crc32c(data).to_le_bytes())
}

/// One framed record as bytes.
pub fn frame(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    // Writing to a Vec cannot fail.
    let _ = write_record(&mut out, data);
    out
}

/// `tf.errors.DataLossError`'s message for a record that cannot be trusted.
pub fn corrupt(file: &str, offset: u64, why: &str) -> Error {
    Error::data_loss(format!("corrupted record at {offset} in {file}: {why}"))
}

/// Reads as many bytes as the stream holds up to `buf.len()`; fewer means the stream ended.
fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

pub fn io_error(file: &str, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::not_found(format!("{file}; No such file or directory")),
        std::io::ErrorKind::InvalidData
        | std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::UnexpectedEof => Error::data_loss(format!("{file}: cannot decompress: {e}")),
        _ => Error::invalid(format!("{file}: {e}")),
    }
}

/// The records of one TFRecord stream, read one at a time (memory holds one record).
pub struct TfRecordReader<R> {
    inner: R,
    file: String,
    offset: u64,
}

impl<R: Read> TfRecordReader<R> {
    pub fn new(inner: R, file: impl Into<String>) -> Self {
        TfRecordReader { inner, file: file.into(), offset: 0 }
    }

    /// The next record, None at a clean end of the stream, or a DataLoss error naming file and offset.
    pub fn next_record(&mut self) -> Result<Option<Vec<u8>>> {
        let file = self.file.as_str();
        let mut header = [0u8; 12];
        let got = read_full(&mut self.inner, &mut header).map_err(|e| io_error(file, e))?;
        if got == 0 {
            return Ok(None);
        }
        if got < header.len() {
            return Err(corrupt(file, self.offset, &format!("truncated header ({got} of 12 bytes)")));
        }
        let (len_bytes, crc_bytes) = header.split_at(8);
        let mut a = [0u8; 8];
        a.copy_from_slice(len_bytes);
        let len = u64::from_le_bytes(a);
        let stored = u32::from_le_bytes([crc_bytes[0], crc_bytes[1], crc_bytes[2], crc_bytes[3]]);
        if stored != masked_crc32c(len_bytes) {
            return Err(corrupt(file, self.offset, "length CRC mismatch"));
        }
        let mut data = Vec::new();
        let n = (&mut self.inner).take(len).read_to_end(&mut data).map_err(|e| io_error(file, e))?;
        let mut footer = [0u8; 4];
        let got = read_full(&mut self.inner, &mut footer).map_err(|e| io_error(file, e))?;
        if (n as u64) < len || got < 4 {
            return Err(corrupt(
                file,
                self.offset,
                &format!("truncated record (length {len}, {n} data bytes)"),
            ));
        }
        if u32::from_le_bytes(footer) != masked_crc32c(&data) {
            return Err(corrupt(file, self.offset, "data CRC mismatch"));
        }
        self.offset += 16 + len;
        Ok(Some(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
        let mut r = TfRecordReader::new(bytes, "f.tfrecord");
        let mut out = Vec::new();
        while let Some(rec) = r.next_record()? {
            out.push(rec);
        }
        Ok(out)
    }

    #[test]
    fn round_trip_and_corruption() {
        let mut buf = Vec::new();
        for rec in [&b"hello"[..], b"", b"world!"] {
            write_record(&mut buf, rec).unwrap();
        }
        assert_eq!(read_all(&buf).unwrap(), vec![b"hello".to_vec(), vec![], b"world!".to_vec()]);
        let mut bad = buf.clone();
        bad[50] ^= 1; // inside the third record's data (it starts at 37)
        let e = read_all(&bad).unwrap_err();
        assert!(e.message.contains("corrupted record at 37 in f.tfrecord"), "{}", e.message);
        let e = read_all(&buf[..buf.len() - 2]).unwrap_err();
        assert!(e.message.contains("truncated"), "{}", e.message);
    }
}
