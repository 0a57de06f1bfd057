"""Running one ``Session.run`` call with every intermediate tensor watched.

The debugged call fetches, besides the caller's fetches, every node the fetches depend on (the fed nodes
included), in the same single run of one compiled plan: each node still runs once, and assignments happen
once. The run is profiled (as ``RunOptions(FULL_TRACE)`` does), so each dumped tensor carries the time
its node started.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Optional, Union

import numpy as np

from ....framework import nest
from ....profiler import RunMetadata, RunOptions
from .debug_data import DEFAULT_DEBUG_OP, DebugTensorDatum, NodeInfo


@dataclass
class WatchOptions:
    """Which tensors a debugged run dumps (tfdbg's ``WatchOptions``): regexes matched against the start of
    node names, op types and dtype names; None watches all."""

    debug_ops: Union[str, list] = DEFAULT_DEBUG_OP
    node_name_regex_allowlist: Optional[str] = None
    op_type_regex_allowlist: Optional[str] = None
    tensor_dtype_regex_allowlist: Optional[str] = None
    tolerate_debug_op_creation_failures: bool = False

    def __post_init__(self) -> None:
        ops = [self.debug_ops] if isinstance(self.debug_ops, str) else list(self.debug_ops)
        if ops != [DEFAULT_DEBUG_OP]:
            raise ValueError(
                f"debug_ops supports only '{DEFAULT_DEBUG_OP}' (the full tensor value); received {self.debug_ops!r}"
            )

    def watches(self, name: str, op_type: str, dtype: str) -> bool:
        return all(
            pattern is None or re.match(pattern, text)
            for pattern, text in (
                (self.node_name_regex_allowlist, name),
                (self.op_type_regex_allowlist, op_type),
                (self.tensor_dtype_regex_allowlist, dtype),
            )
        )


def reached_nodes(graph: Any, fetch_nodes: list, fed_nodes: set) -> list:
    """Node ids the fetches depend on, in creation order (a valid execution order); fed nodes end the walk."""
    g = graph._g
    seen: set = set()
    stack = list(fetch_nodes)
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if n not in fed_nodes:
            stack.extend(g.node(n)[4])
    return sorted(seen)


def describe_nodes(graph: Any, node_ids: list) -> list:
    """``NodeInfo`` of each node: its op type, inputs by name, dtype and static shape."""
    g = graph._g
    infos = []
    for n in node_ids:
        name, op_type, shape, dtype, inputs = g.node(n)
        attrs = {"dtype": dtype, "shape": shape}
        infos.append(NodeInfo(name, op_type, [g.node(i)[0] for i in inputs], dtype, shape, attributes=attrs))
    return infos


def element_name(graph: Any, node: int, is_op: bool) -> str:
    name = graph._g.node(node)[0]
    return name if is_op else f"{name}:0"


def nbytes(value: Any) -> int:
    arr = np.asarray(value)
    if arr.dtype == object:
        return int(sum(len(v) if isinstance(v, (bytes, str)) else 8 for v in arr.reshape(-1)))
    return int(arr.nbytes)


@dataclass
class WatchPlan:
    """The tensors one debugged run fetches besides the caller's: ``tensors`` (for ``Session.run``), with the
    reached nodes' ``infos`` and what the run's fetches and feeds were."""

    sess: Any
    fetch_nodes: list
    fed_nodes: list
    infos: list
    watched: list  # (node id, NodeInfo) of each watched tensor
    t0_us: int = 0

    @property
    def tensors(self) -> list:
        return [self.sess.graph.tensor(n) for n, _ in self.watched]


def plan_watch(sess: Any, fetches: Any, feed_dict: Optional[dict], watch: Optional[WatchOptions] = None) -> WatchPlan:
    """Which tensors a debugged ``sess.run(fetches, feed_dict)`` dumps: those of every node the fetches reach."""
    watch = watch or WatchOptions()
    flat = nest.flatten(fetches)
    fetch_nodes = [n for n in (sess._fetch_node(f) for f in flat) if n is not None]
    fed_nodes, _ = sess._feeds(feed_dict or {})
    reached = reached_nodes(sess.graph, fetch_nodes, set(fed_nodes))
    infos = describe_nodes(sess.graph, reached)
    watched = [
        (n, info)
        for n, info in zip(reached, infos)
        if not sess._is_op(n) and watch.watches(info.name, info.op_type, info.dtype)
    ]
    return WatchPlan(sess, fetch_nodes, list(fed_nodes), infos, watched, int(time.time() * 1e6))


def collect_dump(
    plan: WatchPlan, values: list, metadata: Any, run_index: int = 0, dump_root: Optional[str] = None
) -> tuple:
    """``(nodes, datums, run_info)`` of a run that fetched ``plan.tensors`` (``values``) traced into ``metadata``."""
    graph, sess = plan.sess.graph, plan.sess
    order = {op.name: (i + 1, op.start_us) for i, op in enumerate(metadata.step_stats.ops)}
    datums = []
    for (_, info), value in zip(plan.watched, values):
        # Fed nodes do not run: they come first, at the start of the run.
        position, start_us = order.get(info.name, (0, 0.0))
        datums.append(
            DebugTensorDatum(
                dump_root,
                info.name,
                0,
                DEFAULT_DEBUG_OP,
                plan.t0_us + int(round(start_us)),
                nbytes(value),
                value=np.asarray(value),
                order=position,
            )
        )
    run_info = {
        "run_index": run_index,
        "fetches": [element_name(graph, n, sess._is_op(n)) for n in plan.fetch_nodes],
        "feeds": [element_name(graph, n, False) for n in plan.fed_nodes],
        "t0_us": plan.t0_us,
    }
    return plan.infos, datums, run_info


def debug_run(
    sess: Any,
    fetches: Any,
    feed_dict: Optional[dict],
    options: Any,
    run_metadata: Any,
    watch: Optional[WatchOptions] = None,
    run_index: int = 0,
    dump_root: Optional[str] = None,
) -> tuple:
    """Runs ``sess.run(fetches, feed_dict)`` watching tensors: ``(result, nodes, datums, run_info)``."""
    plan = plan_watch(sess, fetches, feed_dict, watch)
    metadata = RunMetadata()
    result, values = sess.run(
        [fetches, plan.tensors],
        feed_dict,
        options=RunOptions(trace_level=RunOptions.FULL_TRACE),
        run_metadata=metadata,
    )
    if run_metadata is not None and options is not None and getattr(options, "trace_level", 0):
        run_metadata.step_stats = metadata.step_stats  # the caller asked for the trace too
    return (result, *collect_dump(plan, values, metadata, run_index, dump_root))
