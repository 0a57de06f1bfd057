"""``Dataset.reduce`` inside a ``tf.data`` function (one over ``window``'s elements) as one node of its plan.

``graph_reduce`` makes the reduction a ``tf.while_loop`` pulling each element through a host call, which a
``tf.function`` needs (its loop body may update variables, use the function's other tensors). A ``tf.data``
function runs its plan once per element of the pipeline; there the reduction of a window is one host call that
iterates the window's dataset (bound to the values the node is given) and folds it with ``reduce_func``'s
traced plan, as the eager ``reduce`` does: two host calls per window element fewer, the same values. States that
are not dense tensors, and functions that cannot be traced on their own, keep the loop.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .. import _core
from ..framework import nest
from ..framework.tensor import Tensor
from . import structure, traced


def host_reduce(dataset: Any, state_value: tuple, reduce_func: Callable) -> Optional[Any]:
    """``dataset.reduce`` as one host call of the graph being traced, or None where the loop is needed;
    ``state_value`` is what ``graph_reduce.initial_state`` returned."""
    from ..autograph._dataset_loops import _add
    from .graph_binding import bound_copy
    from .graph_sources import graph_sources

    state, flat = state_value
    if not all(isinstance(t, Tensor) for t in flat):
        return None  # ragged or sparse states
    spec = nest.pack_sequence_as(state, [structure.TensorSpec(t.shape, t.dtype) for t in flat])
    try:
        fn, spec = traced.relaxed_state(reduce_func, spec, dataset.element_spec, "reduce")
    except Exception:
        return None
    if fn.eager or fn.has_callbacks:  # tf.py_function, tf.print: kept in the loop, which runs them in order
        return None
    specs = nest.flatten(spec)
    if not all(type(s) is structure.TensorSpec for s in specs):
        return None
    sources = graph_sources(dataset)
    read = [t for s in sources for t in s.captured]
    captured = fn.captured
    n_read, n_state = len(read), len(flat)
    dtypes = [s.dtype.as_numpy_dtype for s in specs]
    reaches: dict = {}

    def run(arrays: list) -> list:
        values = arrays[:n_read]
        source = bound_copy(dataset, sources, values, reaches) if sources else dataset
        f = fn.bound(arrays[n_read + n_state :]) if captured else fn
        current = tuple(np.asarray(a, dtype=d) for a, d in zip(arrays[n_read : n_read + n_state], dtypes))
        for element in source._iterator():
            args = current + element
            try:
                current = f(args)
            except Exception as e:
                raise f.error(e, args) from e
        return list(current)

    outputs = [(s.dtype.name, None if s.shape._dim_list is None else list(s.shape._dim_list)) for s in specs]
    op = _core.Op.host_call(run, outputs, None, True, False)
    out = _add(op, [*read, *flat, *captured], "ReduceDataset")
    return nest.pack_sequence_as(state, list(out))
