"""``ferroflow.io`` (``tf.io``): reading and writing files and records, and parsing what they hold."""

from ferroflow._api import public_dir as _public_dir

from .ops import gfile  # noqa: F401
from .ops.image_codec_ops import (  # noqa: F401
    decode_and_crop_jpeg,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    extract_jpeg_shape,
    is_jpeg,
)
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
from .ops.ragged_feature import RaggedFeature  # noqa: F401
from .ops.sparse_feature import SparseFeature  # noqa: F401
from .ops.sparse_serialize_ops import deserialize_many_sparse, serialize_many_sparse, serialize_sparse  # noqa: F401

__dir__ = _public_dir(globals(), "gfile")
