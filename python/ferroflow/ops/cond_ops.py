"""``tf.cond``, ``tf.case`` and ``tf.switch_case``: run one of several functions, chosen by tensors.

Eagerly only the chosen function runs, and its result comes back as it returned it. In a graph every
function is traced into one sub-graph (ops/_cond_graph.py) and a native conditional node runs the chosen
branch; ``case`` and ``switch_case`` are chains of conditionals.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import _subgraph


def cond(pred: Any, true_fn: Optional[Callable] = None, false_fn: Optional[Callable] = None, name: Any = None) -> Any:
    """``tf.cond``: ``true_fn()`` if ``pred`` (a scalar bool) is true, else ``false_fn()``."""
    return _cond(pred, true_fn, false_fn, name)


def cond_v1(
    pred: Any,
    true_fn: Optional[Callable] = None,
    false_fn: Optional[Callable] = None,
    strict: bool = False,
    name: Any = None,
    fn1: Optional[Callable] = None,
    fn2: Optional[Callable] = None,
) -> Any:
    """``tf.compat.v1.cond``: as ``tf.cond``; unless ``strict``, a one-element list or tuple comes back as its
    element. ``fn1``/``fn2`` are the old names of ``true_fn``/``false_fn``."""
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): true_fn and fn1 may not be set simultaneously.")
        true_fn = fn1
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): false_fn and fn2 may not be set simultaneously.")
        false_fn = fn2
    out = _cond(pred, true_fn, false_fn, name)
    return out if strict else _unpack_singleton(out)


def _unpack_singleton(x: Any) -> Any:
    return x[0] if isinstance(x, (list, tuple)) and len(x) == 1 else x


def _cond(pred: Any, true_fn: Any, false_fn: Any, name: Any) -> Any:
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if context.current_graph() is None:
        return true_fn() if _eager_truth(pred, "pred") else false_fn()
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool", pred)
    _subgraph.require_native("tf.cond")
    from . import _cond_sparse
    from ._cond_graph import graph_cond
    from .control_flow_ops import _scalar_bool

    pred = _scalar_bool(_value(pred), "cond's pred")
    true_shapes: list = []
    false_shapes: list = []
    true_split = _cond_sparse.split_branch(true_fn, true_shapes)
    false_split = _cond_sparse.split_branch(false_fn, false_shapes)
    out = graph_cond(pred, true_split, false_split, name or "cond")
    return _cond_sparse.rebuild(out, true_shapes, false_shapes) if true_shapes else out


def _value(x: Any) -> Any:
    from ..framework.variables import Variable

    return x.value() if isinstance(x, Variable) else x


def _eager_truth(pred: Any, what: str) -> bool:
    t = convert_to_tensor(_value(pred))
    if t.shape.num_elements() != 1:
        raise ValueError(f"{what} must be a scalar, received a tensor of shape {t.shape}")
    return bool(t)


def case(
    pred_fn_pairs: Any,
    default: Optional[Callable] = None,
    exclusive: bool = False,
    strict: bool = False,
    name: str = "case",
) -> Any:
    """``tf.case``: the function paired with the first true predicate (``default``, or when None the last
    function, if none is true). With ``exclusive``, more than one true predicate is an error."""
    pairs = _pairs(pred_fn_pairs)
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    checked = len(pairs) if default is not None else len(pairs) - 1  # as TensorFlow: the last pair is the default
    preds = [_value(p) for p, _ in pairs]
    if context.current_graph() is None:
        values = [bool(convert_to_tensor(p)) for p in preds]
        if exclusive and sum(values[:checked]) > 1:
            raise InvalidArgumentError(f"{_MANY_TRUE}: {values}")
        for value, (_, fn) in zip(values, pairs):
            if value:
                return fn()
        if default is None:
            raise InvalidArgumentError(f"{_NONE_TRUE}: {values}")
        return default()
    _graph_checks(preds, checked, default is None, exclusive)
    if default is None:
        default, pairs = pairs[-1][1], pairs[:-1]
    return _chain(pairs, default, name)


def _graph_checks(preds: list, checked: int, no_default: bool, exclusive: bool) -> None:
    """``case``'s run-time checks in a traced function (a TF1 graph has no hook to run them)."""
    graph = context.current_graph()
    if not getattr(graph, "is_function", False) or isinstance(graph, _subgraph.SubGraph):
        return  # a TF1 graph, or inside a control-flow body: no hook runs the check
    from .array_ops import stack
    from .assert_ops import _check

    flags = apply("cast", [stack([apply("reshape", [p], {"shape": []}) for p in preds])], {"dtype": "int32"})
    if no_default:
        total = apply("reduce_sum", [flags], {"axis": None, "keepdims": False})
        _check(apply("greater", [total, convert_to_tensor(0)]), lambda v: _NONE_TRUE, None)
    if exclusive and checked > 1:
        count = apply("reduce_sum", [flags[:checked]], {"axis": None, "keepdims": False})
        _check(apply("less_equal", [count, convert_to_tensor(1)]), lambda v: _MANY_TRUE, None)


