"""Ragged components of ``tf.data`` elements: a ``RaggedTensor`` inside a pipeline.

A pipeline holds each element as flat NumPy components. A ragged leaf (``RaggedTensorSpec``) is one
``RaggedComponent``: its flat values and the row splits of each ragged dimension, outermost first. It answers
what the pipeline asks of an array (``shape``, ``ndim``, ``len``, rows by index or slice), so slicing, batching
and unbatching treat it as TensorFlow treats a ragged tensor: a row of a ragged-rank-1 component is a dense
array, and batching rows of different lengths (``ragged_rank=0`` leaves) or ragged components adds a ragged
dimension.
"""

from __future__ import annotations

from typing import Any, List, Sequence

import numpy as np

from .row_indexed import RowIndexed


class RaggedComponent(RowIndexed):
    """Flat values (a NumPy array) split by ``nested_splits`` (int64 arrays, outermost first)."""

    __slots__ = ("flat_values", "nested_splits")

    def __init__(self, flat_values: np.ndarray, nested_splits: Sequence[np.ndarray]) -> None:
        self.flat_values = flat_values
        self.nested_splits = tuple(np.asarray(s, dtype=np.int64) for s in nested_splits)

    @classmethod
    def from_value(cls, rt: Any) -> RaggedComponent:
        """The component of an eager ``RaggedTensor``."""
        from ..framework.tensor import EagerTensor

        flat = rt.flat_values
        if not isinstance(flat, EagerTensor):
            raise TypeError(f"tf.data needs values, not the symbolic ragged tensor {rt!r} of a graph being built")
        return cls(flat._t.numpy(), [s.numpy() for s in rt.nested_row_splits])

    # -- what the pipeline asks of a component
    @property
    def ragged_rank(self) -> int:
        return len(self.nested_splits)

    @property
    def dtype(self) -> np.dtype:
        return self.flat_values.dtype

    @property
    def shape(self) -> tuple:
        return (len(self),) + (None,) * self.ragged_rank + tuple(self.flat_values.shape[1:])

    @property
    def ndim(self) -> int:
        return 1 + self.ragged_rank + self.flat_values.ndim - 1

    def __len__(self) -> int:
        return len(self.nested_splits[0]) - 1

    # -- rows
    def row(self, i: int) -> Any:
        """Row ``i``: a dense array (ragged rank 1) or a component with one ragged dimension less."""
        low, high = i, i + 1
        inner = []
        for splits in self.nested_splits:
            part = splits[low : high + 1]
            inner.append(part - part[0])
            low, high = int(part[0]), int(part[-1])
        values = self.flat_values[low:high]
        return values if len(inner) == 1 else RaggedComponent(values, inner[1:])

    def rows(self, index: np.ndarray) -> RaggedComponent:
        """The rows ``index``, in that order."""
        levels, values = _take(list(self.nested_splits), self.flat_values, np.asarray(index, dtype=np.int64))
        return RaggedComponent(values, levels)

    # -- conversions
    def to_tensor(self) -> Any:
        """The ``RaggedTensor`` iteration yields."""
        from .. import _core
        from ..framework.ragged_tensor import RaggedTensor
        from ..framework.tensor import EagerTensor
        from .structure import contiguous

        values = EagerTensor(_core.Tensor.from_numpy(contiguous(self.flat_values)))
        return RaggedTensor.from_nested_row_splits(values, self.nested_splits, validate=False)

    def numpy(self) -> Any:
        """What ``as_numpy_iterator`` yields: ``RaggedTensor.numpy()`` (rows as arrays)."""
        return self.to_tensor().numpy()

    def __repr__(self) -> str:
        return f"RaggedComponent(shape={self.shape}, dtype={self.dtype})"


def _take(levels: List[np.ndarray], values: np.ndarray, index: np.ndarray) -> tuple:
    if not levels:
        return [], values[index]
    splits = levels[0]
    starts = splits[index]
    lengths = splits[index + 1] - starts
    new_splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    inner = np.repeat(starts - new_splits[:-1], lengths) + np.arange(int(new_splits[-1]), dtype=np.int64)
    rest, taken = _take(levels[1:], values, inner)
    return [new_splits] + rest, taken


def batch(parts: Sequence[Any], index: int) -> RaggedComponent:
    """Elements of one ragged leaf (components, or arrays of one rank for ``ragged_rank=0``) as the rows of a
    component with one more ragged dimension."""
    from ..errors import InvalidArgumentError

    if all(isinstance(p, RaggedComponent) for p in parts):
        ranks = {p.ragged_rank for p in parts}
        inner = {p.flat_values.shape[1:] for p in parts}
        if len(ranks) > 1 or len(inner) > 1:
            raise InvalidArgumentError(
                f"Cannot batch ragged tensors of different ragged ranks or inner shapes in component {index}"
            )
        counts = [len(p) for p in parts]
        levels = [_concat_splits([p.nested_splits[k] for p in parts]) for k in range(ranks.pop())]
        values = np.concatenate([p.flat_values for p in parts])
        return RaggedComponent(values, [np.concatenate([[0], np.cumsum(counts)])] + levels)
    arrays = [np.asarray(p) for p in parts]
    if (
        any(isinstance(p, RaggedComponent) for p in parts)
        or len({a.shape[1:] for a in arrays}) > 1
        or any(a.ndim == 0 for a in arrays)
    ):
        shapes = [list(a.shape) for a in arrays]
        raise InvalidArgumentError(
            f"Cannot batch tensors of component {index} into a ragged tensor: the elements need the same rank and "
            f"the same dimensions after the first, received shapes {shapes[:4]}"
        )
    counts = [len(a) for a in arrays]
    return RaggedComponent(np.concatenate(arrays), [np.concatenate([[0], np.cumsum(counts)])])


def _concat_splits(parts: List[np.ndarray]) -> np.ndarray:
    out, offset = [parts[0]], parts[0][-1]
    for s in parts[1:]:
        out.append(s[1:] + offset)
        offset = offset + s[-1]
    return np.concatenate(out).astype(np.int64)
