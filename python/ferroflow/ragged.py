"""``tf.ragged``: making and combining ``tf.RaggedTensor``s."""

from ferroflow._api import public_dir as _public_dir

from .framework.ragged_tensor import RaggedTensor  # noqa: F401
from .ops.ragged_combine_ops import boolean_mask, stack  # noqa: F401
from .ops.ragged_factory_ops import constant, range, row_splits_to_segment_ids, segment_ids_to_row_splits  # noqa: F401
from .ops.ragged_ops import map_flat_values  # noqa: F401

# ``RaggedTensor`` is ``tf.RaggedTensor``; it stays importable here.
__dir__ = _public_dir(globals(), hidden=("RaggedTensor",))
