"""Probabilistic and hinge metrics (Keras 3): the crossentropies, KL divergence, Poisson, hinge losses as metrics."""

from __future__ import annotations

from typing import Any

from ..losses import hinges as _hinge
from ..losses import probabilistic as _prob
from .base import MeanMetricWrapper

binary_crossentropy = bce = BCE = _prob.binary_crossentropy
categorical_crossentropy = _prob.categorical_crossentropy
sparse_categorical_crossentropy = _prob.sparse_categorical_crossentropy
kl_divergence = _prob.kl_divergence
poisson = _prob.poisson
hinge = _hinge.hinge
squared_hinge = _hinge.squared_hinge
categorical_hinge = _hinge.categorical_hinge


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy between labels and predictions."""

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ) -> None:
        super().__init__(
            binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy between one-hot labels and predictions."""

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy between integer labels and predictions."""

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits, axis=axis)
        self.from_logits = from_logits
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits, "axis": self.axis}


def _simple(fn: Any, default_name: str) -> Any:
    def __init__(self: Any, name: str = default_name, dtype: Any = None) -> None:
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype)

    return __init__


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence between labels and predictions."""

    __init__ = _simple(kl_divergence, "kl_divergence")


class Poisson(MeanMetricWrapper):
    """The mean Poisson loss between labels and predictions."""

    __init__ = _simple(poisson, "poisson")


class Hinge(MeanMetricWrapper):
    """The mean hinge loss between labels and predictions."""

    __init__ = _simple(hinge, "hinge")


class SquaredHinge(MeanMetricWrapper):
    """The mean squared hinge loss between labels and predictions."""

    __init__ = _simple(squared_hinge, "squared_hinge")


class CategoricalHinge(MeanMetricWrapper):
    """The mean categorical hinge loss between labels and predictions."""

    __init__ = _simple(categorical_hinge, "categorical_hinge")
