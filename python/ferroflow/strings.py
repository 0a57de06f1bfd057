"""``ferroflow.strings``: TensorFlow's ``tf.strings`` ops on ``tf.string`` tensors."""

from ferroflow._api import public_dir as _public_dir

from .ops.string_hash64_ops import to_hash_bucket  # noqa: F401
from .ops.string_hash_ops import to_hash_bucket_fast, to_hash_bucket_strong  # noqa: F401
from .ops.string_ngrams_ops import ngrams  # noqa: F401
from .ops.string_ops import (  # noqa: F401
    as_string,
    format,
    join,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    strip,
    substr,
    to_number,
    upper,
)
from .ops.string_ragged_ops import (  # noqa: F401
    bytes_split,
    split,
    unicode_decode,
    unicode_split,
)
from .ops.string_segment_ops import unsorted_segment_join  # noqa: F401
from .ops.string_unicode_encode_ops import unicode_encode  # noqa: F401
from .ops.string_unicode_offsets_ops import (  # noqa: F401
    unicode_decode_with_offsets,
    unicode_split_with_offsets,
    unicode_transcode,
)
from .ops.string_unicode_script_ops import unicode_script  # noqa: F401

__dir__ = _public_dir(globals())
