"""``interleave``/``flat_map`` functions that use tensors of an enclosing graph, traced once as TensorFlow does.

A function returning a dataset otherwise runs as Python for each element (``interleave``). When it is given
while a graph is built (a ``tf.function`` being traced) and uses that graph's tensors (its arguments or values
computed from them), running it again per element would read tensors whose values only exist while the graph
runs. It is then traced once over the element, like a ``map`` function: its graph captures the outer tensors
(``traced_captures``) and returns, as its outputs, every tensor the built dataset reads (the readers found by
``graph_sources``: ranges and slices over the element or the captured tensors, ``map`` functions that use them).
For each element the traced plan computes those tensors and the element's dataset is a copy of the traced one
bound to them (``graph_binding``), so the ``cycle_length`` datasets open at once each keep their own values.
The enclosing graph binds the captured tensors when it makes the iterator, as for any traced function.
Datasets the function builds from graph tensors (``skip(k)``, ``TextLineDataset(filename)``) are
``graph_deferred`` ones; elements that are datasets (``window``'s) are traced as handles (``graph_elements``), so
such functions are traced once, as in TensorFlow, whether or not they use an enclosing graph's tensors.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from ..framework import context, nest
from ..framework.tensor_spec import TensorSpec
from . import structure, traced
from .dataset_ops import Dataset


class DatasetFunction:
    """``fn`` (element -> dataset) traced over ``input_spec``: ``dataset`` is the traced dataset, ``traced`` the
    function computing, for one element's flat components, the values of the tensors it reads."""

    def __init__(
        self,
        traced_fn: traced.TracedFunction,
        dataset: Dataset,
        sources: list,
        handles: tuple,
        passthrough: Optional[tuple] = None,
    ) -> None:
        self.traced = traced_fn
        self.dataset = dataset
        self._sources = sources
        self._handles = handles  # the positions of the element's components that are datasets (``window``)
        # when the tensors read are the element's own components (``lambda w: w.map(f).batch(3)``), their positions:
        # the plan, which would only pass them through, is not run
        self._passthrough = passthrough
        self._reaches: dict = {}  # ``bound_copy``'s record of the datasets that lead to a reader

    @property
    def captured(self) -> list:
        """The enclosing graph's tensors the function uses (``graph_sources`` binds them at each run)."""
        return self.traced.captured

    def bind(self, values: list) -> None:
        """Gives the captured tensors ``values`` for the runs that follow (an initializable iterator's run)."""
        self.traced.bind(values)

    def bound(self, values: list) -> DatasetFunction:
        """A copy whose captured tensors have ``values`` (``graph_binding``)."""
        return DatasetFunction(self.traced.bound(values), self.dataset, self._sources, self._handles)

    def open(self, flat: tuple) -> Iterator[tuple]:
        """An iterator of the dataset ``fn`` makes for the element ``flat``."""
        from .graph_binding import bound_copy

        if self._passthrough is not None:  # a window's dataset is bound as it is, not through a handle
            values = [flat[i] for i in self._passthrough]
            return bound_copy(self.dataset, self._sources, values, self._reaches)._iterator()
        if not self._handles:
            return bound_copy(self.dataset, self._sources, list(self.traced(flat)), self._reaches)._iterator()
        from .graph_elements import register, release

        handles = {i: register(c) for i, c in enumerate(flat) if i in self._handles}
        try:
            flat = tuple(handles.get(i, c) for i, c in enumerate(flat))
            return bound_copy(self.dataset, self._sources, list(self.traced(flat)), self._reaches)._iterator()
        finally:  # the copy holds the datasets it was bound to
            for h in handles.values():
                release(h)


def trace_if_capturing(fn: Callable, input_spec: Any, what: str) -> Optional[DatasetFunction]:
    """The traced ``fn`` when a graph is being built and ``fn`` uses its tensors, or when elements hold datasets
    (``window``); None otherwise (the function then runs as Python per element). A function that cannot be
    traced over symbolic elements (it reads the element as Python values) also runs per element."""
    # components that are datasets (``window``'s) are traced as int64 handles to them (``graph_elements``), so
    # the function runs once as Python, as in TensorFlow, also outside a graph
    flat_specs = nest.flatten(input_spec)
    handles = tuple(i for i, s in enumerate(flat_specs) if isinstance(s, structure.DatasetSpec))
    if context.current_graph() is None and not handles:
        return None
    from ..autograph._conversion import maybe_convert
    from .graph_sources import graph_sources

    graph_fn = maybe_convert(fn)
    made: list = []
    arg_specs = traced.unpack_args(input_spec)
    if handles:
        flat_specs = [TensorSpec((), "int64") if i in handles else s for i, s in enumerate(flat_specs)]
        input_spec = nest.pack_sequence_as(input_spec, flat_specs)

    def tensors_read(*args: Any) -> tuple:
        inputs = nest.flatten(args)
        if handles:
            from .graph_elements import ElementDataset

            flat = nest.flatten(args)
            flat = [
                ElementDataset(a, s.element_spec) if i in handles else a
                for i, (a, s) in enumerate(zip(flat, nest.flatten(arg_specs)))
            ]
            args = tuple(nest.pack_sequence_as(arg_specs, flat))
        out = graph_fn(*args)
        if not isinstance(out, Dataset):
            raise TypeError(
                f"The `map_func` argument of {what} must return a `Dataset` object, it returned {type(out).__name__}."
            )
        sources = graph_sources(out)
        read = tuple(t for s in sources for t in s.captured)
        graph = context.current_graph()
        at = {id(t): i for i, t in enumerate(inputs)}
        passthrough = None
        if all(id(t) in at for t in read) and not (graph.stateful_nodes or graph.run_callbacks):
            passthrough = tuple(at[id(t)] for t in read)
        made.append((out, sources, passthrough))
        return read

    tensors_read.__name__ = traced._name_of(fn)
    try:
        traced_fn = traced.TracedFunction(tensors_read, input_spec, what)
    except Exception:
        return None
    if traced_fn.eager or not (traced_fn.captured or handles) or not made:
        return None
    dataset, sources, passthrough = made[-1]
    if traced_fn.captured:
        passthrough = None
    return DatasetFunction(traced_fn, dataset, sources, handles, passthrough)
