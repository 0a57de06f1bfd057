//! The compression of a record file (none, GZIP, ZLIB), and readers and writers that apply it.

use crate::error::{Error, Result};
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use flate2::write::{GzEncoder, ZlibEncoder};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zlib,
}

impl Compression {
    /// TensorFlow's `compression_type` names: "" (or None) , "GZIP", "ZLIB".
    pub fn parse(name: &str) -> Result<Compression> {
        match name {
            "" | "NONE" => Ok(Compression::None),
            "GZIP" => Ok(Compression::Gzip),
            "ZLIB" => Ok(Compression::Zlib),
            other => Err(Error::invalid(format!(
                "Unsupported compression_type: {other}; expected '', 'GZIP' or 'ZLIB'"
            ))),
        }
    }
}

/// Opens `path` for reading through `compression`, buffered by `buffer_size` bytes.
pub fn open_read(path: &str, compression: Compression, buffer_size: usize) -> Result<Box<dyn Read + Send>> {
    let file = File::open(path).map_err(|e| super::framing::io_error(path, e))?;
    let buffered = BufReader::with_capacity(buffer_size.max(1), file);
    Ok(match compression {
        Compression::None => Box::new(buffered),
        // Concatenated gzip members read as one stream, as zlib's gzread does.
        Compression::Gzip => Box::new(BufReader::new(MultiGzDecoder::new(buffered))),
        Compression::Zlib => Box::new(BufReader::new(ZlibDecoder::new(buffered))),
    })
}

/// A file being written through `compression`; `finish` writes the compressed stream's trailer.
pub enum Sink {
    Plain(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
    Zlib(ZlibEncoder<BufWriter<File>>),
}

impl Sink {
    pub fn create(path: &str, compression: Compression, level: Option<u32>) -> Result<Sink> {
        let file = File::create(path).map_err(|e| super::framing::io_error(path, e))?;
        let w = BufWriter::new(file);
        // TensorFlow's default level is zlib's default (6).
        let level = flate2::Compression::new(level.unwrap_or(6).min(9));
        Ok(match compression {
            Compression::None => Sink::Plain(w),
            Compression::Gzip => Sink::Gzip(GzEncoder::new(w, level)),
            Compression::Zlib => Sink::Zlib(ZlibEncoder::new(w, level)),
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Plain(w) => w,
            Sink::Gzip(w) => w,
            Sink::Zlib(w) => w,
        }
    }

    /// Pushes what is buffered to the file (a compressed stream is sync-flushed, so it stays readable).
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }

    /// Ends the stream and flushes the file.
    pub fn finish(self) -> std::io::Result<()> {
        let mut w = match self {
            Sink::Plain(w) => w,
            Sink::Gzip(w) => w.finish()?,
            Sink::Zlib(w) => w.finish()?,
        };
        w.flush()
    }
}
