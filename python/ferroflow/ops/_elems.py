"""What ``map_fn``, ``scan`` and the folds share: the elements they unpack along the first axis, the
per-step results they check, and the preallocated buffers that collect results in a graph."""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework import nest
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from . import _tensor_array_graph as graph_buffer
from ._structure import assert_same_structure


def tensor_of(x: Any, dtype: Any = None) -> Tensor:
    from ..framework.variables import Variable

    if isinstance(x, Variable):
        x = x.value()
    return convert_to_tensor(x, dtype=dtype) if not isinstance(x, Tensor) else x


class Elements:
    """The flat tensors of ``elems`` and their common first dimension: ``n`` (a Python int, or None) and
    ``count`` (that int, or a scalar tensor when only known at run time)."""

    def __init__(self, elems: Any) -> None:
        self.structure = elems
        self.flat = [tensor_of(e) for e in nest.flatten(elems)]
        if not self.flat:
            raise ValueError("elems must hold at least one tensor")
        for e in self.flat:
            if e.shape.rank == 0:
                raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        n: Optional[int] = None
        for e in self.flat:
            d = e.shape[0] if e.shape.rank is not None else None
            if d is not None and n is not None and d != n:
                raise ValueError(f"Dimensions {n} and {d} are not compatible")
            n = d if d is not None else n
        self.n = n
        if n is not None:
            self.count: Any = n
        else:
            self.count = graph_buffer.num_rows(self.flat[0])

    def at(self, i: Any) -> Any:
        """Element ``i`` of every tensor, in the structure of ``elems``."""
        if isinstance(i, int):
            parts = [apply("strided_slice", [e], {"specs": [("index", i)]}) for e in self.flat]
        else:
            parts = [apply("gather", [e, graph_buffer._i32(i)], {"axis": 0}) for e in self.flat]
        return nest.pack_sequence_as(self.structure, parts)

    def index(self, k: Any, reverse: bool) -> Any:
        """The element index of step ``k``: ``k``, or ``n - 1 - k`` when ``reverse``."""
        if not reverse:
            return k
        if isinstance(k, int) and isinstance(self.count, int):
            return self.count - 1 - k
        return apply("sub", [apply("sub", [graph_buffer._i32(self.count), graph_buffer._i32(1)]), graph_buffer._i32(k)])


def step_result(out: Any, expected: Any, dtypes: Optional[list], what: str) -> list:
    """The flat tensors of one step's result, checked against the ``expected`` structure (None: any) and
    ``dtypes`` (None: any), as TensorFlow's TensorArray writes check them."""
    if expected is not None:
        assert_same_structure(expected, out, what=what)
    flat = nest.flatten(out)
    tensors = []
    for k, v in enumerate(flat):
        want = None if dtypes is None else dtypes[k]
        t = tensor_of(v, None if isinstance(v, Tensor) else want)
        if want is not None and t.dtype != want:
            raise InvalidArgumentError(
                f"TensorArray dtype is {want.name} but Op is trying to write dtype {t.dtype.name}"
            )
        tensors.append(t)
    return tensors


def check_same_shapes(rows: list) -> None:
    """``rows``: per step, the flat results. Every step's results must have the first step's shapes."""
    for k in range(len(rows[0]) if rows else 0):
        first = rows[0][k].shape
        for r in rows[1:]:
            if tuple(r[k].shape) != tuple(first):
                raise ValueError(f"Incompatible shape for value ({r[k].shape}), expected ({first})")


def stack_rows(rows: list, n_outputs: int) -> list:
    """Per output, the eager stack of its value at every step."""
    from .array_ops import stack

    return [stack([r[k] for r in rows], axis=0) for k in range(n_outputs)]


def empty_output(shape: Any, dtype: Any) -> Tensor:
    import numpy as np

    dims = [] if shape is None else [0 if d is None else d for d in shape]
    return convert_to_tensor(np.zeros([0] + dims, as_dtype(dtype).as_numpy_dtype))


def buffers_for(first: list, count: Any) -> list:
    """One zero buffer of ``count`` rows per tensor of ``first`` (each row shaped like it)."""
    return [graph_buffer.zero_rows(count, t) for t in first]


def write_rows(buffers: list, index: Any, values: list) -> list:
    return [graph_buffer.write(b, index, v, preallocated=True) for b, v in zip(buffers, values)]


def with_rows(buffers: list, n: Optional[int]) -> list:
    """The buffers with their static first dimension set to ``n`` when known."""
    from ..framework.tensor_shape import TensorShape

    if n is None:
        return buffers
    return [graph_buffer.refined(b, TensorShape([n]).concatenate(b.shape[1:])) for b in buffers]
