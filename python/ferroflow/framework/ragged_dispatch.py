"""Elementwise ops that also take a ``tf.RaggedTensor``, as TensorFlow dispatches them (``tf.cast``,
``tf.nn.relu``, ``tf.math.is_finite`` ...): the op runs on the flat values and the row partitions are kept."""

from __future__ import annotations

import functools
from typing import Any, Callable


def on_flat_values(fn: Callable) -> Callable:
    """``fn`` (an elementwise op of one tensor) that, given a ragged tensor, returns one with the same row
    partitions and ``fn`` of its flat values."""
    from .ragged_tensor import RaggedTensor

    @functools.wraps(fn)
    def wrapper(x: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(x, RaggedTensor):
            return x.with_flat_values(fn(x.flat_values, *args, **kwargs))
        return fn(x, *args, **kwargs)

    return wrapper
