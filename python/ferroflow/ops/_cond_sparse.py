"""``tf.cond`` branches that return ``SparseTensor``s inside a graph: each sparse result goes through the
conditional node as its three component tensors and comes out as one sparse tensor again, whose static dense
shape is what both branches' shapes have in common."""

from __future__ import annotations

import collections
from typing import Any, Callable, List

from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor_shape import TensorShape

_SparseParts = collections.namedtuple("_SparseParts", ["indices", "values", "dense_shape"])


def _walk(value: Any, leaf: Callable[[Any], Any]) -> Any:
    """``value`` with ``leaf`` applied to its sparse tensors and sparse parts (tuples, lists, dicts walked)."""
    if isinstance(value, (SparseTensor, _SparseParts)):
        return leaf(value)
    if isinstance(value, dict):
        return type(value)((k, _walk(v, leaf)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[_walk(v, leaf) for v in value])
    if isinstance(value, (tuple, list)):
        return type(value)(_walk(v, leaf) for v in value)
    return value


def split_branch(fn: Callable, shapes: List[TensorShape]) -> Callable:
    """``fn`` returning its sparse results as their components; their dense shapes go to ``shapes``."""

    def run() -> Any:
        def parts(sp: SparseTensor) -> _SparseParts:
            shapes.append(sp.shape)
            return _SparseParts(sp.indices, sp.values, sp.dense_shape)

        return _walk(fn(), parts)

    return run


def rebuild(result: Any, true_shapes: List[TensorShape], false_shapes: List[TensorShape]) -> Any:
    """The conditional node's outputs with each sparse result put back together."""
    from ..framework.graph_composites import GraphSparseTensor

    shapes = iter(zip(true_shapes, false_shapes))

    def join(parts: _SparseParts) -> GraphSparseTensor:
        a, b = next(shapes)
        static = a.most_specific_compatible_shape(b) if a.rank == b.rank else TensorShape(None)
        return GraphSparseTensor(parts.indices, parts.values, parts.dense_shape, static)

    return _walk(result, join)
