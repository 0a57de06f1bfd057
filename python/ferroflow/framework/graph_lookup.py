"""``Graph.get_tensor_by_name`` / ``get_operation_by_name``: graph elements from their TF1 names."""

from __future__ import annotations

from typing import Any


def _index(graph: Any) -> dict:
    """Node name -> node id, extended as the graph grows (the first node of a name wins)."""
    names = graph.__dict__.setdefault("_names_index", {})
    done = graph.__dict__.get("_names_len", 0)
    g = graph._g
    if done != len(g):
        for i in range(done, len(g)):
            names.setdefault(g.node(i)[0], i)
        graph._names_len = len(g)
    return names


def tensor_by_name(graph: Any, name: Any) -> Any:
    if not isinstance(name, str):
        raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
    if ":" not in name:
        raise ValueError(
            f"The name '{name}' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the "
            'form "<op_name>:<output_index>".'
        )
    op_name, _, index = name.rpartition(":")
    if not index.isdigit():
        raise ValueError(f"The name '{name}' looks a like a Tensor name, but is not a valid one.")
    node = _index(graph).get(op_name)
    if node is None:
        var = next((v for v in graph.get_collection("variables") if v.op.name == op_name), None)
        read = getattr(var, "_fetch_read", None)
        if read is None or getattr(var, "graph", None) is not graph:
            raise KeyError(
                f"The name '{name}' refers to a Tensor which does not exist. The operation, '{op_name}', does not "
                "exist in the graph."
            )
        node = read  # a TF1 variable's own tensor: its value
    if int(index) != 0:
        raise KeyError(
            f"The name '{name}' refers to a Tensor which does not exist. The operation, '{op_name}', exists but "
            f"only has 1 outputs."
        )
    return graph.tensor(node)


def operation_by_name(graph: Any, name: Any) -> Any:
    if not isinstance(name, str):
        raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
    if ":" in name:
        raise ValueError(f"Name '{name}' appears to refer to a Tensor, not a Operation.")
    node = _index(graph).get(name)
    if node is None:
        raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
    return graph.tensor(node).op
