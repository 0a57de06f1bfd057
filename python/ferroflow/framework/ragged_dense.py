"""Between ragged and dense: ``RaggedTensor.from_tensor`` (rows cut by lengths or padding) and ``to_tensor``
(rows gathered into a padded dense tensor, so gradients flow both ways)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from .ragged_tensor import RaggedTensor, _int_vector
from .tensor import Tensor


def from_tensor(tensor: Any, lengths: Any, padding: Any, ragged_rank: int) -> RaggedTensor:
    """Rows of a dense tensor, cut to ``lengths`` or at the first trailing ``padding`` (ragged_rank 1)."""
    from ..ops.array_ops import gather, reshape
    from . import ops as framework_ops

    t = framework_ops.convert_to_tensor(tensor)
    from ..ops import ragged_graph_combine as graph

    if graph.is_graph(t) or graph.is_graph(lengths) or graph.is_graph(padding):
        return graph.from_tensor(t, lengths, padding, ragged_rank)
    dims = t.shape.as_list()
    if ragged_rank != 1:
        raise NotImplementedError("from_tensor makes ragged_rank=1 tensors; nest from_row_lengths for more")
    if len(dims) < 2:
        raise ValueError(f"from_tensor needs a tensor of rank at least 2, received shape {dims}")
    nrows, ncols = dims[0], dims[1]
    if lengths is not None:
        row_lengths = _int_vector(lengths, "lengths")
    elif padding is not None:
        arr = t.numpy()
        pad = np.asarray(padding.numpy() if isinstance(padding, Tensor) else padding)
        is_pad = np.all((arr == pad).reshape(nrows, ncols, -1), axis=2)
        # A row's length is up to its last element that is not padding.
        not_pad = ~is_pad
        row_lengths = np.where(not_pad.any(axis=1), ncols - np.argmax(not_pad[:, ::-1], axis=1), 0)
    else:
        row_lengths = np.full(nrows, ncols, np.int64)
    if row_lengths.shape != (nrows,) or np.any(row_lengths > ncols) or np.any(row_lengths < 0):
        raise InvalidArgumentError(
            f"lengths must give each of the {nrows} rows a length in [0, {ncols}], received {row_lengths.tolist()}"
        )
    index = np.concatenate([np.arange(n) + r * ncols for r, n in enumerate(row_lengths)]).astype(np.int64)
    flat = gather(reshape(t, [nrows * ncols] + dims[2:]), index)
    return RaggedTensor.from_row_lengths(flat, row_lengths)


def to_tensor(rt: RaggedTensor, default_value: Any, shape: Any) -> Tensor:
    """The rows of ``rt`` padded with ``default_value`` (zero, or empty strings, by default) into a dense tensor;
    ``shape`` pads or truncates (the same gathers as inside a graph, so any dtype and ragged rank)."""
    from ..ops.ragged_graph_ops import to_tensor as padded

    return padded(rt, default_value, shape)
