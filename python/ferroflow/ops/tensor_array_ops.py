"""``tf.TensorArray``: a list of same-dtype tensors that loops write into and stack at the end.

Eagerly it holds the written tensors in a Python list (a tape records the ops that read and stack them, so
gradients flow). In a graph it holds one buffer tensor (ops/_tensor_array_graph.py) and every write returns a
new ``TensorArray`` with a new buffer, which is what lets it be a loop variable of ``tf.while_loop``. As in
TensorFlow 2, ``write``, ``unstack``, ``scatter`` and ``split`` return the new array: use what they return.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from . import _tensor_array_graph as graph_buffer
from ._tensor_array_rows import _TensorArrayRows


def _out_of_range(message: str) -> Exception:
    from ..errors import OutOfRangeError

    return OutOfRangeError(message)


class TensorArray(_TensorArrayRows):
    """``tf.TensorArray(dtype, size=None, dynamic_size=None, clear_after_read=None, ..., element_shape=None)``."""

    def __init__(
        self,
        dtype: Any,
        size: Any = None,
        dynamic_size: Optional[bool] = None,
        clear_after_read: Optional[bool] = None,
        tensor_array_name: Optional[str] = None,
        handle: Any = None,
        flow: Any = None,
        infer_shape: bool = True,
        element_shape: Any = None,
        colocate_with_first_write_call: bool = True,
        name: Optional[str] = None,
    ) -> None:
        self._dtype = as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = bool(infer_shape)
        self._element_shape = TensorShape(None) if element_shape is None else TensorShape(element_shape)
        if context.current_graph() is None:
            if size is None:
                raise ValueError("Size must be declared for TensorArrays when eager execution is enabled.")
            self._items: Optional[list] = [None] * int(size)
            self._cleared: set = set()
            self._size, self._buffer, self._preallocated = None, None, False
            return
        if size is None and not self._dynamic_size:
            raise ValueError("Size must be provided if handle is not provided")
        self._items = None
        self._size = 0 if size is None else (int(size) if isinstance(size, (int, np.integer, EagerTensor)) else size)
        # A dynamic size grows the buffer, so only a fixed size is preallocated.
        rows = None if self._dynamic_size else self._size
        self._buffer, self._preallocated = graph_buffer.initial_buffer(self._dtype, self._element_shape, rows)

    # -- description
    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    @property
    def flow(self) -> Tensor:
        """The graph buffer (a scalar zero eagerly): what a loop carries for this array."""
        return convert_to_tensor(0.0) if self._buffer is None else self._buffer

    @property
    def handle(self) -> Any:
        return None

    def _copy(self, **changes: Any) -> TensorArray:
        out = object.__new__(TensorArray)
        out.__dict__.update(self.__dict__)
        out.__dict__.update(changes)
        return out

    def _value(self, value: Any) -> Tensor:
        if isinstance(value, Tensor):
            t = value
        else:
            from ..framework.variables import Variable

            t = value.value() if isinstance(value, Variable) else convert_to_tensor(value, dtype=self._dtype)
        if t.dtype != self._dtype:
            raise InvalidArgumentError(
                f"TensorArray dtype is {self._dtype.name} but Op is trying to write dtype {t.dtype.name}"
            )
        return t

    def _merge_shape(self, shape: TensorShape) -> TensorShape:
        if not self._infer_shape:
            return self._element_shape
        if not self._element_shape.is_compatible_with(shape):
            raise ValueError(f"Incompatible shape for value ({shape}), expected ({self._element_shape})")
        return self._element_shape.merge_with(shape)

    # -- writing
    def write(self, index: Any, value: Any, name: Optional[str] = None) -> TensorArray:
        """The array with ``value`` at ``index`` (a new ``TensorArray``)."""
        value = self._value(value)
        shape = self._merge_shape(value.shape)
        if self._items is None:
            buffer = graph_buffer.write(self._buffer, index, value, self._preallocated)
            return self._copy(_buffer=buffer, _element_shape=shape)
        i = int(index)
        if i < 0:
            raise _out_of_range(f"Writing to negative indices (index {i}) is not allowed.")
        items = list(self._items)
        if i >= len(items):
            if not self._dynamic_size:
                raise _out_of_range(
                    f"Tried to write to index {i} but array is not resizeable and size is: {len(items)}"
                )
            items.extend([None] * (i + 1 - len(items)))
        items[i] = value
        return self._copy(_items=items, _element_shape=shape, _cleared=set(self._cleared) - {i})

    def unstack(self, value: Any, name: Optional[str] = None) -> TensorArray:
        """The array holding the rows of ``value`` (split along its first axis)."""
        value = self._value(value)
        if value.shape.rank == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0 for the value given to unstack")
        shape = self._merge_shape(value.shape[1:])
        if self._items is None:
            return self._copy(_buffer=value, _element_shape=shape, _preallocated=not self._dynamic_size)
        rows = [apply("strided_slice", [value], {"specs": [("index", i)]}) for i in range(int(value.shape[0]))]
        return self._copy(_items=rows, _element_shape=shape, _cleared=set())

    def scatter(self, indices: Any, value: Any, name: Optional[str] = None) -> TensorArray:
        """The array with row ``j`` of ``value`` written at ``indices[j]``."""
        value = self._value(value)
        shape = self._merge_shape(value.shape[1:])
        if self._items is None:
            buffer = graph_buffer.scatter(self._buffer, indices, value, self._preallocated)
            return self._copy(_buffer=buffer, _element_shape=shape)
        out = self
        for j, i in enumerate(np.asarray(convert_to_tensor(indices).numpy()).reshape(-1).tolist()):
            out = out.write(int(i), apply("strided_slice", [value], {"specs": [("index", j)]}))
        return out

    def split(self, value: Any, lengths: Any, name: Optional[str] = None) -> TensorArray:
        """The array of consecutive pieces of ``value`` (along its first axis) of the given ``lengths``."""
        value = self._value(value)
        sizes = [int(n) for n in np.asarray(convert_to_tensor(lengths).numpy()).reshape(-1)]
        total = value.shape[0]
        if total is not None and sum(sizes) != total:
            raise InvalidArgumentError(
                "Expected sum of lengths to be equal to values.shape[0], but sum of lengths is "
                f"{sum(sizes)} and value's shape is: {list(value.shape)} "
            )
        if self._items is None:
            if len(set(sizes)) > 1:
                raise NotImplementedError("TensorArray.split into pieces of different lengths in a graph")
            n = sizes[0] if sizes else 0
            rest = value.shape.as_list()[1:]
            pieces = apply("reshape", [value], {"shape": [len(sizes), n] + [-1 if d is None else d for d in rest]})
            return self._copy(_buffer=pieces, _element_shape=TensorShape([n] + rest), _preallocated=True)
        rows, at = [], 0
        for n in sizes:
            rows.append(apply("strided_slice", [value], {"specs": [("range", at, at + n, 1)]}))
            at += n
        shape = self._element_shape if len(set(sizes)) > 1 else self._merge_shape(rows[0].shape if rows else None)
        return self._copy(_items=rows, _element_shape=shape, _cleared=set())

    # -- reading
    def read(self, index: Any, name: Optional[str] = None) -> Tensor:
        """The element at ``index``."""
        if self._items is None:
            return self._graph_rows(lambda b: apply("gather", [b, graph_buffer._i32(index)], {"axis": 0}), "read")
        i = int(index)
        if i < 0:
            raise _out_of_range(f"Reading from negative indices (index {i}) is not allowed.")
        if i >= len(self._items):
            raise _out_of_range(f"Tried to read from index {i} but array size is: {len(self._items)} ")
        value = self._items[i]
        if value is None:
            if i in self._cleared:
                raise InvalidArgumentError(
                    f"Could not read index {i} twice because it was cleared after a previous read "
                    "(perhaps try setting clear_after_read = false?)"
                )
            value = self._zeros(f"Could not read from TensorArray index {i} because it has not yet been written to.")
        if self._clear_after_read:
            self._items[i] = None
            self._cleared.add(i)
        return value

    def gather(self, indices: Any, name: Optional[str] = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        if self._items is None:
            return self._graph_rows(lambda b: apply("gather", [b, graph_buffer._i32(indices)], {"axis": 0}), "gather")
        idx = np.asarray(convert_to_tensor(indices).numpy()).reshape(-1).tolist()
        return self._stack_items([self._element(int(i)) for i in idx])

    def stack(self, name: Optional[str] = None) -> Tensor:
        """All elements, stacked along a new first axis."""
        if self._items is None:
            return self._graph_stack()
        return self._stack_items([self._element(i) for i in range(len(self._items))])

    def concat(self, name: Optional[str] = None) -> Tensor:
        """All elements, concatenated along their first axis."""
        if self._items is None:
            stacked = self._graph_stack()
            rest = self._element_shape.as_list()[1:] if self._element_shape.rank else []
            if self._element_shape.rank in (None, 0) or None in rest:
                raise ValueError(
                    f"TensorArray.concat in a graph needs elements of known shape past the first axis, "
                    f"received element shape {self._element_shape}"
                )
            return apply("reshape", [stacked], {"shape": [-1] + rest})
        items = [self._element(i) for i in range(len(self._items))]
        if not items:
            rest = self._element_shape.as_list()[1:] if self._element_shape.rank else []
            return convert_to_tensor(np.zeros([0] + [d or 0 for d in rest], self._dtype.as_numpy_dtype))
        from .array_ops import concat

        return concat(items, axis=0)

    def size(self, name: Optional[str] = None) -> Tensor:
        """The number of elements (for ``dynamic_size``, one past the highest written index)."""
        if self._items is not None:
            return convert_to_tensor(len(self._items), dtype="int32")
        if self._dynamic_size:
            return graph_buffer.num_rows(self._buffer) if self._buffer is not None else convert_to_tensor(0)
        return graph_buffer._i32(self._size)

    def identity(self) -> TensorArray:
        """A new ``TensorArray`` with the same elements."""
        return self._copy(_items=None if self._items is None else list(self._items))

    def close(self, name: Optional[str] = None) -> None:
        """Nothing to release: the elements are ordinary tensors."""
        return None

    def mark_used(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<tf.TensorArray dtype={self._dtype.name} element_shape={self._element_shape}>"


__all__ = ["TensorArray"]
