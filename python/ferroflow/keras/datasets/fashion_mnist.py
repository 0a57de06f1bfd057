"""``keras.datasets.fashion_mnist.load_data()``."""

from __future__ import annotations

from ...datasets.fashion_mnist import load_data

__all__ = ["load_data"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
