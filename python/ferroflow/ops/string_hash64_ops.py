"""``tf.strings.to_hash_bucket``: TensorFlow's legacy string bucketing, ``Hash64(s) % num_buckets``.

``Hash64`` is TensorFlow's MurmurHash64A variant (``tsl/platform/hash.cc``, seed ``0xDECAFCAFFE``), not the
FarmHash ``Fingerprint64`` of ``to_hash_bucket_fast``. It is built from uint64 ops, which wrap as C++'s do,
so it runs eagerly and inside ``tf.function`` alike: the strings are zero-padded to whole 8-byte words and
read little-endian with ``decode_raw``; a ``tf.while_loop`` mixes in each string's full words, and the
partial last word (its zero padding is exactly the tail bytes MurmurHash mixes in) comes after.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, gather, range, reshape, size, where, zeros_like
from .bitwise_ops import bitwise_xor
from .control_flow_ops import while_loop
from .io_ops import decode_raw
from .math_ops import add, floordiv, floormod, less, multiply, not_equal, reduce_max
from .string_ops import _over_ragged, join, length, reduce_join, substr

_M = np.uint64(0xC6A4A7935BD1E995)
_SEED = np.uint64(0xDECAFCAFFE)
_SHIFT = np.uint64(1 << 47)


def _mix(h: Tensor) -> Tensor:
    """``h ^ (h >> 47)``."""
    return bitwise_xor(h, floordiv(h, _SHIFT))


def hash64(strings: Tensor) -> Tensor:
    """TensorFlow's ``Hash64`` (uint64) of each string of the 1-D ``strings``."""
    n = cast(length(strings), "int64")
    full = floordiv(n, 8)  # whole 8-byte words
    # Room for every whole word and the partial one: at least one word more than the longest's whole words.
    words = add(reduce_max(concat([full, convert_to_tensor(np.array([0], np.int64))], 0)), 1)
    width = cast(multiply(words, 8), "int32")
    pad = reduce_join(gather(convert_to_tensor([b"\0"]), zeros_like(range(width))))
    raw = decode_raw(substr(join([strings, pad]), 0, width), "uint64", little_endian=True)
    flat = reshape(raw, [-1])
    starts = multiply(range(size(strings, out_type="int64"), dtype="int64"), words)  # each string's first word
    h = bitwise_xor(zeros_like(n, dtype="uint64") + _SEED, multiply(cast(n, "uint64"), _M))

    def body(j: Tensor, h: Tensor) -> tuple:
        k = multiply(_mix(multiply(gather(flat, add(starts, j)), _M)), _M)
        return add(j, 1), where(less(j, full), multiply(bitwise_xor(h, k), _M), h)

    _, h = while_loop(lambda j, h: less(j, words), body, (convert_to_tensor(np.int64(0)), h))
    tail = gather(flat, add(starts, full))
    h = where(not_equal(floormod(n, 8), 0), multiply(bitwise_xor(h, tail), _M), h)
    return _mix(multiply(_mix(h), _M))


@_over_ragged
def to_hash_bucket(input: Any, num_buckets: int, name: Optional[str] = None) -> Tensor:
    """Each string's bucket ``Hash64(s) % num_buckets`` (int64), as TensorFlow's ``StringToHashBucket``."""
    t = input if isinstance(input, Tensor) else convert_to_tensor(input)
    if t.dtype.name != "string":
        raise TypeError(f"tf.strings.to_hash_bucket expects a string tensor, received a tensor of dtype {t.dtype.name}")
    if isinstance(num_buckets, bool) or int(num_buckets) < 1:
        raise InvalidArgumentError(
            f"StringToHashBucket: value for attr 'num_buckets' of {num_buckets} must be at least minimum 1"
        )
    flat = reshape(t, [-1])
    buckets = cast(floormod(hash64(flat), np.uint64(int(num_buckets))), "int64")
    if t.shape.is_fully_defined():
        return reshape(buckets, t.shape.as_list())
    return apply("reshape_like", [buckets, t])
