"""TF1's assertions: ``Assert`` and ``assert_equal`` / ``_less`` / ``_positive`` ... with ``data`` and
``summarize``, as ops of a TF1 graph.

In a TF1 graph an assertion is an op (``tf.control_dependencies([tf.assert_positive(x)])``) that raises
``InvalidArgumentError`` with TensorFlow's "assertion failed: [...] [...]" message when a run reaches it
with values that break it; values known while building are checked at once, as TensorFlow does. Eagerly
and inside ``tf.function`` the TF2 checks of ``tf.debugging`` run, showing ``data`` when it is given.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from ...errors import InvalidArgumentError
from ...framework import context
from ...framework.graph import SymbolicTensor
from ...framework.graph_constants import constant_value
from ...framework.ops import apply, convert_to_tensor, graph_input
from ...framework.tensor import Tensor
from ...ops import assert_extra_ops as _extra
from ...ops import assert_ops as _asserts
from ...ops import math_ops as _math
from ...ops.host_op import host_op
from ...ops.math_derived_ops import reduce_all as _reduce_all


def _tf1_graph() -> Any:
    graph = context.current_graph()
    return graph if graph is not None and not getattr(graph, "is_function", False) else None


def _no_op(graph: Any, name: str) -> Any:
    with graph.as_default():
        return apply("group", [], op_name=name).op


def _graph_name(graph: Any, x: Any) -> str:
    return x.name if isinstance(x, SymbolicTensor) else graph.tensor(graph_input(graph, x)).name


def Assert(condition: Any, data: Sequence[Any], summarize: Optional[int] = None, name: Optional[str] = None) -> Any:  # noqa: N802
    """An op failing with ``assertion failed: [data0] [data1] ...`` when ``condition`` is False at run time
    (TF1 graphs); eagerly it raises at once, showing ``data``."""
    graph = _tf1_graph()
    if graph is None:
        return _extra.Assert(condition, data, summarize=summarize, name=name)
    cond = convert_to_tensor(condition)
    if cond.dtype.name != "bool":
        raise TypeError(f"Assert expects a bool condition, received dtype {cond.dtype.name}")
    items = [d if isinstance(d, Tensor) else convert_to_tensor(d) for d in data]

    def check(arrays: list) -> list:
        if not np.all(arrays[0]):
            shown = " ".join(_extra._graph_summary(np.asarray(v), summarize) for v in arrays[1:])
            raise InvalidArgumentError(f"assertion failed: {shown}")
        return [np.zeros((), np.int64)]

    op_name = name or "Assert"
    done = host_op(f"{op_name}/Assert", check, [cond, *items], [("int64", [])])[0]
    with graph.as_default():
        return apply("group", [done], op_name=op_name).op


def _static_value(x: Any) -> Any:
    """The value known while building (an eager tensor's, or a graph constant's), else None."""
    return constant_value(x)


def _data_text(item: Any) -> str:
    value = _static_value(item) if isinstance(item, Tensor) else None
    return str(value) if value is not None else str(item)


def _pretty(item: Any, summarize: Any) -> str:
    if not isinstance(item, Tensor):
        return str(item)
    arr = item.numpy()
    if np.ndim(arr) == 0:
        return str(arr)
    flat = arr.reshape(-1)
    shown = [str(v) for v in flat[: int(summarize)]]
    if len(shown) < flat.size:
        shown.append("...")
    return str(shown)


def _binary(sym: str, opname: str, op_func: Callable, static_func: Callable, tf2: Callable) -> Callable:
    def assert_fn(
        x: Any,
        y: Any,
        data: Any = None,
        summarize: Any = None,
        message: Optional[str] = None,
        name: Optional[str] = None,
    ) -> Any:
        graph = _tf1_graph()
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype=x.dtype) if not isinstance(y, Tensor) else y
        if graph is None:
            if data is None:
                return tf2(x, y, message=message, summarize=summarize)
            if bool(np.all(op_func(x, y).numpy())):
                return None
            count = 3 if summarize is None else (10**9 if summarize < 0 else summarize)
            items = ([message] if message is not None else []) + list(data)
            raise InvalidArgumentError("\n".join(_pretty(d, count) for d in items))
        if data is None:
            data = [
                f"Condition x {sym} y did not hold element-wise:",
                f"x ({_graph_name(graph, x)}) = ",
                x,
                f"y ({_graph_name(graph, y)}) = ",
                y,
            ]
        if message is not None:
            data = [message] + list(data)
        xs, ys = _static_value(x), _static_value(y)
        if xs is not None and ys is not None and not np.all(static_func(xs, ys)):
            raise InvalidArgumentError("\n".join(_data_text(d) for d in data))
        with graph.as_default():
            condition = _reduce_all(op_func(x, y))
        return Assert(condition, data, summarize=summarize, name=name or opname)

    assert_fn.__name__ = assert_fn.__qualname__ = opname
    assert_fn.__doc__ = f"Asserts ``x {sym} y`` elementwise (TF1's signature, with ``data``)."
    return assert_fn


assert_equal = _binary("==", "assert_equal", _math.equal, np.equal, _asserts.assert_equal)
assert_none_equal = _binary("!=", "assert_none_equal", _math.not_equal, np.not_equal, _asserts.assert_none_equal)
assert_less = _binary("<", "assert_less", _math.less, np.less, _asserts.assert_less)
assert_less_equal = _binary("<=", "assert_less_equal", _math.less_equal, np.less_equal, _asserts.assert_less_equal)
assert_greater = _binary(">", "assert_greater", _math.greater, np.greater, _asserts.assert_greater)
assert_greater_equal = _binary(
    ">=", "assert_greater_equal", _math.greater_equal, np.greater_equal, _asserts.assert_greater_equal
)


def _sign(sym: str, opname: str, compare: Callable, zero_first: bool, tf2: Callable) -> Callable:
    def assert_fn(
        x: Any, data: Any = None, summarize: Any = None, message: Optional[str] = None, name: Optional[str] = None
    ) -> Any:
        graph = _tf1_graph()
        x = convert_to_tensor(x)
        if graph is None and data is None:
            return tf2(x, message=message, summarize=summarize)
        prefix = f"{message}.  " if message else ""
        if data is None:
            shown = _graph_name(graph, x) if graph is not None else f"shape={x.shape} dtype={x.dtype.name}"
            data = [prefix, f"Condition x {sym} 0 did not hold element-wise:", f"x ({shown}) = ", x]
        zero = convert_to_tensor(0, dtype=x.dtype)
        a, b = (zero, x) if zero_first else (x, zero)
        return compare(a, b, data=data, summarize=summarize, name=name or opname)

    assert_fn.__name__ = assert_fn.__qualname__ = opname
    assert_fn.__doc__ = f"Asserts ``x {sym} 0`` elementwise (TF1's signature, with ``data``)."
    return assert_fn


assert_positive = _sign(">", "assert_positive", assert_less, True, _asserts.assert_positive)
assert_negative = _sign("<", "assert_negative", assert_less, False, _asserts.assert_negative)
assert_non_negative = _sign(">=", "assert_non_negative", assert_less_equal, True, _asserts.assert_non_negative)
assert_non_positive = _sign("<=", "assert_non_positive", assert_less_equal, False, _asserts.assert_non_positive)


def _static(check: Callable, opname: str) -> Callable:
    """A check TensorFlow makes on static shapes or dtypes: in a TF1 graph a passing one is a no-op op."""

    def assert_fn(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("data", None)
        kwargs.pop("summarize", None)
        result = check(*args, **kwargs)
        graph = _tf1_graph()
        return _no_op(graph, f"{opname}/static_checks_determined_all_ok") if graph is not None else result

    assert_fn.__name__ = assert_fn.__qualname__ = opname
    assert_fn.__doc__ = check.__doc__
    return assert_fn


def assert_rank(
    x: Any,
    rank: Any,
    data: Any = None,
    summarize: Any = None,
    message: Optional[str] = None,
    name: Optional[str] = None,
) -> Any:
    return _static(_asserts.assert_rank, "assert_rank")(x, rank, message=message)


def assert_rank_at_least(
    x: Any,
    rank: Any,
    data: Any = None,
    summarize: Any = None,
    message: Optional[str] = None,
    name: Optional[str] = None,
) -> Any:
    return _static(_extra.assert_rank_at_least, "assert_rank_at_least")(x, rank, message=message)


def assert_rank_in(
    x: Any,
    ranks: Any,
    data: Any = None,
    summarize: Any = None,
    message: Optional[str] = None,
    name: Optional[str] = None,
) -> Any:
    return _static(_extra.assert_rank_in, "assert_rank_in")(x, ranks, message=message)


assert_type = _static(_asserts.assert_type, "assert_type")
assert_integer = _static(_extra.assert_integer, "assert_integer")
assert_scalar = _static(_extra.assert_scalar, "assert_scalar")


def assert_near(
    x: Any,
    y: Any,
    rtol: Any = None,
    atol: Any = None,
    data: Any = None,
    summarize: Any = None,
    message: Optional[str] = None,
    name: Optional[str] = None,
) -> Any:
    """Asserts ``|x - y| <= atol + rtol * |y|`` elementwise (defaults: 10 * the dtype's epsilon)."""
    graph = _tf1_graph()
    if graph is None:
        return _asserts.assert_near(x, y, rtol=rtol, atol=atol, message=message, summarize=summarize)
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype) if not isinstance(y, Tensor) else y
    eps = np.finfo(x.dtype.as_numpy_dtype).eps if x.dtype.is_floating else 0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    if data is None:
        data = [
            f"{message}.  " if message else "",
            f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
            f"x ({_graph_name(graph, x)}) = ",
            x,
            f"y ({_graph_name(graph, y)}) = ",
            y,
        ]
    with graph.as_default():
        condition = _reduce_all(_math.less_equal(_math.abs(x - y), atol + rtol * _math.abs(y)))
    return Assert(condition, data, summarize=summarize, name=name or "assert_near")


def verify_tensor_all_finite(
    t: Any = None, msg: Any = None, name: Optional[str] = None, x: Any = None, message: Any = None
) -> Any:
    """``t`` itself, checked to hold no NaN or infinity (``check_numerics`` with ``msg``)."""
    from ...debugging import check_numerics
    from .arg_lookup import lookup

    t = lookup("x", x, "t", t)
    msg = lookup("message", message, "msg", msg)
    return check_numerics(t, msg or "")
