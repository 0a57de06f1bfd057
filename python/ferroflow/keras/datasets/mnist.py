"""``keras.datasets.mnist.load_data()``."""

from __future__ import annotations

from ...datasets.mnist import load_data

__all__ = ["load_data"]
