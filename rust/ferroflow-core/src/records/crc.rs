//! CRC32C (Castagnoli) and TFRecord's masked form of it.

/// CRC32C of `data`, hardware-accelerated where the CPU has it.
pub fn crc32c(data: &[u8]) -> u32 {
    crc32c::crc32c(data)
}

/// TFRecord's mask: the CRC rotated right by 15 bits plus a constant, so that a CRC of data that itself
/// holds CRCs does not degenerate.
pub fn mask(crc: u32) -> u32 {
    crc.rotate_right(15).wrapping_add(0xa282_ead8)
}

pub fn masked_crc32c(data: &[u8]) -> u32 {
    mask(crc32c(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The check value of CRC-32C, and TensorFlow's masked CRC of an empty record length.
        assert_eq!(crc32c(b"123456789"), 0xe306_9283);
        assert_eq!(crc32c(b""), 0);
        assert_eq!(mask(0), 0xa282_ead8);
    }
}
