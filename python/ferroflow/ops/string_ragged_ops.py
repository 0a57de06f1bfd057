"""String ops with ragged results: ``tf.strings.split``, ``unicode_decode``/``unicode_split``/``bytes_split``
and ``unicode_encode``.

The core computes a split as two ops over a 1-D input (the flat pieces and the row splits). A scalar
input gives a 1-D tensor, eagerly and in graphs; a tensor of rank >= 1 gives a ``RaggedTensor`` whose
outer dimensions are the input's, which needs eager values.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import expand_dims, reshape
from .string_ops import _strings, _text


def _nest_outer(result: Any, shape: Any) -> Any:
    """Groups the rows of ``result`` (one per element of a flattened input) back into ``shape``'s outer axes."""
    for dim in reversed(list(shape)[1:]):
        result = RaggedTensor.from_row_splits(result, np.arange(0, result.nrows_int() + 1, dim), validate=False)
    return result


def _ragged_over(x: Tensor, pieces: str, splits: str, attrs: dict, what: str) -> Any:
    """Applies the flat-values op ``pieces`` and the row-splits op ``splits`` to ``x``, shaped as TF does."""
    if len(x.shape) == 0:
        return apply(pieces, [reshape(x, [1])], attrs)
    if not isinstance(x, EagerTensor):
        raise NotImplementedError(
            f"{what} of a tensor of rank {len(x.shape)} inside a graph (a ragged result) is not supported; "
            f"split scalar strings (for example inside Dataset.map) or call it eagerly"
        )
    flat = reshape(x, [-1])
    values = apply(pieces, [flat], attrs)
    result: Any = RaggedTensor.from_row_splits(values, apply(splits, [flat], attrs).numpy(), validate=False)
    return _nest_outer(result, x.shape)


def split(input: Any, sep: Any = None, maxsplit: int = -1, name: Optional[str] = None) -> Any:
    """Splits each string on ``sep`` (runs of whitespace when None), at most ``maxsplit`` times.

    A scalar gives a 1-D tensor of pieces; a tensor of rank N gives a ``RaggedTensor`` of rank N + 1.
    """
    attrs = {"sep": None if sep is None else _text(sep, "sep"), "maxsplit": maxsplit}
    x = _strings(input, "split")
    return _ragged_over(x, "strings.split_values", "strings.split_row_splits", attrs, "tf.strings.split")


def _check_encoding(encoding: str, what: str) -> None:
    if encoding.replace("-", "").upper() != "UTF8":
        raise NotImplementedError(f"{what} supports the UTF-8 encoding only, received {encoding!r}")


def unicode_decode(
    input: Any,
    input_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name: Optional[str] = None,
) -> Any:
    """The code points (int32) of each UTF-8 string; invalid bytes become ``replacement_char``
    (``errors='replace'``), are dropped (``'ignore'``) or raise (``'strict'``)."""
    from ._unicode_units import canonical

    if errors == "ignore" or replace_control_characters or canonical(input_encoding) not in ("UTF-8", ""):
        # Dropped characters, replaced controls and the other encodings: the position-wise decoder.
        from .string_unicode_offsets_ops import unicode_decode_with_offsets

        decoded = unicode_decode_with_offsets(
            input, input_encoding, errors, replacement_char, replace_control_characters
        )
        return decoded[0]
    _check_encoding(input_encoding, "unicode_decode")
    if errors not in ("replace", "ignore", "strict"):
        raise ValueError(f"errors must be one of 'strict', 'replace', 'ignore', received {errors!r}")
    x = _strings(input, "unicode_decode")
    if errors == "strict" and isinstance(x, EagerTensor):
        for s in np.asarray(x.numpy()).reshape(-1):
            try:
                s.decode("utf-8")
            except UnicodeDecodeError as e:
                from ..errors import InvalidArgumentError

                raise InvalidArgumentError(f"Invalid formatting on input string {s!r}: {e}") from None
    attrs = {"replacement": -1 if errors == "ignore" else replacement_char}
    return _ragged_over(
        x, "strings.unicode_decode_values", "strings.unicode_decode_row_splits", attrs, "unicode_decode"
    )


def unicode_encode(
    input: Any,
    output_encoding: str,
    errors: str = "replace",
    replacement_char: int = 65533,
    name: Optional[str] = None,
) -> Tensor:
    """Encodes code points (the last axis of an int32 tensor, or each row of a ragged one) as UTF-8."""
    _check_encoding(output_encoding, "unicode_encode")
    if isinstance(input, RaggedTensor):
        rows = [np.asarray(r, dtype=np.int64).reshape(-1) for r in input.to_list()]
        text = [
            "".join(chr(c) if 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF else chr(replacement_char) for c in r)
            for r in rows
        ]
        return convert_to_tensor(np.array([t.encode("utf-8") for t in text], dtype=object))
    x = convert_to_tensor(input, dtype_hint="int32")
    if x.dtype.name != "int32":
        raise TypeError(f"unicode_encode expects int32 code points, received a tensor of dtype {x.dtype.name}")
    return apply("strings.unicode_encode", [x])


def unicode_split(
    input: Any, input_encoding: str, errors: str = "replace", replacement_char: int = 65533, name: Any = None
) -> Any:
    """Each UTF-8 string split into its characters (strings of one character each)."""
    codes = unicode_decode(input, input_encoding, errors, replacement_char)
    if isinstance(codes, RaggedTensor):
        return codes.with_flat_values(unicode_encode(expand_dims(codes.flat_values, -1), input_encoding))
    return unicode_encode(expand_dims(codes, -1), input_encoding)


def bytes_split(input: Any, name: Optional[str] = None) -> Any:
    """Each string split into its bytes (strings of one byte each)."""
    x = _strings(input, "bytes_split")
    if not isinstance(x, EagerTensor):
        raise NotImplementedError("bytes_split inside a graph is not supported; call it eagerly")
    rows = [[bytes([b]) for b in s] for s in np.asarray(x.numpy()).reshape(-1)]
    values = convert_to_tensor(np.array([b for r in rows for b in r] or [], dtype=object))
    if len(x.shape) == 0:
        return values
    splits = np.cumsum([0] + [len(r) for r in rows])
    result: Any = RaggedTensor.from_row_splits(values, splits, validate=False)
    return _nest_outer(result, x.shape)
