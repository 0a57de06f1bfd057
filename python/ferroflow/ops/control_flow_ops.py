"""``tf.while_loop``: repeat ``body`` while ``cond`` holds, over a nested structure of loop variables.

Eagerly the loop runs in Python, calling ``cond`` and ``body`` on eager tensors (a tape records every
iteration's ops, so gradients flow). In a graph, ``cond`` and ``body`` are traced once into a sub-graph
(ops/_subgraph.py) and the loop becomes one native while node, differentiable with respect to the loop
variables and to the values the body captures. ``TensorArray`` loop variables travel as their buffer.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import context, nest
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from . import _composite_loop_vars as _composites
from . import _subgraph
from ._structure import assert_same_structure
from .tensor_array_ops import TensorArray


def while_loop(
    cond: Callable,
    body: Callable,
    loop_vars: Any,
    shape_invariants: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    maximum_iterations: Any = None,
    name: Optional[str] = None,
) -> Any:
    """``tf.while_loop``: the loop variables after ``body`` ran while ``cond(*loop_vars)`` was true (at most
    ``maximum_iterations`` times), in the structure of ``loop_vars``."""
    return _while(cond, body, loop_vars, shape_invariants, parallel_iterations, maximum_iterations, name)


def while_loop_v1(
    cond: Callable,
    body: Callable,
    loop_vars: Any,
    shape_invariants: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    name: Optional[str] = None,
    maximum_iterations: Any = None,
    return_same_structure: bool = False,
) -> Any:
    """``tf.compat.v1.while_loop``: as ``tf.while_loop``, but one loop variable comes back unwrapped unless
    ``return_same_structure``."""
    out = _while(cond, body, loop_vars, shape_invariants, parallel_iterations, maximum_iterations, name)
    if not return_same_structure and len(loop_vars) == 1:
        return out[0]
    return out


def _while(cond: Any, body: Any, loop_vars: Any, invariants: Any, parallel: Any, limit: Any, name: Any) -> Any:
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if not isinstance(loop_vars, (list, tuple)):
        raise TypeError(f"'loop_vars' must be a list or tuple of loop variables, received {type(loop_vars).__name__}")
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    if limit is not None:
        limit = convert_to_tensor(limit)
        if limit.shape.rank != 0:
            raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}")
    loop_vars = nest.map_structure(_loop_value, loop_vars)
    if context.current_graph() is None:
        return _eager_while(cond, body, loop_vars, limit)
    _subgraph.require_native("tf.while_loop")
    from ._while_graph import graph_while

    if _composites.has_composites(loop_vars):
        cond, body, flat_vars, flat_invariants, rebuild = _composites.expand(
            cond, body, loop_vars, invariants, next_loop_vars
        )
        return rebuild(graph_while(cond, body, flat_vars, flat_invariants, limit, name or "while"))
    flat_invariants = _invariants(loop_vars, invariants)
    return graph_while(cond, body, loop_vars, flat_invariants, limit, name or "while")


def _loop_value(v: Any) -> Any:
    if isinstance(v, (TensorArray, Tensor)) or _composites.is_composite(v):
        return v
    if v is None:
        raise ValueError("loop_vars must not contain None: every loop variable needs a value")
    return convert_to_tensor(v)


def next_loop_vars(out: Any, loop_vars: Any) -> list:
    """The flat next values from what ``body`` returned: one value may come unwrapped for one loop variable;
    the structure must match (lists and tuples alike) and TensorArrays stay TensorArrays."""
    if len(loop_vars) == 1 and not nest.is_nested(out):
        out = [out]
    assert_same_structure(loop_vars, out, what="loop_vars and the values body returned")
    flat = []
    for before, after in zip(nest.flatten(loop_vars), nest.flatten(out)):
        if _composites.is_composite(before) or _composites.is_composite(after):
            if context.current_graph() is not None and not _composites.is_composite(before):
                raise ValueError(
                    "The two structures don't have the same nested structure: body returned a "
                    f"{type(after).__name__} for the loop variable {before!r}"
                )
            flat.append(after)  # checked against the loop variable's spec when the loop is a graph loop
            continue
        if isinstance(before, TensorArray) != isinstance(after, TensorArray):
            raise TypeError(
                f"body must return a TensorArray where the loop variable is one (and a tensor where it is a "
                f"tensor), received {type(after).__name__} for a loop variable of type {type(before).__name__}"
            )
        if isinstance(after, TensorArray):
            flat.append(after)
        elif isinstance(after, Tensor):
            flat.append(after)
        else:
            from ..framework.variables import Variable

            flat.append(after.value() if isinstance(after, Variable) else convert_to_tensor(after, dtype=before.dtype))
    return flat


def _eager_while(cond: Any, body: Any, loop_vars: Any, limit: Optional[Tensor]) -> Any:
    steps = None if limit is None else int(limit.numpy())
    n = 0
    while steps is None or n < steps:
        if not _truth(cond(*loop_vars)):
            break
        flat = next_loop_vars(body(*loop_vars), loop_vars)
        loop_vars = nest.pack_sequence_as(loop_vars, flat)
        n += 1
    return loop_vars


def _truth(value: Any) -> bool:
    if isinstance(value, EagerTensor):
        if value.shape.num_elements() != 1:
            raise ValueError(
                f"while_loop's cond must return a scalar boolean, received a tensor of shape {value.shape}"
            )
        return bool(value)
    return bool(value)


def _invariants(loop_vars: Any, invariants: Any) -> list:
    """One shape (or None) per flat loop variable, from ``shape_invariants`` shaped like ``loop_vars``
    (``TensorShape``s, or lists of dimensions, at the places of the loop variables)."""
    flat_vars = nest.flatten(loop_vars)
    if invariants is None:
        return [None] * len(flat_vars)
    out: list = []

    def walk(v: Any, s: Any) -> None:
        if isinstance(v, dict):
            if not isinstance(s, dict) or set(s) != set(v):
                raise ValueError(f"shape_invariants must have the structure of loop_vars, received {invariants!r}")
            for k in sorted(v):
                walk(v[k], s[k])
        elif isinstance(v, (list, tuple)):
            if not isinstance(s, (list, tuple)) or isinstance(s, TensorShape) or len(s) != len(v):
                raise ValueError(f"shape_invariants must have the structure of loop_vars, received {invariants!r}")
            for a, b in zip(v, s):
                walk(a, b)
        else:
            out.append(None if s is None else s if _composites.is_composite_spec(s) else TensorShape(s))

    walk(loop_vars, invariants)
    return out


def _scalar_bool(c: Any, what: str) -> Tensor:
    """``c`` as a scalar bool tensor of the graph being built (TypeError / ValueError as TensorFlow)."""
    t = convert_to_tensor(c)
    if not t.dtype.is_bool:
        raise TypeError(f"{what} must be a boolean tensor, received dtype {t.dtype.name}")
    if t.shape.rank is not None and t.shape.num_elements() not in (None, 1):
        raise ValueError(f"{what} must be a scalar, received shape {t.shape}")
    if t.shape.rank != 0:
        t = apply("reshape", [t], {"shape": []})
    return t


__all__ = ["while_loop"]
