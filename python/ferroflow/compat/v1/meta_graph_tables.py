"""Lookup tables in ``.meta`` files: the Python calls of a TF1 graph that fill and read ``tf.lookup`` tables.

A table's ops in a TF1 graph are Python calls (its contents live in NumPy arrays), which a ``.meta`` file
cannot hold as code. What it can hold is what they do: which table (its class, key and value dtypes), which
of the table's operations (fill from keys and values, find, export), and the nodes feeding it. Import makes
an empty table of the same kind per recorded table and attaches the same operations to the rebuilt
placeholders, so ``tables_initializer()`` and lookups run in the imported graph as they did in the original
(a SavedModel's main op fills its tables on load this way). Other Python calls stay placeholders to feed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import DataLossError
from ...framework.dtypes import as_dtype

# The table operations a file may name: each a method of InitializableLookupTableBase on NumPy values.
_METHODS = ("_import", "_find", "_export")


def _table_classes() -> dict:
    from ...lookup.tables import StaticHashTable, StaticHashTableV1

    return {"StaticHashTable": StaticHashTable, "StaticHashTableV1": StaticHashTableV1}


def record_tables(graph: Any) -> tuple:
    """(tables, calls) of ``graph``'s table operations that can be made again: one entry per table
    (``class``, ``key_dtype``, ``value_dtype``, ``name``) and per call (``table``, ``method``, ``inputs``,
    ``n_data``, ``outputs``, ``touts``)."""
    from .python_nodes import PythonNodes

    nodes = graph.__dict__.get("_python_nodes")
    if nodes is None:
        return [], []
    assert isinstance(nodes, PythonNodes)
    classes = {cls: name for name, cls in _table_classes().items()}
    tables: list = []
    index: dict = {}
    calls: list = []
    seen: set = set()
    for call in nodes.calls.values():
        source = call.source
        if id(call) in seen or source is None:
            continue
        seen.add(id(call))
        func = source["func"]
        table = getattr(func, "__self__", None)
        if type(table) not in classes or getattr(func, "__name__", None) not in _METHODS:
            continue
        if id(table) not in index:
            index[id(table)] = len(tables)
            tables.append(
                {
                    "class": classes[type(table)],
                    "key_dtype": table.key_dtype.name,
                    "value_dtype": table.value_dtype.name,
                    "name": table._table_name,
                }
            )
        calls.append(
            {
                "table": index[id(table)],
                "method": func.__name__,
                "inputs": list(call.inputs),
                "n_data": source["n_data"],
                "outputs": list(call.outputs),
                "touts": [t.name for t in source["touts"]],
                "many": bool(source["many"]),
            }
        )
    return tables, calls


def _empty_table(entry: Any, where: str) -> Any:
    from ...lookup.tables import LookupInterface

    if not isinstance(entry, dict) or entry.get("class") not in _table_classes():
        raise DataLossError(f"{where}: malformed table entry {str(entry)[:80]}")
    cls = _table_classes()[entry["class"]]
    try:
        key_dtype, value_dtype = as_dtype(entry["key_dtype"]), as_dtype(entry["value_dtype"])
    except (KeyError, TypeError) as e:
        raise DataLossError(f"{where}: malformed table dtypes: {e}") from None
    table = cls.__new__(cls)
    LookupInterface.__init__(table, key_dtype, value_dtype)
    table._table_name = entry.get("name")
    table._initializer = None
    table._default_value = None
    table._init_op = None
    table._index = None
    table._keys = np.empty(0, dtype=cls._numpy_dtype(key_dtype))
    table._values = np.empty(0, dtype=cls._numpy_dtype(value_dtype))
    return table


def attach_tables(graph: Any, doc: dict, node_of: Any, where: str) -> None:
    """Makes the tables ``doc`` records and attaches their operations to the rebuilt nodes of ``graph``
    (``node_of`` maps a file's node index to the rebuilt node)."""
    from .py_func_graph import make_call
    from .python_nodes import PythonCall, PythonNodes

    tables = [_empty_table(e, f"{where}: table {k}") for k, e in enumerate(doc.get("tables") or [])]
    calls = doc.get("table_calls") or []
    if not isinstance(calls, list):
        raise DataLossError(f"{where}: malformed table calls")
    for call in calls:
        at = f"{where}: table call"
        ok = (
            isinstance(call, dict)
            and isinstance(call.get("table"), int)
            and 0 <= call["table"] < len(tables)
            and call.get("method") in _METHODS
            and isinstance(call.get("inputs"), list)
            and isinstance(call.get("outputs"), list)
            and isinstance(call.get("n_data"), int)
            and isinstance(call.get("touts"), list)
        )
        if not ok:
            raise DataLossError(f"{at}: malformed {str(call)[:80]}")
        inputs = [node_of(n, at) for n in call["inputs"]]
        outputs = [node_of(n, at) for n in call["outputs"]]
        try:
            touts = [as_dtype(t) for t in call["touts"]]
        except TypeError as e:
            raise DataLossError(f"{at}: {e}") from None
        base = graph._g.node(outputs[0])[0]
        func = getattr(tables[call["table"]], call["method"])
        fn = make_call(func, call["n_data"], touts, bool(call.get("many")), False, base)
        python_call = PythonCall(inputs, outputs, fn)
        python_call.source = {"func": func, "n_data": call["n_data"], "touts": touts, "many": bool(call.get("many"))}
        PythonNodes.of(graph).add_call(python_call)
        for node in outputs:
            getattr(graph, "_unrebuilt", {}).pop(node, None)
