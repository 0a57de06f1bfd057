"""Small datasets loaded as numpy arrays, like ``keras.datasets`` (``mnist`` for now)."""

from __future__ import annotations

from . import mnist

__all__ = ["mnist"]
