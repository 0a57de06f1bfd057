"""``tf.ragged``: making and combining ``tf.RaggedTensor``s."""

from ferroflow._api import public_dir as _public_dir

from .framework.ragged_tensor import RaggedTensor  # noqa: F401
from .ops.ragged_ops import (  # noqa: F401
    boolean_mask,
    constant,
    map_flat_values,
    range,
    row_splits_to_segment_ids,
    segment_ids_to_row_splits,
    stack,
)

__dir__ = _public_dir(globals())
