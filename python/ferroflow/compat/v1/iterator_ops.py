"""TF1's dataset iterators in graphs: ``make_one_shot_iterator``, ``make_initializable_iterator`` and
``Iterator.from_structure`` / ``make_initializer``.

``get_next()`` adds one placeholder per component of an element; each ``Session.run`` whose fetches reach
them takes the next element from a Python iterator over the dataset and feeds it (a graph hook the session
runs first, ``session.BEFORE_RUN``), so every run sees the next element and the run after the last one raises
``tf.errors.OutOfRangeError``. An iterator's state belongs to the session, as in TensorFlow: running the
``initializer`` (re)starts it there, evaluating with that run's ``feed_dict`` the placeholders the dataset
was built from (``Dataset.from_tensor_slices(placeholder)``).
"""

from __future__ import annotations

import weakref
from typing import Any, Optional

import numpy as np

from ...data.dataset_ops import Dataset
from ...data.graph_sources import graph_sources
from ...data.structure import same_structure
from ...errors import FailedPreconditionError, OutOfRangeError
from ...framework import context, nest
from ...framework.graph import Graph
from ...framework.ops import apply
from ...framework.tensor import Tensor
from ...framework.tensor_spec import TensorSpec
from .session import BEFORE_RUN
from .variables import placeholder

_UNSET = object()
_NOT_INITIALIZED = (
    "GetNext() failed because the iterator has not been initialized. Ensure that you have run the initializer "
    "operation for this iterator before getting the next element."
)


class _IteratorHook:
    """The graph's iterator ops: before a run, it runs the initializers and advances the iterators whose
    ``get_next`` the fetches reach."""

    def __init__(self) -> None:
        self._inits: dict = {}  # initializer node -> (iterator, dataset)
        self._get_next: dict = {}  # placeholder node -> (iterator, the nodes of that get_next)
        self._reached: dict = {}  # fetch nodes -> the watched nodes they depend on

    @staticmethod
    def of(graph: Graph) -> _IteratorHook:
        for hook in graph.get_collection(BEFORE_RUN):
            if isinstance(hook, _IteratorHook):
                return hook
        hook = _IteratorHook()
        graph.add_to_collection(BEFORE_RUN, hook)
        return hook

    def watch_initializer(self, node: int, iterator: Iterator, dataset: Dataset) -> None:
        self._inits[node] = (iterator, dataset)
        self._reached.clear()

    def watch_get_next(self, nodes: tuple, iterator: Iterator) -> None:
        for node in nodes:
            self._get_next[node] = (iterator, nodes)
        self._reached.clear()

    def _reach(self, session: Any, fetch_nodes: list) -> list:
        key = tuple(fetch_nodes)
        found = self._reached.get(key)
        if found is None:
            g = session.graph._g
            seen: set = set()
            stack = list(fetch_nodes)
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    stack.extend(i for i in g.node(node)[4] if i is not None)
            found = self._reached[key] = sorted(n for n in seen if n in self._inits or n in self._get_next)
        return found

    def before_run(self, session: Any, fetch_nodes: list, fed_nodes: set, feed_dict: dict) -> dict:
        reached = self._reach(session, fetch_nodes)
        for node in reached:
            if node in self._inits:
                iterator, dataset = self._inits[node]
                iterator._initialize(session, dataset, feed_dict)
        feeds: dict = {}
        advanced: set = set()
        for node in reached:
            if node not in self._get_next:
                continue
            iterator, nodes = self._get_next[node]
            if nodes in advanced or all(n in fed_nodes for n in nodes):
                continue
            advanced.add(nodes)
            for n, component in zip(nodes, iterator._next(session)):
                feeds[n] = np.array(component, order="C") if not isinstance(component, np.ndarray) else component
        return feeds


def _spec_from_structure(output_types: Any, output_shapes: Any) -> Any:
    from ...data.sources import _signature

    return _signature(output_types, output_shapes, None)


