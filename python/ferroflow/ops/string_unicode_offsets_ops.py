"""``tf.strings.unicode_decode_with_offsets``, ``unicode_split_with_offsets`` and ``unicode_transcode``.

The strings are decoded by ``_unicode_units`` (UTF-8, UTF-16/32 in either byte order, ISO-8859-1,
US-ASCII), with TensorFlow's error modes: ``replace`` puts ``replacement_char`` for each invalid
sequence, ``ignore`` drops it, ``strict`` fails with ``InvalidArgumentError``; ``replace_control_characters``
also replaces the C0 controls (below U+0020). Transcoding writes UTF-8, UTF-16-BE or UTF-32-BE bytes with
ops and joins them per string, so it also runs inside ``tf.function``; so do the ragged results of the
decoders.
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from ._string_groups import join_groups
from ._unicode_units import canonical, decode_units
from .array_ops import cast, expand_dims, gather, range, reshape, shape, stack, where, zeros_like
from .assert_ops import _check
from .math_derived_ops import reduce_any
from .math_ops import (
    floordiv,
    floormod,
    greater_equal,
    less,
    logical_and,
    logical_not,
    reduce_sum,
)

_OUTPUT_ENCODINGS = ("UTF-8", "UTF-16-BE", "UTF-32-BE")
_BYTES = np.array([bytes([i]) for i in builtins.range(256)], dtype=object)


class _Decoded(NamedTuple):
    codes: Tensor  # int32 [K]: the characters of all strings, string by string
    offsets: Tensor  # int64 [K]: each one's byte offset in its string
    rows: Tensor  # int64 [K]: each one's string (row-major over the input)
    strings: Tensor  # the input


def _select(mask: Tensor) -> Tensor:
    """Positions where the 1-D ``mask`` holds, in order."""
    count = reduce_sum(cast(mask, "int32"))
    return gather(apply("argsort", [cast(logical_not(mask), "int32")], {"descending": False}), range(count))


def _decode(input: Any, encoding: str, errors: str, replacement_char: int, replace_control: bool, op: str) -> _Decoded:
    x = convert_to_tensor(input)
    if x.dtype.name != "string":
        raise TypeError(f"{op} expects a string tensor, received a tensor of dtype {x.dtype.name}")
    if errors not in ("strict", "replace", "ignore"):
        raise InvalidArgumentError(
            f'Value for attr \'errors\' of "{errors}" is not in the list of allowed values: "strict", "replace", '
            '"ignore"'
        )
    if not 0 <= int(replacement_char) <= 0x10FFFF:
        raise InvalidArgumentError("replacement_char out of unicode codepoint range")
    name = canonical(encoding)
    if not name:
        raise InvalidArgumentError(
            f"Could not create converter for input encoding: {encoding} (ferroflow reads "
            "UTF-8, UTF-16-BE/LE, UTF-32-BE/LE, ISO-8859-1 and US-ASCII)"
        )
    units = decode_units(reshape(x, [-1]), name)
    width = cast(shape(units.codes)[1], "int64")
    starts, codes = reshape(units.starts, [-1]), reshape(units.codes, [-1])
    invalid = logical_and(starts, less(codes, 0))
    if errors == "strict":
        _check(logical_not(reduce_any(invalid)), lambda _: "Invalid formatting on input string", None)
    keep = logical_and(starts, logical_not(invalid)) if errors == "ignore" else starts
    replacement = zeros_like(codes) + int(replacement_char)
    codes = where(less(codes, 0), replacement, codes)
    if replace_control:
        codes = where(logical_and(logical_not(invalid), less(codes, 0x20)), replacement, codes)
    chosen = _select(keep)
    offsets = gather(reshape(units.offsets, [-1]), chosen)
    return _Decoded(gather(codes, chosen), offsets, floordiv(cast(chosen, "int64"), width), x)


def _ragged(decoded: _Decoded, *flat: Tensor) -> tuple:
    """Each of ``flat`` (one value per character) as TensorFlow shapes it: 1-D for a scalar input, else a
    ``RaggedTensor`` of rank ``input.rank + 1``."""
    x = decoded.strings
    if x.shape.rank == 0:
        return flat
    count = x.shape.num_elements()
    if count is None:
        count = reduce_sum(zeros_like(reshape(x, [-1]), dtype="int64") + 1)
    ones = zeros_like(decoded.rows) + 1
    counts = apply("unsorted_segment_sum", [ones, decoded.rows, zeros_like(range(count, dtype="int64"))], {"axis": 0})
    if isinstance(counts, EagerTensor):
        splits: Any = np.concatenate([[0], np.cumsum(counts.numpy())]).astype(np.int64)
        out = [RaggedTensor.from_row_splits(v, splits, validate=False) for v in flat]
    else:
        from ..framework.graph_composites import GraphRaggedTensor
        from .ragged_partition_ops import splits_from_lengths

        splits = splits_from_lengths(counts)
        out = [GraphRaggedTensor(v, splits, decoded.rows) for v in flat]
    from .string_ragged_ops import _nest_outer

    return tuple(_nest_outer(r, x) for r in out)


class _WithOffsets(NamedTuple):
    values: Any
    offsets: Any


def unicode_decode_with_offsets(
    input: Any,
    input_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name: Optional[str] = None,
) -> tuple:
    """Each string's code points (int32) and the byte offset where each starts (int64)."""
    d = _decode(input, input_encoding, errors, replacement_char, replace_control_characters, "unicode_decode")
    return tuple(_ragged(d, d.codes, d.offsets))


