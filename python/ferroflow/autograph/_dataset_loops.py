"""Loops over a ``tf.data.Dataset`` (or an iterator of one) inside ``tf.function``, driven at run time.

As in TensorFlow, ``for x in dataset`` in a traced function does not unroll the dataset into the graph: an
iterator node makes a fresh iterator each time the function runs (a captured eager iterator is continued
instead), and a get-next node inside the ``tf.while_loop`` of the loop pulls one element per iteration. The
graph then has the same size whatever the dataset's length, each call sees the dataset's current elements,
and values computed in the body (sums, TensorArray writes, variable updates) are loop variables as in any
converted tensor loop (``_loop_vars``).

Both nodes are host calls (``_core.Op.host_call``), the machinery of ``tf.py_function`` in traced functions:
they take the GIL and step a Python iterator held in ``_LIVE`` under an int64 handle. The get-next node
returns ``(has_value, *components)``; with ``has_value`` false the components are zeros of the element
spec's shape (unknown dimensions 0), which the loop never reads. Its second input is the loop's ``not
break`` flag, so that a ``break`` does not pull (and lose) one more element. A release node after the loop
drops the iterator; iterators only stepped with ``next`` are dropped once more than ``_MAX_LIVE`` exist.

Elements whose leaves are dense, ragged or sparse tensors are handled here (ragged and sparse leaves travel
as their component tensors, ``_element_components``); a leaf that is a dataset (``window``) travels as an int64
handle to it, and the graph iterates it through ``data/graph_elements.ElementDataset``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Callable, Optional

import numpy as np

from .. import _core
from ..framework import context, nest
from ..framework.ops import convert_to_tensor, graph_input
from . import _element_components as components

_LIVE: OrderedDict = OrderedDict()  # handle -> Python iterator of flat component tuples
_MAX_LIVE = 1024
_HANDLES = itertools.count(1)


def _dataset_types() -> tuple:
    from ..data.dataset_ops import Dataset
    from ..data.iterator import OwnedIterator

    return Dataset, OwnedIterator


def _tracing_function() -> bool:
    """Whether a ``tf.function`` is being traced (not a ``tf.data`` function, which stands Python calls in)."""
    graph = context.current_graph()
    if not getattr(graph, "is_function", False):
        return False
    while graph is not None:
        if getattr(graph, "python_call_stand_in", None) is not None:
            return False
        graph = getattr(graph, "outer", None)
    return True


def runs_in_graph(value: Any) -> bool:
    """Whether iterating ``value`` here becomes a run-time loop: a dataset or iterator of dense elements,
    while a ``tf.function`` is traced."""
    if isinstance(value, GraphIterator):
        return True
    Dataset, _ = _dataset_types()
    if not isinstance(value, _dataset_types()) or not components.supported(value.element_spec):
        return False
    if _tracing_function():
        return True
    # in a tf.data function (one over ``window``'s elements): a dataset reading the function's tensors (the
    # element) can only be iterated when the function runs
    if context.current_graph() is None or not isinstance(value, Dataset):
        return False
    from ..data.graph_sources import graph_sources

    return bool(graph_sources(value))


def _add(op: Any, inputs: list, name: str) -> list:
    from ..ops._subgraph import add_multi

    graph = context.current_graph()
    return add_multi(graph, op, [graph_input(graph, x) for x in inputs], name, True)


class GraphIterator:
    """``iter(dataset)`` inside ``tf.function``: the iterator is made each time the function runs;
    ``next(it)`` gives the next element's tensors, and raises ``tf.errors.OutOfRangeError`` when the function
    runs past the end, as TensorFlow's ``IteratorGetNext`` does."""

    def __init__(self, source: Any) -> None:
        Dataset, _ = _dataset_types()
        self._spec = source.element_spec
        self._flat_specs = nest.flatten(self._spec)
        self._outputs = components.outputs(self._flat_specs)
        self.n_components = len(self._outputs)
        sources: list = []  # the dataset's readers of graph tensors, bound to their values at each run
        if isinstance(source, Dataset):
            from ..data.graph_binding import bound_copy
            from ..data.graph_sources import graph_sources

            sources = graph_sources(source)
            # a fresh iterator at each run, of a copy holding that run's values (two iterators never share them)
            make = lambda arrays: bound_copy(source, sources, arrays)._iterator() if sources else source._iterator()  # noqa: E731
        else:
            make = lambda arrays: _continued(source)  # noqa: E731  (an eager iterator goes on, as TensorFlow captures it)
        captured = [t for s in sources for t in s.captured]

        def create(arrays: list) -> list:
            handle = next(_HANDLES)
            _LIVE[handle] = make(arrays)
            while len(_LIVE) > _MAX_LIVE:
                _LIVE.popitem(last=False)
            return [np.asarray(handle, np.int64)]

        op = _core.Op.host_call(create, [("int64", [])], None, True, False)
        self._handle = _add(op, captured, "IteratorV2")[0]

    @property
    def element_spec(self) -> Any:
        return self._spec

    def __iter__(self) -> GraphIterator:
        return self

    def __next__(self) -> Any:
        return self.get_next()

    def get_next(self) -> Any:
        """The next element; running past the end raises ``tf.errors.OutOfRangeError`` when the function runs."""
        from ..errors import OutOfRangeError

        def get(arrays: list) -> list:
            it = _LIVE.get(int(arrays[0]))
            value = None if it is None else next(it, None)
            if value is None:
                raise OutOfRangeError("End of sequence")
            return components.arrays(specs, value)

        specs = self._flat_specs
        op = _core.Op.host_call(get, self._outputs, None, True, False)
        flat = _add(op, [self._handle], "IteratorGetNext")
        return self.pack(flat)

    def pack(self, flat: list) -> Any:
        """The element (sparse and ragged leaves rebuilt) from its flat component tensors."""
        return components.pack(self._spec, self._flat_specs, flat)

    def next_or_end(self, go_on: Any) -> list:
        """``[has_value, *components]``: the next element when ``go_on`` (a bool tensor) is true and there is
        one; otherwise ``has_value`` is false and the components are zeros, and nothing is pulled."""
        zeros = components.zeros(self._flat_specs)
        specs = self._flat_specs

        def get(arrays: list) -> list:
            it = _LIVE.get(int(arrays[0]))
            value = None if it is None or not bool(arrays[1]) else next(it, None)
            if value is None:
                return [np.asarray(False), *zeros]
            return [np.asarray(True), *components.arrays(specs, value)]

        op = _core.Op.host_call(get, [("bool", []), *self._outputs], None, True, False)
        return _add(op, [self._handle, go_on], "IteratorGetNextAsOptional")

    def release(self, after: list) -> None:
        """Drops the Python iterator once the tensors ``after`` (the loop's results) are computed."""

        def drop(arrays: list) -> list:
            _LIVE.pop(int(arrays[0]), None)
            return []

        graph = context.current_graph()
        inputs = [graph_input(graph, x) for x in [self._handle, *after]]
        node = graph._g.add(_core.Op.host_call(drop, [], None, True, False), inputs, graph.scoped("DeleteIterator"))
        graph.stateful_nodes.append(node)

    def __repr__(self) -> str:
        return f"<OwnedIterator element_spec={self._spec}>"


