"""Making a ``model_fn``'s Keras layers behave as in a TensorFlow graph: their variables join the graph's
collections (so the ``Saver`` checkpoints them and optimizers find them), and layer names restart in every
graph (so the ``dense/kernel`` of one ``train`` call is the ``dense/kernel`` of the next)."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional

from ..framework import context


@contextlib.contextmanager
def graph_like_keras(graph: Any, seed: Optional[int] = None) -> Iterator[None]:
    """Inside: fresh automatic layer names, and every variable read into ``graph`` that lives outside it (Keras
    layers create theirs eagerly) is added to GLOBAL_VARIABLES (and TRAINABLE_VARIABLES when trainable). With a
    ``seed`` (``RunConfig.tf_random_seed``), unseeded Keras initializers draw from a stream restarted at it, as
    a TensorFlow graph-level seed makes them repeat graph after graph."""
    from ..initializers import _random
    from ..layers import _util

    saved_uids = dict(_util._uids)
    _util._uids.clear()
    saved_rng = _random._GLOBAL["rng"]
    if seed is not None:
        _random.set_global_seed(seed)

    def observe(variable: Any) -> None:
        if context.current_graph() is not graph or getattr(variable, "graph", None) is not None:
            return
        known = graph.get_collection_ref("variables")
        if any(v is variable for v in known):
            return
        known.append(variable)
        if getattr(variable, "trainable", False):
            graph.add_to_collection("trainable_variables", variable)

    observers = context.read_observers()
    observers.append(observe)
    try:
        yield
    finally:
        observers.remove(observe)
        _util._uids.clear()
        _util._uids.update(saved_uids)
        _random._GLOBAL["rng"] = saved_rng
