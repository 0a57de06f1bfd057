"""Small datasets loaded as numpy arrays, like ``keras.datasets`` (``mnist``, ``fashion_mnist``)."""

from __future__ import annotations

from . import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "fashion_mnist", "mnist")
