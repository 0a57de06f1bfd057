"""TensorFlow's ``Fingerprint64`` (FarmHash) and ``FingerprintCat64`` composed of ferroflow ops, for graphs.

Eager tensors are hashed in Python (``layers/_string_hash.py``); inside ``tf.function`` and a compiled
``fit`` step no Python can run, so the same arithmetic is built from uint64 tensor ops here. uint64
multiplication and addition wrap as C++'s do; shifts are divisions and multiplications by powers of two;
XOR adds the 64 bits of both operands modulo 2 (the ops have no bitwise XOR). Strings are padded to a fixed
width and read as bytes with ``decode_raw``; every length branch of FarmHash is computed and the one that
applies to each string is selected. Strings of up to ``MAX_GRAPH_BYTES`` bytes are hashed this way; longer
ones fail the run with ``InvalidArgumentError`` (they hash eagerly, in Python).
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ..framework.ops import apply
from ..ops import array_ops, io_ops, math_ops, string_ops

MAX_GRAPH_BYTES = 256  # FarmHash's 64-byte loop is unrolled for strings up to this length
_LOOPS = MAX_GRAPH_BYTES // 64 - 1
_WIDTH = MAX_GRAPH_BYTES + 8
_U = np.uint64
_K0 = _U(0xC3A5C85C97CB3127)
_K1 = _U(0xB492B66FBE98F273)
_K2 = _U(0x9AE16A3B2F90404F)
_KMUL = _U(0xC6A4A7935BD1E995)  # FingerprintCat64's multiplier
_TOO_LONG = (
    f"a string longer than {MAX_GRAPH_BYTES} bytes cannot be hashed inside a graph; hash it eagerly or in Dataset.map"
)
_POW2 = np.array([1 << i for i in range(64)], dtype=np.uint64)


def xor(a: Any, b: Any) -> Any:
    """``a ^ b`` of uint64 tensors: bit i of each is ``(x // 2**i) % 2``."""
    shifted = math_ops.add(
        math_ops.floordiv(array_ops.expand_dims(a, -1), _POW2), math_ops.floordiv(array_ops.expand_dims(b, -1), _POW2)
    )
    return math_ops.reduce_sum(math_ops.multiply(math_ops.floormod(shifted, _U(2)), _POW2), -1)


def _shr(x: Any, s: int) -> Any:
    return math_ops.floordiv(x, _U(1 << s))


def _rot(x: Any, s: int) -> Any:
    # The two shifted parts have no bit in common, so OR is addition.
    return math_ops.add(_shr(x, s), math_ops.multiply(x, _U(1 << (64 - s))))


def _shift_mix(v: Any) -> Any:
    return xor(v, _shr(v, 47))


def _mul(*xs: Any) -> Any:
    out = xs[0]
    for x in xs[1:]:
        out = math_ops.multiply(out, x)
    return out


def _add(*xs: Any) -> Any:
    out = xs[0]
    for x in xs[1:]:
        out = math_ops.add(out, x)
    return out


def _len16(u: Any, v: Any, mul: Any) -> Any:
    a = _mul(xor(u, v), mul)
    a = _shift_mix(a)
    b = _mul(xor(v, a), mul)
    b = _shift_mix(b)
    return _mul(b, mul)


def fingerprint_cat64(fp1: Any, fp2: Any) -> Any:
    """TensorFlow's ``FingerprintCat64`` of two uint64 tensors (how ``sparse_cross_hashed`` combines features)."""
    result = xor(fp1, _KMUL)
    result = xor(result, _mul(_shift_mix(_mul(fp2, _KMUL)), _KMUL))
    result = _mul(result, _KMUL)
    result = _mul(_shift_mix(result), _KMUL)
    return _shift_mix(result)


def _windows(b: Any, size: int) -> Any:
    """``w[:, k]`` = the little-endian ``size``-byte word at byte ``k`` of each row of bytes ``b``."""
    span = _WIDTH - size + 1
    parts = [math_ops.multiply(b[:, t : t + span], _U(1 << (8 * t))) for t in range(size)]
    return _add(*parts)


class _Bytes:
    """A flat batch of strings as bytes, with word fetches at fixed or per-string offsets."""

    def __init__(self, strings: Any) -> None:
        self.n64 = array_ops.cast(string_ops.length(strings), "int64")
        self.n = array_ops.cast(self.n64, "uint64")
        padded = string_ops.substr(string_ops.join([strings, b"\0" * _WIDTH]), 0, _WIDTH)
        raw = array_ops.reshape(io_ops.decode_raw(padded, "uint8"), [-1, _WIDTH])  # the width is static
        self.b = array_ops.cast(raw, "uint64")
        self.w32 = _windows(self.b, 4)
        self.w64 = _windows(self.b, 8)

    @staticmethod
    def at(words: Any, offset: Any) -> Any:
        """``words[row, offset[row]]``; offsets of branches that do not apply are clamped to 0."""
        width = int(words.shape[1])
        offset = math_ops.maximum(offset, np.int64(0))
        hit = math_ops.equal(np.arange(width, dtype=np.int64)[None, :], array_ops.expand_dims(offset, -1))
        return math_ops.reduce_sum(array_ops.where(hit, words, array_ops.zeros_like(words)), -1)

    def f64(self, offset: Any) -> Any:
        return self.w64[:, offset] if isinstance(offset, int) else self.at(self.w64, offset)


def _len0to16(s: _Bytes) -> Tuple[Any, Any, Any]:
    n, n64 = s.n, s.n64
    mul = math_ops.add(_K2, math_ops.multiply(n, _U(2)))
    a = math_ops.add(s.w64[:, 0], _K2)
    b = s.f64(math_ops.subtract(n64, np.int64(8)))
    c = _add(_mul(_rot(b, 37), mul), a)
    d = _mul(_add(_rot(a, 25), b), mul)
    h8 = _len16(c, d, mul)
    a4 = s.w32[:, 0]
    h4 = _len16(_add(n, _mul(a4, _U(8))), s.at(s.w32, math_ops.subtract(n64, np.int64(4))), mul)
    y = _add(s.b[:, 0], _mul(s.at(s.b, math_ops.floordiv(n64, np.int64(2))), _U(256)))
    z = _add(n, _mul(s.at(s.b, math_ops.subtract(n64, np.int64(1))), _U(4)))
    h1 = _mul(_shift_mix(xor(_mul(y, _K2), _mul(z, _K0))), _K2)
    return h8, h4, h1


def _len17to32(s: _Bytes) -> Any:
    n64 = s.n64
    mul = math_ops.add(_K2, math_ops.multiply(s.n, _U(2)))
    a = _mul(s.w64[:, 0], _K1)
    b = s.w64[:, 8]
    c = _mul(s.f64(math_ops.subtract(n64, np.int64(8))), mul)
    d = _mul(s.f64(math_ops.subtract(n64, np.int64(16))), _K2)
    return _len16(_add(_rot(_add(a, b), 43), _rot(c, 30), d), _add(a, _rot(_add(b, _K2), 18), c), mul)


def _len33to64(s: _Bytes) -> Any:
    n64 = s.n64
    mul = math_ops.add(_K2, math_ops.multiply(s.n, _U(2)))
    a = _mul(s.w64[:, 0], _K2)
    b = s.w64[:, 8]
    c = _mul(s.f64(math_ops.subtract(n64, np.int64(8))), mul)
    d = _mul(s.f64(math_ops.subtract(n64, np.int64(16))), _K2)
    y = _add(_rot(_add(a, b), 43), _rot(c, 30), d)
    z = _len16(y, _add(a, _rot(_add(b, _K2), 18), c), mul)
    e = _mul(s.w64[:, 16], mul)
    f = s.w64[:, 24]
    g = _mul(_add(y, s.f64(math_ops.subtract(n64, np.int64(32)))), mul)
    h = _mul(_add(z, s.f64(math_ops.subtract(n64, np.int64(24)))), mul)
    return _len16(_add(_rot(_add(e, f), 43), _rot(g, 30), h), _add(e, _rot(_add(f, a), 18), g), mul)


def _weak32(s: _Bytes, i: Any, a: Any, b: Any) -> Tuple[Any, Any]:
    w, x, y, z = s.f64(_plus(i, 0)), s.f64(_plus(i, 8)), s.f64(_plus(i, 16)), s.f64(_plus(i, 24))
    a = math_ops.add(a, w)
    b = _rot(_add(b, a, z), 21)
    c = a
    a = _add(a, x, y)
    b = math_ops.add(b, _rot(a, 44))
    return math_ops.add(a, z), math_ops.add(b, c)


def _plus(i: Any, k: int) -> Any:
    return i + k if isinstance(i, int) else math_ops.add(i, np.int64(k))


def _chunk(s: _Bytes, i: Any, mul: Any, state: tuple, last: bool) -> tuple:
    """One 64-byte step of FarmHash's long-string loop (``last``: the final step on the string's tail)."""
    x, y, z, v0, v1, w0, w1 = state
    x = _mul(_rot(_add(x, y, v0, s.f64(_plus(i, 8))), 37), mul)
    y = _mul(_rot(_add(y, v1, s.f64(_plus(i, 48))), 42), mul)
    x = xor(x, _mul(w1, _U(9)) if last else w1)
    y = _add(y, _mul(v0, _U(9)) if last else v0, s.f64(_plus(i, 40)))
    z = _mul(_rot(math_ops.add(z, w0), 33), mul)
    v0, v1 = _weak32(s, i, _mul(v1, mul), math_ops.add(x, w0))
    w0, w1 = _weak32(s, _plus(i, 32), math_ops.add(z, w1), math_ops.add(y, s.f64(_plus(i, 16))))
    return z, y, x, v0, v1, w0, w1  # x and z swap


def _long(s: _Bytes) -> Any:
    n64 = s.n64
    zero = array_ops.zeros_like(s.n)
    y0 = _U((81 * 0xB492B66FBE98F273 + 113) & ((1 << 64) - 1))
    x = math_ops.add(math_ops.add(zero, _U((81 * 0x9AE16A3B2F90404F) & ((1 << 64) - 1))), s.w64[:, 0])
    z = _mul(_shift_mix(math_ops.add(zero, _U((int(y0) * int(_K2) + 113) & ((1 << 64) - 1)))), _K2)
    state = (x, math_ops.add(zero, y0), z, zero, zero, zero, zero)
    end = math_ops.multiply(math_ops.floordiv(math_ops.subtract(n64, np.int64(1)), np.int64(64)), np.int64(64))
    for j in range(_LOOPS):
        stepped = _chunk(s, 64 * j, _K1, state, last=False)
        active = math_ops.less(np.int64(64 * j), end)
        state = tuple(array_ops.where(active, new, old) for new, old in zip(stepped, state))
    x, y, z, v0, v1, w0, w1 = state
    mul = _add(_K1, _mul(math_ops.floormod(z, _U(256)), _U(2)))
    tail = math_ops.floormod(math_ops.subtract(n64, np.int64(1)), np.int64(64))
    last64 = math_ops.subtract(math_ops.add(end, tail), np.int64(63))
    w0 = math_ops.add(w0, array_ops.cast(tail, "uint64"))
    v0 = math_ops.add(v0, w0)
    w0 = math_ops.add(w0, v0)
    x, y, z, v0, v1, w0, w1 = _chunk(s, last64, mul, (x, y, z, v0, v1, w0, w1), last=True)
    first = _add(_len16(v0, w0, mul), _mul(_shift_mix(y), _K0), z)
    return _len16(first, math_ops.add(_len16(v1, w1, mul), x), mul)


def fingerprint64(strings: Any) -> Any:
    """FarmHash ``Fingerprint64`` of every string of a graph string tensor (any shape), as uint64."""
    s = _Bytes(array_ops.reshape(strings, [-1]))
    h8, h4, h1 = _len0to16(s)
    n = s.n
    branches: list = [
        (math_ops.less_equal(n, _U(64)), _len33to64(s)),
        (math_ops.less_equal(n, _U(32)), _len17to32(s)),
        (math_ops.less_equal(n, _U(16)), h8),
        (math_ops.less_equal(n, _U(7)), h4),
        (math_ops.less_equal(n, _U(3)), h1),
        (math_ops.equal(n, _U(0)), math_ops.add(array_ops.zeros_like(n), _K2)),
    ]
    out = _long(s)
    for cond, value in branches:
        out = array_ops.where(cond, value, out)
    # Longer strings would be hashed wrongly: fail the run instead (check_numerics works in every graph).
    too_long = array_ops.where(math_ops.greater(s.n64, np.int64(MAX_GRAPH_BYTES)), np.float32(np.nan), np.float32(0))
    checked = apply("check_numerics", [too_long], {"message": _TOO_LONG})
    out = math_ops.add(out, array_ops.cast(checked, "uint64"))
    return apply("reshape_like", [out, strings])


def bucket(hashes: Any, num_buckets: int) -> Any:
    """``hash % num_buckets`` of uint64 hashes, as int64 (what TensorFlow's hash-bucket ops return)."""
    return array_ops.cast(math_ops.floormod(hashes, _U(num_buckets)), "int64")
