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
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from ..framework import context
from . import traced
from .dataset_ops import Dataset


class DatasetFunction:
    """``fn`` (element -> dataset) traced over ``input_spec``: ``dataset`` is the traced dataset, ``traced`` the
    function computing, for one element's flat components, the values of the tensors it reads."""

    def __init__(self, traced_fn: traced.TracedFunction, dataset: Dataset, sources: list) -> None:
        self.traced = traced_fn
        self.dataset = dataset
        self._sources = sources

    @property
    def captured(self) -> list:
        """The enclosing graph's tensors the function uses (``graph_sources`` binds them at each run)."""
        return self.traced.captured

    def bind(self, values: list) -> None:
        """Gives the captured tensors ``values`` for the runs that follow (an initializable iterator's run)."""
        self.traced.bind(values)

    def bound(self, values: list) -> DatasetFunction:
        """A copy whose captured tensors have ``values`` (``graph_binding``)."""
        return DatasetFunction(self.traced.bound(values), self.dataset, self._sources)

    def open(self, flat: tuple) -> Iterator[tuple]:
        """An iterator of the dataset ``fn`` makes for the element ``flat``."""
        from .graph_binding import bound_copy

        values = self.traced(flat)
        return bound_copy(self.dataset, self._sources, list(values))._iterator()


def trace_if_capturing(fn: Callable, input_spec: Any, what: str) -> Optional[DatasetFunction]:
    """The traced ``fn`` when a graph is being built and ``fn`` uses its tensors; None otherwise (the function
    then runs as Python per element). A function that cannot be traced over symbolic elements (it reads the
    element as Python values) also runs per element."""
    if context.current_graph() is None:
        return None
    from ..autograph._conversion import maybe_convert
    from .graph_sources import graph_sources

    graph_fn = maybe_convert(fn)
    made: list = []

    def tensors_read(*args: Any) -> tuple:
        out = graph_fn(*args)
        if not isinstance(out, Dataset):
            raise TypeError(
                f"The `map_func` argument of {what} must return a `Dataset` object, it returned {type(out).__name__}."
            )
        sources = graph_sources(out)
        made.append((out, sources))
        return tuple(t for s in sources for t in s.captured)

    tensors_read.__name__ = traced._name_of(fn)
    try:
        traced_fn = traced.TracedFunction(tensors_read, input_spec, what)
    except Exception:
        return None
    if traced_fn.eager or not traced_fn.captured or not made:
        return None
    dataset, sources = made[-1]
    return DatasetFunction(traced_fn, dataset, sources)
