"""``tf.strings.to_hash_bucket_fast`` and ``to_hash_bucket_strong``: TensorFlow's string hash buckets, bit for bit.

``fast`` is FarmHash ``Fingerprint64`` modulo ``num_buckets``: in Python on eager tensors, from uint64 ops in
graphs (strings of up to 256 bytes there). ``strong`` is SipHash-2-4 under a 2-word key: eagerly, and in
``tf.data`` functions through ``numpy_function``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..errors import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .string_ops import _over_ragged


def _strings(x: Any, op: str) -> Tensor:
    t = x if isinstance(x, Tensor) else convert_to_tensor(x)
    if t.dtype.name != "string":
        raise TypeError(f"tf.strings.{op} expects a string tensor, received a tensor of dtype {t.dtype.name}")
    return t


def _buckets(num_buckets: Any, op: str) -> int:
    if isinstance(num_buckets, bool) or int(num_buckets) < 1:
        raise InvalidArgumentError(f"{op}: value for attr 'num_buckets' of {num_buckets} must be at least minimum 1")
    return int(num_buckets)


@_over_ragged
def to_hash_bucket_fast(input: Any, num_buckets: int, name: Optional[str] = None) -> Tensor:
    """Each string's bucket ``Fingerprint64(s) % num_buckets`` (int64), as TensorFlow's."""
    from ..feature_column._inputs import hash_buckets

    return hash_buckets(_strings(input, "to_hash_bucket_fast"), _buckets(num_buckets, "StringToHashBucketFast"))


@_over_ragged
def to_hash_bucket_strong(input: Any, num_buckets: int, key: Sequence[int], name: Optional[str] = None) -> Tensor:
    """Each string's bucket ``SipHash24(key, s) % num_buckets`` (int64); ``key`` is two integers."""
    import numpy as np

    from ..layers._string_hash import hash_buckets as numpy_buckets

    strings = _strings(input, "to_hash_bucket_strong")
    n = _buckets(num_buckets, "StringToHashBucketStrong")
    key = list(key)
    if len(key) != 2:
        raise InvalidArgumentError("Key must have 2 elements")

    def run(values: np.ndarray) -> np.ndarray:
        return numpy_buckets(np.asarray(values, dtype=object), n, key)

    if isinstance(strings, EagerTensor):
        return convert_to_tensor(run(strings.numpy()), dtype="int64")
    from .py_function_ops import numpy_function

    out = numpy_function(run, [strings], "int64")
    out.set_shape(strings.shape)
    return out
