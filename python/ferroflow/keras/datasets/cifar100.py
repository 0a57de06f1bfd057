"""``keras.datasets.cifar100.load_data()``."""

from __future__ import annotations

from ...datasets.cifar import load_cifar100

__all__ = ["load_data"]


def load_data(label_mode: str = "fine") -> tuple:
    """``(x_train, y_train), (x_test, y_test)`` of CIFAR-100, ``"fine"`` or ``"coarse"`` labels."""
    return load_cifar100(label_mode)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
