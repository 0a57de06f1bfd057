"""``tf.map_fn`` over ragged elements, or with ragged results, when running eagerly.

Each row of a ``RaggedTensor`` element is a tensor of its own length (or a ragged tensor), so the function
runs once per row in Python and the rows it returns are joined along a new ragged dimension, as TensorFlow
does when the output signature (given, or by default that of ``elems``) is a ``RaggedTensorSpec``.
"""

from __future__ import annotations

from typing import Any, Callable

from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec
from ..framework.dtypes import as_dtype
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor_spec import TensorSpec


def applies(elems: Any, signature: Any) -> bool:
    """Whether ``elems`` holds a ragged tensor or ``signature`` asks for a ragged result."""
    return any(isinstance(v, RaggedTensor) for v in nest.flatten(elems)) or any(
        isinstance(s, RaggedTensorSpec) for s in nest.flatten(signature)
    )


def ragged_map(fn: Callable, elems: Any, signature: Any) -> Any:
    flat_in = nest.flatten(elems)
    n = _nrows(flat_in[0])
    for v in flat_in[1:]:
        if _nrows(v) != n:
            raise ValueError(f"Dimensions {n} and {_nrows(v)} are not compatible")
    if signature is None:
        # As TensorFlow: the result has the structure of elems, a ragged leaf giving ragged rows.
        structure, kinds = elems, [_leaf_kind(v) for v in flat_in]
    else:
        structure, kinds = signature, [_spec_kind(s) for s in nest.flatten(signature)]
    rows = []
    for i in range(n):
        out = fn(nest.pack_sequence_as(elems, [v[i] for v in flat_in]))
        flat = nest.flatten(out)
        if len(flat) != len(kinds):
            raise ValueError(
                f"The two structures don't have the same nested structure: fn returned {out!r}, expected the "
                f"structure {structure!r} (of elems or fn_output_signature)"
            )
        rows.append(flat)
    flat_out = [_join([r[j] for r in rows], kind) for j, kind in enumerate(kinds)]
    return nest.pack_sequence_as(structure, flat_out)


def _nrows(v: Any) -> int:
    return v.nrows_int() if isinstance(v, RaggedTensor) else int(v.shape[0])


def _leaf_kind(v: Any) -> tuple:
    return ("ragged", v.dtype) if isinstance(v, RaggedTensor) else ("dense", v.dtype)


def _spec_kind(s: Any) -> tuple:
    if isinstance(s, RaggedTensorSpec):
        return ("ragged", s.dtype)
    return ("dense", s.dtype if isinstance(s, TensorSpec) else as_dtype(s))


def _join(parts: list, kind: tuple) -> Any:
    """The rows ``fn`` returned, stacked (dense) or joined along a new ragged dimension."""
    from ..framework.ops import convert_to_tensor
    from .array_ops import cast, concat, stack, zeros

    how, dtype = kind
    parts = [p if isinstance(p, RaggedTensor) else convert_to_tensor(p) for p in parts]
    for p in parts:
        if p.dtype != dtype:
            raise ValueError(
                f"fn's result has dtype {p.dtype.name}, expected {dtype.name} (from elems or fn_output_signature)"
            )
    if how == "dense":
        return stack(parts) if parts else zeros([0], dtype)
    if not parts:
        return RaggedTensor.from_row_lengths(zeros([0], dtype), cast([], "int64"))
    if any(p.shape.rank == 0 for p in parts if not isinstance(p, RaggedTensor)):
        raise ValueError("a ragged result needs fn to return tensors of rank 1 or more")
    lengths = [_nrows(p) for p in parts]
    return RaggedTensor.from_row_lengths(concat(parts, axis=0), lengths)
