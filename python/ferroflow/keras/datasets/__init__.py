"""``keras.datasets``: small datasets as NumPy arrays."""

from __future__ import annotations

from . import mnist

__all__ = ["mnist"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "mnist")
