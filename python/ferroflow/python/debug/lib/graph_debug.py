"""Running a graph's plan with every intermediate tensor watched, outside a ``Session``: the compiled step of
``model.fit`` (the Keras callback) and traced ``tf.function`` graphs (``enable_dump_debug_info``).

A ``WatchedPlan`` compiles the graph's fetches together with every node they depend on, once; each run
profiles the plan, so the tensors come back in execution order with the times their nodes started.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import numpy as np

from .debug_data import DEFAULT_DEBUG_OP, DebugTensorDatum
from .session_debug import WatchOptions, describe_nodes, nbytes, reached_nodes

# Node types whose output is not a value worth dumping (they order the graph's effects).
_EFFECT_TYPES = {"NoOp"}


class WatchedPlan:
    """``graph`` compiled to compute ``fetch_nodes`` from ``feed_nodes`` with every needed node watched."""

    def __init__(self, graph: Any, fetch_nodes: list, feed_nodes: list, watch: Optional[WatchOptions] = None) -> None:
        watch = watch or WatchOptions()
        self.graph = graph
        self.fetch_nodes = list(fetch_nodes)
        self.feed_nodes = list(feed_nodes)
        reached = reached_nodes(graph, self.fetch_nodes, set(self.feed_nodes))
        self.nodes = describe_nodes(graph, reached)
        self.watched = [
            (n, info)
            for n, info in zip(reached, self.nodes)
            if info.op_type not in _EFFECT_TYPES and watch.watches(info.name, info.op_type, info.dtype)
        ]
        self.plan = graph._g.compile(self.fetch_nodes + [n for n, _ in self.watched], self.feed_nodes)

    def run(self, feeds: list) -> tuple:
        """``(fetched values, datums)`` of one run on ``feeds`` (arrays or native tensors, in feed order)."""
        t0_us = int(time.time() * 1e6)
        outputs, records = self.plan.profile(feeds, 1)
        started = {name: (i + 1, start) for i, (name, _, start, _, _) in enumerate(records)}
        n_fetch = len(self.fetch_nodes)
        datums = []
        for (_, info), out in zip(self.watched, outputs[n_fetch:]):
            value = _numpy(out)
            position, start_s = started.get(info.name, (0, 0.0))  # fed nodes do not run: they come first
            datums.append(
                DebugTensorDatum(
                    None,
                    info.name,
                    0,
                    DEFAULT_DEBUG_OP,
                    t0_us + int(round(start_s * 1e6)),
                    nbytes(value),
                    value=value,
                    order=position,
                )
            )
        return outputs[:n_fetch], datums

    def node_infos(self) -> list:
        return list(self.nodes)


def _numpy(t: Any) -> np.ndarray:
    return np.asarray(t.numpy() if hasattr(t, "numpy") else t)
