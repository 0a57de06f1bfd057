"""``tf.sparse``: ``SparseTensor`` and the ops on it."""

from ferroflow._api import public_dir as _public_dir

from .framework.sparse_tensor import SparseTensor, from_dense  # noqa: F401
from .ops.sparse_count_ops import bincount  # noqa: F401
from .ops.sparse_cross_ops import cross, cross_hashed, sampled_addmm  # noqa: F401
from .ops.sparse_more_ops import (  # noqa: F401
    eye,
    fill_empty_rows,
    mask,
    maximum,
    minimum,
    split,
    to_indicator,
)
from .ops.sparse_ops import (  # noqa: F401
    add,
    concat,
    expand_dims,
    map_values,
    reduce_max,
    reduce_sum,
    reorder,
    reset_shape,
    reshape_sparse,
    retain,
    slice,
    sparse_dense_matmul,
    to_dense,
    transpose,
)
from .ops.sparse_segment_ops import segment_mean, segment_sqrt_n, segment_sum, softmax  # noqa: F401

reshape = reshape_sparse
del reshape_sparse

# ``tf.sparse.matmul`` is the older name.
matmul = sparse_dense_matmul

__dir__ = _public_dir(globals())
