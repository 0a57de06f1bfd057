"""``ferroflow.io`` (``tf.io``): reading and writing files and records, and parsing what they hold."""

from ferroflow._api import public_dir as _public_dir

from .ops import gfile  # noqa: F401
from .ops.io_ops import (  # noqa: F401
    TFRecordOptions,
    TFRecordWriter,
    decode_raw,
    read_file,
    write_file,
)
from .ops.parsing_ops import (  # noqa: F401
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    decode_csv,
    parse_example,
    parse_single_example,
    parse_single_sequence_example,
    parse_tensor,
    serialize_tensor,
)

__dir__ = _public_dir(globals(), "gfile")
