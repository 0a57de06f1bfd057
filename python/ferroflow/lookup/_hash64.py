"""TensorFlow's ``Hash64`` (a MurmurHash64A variant, seed ``0xDECAFCAFFE``) and ``Hash64Combine`` on Python values.

``DenseHashTable`` places string keys by ``Hash64`` and vector keys by combining their elements' hashes, so its
buckets (which ``export`` returns) sit where TensorFlow's do.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995
_SEED = 0xDECAFCAFFE


def hash64(data: bytes, seed: int = _SEED) -> int:
    """``Hash64(data)``: 64-bit words little-endian, the last partial word zero-padded."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * _M) & _MASK
        k = ((k ^ (k >> 47)) * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * _M) & _MASK
    h = ((h ^ (h >> 47)) * _M) & _MASK
    return h ^ (h >> 47)


def combine(a: int, b: int) -> int:
    """``Hash64Combine(a, b)``."""
    return a ^ ((b + 0x9E3779B97F4A7800 + (a << 10) + (a >> 4)) & _MASK)
