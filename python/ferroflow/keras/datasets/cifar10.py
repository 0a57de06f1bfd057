"""``keras.datasets.cifar10.load_data()``."""

from __future__ import annotations

from ...datasets.cifar import load_cifar10

__all__ = ["load_data"]


def load_data() -> tuple:
    """``(x_train, y_train), (x_test, y_test)`` of CIFAR-10 (see ``ferroflow.datasets.cifar``)."""
    return load_cifar10()


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
