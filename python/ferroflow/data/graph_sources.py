"""Sources over tensors of a TF1 graph whose values are only known when a session runs (placeholders).

``Dataset.from_tensor_slices(placeholder)`` in graph mode builds a ``GraphSourceDataset``: its element spec
comes from the tensors' static shapes, and its values from the session that runs an initializable iterator's
``initializer`` (``tf.compat.v1.data.make_initializable_iterator``), which evaluates the tensors with the
``feed_dict`` of that run and ``bind``s them. Until then iterating it is an error, as in TensorFlow.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import nest
from ..framework.graph import SymbolicTensor
from ..framework.tensor_spec import TensorSpec
from . import structure
from .dataset_ops import UNKNOWN, Dataset
from .graph_composite_sources import bound_value, components


def is_deferred(value: Any) -> bool:
    """Whether ``value`` is a graph tensor whose value is not a constant of its graph, or a sparse or ragged
    tensor of a graph (a traced function's argument)."""
    from .graph_composite_sources import is_graph_composite

    if is_graph_composite(value):
        return True
    return isinstance(value, SymbolicTensor) and value.graph._g.const_value(value.node) is None


def has_deferred(tensors: Any) -> bool:
    return any(is_deferred(leaf) for leaf in structure.flatten_value(tensors))


def _normalize(value: Any) -> Any:
    """``structure.normalize`` that keeps the deferred tensors as they are."""
    if isinstance(value, dict):
        return type(value)((k, _normalize(v)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[_normalize(v) for v in value])
    if isinstance(value, tuple):
        return tuple(_normalize(v) for v in value)
    return value if is_deferred(value) else structure.to_component(value)


def _spec(leaf: Any) -> Any:
    from .graph_composite_sources import composite_spec, is_graph_composite

    if is_graph_composite(leaf):
        return composite_spec(leaf)
    if is_deferred(leaf):
        return TensorSpec(leaf.shape, leaf.dtype)
    return structure.spec_of_component(leaf)


class GraphSourceDataset(Dataset):
    """``from_tensor_slices`` (``sliced``) or ``from_tensors`` of values holding deferred graph tensors."""

    _repr_name = "_TensorSliceDataset"

    def __init__(self, tensors: Any, sliced: bool) -> None:
        self._value = _normalize(tensors)
        self._sliced = sliced
        flat = nest.flatten(self._value)
        self.captured = [t for leaf in flat if is_deferred(leaf) for t in components(leaf)]
        spec = nest.pack_sequence_as(self._value, [_spec(leaf) for leaf in flat])
        if sliced:
            spec = structure.unbatched(spec)
        self._bound: Optional[Dataset] = None
        super().__init__(spec)
        if not sliced:
            self._repr_name = "_TensorDataset"

    def bind(self, values: list) -> None:
        """Gives the captured tensors the ``values`` (in ``captured`` order) for the iterations that follow."""
        given = iter(values)
        flat = [bound_value(leaf, given) if is_deferred(leaf) else leaf for leaf in nest.flatten(self._value)]
        value = nest.pack_sequence_as(self._value, flat)
        from .sources import TensorDataset, TensorSliceDataset

        bound = TensorSliceDataset(value) if self._sliced else TensorDataset(value)
        for want, got in zip(nest.flatten(self._structure), nest.flatten(bound.element_spec)):
            if not want.shape.is_compatible_with(got.shape):
                raise InvalidArgumentError(f"the fed values have element shape {got.shape}, expected {want.shape}")
        self._bound = bound

    def bound(self, values: list) -> GraphSourceDataset:
        """A copy bound to ``values`` (see ``bind``); this dataset stays as it is (``graph_binding``)."""
        new = copy.copy(self)
        new.bind(values)
        return new

    def _iterator(self) -> Iterator[tuple]:
        if self._bound is None:
            names = ", ".join(t.name for t in self.captured)
            raise InvalidArgumentError(
                f"This dataset reads the graph tensors {names}, whose values are only known in a session: iterate "
                "it with tf.compat.v1.data.make_initializable_iterator and run the iterator's initializer with a "
                "feed_dict"
            )
        return self._bound._iterator()

    def _cardinality(self) -> int:
        if self._bound is not None:
            return self._bound._cardinality()
        return UNKNOWN if self._sliced else 1

    def _rows(self) -> Optional[tuple]:
        return None if self._bound is None else self._bound._rows()

    def _row_iterator(self) -> Iterator[int]:
        return self._bound._row_iterator()


def graph_sources(dataset: Dataset) -> list:
    """What ``dataset`` reads of graph tensors, through its inputs: its ``GraphSourceDataset``s, transformations
    and readers whose arguments are graph tensors (``graph_deferred``), and the traced
    functions (``map``, ``filter`` ..., ``interleave``'s in ``traced_dataset_fn``) that use tensors of the
    enclosing graph (``traced_captures``). Each has
    ``captured`` (the tensors) and ``bind`` (their values at a run)."""
    from .traced import TracedFunction
    from .traced_dataset_fn import DatasetFunction

    found: list = []
    seen: set = set()
    stack = [dataset]
    while stack:
        d = stack.pop()
        if id(d) in seen:
            continue
        seen.add(id(d))
        if isinstance(d, GraphSourceDataset) or getattr(d, "_deferred_source", False):
            found.append(d)
        found.extend(f for f in vars(d).values() if isinstance(f, (TracedFunction, DatasetFunction)) and f.captured)
        stack.extend(i for i in d._inputs if isinstance(i, Dataset))
    return found


class GraphRangeDataset(GraphSourceDataset):
    """``Dataset.range`` whose bounds are graph tensors (a ``tf.function``'s arguments or values computed from
    them, TF1 placeholders): the bounds are ``bind``-ed when the graph runs, as the sliced tensors above."""

    _repr_name = "_RangeDataset"

    def __init__(self, args: tuple, dtype: Any) -> None:
        from ..framework.dtypes import as_dtype

        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 positional arguments, received {len(args)}")
        self._args = tuple(args)
        self._dtype = as_dtype(dtype)
        self.captured = [a for a in self._args if isinstance(a, SymbolicTensor)]
        names = ("stop",) if len(args) == 1 else ("start", "stop", "step")
        for name, t in zip(names, self._args):
            if not isinstance(t, SymbolicTensor):
                continue
            if not t.dtype.is_integer:  # TensorFlow's error when it converts the bound to int64
                raise ValueError(
                    f"{name}: Tensor conversion requested dtype int64 for Tensor with dtype {t.dtype.name}: {t!r}"
                )
            if t.shape.rank not in (0, None):
                raise ValueError(f"Dataset.range's {name} must be a scalar (rank 0), received shape {t.shape}")
        self._bound: Optional[Dataset] = None
        Dataset.__init__(self, TensorSpec((), self._dtype))

    def bind(self, values: list) -> None:
        from .sources import RangeDataset

        given = iter(values)
        args = [np.asarray(next(given)) if isinstance(a, SymbolicTensor) else a for a in self._args]
        self._bound = RangeDataset(*args, dtype=self._dtype)

    def _cardinality(self) -> int:
        return self._bound._cardinality() if self._bound is not None else UNKNOWN
