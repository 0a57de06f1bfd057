"""``keras.datasets``: small datasets as NumPy arrays."""

from __future__ import annotations

from . import mnist

__all__ = ["mnist"]