def unicode_split_with_offsets(
    input: Any,
    input_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    name: Optional[str] = None,
) -> tuple:
    """Each string's characters (UTF-8 strings of one character) and their byte offsets (int64)."""
    d = _decode(input, input_encoding, errors, replacement_char, False, "unicode_split")
    chars = apply("strings.unicode_encode", [expand_dims(d.codes, -1)])
    return tuple(_ragged(d, chars, d.offsets))


def _encoded_bytes(codes: Tensor, encoding: str) -> tuple:
    """(int64 ``[K, 4]`` bytes of each code point, int64 ``[K]`` how many of them it uses)."""
    c = cast(codes, "int64")
    if encoding == "UTF-32-BE":
        slots = [floormod(floordiv(c, 256 ** (3 - k)), 256) for k in builtins.range(4)]
        return stack(slots, 1), zeros_like(c) + 4
    if encoding == "UTF-16-BE":
        high, low = 0xD800 + floordiv(c - 0x10000, 1024), 0xDC00 + floormod(c - 0x10000, 1024)
        wide = greater_equal(c, 0x10000)
        first, second = where(wide, high, c), where(wide, low, zeros_like(c))
        slots = [floordiv(first, 256), floormod(first, 256), floordiv(second, 256), floormod(second, 256)]
        return stack(slots, 1), where(wide, zeros_like(c) + 4, zeros_like(c) + 2)
    n = where(less(c, 0x80), zeros_like(c) + 1, where(less(c, 0x800), zeros_like(c) + 2, zeros_like(c) + 3))
    n = where(greater_equal(c, 0x10000), zeros_like(c) + 4, n)
    lead_mark = gather(convert_to_tensor(np.array([0, 0, 0xC0, 0xE0, 0xF0], np.int64)), n)
    slots = []
    for k in builtins.range(4):
        # Byte k of an n-byte sequence holds bits 6 * (n - 1 - k) upwards.
        shift = gather(convert_to_tensor(np.array([64**i for i in builtins.range(4)], np.int64)), _clip(n - 1 - k))
        six = floormod(floordiv(c, shift), 64)
        slots.append(where(less(k, 1), lead_mark + floordiv(c, shift), 0x80 + six))
    return stack(slots, 1), n


def _clip(x: Tensor) -> Tensor:
    return where(less(x, 0), zeros_like(x), x)


def unicode_transcode(
    input: Any,
    input_encoding: str,
    output_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name: Optional[str] = None,
) -> Tensor:
    """Each string re-encoded from ``input_encoding`` to ``output_encoding`` (UTF-8, UTF-16-BE, UTF-32-BE)."""
    if output_encoding not in _OUTPUT_ENCODINGS:
        raise InvalidArgumentError(
            f"Value for attr 'output_encoding' of \"{output_encoding}\" is not in the list of allowed values: "
            '"UTF-8", "UTF-16-BE", "UTF-32-BE"'
        )
    d = _decode(input, input_encoding, errors, replacement_char, replace_control_characters, "unicode_transcode")
    data, used = _encoded_bytes(d.codes, output_encoding)
    slot = expand_dims(range(4, dtype="int64"), 0)
    keep = reshape(less(slot, expand_dims(used, 1)), [-1])
    chosen = _select(keep)
    pieces = gather(convert_to_tensor(_BYTES), gather(reshape(data, [-1]), chosen))
    owners = gather(reshape(expand_dims(d.rows, 1) + zeros_like(slot), [-1]), chosen)
    strings = d.strings
    count = strings.shape.num_elements()
    total = count if count is not None else reduce_sum(zeros_like(reshape(strings, [-1]), dtype="int64") + 1)
    out = join_groups(pieces, owners, total, "")
    if strings.shape.is_fully_defined():
        return reshape(out, strings.shape.as_list())
    return apply("reshape_like", [out, strings])
