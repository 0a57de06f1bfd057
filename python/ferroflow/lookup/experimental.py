"""``ferroflow.lookup.experimental``: the mutable tables, ``MutableHashTable`` and ``DenseHashTable``."""

from ferroflow._api import public_dir as _public_dir

from .dense import DenseHashTable  # noqa: F401
from .mutable import MutableHashTable  # noqa: F401

__all__ = ["DenseHashTable", "MutableHashTable"]
__dir__ = _public_dir(globals())
