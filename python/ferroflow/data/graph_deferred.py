"""Transformations and file readers whose arguments are graph tensors known only when the graph runs.

In a ``tf.function`` (or a ``tf.data`` function traced once, ``traced_dataset_fn``), ``ds.skip(k)``,
``ds.repeat(n)`` or ``tf.data.TextLineDataset(filename)`` may be given tensors computed by the graph: the
function's arguments, an ``interleave`` element. As in TensorFlow, where such arguments are inputs of the dataset
op, the dataset is built then and gets its values at each run: ``DeferredDataset`` keeps the arguments and, as
the sources of ``graph_sources``, is ``bind``-ed (or copied bound, ``graph_binding``) to the run's values; its
iterator is then that of the transformation made with those values over its (bound) input.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Iterator, Optional

import numpy as np

from ..framework import nest
from ..framework.graph import SymbolicTensor
from . import structure
from .dataset_ops import UNKNOWN, Dataset


def _deferred(value: Any) -> bool:
    from .graph_sources import is_deferred

    return isinstance(value, SymbolicTensor) and is_deferred(value)


def any_deferred(*args: Any) -> bool:
    """Whether an argument is a graph tensor whose value is only known when the graph runs."""
    return any(_deferred(leaf) for a in args for leaf in nest.flatten(a))


def _probe(t: SymbolicTensor, k: int) -> np.ndarray:
    """A stand-in value of ``t``'s dtype and shape (unknown dimensions 1), used to find the element spec."""
    dims = t.shape._dim_list
    shape = [] if dims is None else [1 if d is None else d for d in dims]
    if t.dtype.name == "string":
        return np.full(shape, b"", dtype=object)
    if t.dtype.name == "bool":
        return np.full(shape, bool(k % 2), dtype=bool)
    return np.full(shape, k, dtype=t.dtype.as_numpy_dtype)


class DeferredDataset(Dataset):
    """``make(*inputs, *args, **kwargs)`` whose ``args``/``kwargs`` hold graph tensors (``captured``); the element
    spec is ``spec`` or that of the datasets ``make`` builds from stand-in values, dimensions that differ left
    unknown."""

    _deferred_source = True  # found by ``graph_sources``

    def __init__(
        self, make: Callable, inputs: tuple, args: tuple, kwargs: Optional[dict] = None, spec: Any = None
    ) -> None:
        self._make = make
        self._in = tuple(inputs)  # datasets: ``graph_binding`` swaps them for their bound copies
        self._args = (tuple(args), dict(kwargs or {}))
        leaves = nest.flatten(self._args)
        self.captured = [leaf for leaf in leaves if _deferred(leaf)]
        self._values: Optional[list] = None
        made = None
        try:
            for k in () if spec is not None else (1, 2):
                made = self._built([_probe(t, k) for t in self.captured])
                spec = made.element_spec if spec is None else structure.common_supertype(spec, made.element_spec, "")
        except Exception:
            if len(self._in) != 1:
                raise
            # stand-ins the transformation refuses (``shard(n, index)`` with index >= n): the input's elements
            spec = self._in[0].element_spec
        if made is not None:
            self._repr_name = getattr(made, "_repr_name", None) or "_" + type(made).__name__
        super().__init__(spec, self._in)

    def _built(self, values: list) -> Dataset:
        given = iter(values)
        leaves = [next(given) if _deferred(leaf) else leaf for leaf in nest.flatten(self._args)]
        args, kwargs = nest.pack_sequence_as(self._args, leaves)
        return self._make(*self._in, *args, **kwargs)

    def bind(self, values: list) -> None:
        """Gives the graph tensors their ``values`` (NumPy arrays, in ``captured`` order)."""
        if len(values) != len(self.captured):
            raise ValueError(f"expected {len(self.captured)} values, received {len(values)}")
        self._values = [np.asarray(v) for v in values]
        self._dataset: Optional[Dataset] = None

    def bound(self, values: list) -> DeferredDataset:
        """A copy bound to ``values``; this dataset stays as it is (``graph_binding``)."""
        new = copy.copy(self)
        new.bind(values)
        return new

    def _iterator(self) -> Iterator[tuple]:
        if self._values is None:  # TensorFlow's error for a dataset of a graph used outside it
            raise TypeError(
                f"{self.captured[0]!r} is out of scope and cannot be used here. Use return values, explicit Python "
                "locals or TensorFlow collections to access it."
            )
        if self._dataset is None:
            # made at the first iteration, over the inputs as they are then (bound copies replace them after
            # ``bind``); later iterations (``repeat``) reuse it, so a shuffle reshuffles as TensorFlow's does
            self._dataset = self._built(self._values)
        return self._dataset._iterator()

    def _cardinality(self) -> int:
        return UNKNOWN if self._values is None else self._built(self._values)._cardinality()
