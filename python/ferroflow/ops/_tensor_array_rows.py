"""How a ``TensorArray``'s elements are read and stacked: unwritten ones as zeros, eager lists, the graph buffer."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import _tensor_array_graph as graph_buffer


class _TensorArrayRows:
    """A base of ``TensorArray``: its elements (a Python list eagerly, a buffer tensor in a graph) as tensors."""

    def _element(self, i: int) -> Tensor:
        value = self._items[i]
        return (
            value
            if value is not None
            else self._zeros(f"Could not read from TensorArray index {i} because it has not yet been written to.")
        )

    def _zeros(self, message: str) -> Tensor:
        if not self._element_shape.is_fully_defined():
            raise InvalidArgumentError(message)
        return convert_to_tensor(np.zeros(self._element_shape.as_list(), self._dtype.as_numpy_dtype))

    def _stack_items(self, items: list) -> Tensor:
        if not items:
            return self._empty_stack()
        shapes = {tuple(t.shape) for t in items}
        if len(shapes) > 1:
            raise ValueError(f"TensorArray has inconsistent shapes: {sorted(shapes)}; stack needs equal shapes")
        from .array_ops import stack

        return stack(items, axis=0)

    def _graph_rows(self, take: Any, what: str) -> Tensor:
        if self._buffer is None:
            raise ValueError(
                f"TensorArray.{what}: nothing was written yet and the element shape is unknown; pass "
                "element_shape= when creating the TensorArray"
            )
        out = take(self._buffer)
        if what == "read":
            return graph_buffer.refined(out, self._element_shape)
        return out

    def _graph_stack(self) -> Tensor:
        if self._buffer is None:
            return self._empty_stack()
        out = self._buffer
        if self._dynamic_size:
            return graph_buffer.refined(out, TensorShape([None]).concatenate(self._element_shape))
        out = graph_buffer.pad_to(out, self._size, self._element_shape, self._dtype)
        rows = self._size if isinstance(self._size, int) else None
        return graph_buffer.refined(out, TensorShape([rows]).concatenate(self._element_shape))

    def _empty_stack(self) -> Tensor:
        """What stacking no elements gives: zero rows of the element shape (unknown dimensions as 0)."""
        dims = [] if self._element_shape.rank is None else [d or 0 for d in self._element_shape.as_list()]
        return convert_to_tensor(np.zeros([0] + dims, self._dtype.as_numpy_dtype))
