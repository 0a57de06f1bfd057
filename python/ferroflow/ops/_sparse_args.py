"""Argument checks shared by the ``tf.sparse`` ops: a sparse input, and whether the graph variant runs."""

from __future__ import annotations

from typing import Any

from ..framework.graph_composites import GraphSparseTensor
from ..framework.sparse_tensor import SparseTensor


def _graph(*sps: Any) -> bool:
    """Whether any argument is a sparse tensor whose components are graph tensors (the graph variant runs)."""
    return any(isinstance(s, GraphSparseTensor) for s in sps)


def _combine() -> Any:
    from . import sparse_graph_combine

    return sparse_graph_combine


def _sparse(x: Any, op: str) -> SparseTensor:
    if not isinstance(x, SparseTensor):
        raise TypeError(f"{op} expects a SparseTensor, received {type(x).__name__}")
    return x
