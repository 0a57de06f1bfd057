"""``keras.datasets``: small datasets as NumPy arrays."""

from __future__ import annotations

from . import cifar10, cifar100, fashion_mnist, imdb, mnist, reuters

__all__ = ["cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters")
