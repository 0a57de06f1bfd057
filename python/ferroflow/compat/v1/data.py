"""``tf.compat.v1.data``: ``tf.data`` with TensorFlow 1's graph iterators (``make_one_shot_iterator``,
``make_initializable_iterator``, ``Iterator.from_structure``) and the ``get_output_*`` helpers."""

from ferroflow._api import public_dir as _public_dir

from ...data import (  # noqa: F401
    AUTOTUNE,
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    DatasetSpec,
    FixedLengthRecordDataset,
    Options,
    TextLineDataset,
    TFRecordDataset,
    ThreadingOptions,
    experimental,
)
from .iterator_ops import (  # noqa: F401
    Iterator,
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)

__dir__ = _public_dir(globals(), "experimental")