_NONE_TRUE = "Input error: None of conditions evaluated as True"
_MANY_TRUE = "Input error: exclusive=True: more than 1 conditions evaluated as True"


def case_v1(
    pred_fn_pairs: Any,
    default: Optional[Callable] = None,
    exclusive: bool = False,
    strict: bool = False,
    name: str = "case",
) -> Any:
    """``tf.compat.v1.case``: as ``tf.case``; unless ``strict``, a one-element result comes back unwrapped."""
    out = case(pred_fn_pairs, default, exclusive, strict, name)
    return out if strict else _unpack_singleton(out)


def _pairs(pred_fn_pairs: Any) -> list:
    if isinstance(pred_fn_pairs, dict):
        items = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, (list, tuple)):
        items = list(pred_fn_pairs)
    else:
        raise TypeError(f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}")
    if not items:
        raise ValueError("'pred_fn_pairs' must hold at least one (pred, fn) pair")
    for entry in items:
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {entry}.")
        pred, fn = entry
        if not isinstance(pred, Tensor) and not hasattr(pred, "_v"):
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {_pred_name(pred)} must be callable.")
    return items


def _pred_name(pred: Any) -> str:
    try:
        return pred.name
    except AttributeError:
        return repr(pred)


def _chain(pairs: list, default: Callable, name: str) -> Any:
    """``cond(p0, f0, lambda: cond(p1, f1, ... default))`` in the graph being built."""
    if not pairs:
        return default()
    (pred, fn), rest = pairs[0], pairs[1:]
    return cond(pred, fn, lambda: _chain(rest, default, name), name=name)


def switch_case(
    branch_index: Any, branch_fns: Any, default: Optional[Callable] = None, name: str = "switch_case"
) -> Any:
    """``tf.switch_case``: ``branch_fns[branch_index]()``; an index out of range runs ``default`` (when None,
    the last branch)."""
    fns = _branches(branch_fns)
    if default is not None and not callable(default):
        raise TypeError(f"default must be callable, got {type(default)}")
    if not isinstance(branch_index, (Tensor,)) and not hasattr(branch_index, "_v"):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    index = _value(branch_index)
    if not index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {index.dtype!r}")
    if default is None:
        default, fns = fns[-1], fns[:-1]
    if isinstance(index, EagerTensor) and context.current_graph() is None:
        if index.shape.num_elements() != 1:
            raise InvalidArgumentError(f"branch_index must be a scalar, received shape {index.shape}")
        i = int(index)
        return fns[i]() if 0 <= i < len(fns) else default()
    pairs = [(apply("equal", [index, convert_to_tensor(i, dtype=index.dtype)]), fn) for i, fn in enumerate(fns)]
    return _chain(pairs, default, name)


def _branches(branch_fns: Any) -> list:
    if isinstance(branch_fns, dict):
        items = list(branch_fns.items())
    elif isinstance(branch_fns, (list, tuple)) and all(isinstance(b, tuple) and len(b) == 2 for b in branch_fns):
        items = list(branch_fns) if branch_fns else []
    elif isinstance(branch_fns, (list, tuple)):
        items = list(enumerate(branch_fns))
    else:
        raise TypeError(f"'branch_fns' must be a list, tuple, or dict. Received: {type(branch_fns)}")
    if not items:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    keys = sorted(k for k, _ in items)
    if keys != list(range(len(items))):
        found = "{" + ",".join(str(k) for k in keys) + "}"
        raise ValueError(f"branch indices (keys) must form contiguous range of [0 to {len(items)}) but found {found}")
    fns = [fn for _, fn in sorted(items, key=lambda kv: kv[0])]
    for fn in fns:
        if not callable(fn):
            raise TypeError(f"br_fn must be callable, got {type(fn)}")
    return fns


__all__ = ["case", "cond", "switch_case"]
