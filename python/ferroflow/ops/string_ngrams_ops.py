"""``tf.strings.ngrams``: windows of adjacent strings along the last axis, joined with a separator.

TensorFlow's ``StringNGrams`` rules: with padding, each row is extended by ``pad`` copies of the left and
right pad values (``pad`` is ``padding_width`` capped at ``width - 1``, or ``width - 1`` by default); a row
of length ``L`` gives ``max(0, L + 2 * pad - width + 1)`` n-grams per width, widths in the given order; with
``preserve_short_sequences`` a non-empty row that gives none gets one n-gram of the whole padded row.

Dense data (any rank, also inside ``tf.function``) gathers each width's windows from the row extended by
pad columns and joins them with ``reduce_join``. Ragged data lays out the same windows per row and joins
them with a group join (eagerly) or ``reduce_join`` (inside graphs, ``string_ngrams_graph.py``).
"""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence, Union

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from ._string_groups import join_groups
from .array_ops import cast, concat, expand_dims, gather, range, shape, where, zeros_like
from .math_ops import add, greater, greater_equal, less, logical_and, maximum
from .string_ops import join, reduce_join


def _pads(pad_values: Any, padding_width: Optional[int]) -> tuple:
    """(left pad, right pad, the pad-width attribute: 0 none, -1 ``width - 1``, else the width)."""
    if pad_values is None:
        left = right = ""
    elif isinstance(pad_values, (list, tuple)):
        if not all(isinstance(v, (str, bytes)) for v in pad_values[:2]):
            raise TypeError("pad_values must be a string, tuple of strings, or None.")
        left, right = pad_values[0], pad_values[1]
    elif isinstance(pad_values, (str, bytes)):
        left = right = pad_values
    else:
        raise TypeError("pad_values must be a string, tuple of strings, or None.")
    if padding_width is not None and padding_width < 1:
        raise ValueError("padding_width must be greater than 0.")
    if padding_width is not None and pad_values is None:
        raise ValueError("pad_values must be provided if padding_width is set.")
    attr = 0 if pad_values is None else (-1 if padding_width is None else int(padding_width))
    return left, right, attr


def _pad_of(width: int, attr: int) -> int:
    return width - 1 if attr < 0 else min(attr, width - 1)


def _windows(length: Tensor, width: Any, pad: Any, count: Tensor) -> Tensor:
    """``[count, width]`` column indices into a row extended by ``[left pad, right pad]`` columns:
    window ``k`` covers padded positions ``k .. k + width - 1``."""
    q = add(expand_dims(range(count, dtype="int64"), 1), expand_dims(range(cast(width, "int64"), dtype="int64"), 0))
    inside = q - pad
    left, right = length, length + 1
    return where(
        less(inside, 0), zeros_like(q) + left, where(greater_equal(inside, length), zeros_like(q) + right, inside)
    )


def _dense(data: Tensor, widths: Sequence[int], sep: Any, left: Any, right: Any, attr: int, preserve: bool) -> Tensor:
    length = cast(shape(data, out_type="int64")[-1], "int64")
    blank = reduce_join(data[..., :0], axis=-1, keepdims=True)  # '' shaped [..., 1]
    extended = concat([data, join([blank, convert_to_tensor(left)]), join([blank, convert_to_tensor(right)])], -1)
    parts, total = [], convert_to_tensor(np.int64(0))
    for width in widths:
        pad = _pad_of(width, attr)
        count = maximum(length + (2 * pad - width + 1), 0)
        total = total + count
        parts.append(
            reduce_join(gather(extended, _windows(length, width, pad, count), axis=-1), axis=-1, separator=sep)
        )
    if preserve and attr >= 0:
        # One n-gram of the whole padded row when no width gave any (and the row is not empty).
        count = cast(logical_and(less(total, 1), greater(length, 0)), "int64")
        width = length + 2 * attr
        windows = _windows(length, width, attr, count)
        parts.append(reduce_join(gather(extended, windows, axis=-1), axis=-1, separator=sep))
    return concat(parts, -1)


def _ragged_rows(values: Tensor, splits: np.ndarray, widths: Sequence[int], sep: Any, left: Any, right: Any,
                 attr: int, preserve: bool) -> RaggedTensor:  # fmt: skip
    """N-grams of each row of a ragged-rank-1 tensor given by flat ``values`` and its row ``splits``."""
    n = int(splits[-1])
    tokens, owner, out_splits = [], [], [0]
    for r in builtins.range(len(splits) - 1):
        start, length = int(splits[r]), int(splits[r + 1] - splits[r])
        specs = [(w, _pad_of(w, attr), builtins.max(0, length + 2 * _pad_of(w, attr) - w + 1)) for w in widths]
        if preserve and length > 0 and sum(c for _, _, c in specs) == 0:
            specs.append((length + 2 * attr, attr, 1))
        made = 0
        for width, pad, count in specs:
            for k in builtins.range(count):
                for q in builtins.range(k, k + width):
                    inside = q - pad
                    tokens.append(n if inside < 0 else (n + 1 if inside >= length else start + inside))
                    owner.append(out_splits[-1] + made)
                made += 1
        out_splits.append(out_splits[-1] + made)
    extended = concat([values, convert_to_tensor([left, right], dtype="string")], 0)
    pieces = gather(extended, np.array(tokens, np.int64))
    joined = join_groups(pieces, convert_to_tensor(np.array(owner, np.int64)), out_splits[-1], sep)
    return RaggedTensor.from_row_splits(joined, np.array(out_splits, np.int64), validate=False)


def ngrams(
    data: Any,
    ngram_width: Union[int, Sequence[int]],
    separator: str = " ",
    pad_values: Any = None,
    padding_width: Optional[int] = None,
    preserve_short_sequences: bool = False,
    name: Optional[str] = None,
) -> Any:
    """The n-grams of ``data``'s last axis (a tensor for dense data, a ``RaggedTensor`` for ragged data)."""
    left, right, attr = _pads(pad_values, padding_width)
    widths = list(ngram_width) if isinstance(ngram_width, (list, tuple)) else [ngram_width]
    for width in widths:
        if width < 1:
            raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    widths = [int(w) for w in widths]
    if isinstance(data, RaggedTensor):
        if data.ragged_rank > 1:
            inner = ngrams(data.values, widths, separator, pad_values, padding_width, preserve_short_sequences)
            return data.with_values(inner)
        splits = data.row_splits
        if not isinstance(splits, EagerTensor):
            from .string_ngrams_graph import graph_rows

            return graph_rows(data, widths, separator, left, right, attr, preserve_short_sequences)
        return _ragged_rows(data.values, splits.numpy(), widths, separator, left, right, attr, preserve_short_sequences)
    x = data if isinstance(data, Tensor) else convert_to_tensor(data, dtype_hint="string")
    if x.dtype.name != "string":
        raise ValueError(f"data: Tensor conversion requested dtype string for Tensor with dtype {x.dtype.name}: {x}")
    if x.shape.rank is None:
        raise ValueError("Rank of data must be known.")
    if x.shape.rank == 0:
        raise ValueError("Data must have rank>0")
    return _dense(x, widths, separator, left, right, attr, preserve_short_sequences)
