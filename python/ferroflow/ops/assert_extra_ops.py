"""More of ``tf.debugging``: dtype, rank and iterable checks with TensorFlow's messages, ``is_numeric_tensor``
and ``Assert``.

Dtype and rank checks run on the static shape while tracing (raising ``TypeError``/``ValueError``, as
TensorFlow's); a rank unknown while tracing is checked when the graph runs. ``Assert`` raises
``InvalidArgumentError`` with TensorFlow's eager message, or, inside ``tf.function``, when the function runs,
with the data's values as TensorFlow's graph assertion prints them.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

import numpy as np

from .. import _core
from ..framework import context
from ..framework.dtypes import as_dtype, float32
from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from .assert_ops import _check

_NUMERIC = frozenset(
    ["float16", "bfloat16", "float32", "float64", "complex64", "complex128"]
    + [f"{kind}{bits}" for kind in ("int", "uint") for bits in (8, 16, 32, 64)]
)


def _prefix(message: Optional[str]) -> str:
    return f"{message}.  " if message else ""


def _dtype_repr(dtype: Any) -> str:
    return f"<dtype: '{as_dtype(dtype).name}'>"


def assert_integer(x: Any, message: Optional[str] = None, name: Optional[str] = None) -> None:
    """Raises ``TypeError`` unless ``x`` has an integer dtype."""
    t = convert_to_tensor(x)
    if not t.dtype.is_integer:
        raise TypeError(
            f'{_prefix(message)}Expected "{name or "x"}" to be integer type.  Found: tensor of dtype '
            f"{_dtype_repr(t.dtype)}"
        )


def _rank_check(x: Any, accept: Any, wanted: str, message: Optional[str]) -> None:
    t = convert_to_tensor(x)
    rank = t.shape.rank
    text = f"{_prefix(message)}Tensor  must have rank {wanted}."
    if rank is not None:
        if not accept(rank):
            raise ValueError(f"{text}  Received rank {rank}, shape {tuple(t.shape.as_list())}")
        return
    from .array_ops import rank as rank_of

    _check(convert_to_tensor(accept(rank_of(t))), lambda _: text, None)


def assert_rank_at_least(x: Any, rank: int, message: Optional[str] = None, name: Optional[str] = None) -> None:
    """Raises unless ``x`` has at least ``rank`` dimensions."""
    r = int(rank)
    _rank_check(x, lambda k: k >= r, f"at least {r}", message)


def assert_rank_in(x: Any, ranks: Sequence[int], message: Optional[str] = None, name: Optional[str] = None) -> None:
    """Raises unless the rank of ``x`` is one of ``ranks``."""
    allowed = tuple(int(r) for r in ranks)

    def accept(k: Any) -> Any:
        if isinstance(k, Tensor):
            from .math_derived_ops import reduce_any

            return reduce_any(k == convert_to_tensor(np.array(allowed, np.int32)))
        return k in allowed

    _rank_check(x, accept, f"in {allowed}", message)


def assert_scalar(tensor: Any, message: Optional[str] = None, name: Optional[str] = None) -> None:
    """Raises ``ValueError`` unless ``tensor`` is a scalar."""
    t = convert_to_tensor(tensor)
    if t.shape.rank is not None and t.shape.rank != 0:
        raise ValueError(f"{_prefix(message)}Expected scalar shape, saw shape: {tuple(t.shape.as_list())}.")


def assert_same_float_dtype(tensors: Optional[Iterable[Any]] = None, dtype: Any = None) -> Any:
    """The common floating dtype of ``tensors`` (and ``dtype``); float32 when there is neither."""
    if tensors:
        expected, first = (as_dtype(dtype), None) if dtype is not None else (None, None)
        for t in tensors:
            if not isinstance(t, (Tensor, SparseTensor)):
                t = convert_to_tensor(t)
            if expected is None:
                expected, first = t.dtype, t
            elif t.dtype != expected:
                against = f" as {first}" if first is not None else ""
                raise ValueError(
                    f"{t}, type={_dtype_repr(t.dtype)}, must be of the same type ({_dtype_repr(expected)}){against}."
                )
        dtype = expected
    if dtype is None:
        return float32
    dtype = as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {_dtype_repr(dtype)}.")
    return dtype


def assert_proper_iterable(values: Any) -> None:
    """Raises ``TypeError`` unless ``values`` is an iterable of values (not a tensor, array or string)."""
    if isinstance(values, (Tensor, SparseTensor, np.ndarray, str, bytes)):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}')
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def is_numeric_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a ``tf.Tensor`` of a numeric dtype (not bool or string)."""
    return isinstance(tensor, Tensor) and tensor.dtype.name in _NUMERIC


def _eager_summary(value: np.ndarray, summarize: Optional[int]) -> str:
    count = 3 if summarize is None else (value.size if summarize < 0 else int(summarize))
    if value.ndim:
        flat = value.reshape(-1)
        items = [_item(v) for v in flat[:count]]
        if len(items) < flat.size:
            items.append("...")
        return ", ".join(items)
    return _item(value.item() if value.dtype.kind in "SO" else value) if count else ""


def _item(v: Any) -> str:
    """An element as Python shows it (``b'x'`` for bytes, not NumPy's ``np.bytes_(b'x')``)."""
    return str(bytes(v)) if isinstance(v, bytes) else str(v)


def _graph_summary(value: np.ndarray, summarize: Optional[int]) -> str:
    count = 3 if summarize is None else (value.size if summarize < 0 else int(summarize))
    if value.dtype.kind in "SOU" and value.ndim == 0:
        item = value.item()
        return "[" + (item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)) + "]"
    flat = value.reshape(-1)
    body = " ".join(str(v) for v in flat[:count]) + ("..." if flat.size > count else "")
    return "[" + body + "]"


def Assert(condition: Any, data: Sequence[Any], summarize: Optional[int] = None, name: Optional[str] = None) -> None:  # noqa: N802
    """Raises ``InvalidArgumentError`` showing ``data`` when ``condition`` is False (in a graph: when it runs)."""
    cond = convert_to_tensor(condition)
    if cond.dtype.name != "bool":
        raise TypeError(f"Assert expects a bool condition, received dtype {cond.dtype.name}")
    values = [d if isinstance(d, Tensor) else convert_to_tensor(d) for d in data]
    graph = context.current_graph()
    if graph is None:
        if not np.all(cond.numpy()):
            shown = "\n".join(_eager_summary(np.asarray(v.numpy()), summarize) for v in values)
            shown_condition = condition if isinstance(condition, Tensor) else cond.numpy()
            raise _core.InvalidArgumentError(f"Expected '{shown_condition!s}' to be true. Summarized data: {shown}")
        return
    if not getattr(graph, "is_function", False):  # a TF1 graph: an op that checks when a session runs it
        from ..compat.v1.asserts_v1 import Assert as graph_assert

        return graph_assert(condition, data, summarize=summarize, name=name)
    from ..framework.ops import graph_input
    from ._subgraph import SubGraph

    def after_run(results: list) -> None:
        if not np.all(results[0]):
            shown = " ".join(_graph_summary(np.asarray(v), summarize) for v in results[1:])
            raise _core.InvalidArgumentError(f"assertion failed: {shown}")

    if isinstance(graph, SubGraph):
        from ._host_call_graph import function_graph_call

        function_graph_call(graph, lambda *vals: after_run(list(vals)), [cond] + values, None, False, True, "Assert")
        return
    graph.run_callbacks.append(([graph_input(graph, cond)] + [graph_input(graph, v) for v in values], after_run))