class Iterator:
    """``tf.compat.v1.data.Iterator``: an iterator over a dataset in a TF1 graph.

    ``get_next()`` gives the graph tensors of the next element; ``initializer`` (re)starts the iteration in
    the session that runs it. Make one with ``make_one_shot_iterator``, ``make_initializable_iterator`` or
    ``Iterator.from_structure`` (then ``make_initializer(dataset)`` for each dataset it should iterate).
    """

    def __init__(self, graph: Graph, element_spec: Any, one_shot_dataset: Optional[Dataset] = None) -> None:
        for s in nest.flatten(element_spec):
            if not isinstance(s, TensorSpec):
                raise TypeError(f"graph iterators support elements of tensors only, received {s!r}")
        self._graph = graph
        self._spec = element_spec
        self._one_shot = one_shot_dataset
        self._initializer: Any = None
        self._states: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> iterator, or None
        self._hook = _IteratorHook.of(graph)

    @staticmethod
    def from_structure(
        output_types: Any, output_shapes: Any = None, shared_name: Optional[str] = None, output_classes: Any = None
    ) -> Iterator:
        """An iterator of elements with these types (and shapes), not yet bound to a dataset: make an
        initializer for each dataset with ``make_initializer``."""
        graph = context.current_graph()
        if graph is None:
            raise RuntimeError("Iterator.from_structure() builds graph ops: call it in graph mode (TF1)")
        return Iterator(graph, _spec_from_structure(output_types, output_shapes))

    # -- structure
    @property
    def element_spec(self) -> Any:
        return self._spec

    @property
    def output_types(self) -> Any:
        return nest.map_structure(lambda s: s.dtype, self._spec)

    @property
    def output_shapes(self) -> Any:
        return nest.map_structure(lambda s: s.shape, self._spec)

    @property
    def output_classes(self) -> Any:
        return nest.map_structure(lambda s: Tensor, self._spec)

    # -- graph ops
    @property
    def initializer(self) -> Any:
        """The op that (re)starts this iterator over its dataset in the session that runs it."""
        if self._initializer is None:
            raise ValueError(
                "The iterator does not have an initializer. This means it was likely created using "
                "`tf.compat.v1.data.make_one_shot_iterator()`. For an initializable iterator, use "
                "`tf.compat.v1.data.make_initializable_iterator()` instead."
            )
        return self._initializer

    def make_initializer(self, dataset: Dataset, name: Optional[str] = None) -> Any:
        """An op that starts this iterator over ``dataset``, whose elements must match its structure."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"make_initializer expects a tf.data.Dataset, received {type(dataset).__name__}")
        theirs = dataset.element_spec
        if not (same_structure(self._spec, theirs) and len(nest.flatten(self._spec)) == len(nest.flatten(theirs))):
            raise TypeError(
                f"The two structures don't have the same nested structure. First structure: {self._spec}, second "
                f"structure: {theirs}."
            )
        types = nest.map_structure(lambda s: s.dtype, theirs)
        if any(a.dtype != b.dtype for a, b in zip(nest.flatten(self._spec), nest.flatten(theirs))):
            raise TypeError(f"Expected output types {self.output_types!r} but got dataset with output types {types!r}.")
        if not all(a.shape.is_compatible_with(b.shape) for a, b in zip(nest.flatten(self._spec), nest.flatten(theirs))):
            shapes = nest.map_structure(lambda s: s.shape, theirs)
            raise TypeError(
                f"Expected output shapes compatible with {self.output_shapes!r} but got dataset with output shapes "
                f"{shapes!r}."
            )
        with self._graph.as_default():
            op = apply("group", [], op_name=name or "MakeIterator")
        self._hook.watch_initializer(op.node, self, dataset)
        return op.op

    def get_next(self, name: Optional[str] = None) -> Any:
        """The next element as graph tensors: each ``Session.run`` that needs them takes one element."""
        flat = []
        with self._graph.as_default():
            for s in nest.flatten(self._spec):
                shape = None if s.shape.rank is None else s.shape.as_list()
                flat.append(placeholder(s.dtype, shape, name=name or "IteratorGetNext"))
        self._hook.watch_get_next(tuple(t.node for t in flat), self)
        return nest.pack_sequence_as(self._spec, flat)

    def string_handle(self, name: Optional[str] = None) -> Any:
        raise NotImplementedError("feedable iterators (string_handle / Iterator.from_string_handle) are not supported")

    # -- what the session hook calls
    def _initialize(self, session: Any, dataset: Dataset, feed_dict: dict) -> None:
        sources = graph_sources(dataset)
        if sources:
            captured = [t for s in sources for t in s.captured]
            values = iter(session.run(captured, feed_dict=feed_dict))
            for s in sources:
                s.bind([next(values) for _ in s.captured])
        self._states[session] = dataset._iterator()

    def _next(self, session: Any) -> tuple:
        state = self._states.get(session, _UNSET)
        if state is _UNSET:
            if self._one_shot is None:
                raise FailedPreconditionError(_NOT_INITIALIZED)
            state = self._states[session] = self._one_shot._iterator()
        if state is None:
            raise OutOfRangeError("End of sequence")
        try:
            return next(state)
        except StopIteration:
            self._states[session] = None
            raise OutOfRangeError("End of sequence") from None

    def __repr__(self) -> str:
        return f"<Iterator element_spec={self._spec}>"


def make_one_shot_iterator(dataset: Dataset) -> Any:
    """An iterator over ``dataset`` that needs no initializer; eagerly, the Python iterator ``iter(dataset)``."""
    graph = context.current_graph()
    if graph is None:
        return iter(dataset)
    for source in graph_sources(dataset):
        t = source.captured[0]
        op_type = t.graph._g.node(t.node)[1]
        raise ValueError(f"Cannot capture a placeholder (name:{t.name.split(':')[0]}, type:{op_type}) by value.")
    return Iterator(graph, dataset.element_spec, one_shot_dataset=dataset)


def make_initializable_iterator(dataset: Dataset, shared_name: Optional[str] = None) -> Iterator:
    """An iterator over ``dataset`` that each run of its ``initializer`` op (re)starts, evaluating the
    placeholders the dataset was built from with that run's ``feed_dict``."""
    graph = context.current_graph()
    if graph is None:
        raise RuntimeError(
            "`make_initializable_iterator()` is not supported in eager mode. Use Python-style iteration instead."
        )
    iterator = Iterator(graph, dataset.element_spec)
    iterator._initializer = iterator.make_initializer(dataset)
    return iterator


def get_output_types(dataset_or_iterator: Any) -> Any:
    return nest.map_structure(lambda s: s.dtype, dataset_or_iterator.element_spec)


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    return nest.map_structure(lambda s: s.shape, dataset_or_iterator.element_spec)


def get_output_classes(dataset_or_iterator: Any) -> Any:
    return nest.map_structure(lambda s: Tensor, dataset_or_iterator.element_spec)