def _continued(owned: Any) -> Any:
    """The rest of an eager iterator's elements, counted in its position (what a checkpoint saves)."""
    while True:
        try:
            value = next(owned._it)
        except StopIteration:
            return
        owned._position = getattr(owned, "_position", 0) + 1
        yield value


def for_dataset(iterable: Any, extra_test: Optional[Callable[[], Any]], body: Callable[[Any], None], loop: Any) -> None:
    """``for x in iterable`` (a dataset or iterator, see ``runs_in_graph``) as a ``tf.while_loop`` carrying
    ``[has_value, *components]`` beside the loop's variables (``loop``, a ``LoopVars``)."""
    from ._operators import Undefined

    for name, value in zip(loop.names, loop.get_state()):
        if isinstance(value, Undefined) or value is None:  # TensorFlow does not define these for datasets
            raise ValueError(loop.where(f"'{name}' must be defined before the loop"))
    it = iterable if isinstance(iterable, GraphIterator) else GraphIterator(iterable)
    n = it.n_components

    def go_on() -> Any:
        if extra_test is None:
            return convert_to_tensor(True)
        value = extra_test()
        return convert_to_tensor(bool(value)) if not hasattr(value, "dtype") else value

    first = it.next_or_end(go_on())

    def step(hidden: list) -> list:
        body(it.pack(hidden[1 : 1 + n]))
        return it.next_or_end(go_on())

    def cond(hidden: list) -> Any:
        return hidden[0]

    out = loop.run(list(first), cond, step, first[0], lambda: body(it.pack(first[1:])))
    it.release(list(out[:1]))
