"""TF1's spellings of the array functions: ``expand_dims(x, dim=0)``, ``squeeze(x, squeeze_dims=[1])``,
``shape(x, name)``, ``gather(params, indices, validate_indices, name, axis)``, ``constant(...,
verify_shape=True)``, ``space_to_batch(x, paddings, block_size)`` ...

Each takes TF1's signature (positions included) and computes with ferroflow's TF2 function.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.graph_constants import convert_to_tensor as _convert_to_tensor
from ...ops import array_ops as _array
from .arg_lookup import lookup


def expand_dims(input: Any, axis: Any = None, name: Optional[str] = None, dim: Any = None) -> Any:  # noqa: A002
    """``input`` with a new axis of size 1 at ``axis`` (``dim`` in TF1); one of the two is required."""
    axis = lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return _array.expand_dims(input, axis, name=name)


def squeeze(input: Any, axis: Any = None, name: Optional[str] = None, squeeze_dims: Any = None) -> Any:  # noqa: A002
    """``input`` without its size-1 axes (those of ``axis``, ``squeeze_dims`` in TF1, when given)."""
    axis = lookup("axis", axis, "squeeze_dims", squeeze_dims)
    return _array.squeeze(input, axis, name=name)


def shape(input: Any, name: Optional[str] = None, out_type: Any = None) -> Any:  # noqa: A002
    """The dynamic shape of ``input`` as an ``out_type`` (int32 by default) vector."""
    return _array.shape(input, out_type="int32" if out_type is None else out_type, name=name)


def size(input: Any, name: Optional[str] = None, out_type: Any = None) -> Any:  # noqa: A002
    """The number of elements of ``input`` as an ``out_type`` (int32 by default) scalar."""
    return _array.size(input, out_type="int32" if out_type is None else out_type, name=name)


def gather(
    params: Any,
    indices: Any,
    validate_indices: Any = None,
    name: Optional[str] = None,
    axis: Any = None,
    batch_dims: int = 0,
) -> Any:
    """The slices of ``params`` at ``indices`` along ``axis`` (TF1's argument order: ``name`` fourth)."""
    return _array.gather(params, indices, axis=axis, batch_dims=batch_dims, name=name)


def gather_nd(params: Any, indices: Any, name: Optional[str] = None, batch_dims: int = 0) -> Any:
    from ...ops.slicing_ops import gather_nd as _gather_nd

    return _gather_nd(params, indices, batch_dims=batch_dims, name=name)


def batch_gather(params: Any, indices: Any, name: Optional[str] = None) -> Any:
    """``gather`` with every axis of ``indices`` but the last a batch axis shared with ``params``."""
    indices = _convert_to_tensor(indices)
    rank = indices.shape.rank
    if rank is None:
        raise ValueError("batch_gather does not allow indices with unknown shape.")
    return _array.gather(params, indices, axis=rank - 1, batch_dims=rank - 1, name=name)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Any:
    return _array.transpose(a, perm, conjugate=conjugate, name=name)


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Any:
    from ...ops.scatter_ops import boolean_mask as _boolean_mask

    return _boolean_mask(tensor, mask, axis=axis, name=name)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const", verify_shape: bool = False) -> Any:
    """TF1's ``constant``: with ``verify_shape`` the value must already have ``shape`` (no broadcasting)."""
    if verify_shape and shape is not None:
        got = tuple(np.shape(value.numpy() if hasattr(value, "numpy") else value))
        want = tuple(int(d) for d in (shape.as_list() if hasattr(shape, "as_list") else np.atleast_1d(shape)))
        if np.ndim(shape) == 0 and not hasattr(shape, "as_list"):
            want = (int(shape),)
        if got != want:
            converted = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
            raise TypeError(
                f"Expected Tensor {converted} (converted from {value!r}) with shape {want}, but got shape {got}."
            )
    return _array.constant(value, dtype=dtype, shape=shape, name=name)


def convert_to_tensor(
    value: Any, dtype: Any = None, name: Optional[str] = None, preferred_dtype: Any = None, dtype_hint: Any = None
) -> Any:
    """``tf.convert_to_tensor`` with TF1's ``preferred_dtype`` (the old name of ``dtype_hint``)."""
    dtype_hint = lookup("dtype_hint", dtype_hint, "preferred_dtype", preferred_dtype)
    return _convert_to_tensor(value, dtype=dtype, dtype_hint=dtype_hint, name=name)


def convert_to_tensor_or_indexed_slices(value: Any, dtype: Any = None, name: Optional[str] = None) -> Any:
    """IndexedSlices, sparse and ragged tensors as they are (their dtype checked); other values converted."""
    from ...framework.dtypes import as_dtype
    from ...framework.indexed_slices import IndexedSlices
    from ...framework.ragged_tensor import RaggedTensor
    from ...framework.sparse_tensor import SparseTensor

    if isinstance(value, (IndexedSlices, SparseTensor, RaggedTensor)):
        if dtype is not None and not as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(
                f"Incompatible tensor conversion requested to `dtype` {as_dtype(dtype).name} for `value` ({value}) "
                f"with dtype {value.dtype.name}."
            )
        return value
    return _convert_to_tensor(value, dtype=dtype, name=name)


def ones_like(tensor: Any, dtype: Any = None, name: Optional[str] = None, optimize: bool = True) -> Any:
    return _array.ones_like(tensor, dtype=dtype, name=name)


def zeros_like(tensor: Any, dtype: Any = None, name: Optional[str] = None, optimize: bool = True) -> Any:
    return _array.zeros_like(tensor, dtype=dtype, name=name)


def reverse_sequence(
    input: Any,  # noqa: A002
    seq_lengths: Any,
    seq_axis: Any = None,
    batch_axis: Any = None,
    name: Optional[str] = None,
    seq_dim: Any = None,
    batch_dim: Any = None,
) -> Any:
    """Reverses the first ``seq_lengths[i]`` elements along ``seq_axis`` (TF1: ``seq_dim``) of each batch row."""
    from ...ops.array_extra_ops import reverse_sequence as _reverse_sequence

    seq_axis = lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = lookup("batch_axis", batch_axis, "batch_dim", batch_dim) or 0
    x = _convert_to_tensor(input)
    if x.shape.is_fully_defined() or seq_axis is None:
        return _reverse_sequence(x, seq_lengths, seq_axis=seq_axis, batch_axis=batch_axis, name=name)
    return _reverse_sequence_host(x, _convert_to_tensor(seq_lengths), int(seq_axis), int(batch_axis), name)


def _reverse_sequence_host(x: Any, lengths: Any, seq_axis: int, batch_axis: int, name: Optional[str]) -> Any:
    """``reverse_sequence`` for sizes known only when the graph runs: NumPy reverses each batch entry's
    prefix; the gradient is the same reversal of the incoming gradient."""
    from ...ops.host_op import host_op

    def reverse(value: np.ndarray, lens: np.ndarray) -> np.ndarray:
        out = np.array(value, copy=True)
        moved = np.moveaxis(out, (batch_axis, seq_axis), (0, 1))
        source = np.moveaxis(value, (batch_axis, seq_axis), (0, 1))
        for b, n in enumerate(np.asarray(lens).reshape(-1)):
            if n < 0 or n > source.shape[1]:
                from ...errors import InvalidArgumentError

                raise InvalidArgumentError(f"reverse_sequence: seq_lengths[{b}] = {n} is not in [0, {source.shape[1]}]")
            moved[b, :n] = source[b, :n][::-1]
        return out

    def gradient(arrays: list) -> list:
        return [reverse(arrays[2], arrays[1])]

    rank = x.shape.rank
    dims = None if rank is None else x.shape.as_list()
    return host_op(
        name or "ReverseSequence",
        lambda a: [reverse(a[0], a[1])],
        [x, lengths],
        [(x.dtype, dims)],
        gradient if x.dtype.is_floating else None,
    )[0]


def space_to_batch(
    input: Any,  # noqa: A002
    paddings: Any,
    block_size: Any = None,
    name: Optional[str] = None,
    block_shape: Any = None,
) -> Any:
    """Spatial blocks of ``block_size`` x ``block_size`` (a square block, TF1) moved into the batch."""
    from ...ops.nn_misc_ops import space_to_batch as _space_to_batch

    block_size = lookup("block_shape", block_shape, "block_size", block_size)
    return _space_to_batch(input, [int(block_size)] * 2, paddings, name=name)


def batch_to_space(
    input: Any,  # noqa: A002
    crops: Any,
    block_size: Any,
    name: Optional[str] = None,
    block_shape: Any = None,
) -> Any:
    """The inverse of ``space_to_batch``: batch blocks moved back into ``block_size`` x ``block_size`` tiles."""
    from ...ops.nn_misc_ops import batch_to_space as _batch_to_space

    block_size = lookup("block_shape", block_shape, "block_size", block_size)
    return _batch_to_space(input, [int(block_size)] * 2, crops, name=name)


def multinomial(
    logits: Any, num_samples: Any, seed: Any = None, name: Optional[str] = None, output_dtype: Any = None
) -> Any:
    """``num_samples`` class indices per row drawn from ``softmax(logits)`` (TF1's name of ``categorical``)."""
    from ...ops.stateless_random_ops import categorical

    return categorical(logits, num_samples, dtype=output_dtype, seed=seed, name=name)


def clip_by_average_norm(t: Any, clip_norm: Any, name: Optional[str] = None) -> Any:
    """``t * clip_norm / max(l2norm(t) / size(t), clip_norm)``: the average L2 norm per element clipped."""
    from ...ops.math_ops import minimum, reduce_sum, rsqrt

    t = _convert_to_tensor(t)
    clip_norm = _convert_to_tensor(clip_norm, dtype=t.dtype)
    n = _array.cast(_array.size(t), t.dtype)
    l2norm_inv = rsqrt(reduce_sum(t * t))
    return t * clip_norm * minimum(l2norm_inv * n, 1.0 / clip_norm)


def pad(
    tensor: Any, paddings: Any, mode: str = "CONSTANT", name: Optional[str] = None, constant_values: Any = 0
) -> Any:
    from ...ops.tiling_ops import pad as _pad

    return _pad(tensor, paddings, mode=mode, constant_values=constant_values, name=name)
