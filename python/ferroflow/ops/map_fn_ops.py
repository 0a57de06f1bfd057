"""``tf.map_fn`` and ``tf.vectorized_map``: apply a function to every element along the first axis.

Eagerly the function runs once per element in Python. In a graph it is a ``tf.while_loop`` whose first
step runs outside the loop, so the buffers collecting the results are preallocated with that step's shapes
(run-time dimensions included) and keep their shape through the loop, as differentiating it needs.
``vectorized_map`` is ``map_fn`` whose output structure is taken from what ``fn`` returns.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import context, nest
from ..framework.dtypes import as_dtype
from ..framework.ops import apply
from ..framework.tensor_spec import TensorSpec
from . import _elems, ragged_map_fn
from ._elems import Elements


def _signature(sig: Any) -> tuple:
    """``(structure, flat dtypes, flat static shapes)`` of ``fn_output_signature`` (dtypes or TensorSpecs)."""
    from ..framework.composite_specs import COMPOSITE_SPECS

    dtypes, shapes = [], []
    for leaf in nest.flatten(sig):
        if isinstance(leaf, COMPOSITE_SPECS):
            raise NotImplementedError("map_fn with a sparse or ragged fn_output_signature is not supported")
        if isinstance(leaf, TensorSpec):
            dtypes.append(leaf.dtype)
            shapes.append(leaf.shape._dim_list)
        else:
            dtypes.append(as_dtype(leaf))
            shapes.append(None)
    return sig, dtypes, shapes


def map_fn(
    fn: Callable,
    elems: Any,
    dtype: Any = None,
    parallel_iterations: Optional[int] = None,
    back_prop: bool = True,
    swap_memory: bool = False,
    infer_shape: bool = True,
    name: Optional[str] = None,
    fn_output_signature: Any = None,
) -> Any:
    """``tf.map_fn``: ``fn`` applied to each element of ``elems`` along the first axis, the results stacked.
    The results must have the structure and dtypes of ``elems`` unless ``fn_output_signature`` (or its older
    name ``dtype``) gives them."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, received {type(fn).__name__}")
    if fn_output_signature is None:
        fn_output_signature = dtype
    if context.current_graph() is None and ragged_map_fn.applies(elems, fn_output_signature):
        return ragged_map_fn.ragged_map(fn, elems, fn_output_signature)
    el = Elements(elems)
    if fn_output_signature is None:
        expected = (
            el.structure,
            [t.dtype for t in el.flat],
            [t.shape._dim_list[1:] if t.shape.rank else None for t in el.flat],
        )
    else:
        expected = _signature(fn_output_signature)
    return _map(fn, el, expected)


def vectorized_map(fn: Callable, elems: Any, fallback_to_while_loop: bool = True, warn: bool = True) -> Any:
    """``tf.vectorized_map``: as ``map_fn``, with the output structure and dtypes those ``fn`` returns."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, received {type(fn).__name__}")
    return _map(fn, Elements(elems), None)


def _map(fn: Callable, el: Elements, expected: Optional[tuple]) -> Any:
    structure, dtypes = (None, None) if expected is None else expected[:2]
    if el.n == 0:
        return _empty(el, expected)
    if context.current_graph() is not None:
        return _graph_map(fn, el, structure, dtypes)
    rows = []
    for i in range(el.n):
        out = fn(el.at(i))
        if structure is None:
            structure = out  # vectorized_map: the first result's structure
        rows.append(_elems.step_result(out, structure, dtypes, "the elements and fn's result"))
        if dtypes is None:
            dtypes = [t.dtype for t in rows[0]]
    _elems.check_same_shapes(rows)
    return nest.pack_sequence_as(structure, _elems.stack_rows(rows, len(rows[0])))


def _graph_map(fn: Callable, el: Elements, structure: Any, dtypes: Optional[list]) -> Any:
    from .control_flow_ops import while_loop

    first_out = fn(el.at(0))
    if structure is None:
        structure = first_out
    first = _elems.step_result(first_out, structure, dtypes, "the elements and fn's result")
    dtypes = [t.dtype for t in first]
    buffers = _elems.write_rows(_elems.buffers_for(first, el.count), 0, first)
    if el.n == 1:
        return nest.pack_sequence_as(structure, _elems.with_rows(buffers, 1))

    def body(i: Any, bufs: list) -> tuple:
        flat = _elems.step_result(fn(el.at(i)), structure, dtypes, "the elements and fn's result")
        return i + 1, _elems.write_rows(bufs, i, flat)

    one = apply("cast", [_elems.tensor_of(1)], {"dtype": "int32"})
    _, buffers = while_loop(lambda i, bufs: i < el.count, body, (one, buffers))
    return nest.pack_sequence_as(structure, _elems.with_rows(buffers, el.n))


def _empty(el: Elements, expected: Optional[tuple]) -> Any:
    if expected is None:
        raise ValueError("vectorized_map over zero elements: the output structure of fn is unknown")
    structure, dtypes, shapes = expected
    flat = [_elems.empty_output(s, d) for s, d in zip(shapes, dtypes)]
    return nest.pack_sequence_as(structure, flat)


__all__ = ["map_fn", "vectorized_map"]
