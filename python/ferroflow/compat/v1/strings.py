"""``tf.compat.v1.strings``: ``tf.strings`` with TF1's signatures of ``length``, ``substr``, ``to_number``,
``to_hash_bucket`` and ``reduce_join``. Every other name is ``tf.strings``'s (``split`` returns TF2's
RaggedTensor, not TF1's SparseTensor)."""

from __future__ import annotations

from typing import Any

from .strings_v1 import length, reduce_join, substr  # noqa: F401
from .strings_v1 import string_to_hash_bucket as to_hash_bucket  # noqa: F401
from .strings_v1 import string_to_number as to_number  # noqa: F401

_OWN = {"length", "reduce_join", "substr", "to_hash_bucket", "to_number"}


def __getattr__(name: str) -> Any:
    from ... import strings as _strings

    try:
        return getattr(_strings, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.strings' has no attribute '{name}'") from None


def __dir__() -> list:
    from ... import strings as _strings

    return sorted(set(dir(_strings)) | _OWN)
