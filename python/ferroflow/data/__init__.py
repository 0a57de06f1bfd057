"""``ferroflow.data`` (``tf.data``): input pipelines built from ``Dataset`` sources and transformations."""

from ferroflow._api import public_dir as _public_dir

from . import experimental  # noqa: F401
from .dataset_ops import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from .dataset_ops import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from .dataset_ops import Dataset  # noqa: F401
from .iterator import Iterator  # noqa: F401
from .options import Options, ThreadingOptions  # noqa: F401
from .readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset  # noqa: F401
from .structure import DatasetSpec  # noqa: F401
from .transformations import AUTOTUNE  # noqa: F401

__dir__ = _public_dir(globals(), "experimental")
