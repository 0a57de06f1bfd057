"""The values a queue takes and gives: enqueue arguments checked as TensorFlow checks them when the operation is
built (``ValueError`` for shapes, dtypes and names), elements checked again when it runs (``InvalidArgumentError``,
for shapes known only then), and batches assembled for ``dequeue_many`` (padded for a ``PaddingFIFOQueue``).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..framework.variables import Variable


def component_tensors(vals: Any, dtypes: list, names: Optional[list]) -> list:
    """``vals`` (a value, a list or tuple of them, or a dict keyed by the queue's names) as one tensor per
    component, each of its component's dtype."""
    if isinstance(vals, dict):
        if not names:
            raise ValueError("Queue must have names to enqueue a dictionary")
        if sorted(names, key=str) != sorted(vals.keys(), key=str):
            raise ValueError(
                "Keys in dictionary to enqueue do not match names of Queue.  "
                f"Dictionary: {sorted(vals.keys(), key=str)},Queue: {sorted(names, key=str)}"
            )
        vals = [vals[k] for k in names]
    else:
        if names:
            raise ValueError("You must enqueue a dictionary in a Queue with names")
        if not isinstance(vals, (list, tuple)):
            vals = [vals]
    # As TensorFlow: extra values beyond the queue's components are ignored; too few fail when the op runs.
    return [_converted(val, dtype, i) for i, (val, dtype) in enumerate(zip(vals, dtypes))]


def _converted(val: Any, dtype: Any, i: int) -> Any:
    if isinstance(val, (Tensor, Variable)) and val.dtype != dtype:
        raise ValueError(
            f"component_{i}: Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{val.dtype.name}: {val!r}"
        )
    return convert_to_tensor(val, dtype=dtype)


def check_static(tensors: list, shapes: list, many: bool) -> None:
    """The build-time shape checks of ``enqueue`` / ``enqueue_many`` (ValueError, TensorFlow's messages)."""
    if not many:
        for t, shape in zip(tensors, shapes):
            t.shape.assert_is_compatible_with(shape)
        return
    batch = None
    for t, shape in zip(tensors, shapes):
        s = t.shape
        if s.rank is not None and s.rank < 1:
            raise ValueError(f"Shape {s} must have rank at least 1")
        if s.rank is not None:
            d = s[0]
            if batch is not None and d is not None and d != batch:
                raise ValueError(f"Dimensions {batch} and {d} are not compatible")
            batch = d if d is not None else batch
            TensorShape(list(s)[1:]).assert_is_compatible_with(shape)


def _fmt(shape: Any) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _check_count(arrays: list, dtypes: list) -> None:
    if len(arrays) != len(dtypes):
        have = ", ".join(a.dtype.name if a.dtype != object else "string" for a in arrays)
        raise InvalidArgumentError(
            f"Signature mismatch, have: {have} expected: {', '.join(d.name for d in dtypes)}: the queue's elements "
            f"have {len(dtypes)} components, received {len(arrays)}"
        )


def _check_element_shape(i: int, got: tuple, shape: TensorShape) -> None:
    if shape.rank is None:
        return
    if len(got) != len(shape) or any(d is not None and d != g for d, g in zip(shape, got)):
        raise InvalidArgumentError(f"Shape mismatch in tuple component {i}. Expected {_fmt(shape)}, got {_fmt(got)}")


def elements(arrays: List[np.ndarray], dtypes: list, shapes: list, many: bool) -> List[tuple]:
    """The queue elements in the run-time values of an ``enqueue`` (one) or ``enqueue_many`` (one per row)."""
    _check_count(arrays, dtypes)
    if not many:
        for i, (a, shape) in enumerate(zip(arrays, shapes)):
            _check_element_shape(i, a.shape, shape)
        return [tuple(arrays)]
    for i, a in enumerate(arrays):
        if a.ndim < 1:
            raise InvalidArgumentError(
                f"Shape mismatch in tuple component {i}: enqueue_many needs a batch dimension, got a scalar"
            )
    batch = arrays[0].shape[0]
    for i, (a, shape) in enumerate(zip(arrays, shapes)):
        if a.shape[0] != batch:
            raise InvalidArgumentError(
                f"Shape mismatch in tuple component {i}: the 0th dimension is {a.shape[0]}, component 0's is {batch}"
            )
        _check_element_shape(i, a.shape[1:], shape)
    return [tuple(np.array(a[j], dtype=a.dtype) for a in arrays) for j in range(batch)]


def kept(keep: np.ndarray, arrays: List[np.ndarray], many: bool) -> Optional[List[np.ndarray]]:
    """What a filtered enqueue adds: all of ``arrays`` or nothing (None) for a scalar ``keep``, the rows where
    ``keep`` is true for a vector."""
    if keep.ndim == 0:
        return arrays if bool(keep) else None
    for i, a in enumerate(arrays):
        if a.ndim < 1 or a.shape[0] != keep.shape[0]:
            raise InvalidArgumentError(
                f"keep_input has {keep.shape[0]} values but component {i} has shape {list(a.shape)}: they must "
                "match in the 0th dimension"
            )
    return [a[keep.astype(bool)] for a in arrays]


def require_shapes(kind: str, shapes: list, padded: bool) -> None:
    """``dequeue_many`` / ``dequeue_up_to`` stack elements: TensorFlow requires shapes to stack them by."""
    if padded:
        return
    if any(s.rank is None or not s.is_fully_defined() for s in shapes):
        raise InvalidArgumentError(
            f"{kind}'s DequeueMany and DequeueUpTo require the components to have specified shapes."
        )


def _zeros(shape: Sequence[int], np_dtype: Any) -> np.ndarray:
    if np.dtype(np_dtype) == object:
        out = np.empty(tuple(shape), dtype=object)
        out.fill(b"")
        return out
    return np.zeros(tuple(shape), dtype=np_dtype)


def batch(elements_: List[tuple], dtypes: list, shapes: list, padded: bool) -> List[np.ndarray]:
    """One array per component, the elements stacked along a new first axis; a padded queue pads each element
    with zeros (empty strings, False) up to the largest size in the batch along each of its unknown dimensions."""
    out = []
    for i, (dtype, shape) in enumerate(zip(dtypes, shapes)):
        np_dtype = dtype.as_numpy_dtype
        parts = [e[i] for e in elements_]
        if padded:
            dims = [max((p.shape[k] for p in parts), default=0) if d is None else d for k, d in enumerate(shape)]
        else:
            dims = list(shape)
        stacked = _zeros([len(parts), *dims], np_dtype)
        for j, p in enumerate(parts):
            # Through a length-1 slice, so an object (string) scalar is copied as a value, not as an array.
            stacked[(slice(j, j + 1), *[slice(0, s) for s in p.shape])] = p[np.newaxis]
        out.append(stacked)
    return out
