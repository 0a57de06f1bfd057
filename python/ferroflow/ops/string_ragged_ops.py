"""String ops with ragged results: ``tf.strings.split``, ``unicode_decode``/``unicode_split``/``bytes_split``
(``unicode_encode`` is in ``string_unicode_encode_ops``).

The core computes a split as two ops over a 1-D input (the flat pieces and the row splits). A scalar
input gives a 1-D tensor; a tensor of rank >= 1 gives a ``RaggedTensor`` whose outer dimensions are the
input's, eagerly and inside graphs (where its row splits are graph tensors).
"""

from __future__ import annotations

import builtins
from typing import Any, Optional

import numpy as np

from ..framework.graph_ragged_tensor import GraphRaggedTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, expand_dims, gather, reshape, shape, zeros_like
from .array_ops import range as tf_range
from .string_ops import _over_ragged, _strings, _text


def _nest_outer(result: Any, x: Tensor) -> Any:
    """Groups the rows of ``result`` (one per element of the flattened input ``x``) back into ``x``'s outer
    axes."""
    dims = x.shape.as_list()
    if not isinstance(result, GraphRaggedTensor):
        for dim in reversed(dims[1:]):
            splits = np.arange(0, result.nrows_int() + 1, dim)
            result = RaggedTensor.from_row_splits(result, splits, validate=False)
        return result
    sizes = shape(x, out_type="int64")
    for axis in reversed(builtins.range(1, len(dims))):
        dim = sizes[axis] if dims[axis] is None else convert_to_tensor(dims[axis], dtype="int64")
        splits = tf_range(0, result.nrows() + 1, dim, dtype="int64")
        result = RaggedTensor.from_row_splits(result, splits, validate=False)
    return result


def _ragged_over(x: Tensor, pieces: str, splits: str, attrs: dict, what: str) -> Any:
    """Applies the flat-values op ``pieces`` and the row-splits op ``splits`` to ``x``, shaped as TF does:
    a 1-D tensor for a scalar, else a ``RaggedTensor`` (with graph row splits inside a graph)."""
    if len(x.shape) == 0:
        return apply(pieces, [reshape(x, [1])], attrs)
    flat = reshape(x, [-1])
    values = apply(pieces, [flat], attrs)
    row_splits = apply(splits, [flat], attrs)
    if isinstance(x, EagerTensor):
        row_splits = row_splits.numpy()
    result = RaggedTensor.from_row_splits(values, row_splits, validate=False)
    return _nest_outer(result, x)


@_over_ragged
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


@_over_ragged
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


@_over_ragged
def unicode_split(
    input: Any, input_encoding: str, errors: str = "replace", replacement_char: int = 65533, name: Any = None
) -> Any:
    """Each UTF-8 string split into its characters (strings of one character each)."""
    codes = unicode_decode(input, input_encoding, errors, replacement_char)
    if isinstance(codes, RaggedTensor):
        return codes.with_flat_values(apply("strings.unicode_encode", [expand_dims(codes.flat_values, -1)]))
    return apply("strings.unicode_encode", [expand_dims(codes, -1)])


@_over_ragged
def bytes_split(input: Any, name: Optional[str] = None) -> Any:
    """Each string split into its bytes (strings of one byte each)."""
    from .ragged_partition_ops import ranges
    from .string_ops import length, substr

    x = _strings(input, "bytes_split")
    flat = reshape(x, [-1])
    lengths = cast(length(flat), "int64")
    starts = zeros_like(lengths)
    splits, within = ranges(starts, lengths)
    if isinstance(x, EagerTensor):
        splits = splits.numpy()
    rows = RaggedTensor.from_row_splits(within, splits, validate=False)
    owners = rows.value_rowids()
    values = substr(gather(flat, owners), within, zeros_like(within) + 1)
    if len(x.shape) == 0:
        return values
    return _nest_outer(rows.with_values(values), x)
