//! Protocol-buffer wire format primitives: varints, field keys, and a cursor that reads or skips fields.

use crate::error::{Error, Result};

pub const VARINT: u8 = 0;
pub const FIXED64: u8 = 1;
pub const LEN: u8 = 2;
pub const FIXED32: u8 = 5;

/// Appends `v` as a base-128 varint (a negative int64 takes ten bytes, as protobuf writes it).
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

pub fn put_key(out: &mut Vec<u8>, field: u32, wire: u8) {
    put_varint(out, (u64::from(field) << 3) | u64::from(wire));
}

/// A length-delimited field: key, length, payload.
pub fn put_bytes(out: &mut Vec<u8>, field: u32, payload: &[u8]) {
    put_key(out, field, LEN);
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// One field as read from the wire: its number and its payload.
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Fixed32(u32),
    Bytes(&'a [u8]),
}

/// Reads the fields of one message in order; every malformed input is an error, never a panic.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Reader { buf, pos: 0, what }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn corrupt(&self, why: &str) -> Error {
        Error::invalid(format!("Could not parse {}: {why} at byte {}", self.what, self.pos))
    }

    pub fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or_else(|| self.corrupt("truncated varint"))?;
            self.pos += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.corrupt("varint longer than 10 bytes"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| self.corrupt("field runs past the end of the message"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn fixed32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn fixed64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// The next field, or None at the end of the message.
    pub fn field(&mut self) -> Result<Option<(u32, Value<'a>)>> {
        if self.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = u32::try_from(key >> 3).map_err(|_| self.corrupt("field number out of range"))?;
        if field == 0 {
            return Err(self.corrupt("field number 0"));
        }
        let value = match (key & 7) as u8 {
            VARINT => Value::Varint(self.varint()?),
            FIXED64 => Value::Fixed64(self.fixed64()?),
            LEN => {
                let n = usize::try_from(self.varint()?).map_err(|_| self.corrupt("length out of range"))?;
                Value::Bytes(self.take(n)?)
            }
            FIXED32 => Value::Fixed32(self.fixed32()?),
            w => return Err(self.corrupt(&format!("unsupported wire type {w}"))),
        };
        Ok(Some((field, value)))
    }
}

/// Appends the values of a repeated scalar field, packed (`Bytes`) or one at a time.
pub fn repeated_varints(value: &Value, what: &'static str, out: &mut Vec<u64>) -> Result<()> {
    match value {
        Value::Varint(v) => out.push(*v),
        Value::Bytes(b) => {
            let mut r = Reader::new(b, what);
            while !r.is_empty() {
                out.push(r.varint()?);
            }
        }
        _ => {
            return Err(Error::invalid(format!(
                "Could not parse {what}: wrong wire type for an integer list"
            )))
        }
    }
    Ok(())
}

pub fn repeated_fixed32(value: &Value, what: &'static str, out: &mut Vec<u32>) -> Result<()> {
    match value {
        Value::Fixed32(v) => out.push(*v),
        Value::Bytes(b) => {
            if b.len() % 4 != 0 {
                return Err(Error::invalid(format!(
                    "Could not parse {what}: packed float list of {} bytes",
                    b.len()
                )));
            }
            out.extend(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        }
        _ => return Err(Error::invalid(format!("Could not parse {what}: wrong wire type for a float list"))),
    }
    Ok(())
}

pub fn repeated_fixed64(value: &Value, what: &'static str, out: &mut Vec<u64>) -> Result<()> {
    match value {
        Value::Fixed64(v) => out.push(*v),
        Value::Bytes(b) => {
            if b.len() % 8 != 0 {
                return Err(Error::invalid(format!(
                    "Could not parse {what}: packed list of {} bytes",
                    b.len()
                )));
            }
            out.extend(b.chunks_exact(8).map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_le_bytes(a)
            }));
        }
        _ => {
            return Err(Error::invalid(format!("Could not parse {what}: wrong wire type for a double list")))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_truncation_is_an_error() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX, (-1i64) as u64] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v));
            assert_eq!(Reader::new(&b, "x").varint().unwrap(), v);
            assert!(Reader::new(&b[..b.len() - 1], "x").varint().is_err());
        }
    }

    #[test]
    fn a_length_past_the_end_is_an_error() {
        let b = [0x0a, 0x05, 1, 2];
        assert!(Reader::new(&b, "x").field().is_err());
    }
}
