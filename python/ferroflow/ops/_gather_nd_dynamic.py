"""``tf.gather_nd`` (no batch axes) on params or indices whose sizes are known only when the graph runs (a
batch size): the index tuples become flat row numbers with strides taken from the run-time shape."""

from __future__ import annotations

from typing import Optional

from ..framework.tensor import Tensor


def applies(params: Tensor, indices: Tensor, batch_dims: int) -> bool:
    """Whether the static path cannot run but this one can: ranks and the tuple length known, sizes not."""
    p, i = params.shape, indices.shape
    if batch_dims or p.rank is None or not i.rank or i[-1] is None:
        return False
    return not (p.is_fully_defined() and i.is_fully_defined()) and i[-1] <= p.rank


def gather_nd(params: Tensor, indices: Tensor, name: Optional[str] = None) -> Tensor:
    from .array_ops import cast, concat, gather, reshape, shape, stack, where
    from .math_ops import equal, logical_and, multiply, reduce_min, reduce_prod, reduce_sum

    k = int(indices.shape[-1])
    dtype = indices.dtype.name
    pshape = cast(shape(params), dtype)
    index_dims = pshape[:k]
    one = cast(1, dtype)
    strides = [reduce_prod(pshape[i + 1 : k]) if i + 1 < k else one for i in range(k)]
    flat_index = reduce_sum(multiply(indices, stack(strides)), axis=-1)
    # Tuples outside the params point at row -1, which gather reports when the graph runs (as the static path).
    inside = reduce_min(cast(logical_and(indices >= 0, indices < index_dims), "int32"), axis=-1)
    flat_index = where(equal(inside, 1), flat_index, -1 + 0 * flat_index)
    rows = reshape(params, concat([reshape(reduce_prod(index_dims), [1]), pshape[k:]], 0))
    out = gather(rows, flat_index, name=name)
    out.set_shape(indices.shape[:-1].concatenate(params.shape[k:]))
    return out
