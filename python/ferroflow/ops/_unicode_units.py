"""Decoding strings to code points with byte offsets, from whole-tensor ops (eager and in graphs).

The strings are zero-padded to one width and read as a ``[strings, bytes]`` matrix; each position is then
classified at once, without a sequential scan. UTF-8 follows ICU's (and TensorFlow's) "maximal subpart"
rule: a byte that is not a continuation byte always starts a character; a continuation byte belongs to
the nearest lead byte at most three places before it when that lead's valid prefix reaches it, and is a
stray (one replacement character) otherwise. UTF-16 pairs surrogates; UTF-32 checks the range; an odd
tail of bytes is one invalid character. Invalid characters come back as -1.
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, expand_dims, gather, range, shape, where, zeros_like
from .io_ops import decode_raw
from .math_ops import (
    add,
    equal,
    floordiv,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    minimum,
    multiply,
    reduce_max,
    subtract,
)
from .string_ops import join, length, reduce_join, substr

# Spellings of the encodings read here (upper case, '-' and '_' removed) and their canonical names.
ENCODINGS = {
    "UTF8": "UTF-8",
    "UTF16BE": "UTF-16-BE",
    "UTF16LE": "UTF-16-LE",
    "UTF32BE": "UTF-32-BE",
    "UTF32LE": "UTF-32-LE",
    "ISO88591": "ISO-8859-1",
    "LATIN1": "ISO-8859-1",
    "USASCII": "US-ASCII",
    "ASCII": "US-ASCII",
}


class Units(NamedTuple):
    """Per string (rows) and unit position (columns): whether a character starts there, its code point
    (-1 where invalid) and its byte offset."""

    starts: Tensor
    codes: Tensor
    offsets: Tensor


def canonical(encoding: str) -> str:
    return ENCODINGS.get(str(encoding).upper().replace("-", "").replace("_", ""), "")


def _between(x: Tensor, low: int, high: int) -> Tensor:
    return logical_and(greater_equal(x, low), less_equal(x, high))


def _const(like: Tensor, value: int) -> Tensor:
    return zeros_like(like) + value


def _choose(cases: list, default: Tensor) -> Tensor:
    """The value of the first ``(condition, value)`` that holds, else ``default`` (elementwise)."""
    out = default
    for condition, value in reversed(cases):
        out = where(condition, value, out)
    return out


class _Bytes:
    """The strings' bytes as an int32 ``[N, longest + ahead]`` matrix (zeros past each string's end)."""

    def __init__(self, strings: Tensor, ahead: int) -> None:
        self.lengths = length(strings)
        self.longest = reduce_max(concat([self.lengths, convert_to_tensor([0])], 0))
        width = add(self.longest, ahead)
        pad = reduce_join(gather(convert_to_tensor([b"\0"]), zeros_like(range(width))))
        self.raw = cast(decode_raw(substr(join([strings, pad]), 0, width), "uint8"), "int32")
        self.inside = less(expand_dims(range(width), 0), expand_dims(self.lengths, 1))

    def at(self, x: Tensor, k: int, step: int = 1) -> Tensor:
        """Column ``j`` is column ``step * j + k`` of ``x``, for ``j`` up to ``longest / step`` (rounded up)."""
        count = floordiv(add(self.longest, step - 1), step)
        return gather(x, add(multiply(range(count), step), k), axis=1)


def _behind(x: Tensor, d: int, fill: Any) -> Tensor:
    """Column ``j`` is column ``j - d`` of ``x``; ``fill`` for the first ``d`` columns."""
    column = range(shape(x)[1])
    shifted = gather(x, where(less(column, d), zeros_like(column), subtract(column, d)), axis=1)
    if isinstance(fill, bool):
        same = equal(shifted, shifted)
        filled = same if fill else logical_not(same)
    else:
        filled = zeros_like(shifted) + fill
    return where(less(expand_dims(column, 0), d), filled, shifted)


def _offsets(like: Tensor, step: int) -> Tensor:
    return zeros_like(like, dtype="int64") + cast(multiply(expand_dims(range(shape(like)[1]), 0), step), "int64")


def utf8(strings: Tensor) -> Units:
    s = _Bytes(strings, 3)
    b = [s.at(s.raw, k) for k in builtins.range(4)]
    v = [s.at(s.inside, k) for k in builtins.range(4)]
    lead = b[0]
    cont = [_between(x, 0x80, 0xBF) for x in b]
    needed = _choose(
        [(less(lead, 0x80), _const(lead, 1)), (_between(lead, 0xC2, 0xDF), _const(lead, 2)),
         (_between(lead, 0xE0, 0xEF), _const(lead, 3)), (_between(lead, 0xF0, 0xF4), _const(lead, 4))],
        _const(lead, 1),
    )  # fmt: skip
    # The second byte's range depends on the lead (no overlong forms, surrogates or code points > 0x10FFFF).
    low = _choose(
        [(equal(lead, 0xE0), _const(lead, 0xA0)), (equal(lead, 0xF0), _const(lead, 0x90))], _const(lead, 0x80)
    )
    high = _choose(
        [(equal(lead, 0xED), _const(lead, 0x9F)), (equal(lead, 0xF4), _const(lead, 0x8F))], _const(lead, 0xBF)
    )
    ok1 = logical_and(
        logical_and(v[1], greater(needed, 1)), logical_and(greater_equal(b[1], low), less_equal(b[1], high))
    )
    ok2 = logical_and(logical_and(ok1, greater(needed, 2)), logical_and(v[2], cont[2]))
    ok3 = logical_and(logical_and(ok2, greater(needed, 3)), logical_and(v[3], cont[3]))
    unit = 1 + cast(ok1, "int32") + cast(ok2, "int32") + cast(ok3, "int32")
    bad_lead = logical_or(_between(lead, 0x80, 0xC1), greater(lead, 0xF4))
    valid = logical_and(logical_not(bad_lead), equal(unit, needed))
    t = [subtract(x, 0x80) for x in b[1:]]  # a continuation byte's 6 bits
    code = _choose(
        [(equal(needed, 2), add(multiply(subtract(lead, 0xC0), 64), t[0])),
         (equal(needed, 3), add(add(multiply(subtract(lead, 0xE0), 4096), multiply(t[0], 64)), t[1]))],
        lead,
    )  # fmt: skip
    four = add(add(add(multiply(subtract(lead, 0xF0), 262144), multiply(t[0], 4096)), multiply(t[1], 64)), t[2])
    code = where(equal(needed, 4), four, code)
    # A continuation byte is part of the character of a lead d places before whose valid prefix reaches it.
    lead_byte = logical_not(cont[0])
    consumed = logical_and(lead_byte, logical_not(lead_byte))
    for d in (1, 2, 3):
        consumed = logical_or(consumed, logical_and(_behind(lead_byte, d, False), greater(_behind(unit, d, 0), d)))
    starts = logical_and(v[0], logical_not(consumed))
    return Units(starts, where(valid, code, _const(code, -1)), _offsets(lead, 1))


def _word(s: _Bytes, size: int, big_endian: bool) -> Tensor:
    """The ``size``-byte code units (int64), ``s.at`` spaced ``size`` bytes apart."""
    out = None
    for k in builtins.range(size):
        byte = cast(s.at(s.raw, k, size), "int64")
        weight = 256 ** (size - 1 - k if big_endian else k)
        out = multiply(byte, weight) if out is None else add(out, multiply(byte, weight))
    return out


def utf16(strings: Tensor, big_endian: bool) -> Units:
    s = _Bytes(strings, 3)
    unit = _word(s, 2, big_endian)
    present = s.at(s.inside, 0, 2)  # a unit starts inside the string (an odd last byte is one bad unit)
    whole = s.at(s.inside, 1, 2)
    high, low = _between(unit, 0xD800, 0xDBFF), _between(unit, 0xDC00, 0xDFFF)
    nxt = _next(unit)
    nxt_whole = _next(whole)
    pair = logical_and(logical_and(high, whole), logical_and(nxt_whole, _between(nxt, 0xDC00, 0xDFFF)))
    consumed = logical_and(low, _behind(pair, 1, False))
    code = where(pair, add(add(multiply(subtract(unit, 0xD800), 1024), subtract(nxt, 0xDC00)), 0x10000), unit)
    valid = logical_and(whole, logical_or(pair, logical_not(logical_or(high, low))))
    starts = logical_and(present, logical_not(consumed))
    return Units(starts, cast(where(valid, code, _const(code, -1)), "int32"), _offsets(unit, 2))


def _next(x: Tensor) -> Tensor:
    """Column ``j`` is column ``j + 1`` of ``x``; the last column repeats (its pair is never whole)."""
    count = shape(x)[1]
    return gather(x, minimum(add(range(count), 1), subtract(count, 1)), axis=1)


def utf32(strings: Tensor, big_endian: bool) -> Units:
    s = _Bytes(strings, 3)
    unit = _word(s, 4, big_endian)
    present, whole = s.at(s.inside, 0, 4), s.at(s.inside, 3, 4)
    valid = logical_and(whole, logical_and(less_equal(unit, 0x10FFFF), logical_not(_between(unit, 0xD800, 0xDFFF))))
    return Units(present, cast(where(valid, unit, _const(unit, -1)), "int32"), _offsets(unit, 4))


def single_byte(strings: Tensor, ascii_only: bool) -> Units:
    s = _Bytes(strings, 0)
    code = s.raw
    valid = less(code, 0x80) if ascii_only else equal(code, code)
    return Units(s.inside, where(valid, code, _const(code, -1)), _offsets(code, 1))


def decode_units(strings: Tensor, encoding: str) -> Units:
    """The units of 1-D ``strings`` in ``encoding`` (a canonical name of ``ENCODINGS``)."""
    if encoding == "UTF-8":
        return utf8(strings)
    if encoding.startswith("UTF-16"):
        return utf16(strings, encoding.endswith("BE"))
    if encoding.startswith("UTF-32"):
        return utf32(strings, encoding.endswith("BE"))
    return single_byte(strings, encoding == "US-ASCII")
