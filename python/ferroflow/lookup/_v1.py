"""``tf.compat.v1.tables_initializer``: the op that fills every table of a TF1 graph."""

from __future__ import annotations

from typing import Any

from ..framework import context
from ..framework.graph import Operation
from ..framework.ops import apply


def tables_initializer(name: str = "init_all_tables") -> Any:
    """One op that runs the initializers of the default graph's tables (a no-op when it has none); None when
    running eagerly, where tables are filled as they are made."""
    graph = context.current_graph()
    if graph is None:
        return None
    inits = [op._tensor if isinstance(op, Operation) else op for op in graph.get_collection("table_initializer")]
    return apply("group", inits, op_name=name).op


def initialize_all_tables(name: str = "init_all_tables") -> Any:
    """The older name of ``tables_initializer``."""
    return tables_initializer(name)
