"""``Loss`` (the base class: conversion, sample weights, reduction) and ``LossFunctionWrapper``."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import context
from ..framework.tensor import Tensor
from ..ops import math_ops
from ._utils import floatx, reduce_weighted_values, squeeze_or_expand_to_same_rank, standardize_reduction, to_tensor


def _snake_case(name: str) -> str:
    from ..layers._util import to_snake_case

    return to_snake_case(name)


class Reduction:
    """tf.keras 2's names of the reductions (``tf.keras.losses.Reduction.SUM``), for code that still uses them."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key: Any) -> None:
        standardize_reduction(key)


class Loss:
    """A loss: ``call(y_true, y_pred)`` gives per-sample values, ``__call__`` weights and reduces them.

    Args:
        name: name of the loss (default: the class name in snake case).
        reduction: ``"sum_over_batch_size"`` (default: the weighted sum divided by the number of
            per-sample values), ``"sum"``, ``"mean"`` (same as the default), ``"mean_with_sample_weight"``
            (divided by the sum of the weights), or ``None`` / ``"none"`` (no reduction).
        dtype: the dtype of the computation (default ``keras.backend.floatx()``).
    """

    def __init__(self, name: Optional[str] = None, reduction: Any = "sum_over_batch_size", dtype: Any = None) -> None:
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = dtype

    @property
    def dtype(self) -> str:
        d = self._dtype
        return str(getattr(d, "name", d)) if d is not None else floatx()

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        # As Keras 3: a Keras mask on the predictions (Embedding(mask_zero=True) ...) leaves masked steps out.
        keras_mask = getattr(y_pred, "_keras_mask", None)
        with context.name_scope(self.name):
            y_pred = to_tensor(y_pred, self.dtype)
            y_true = self._convert_y_true(y_true)
            values = self.call(y_true, y_pred)
            mask = self._mask(y_true, y_pred)
            for extra in (keras_mask, getattr(values, "_keras_mask", None)):
                if extra is not None:
                    mask = extra if mask is None else math_ops.logical_and(mask, extra)
            return reduce_weighted_values(
                values,
                sample_weight=sample_weight,
                mask=mask,
                reduction=self.reduction,
                dtype=self.dtype,
            )

    def _convert_y_true(self, y_true: Any) -> Tensor:
        return to_tensor(y_true, self.dtype)

    def _mask(self, y_true: Tensor, y_pred: Tensor) -> Optional[Tensor]:
        """Entries to leave out of the reduction (None: all count)."""
        return None

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A ``Loss`` around a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(
        self,
        fn: Callable,
        reduction: Any = "sum_over_batch_size",
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def _convert_y_true(self, y_true: Any) -> Tensor:
        from .probabilistic import sparse_categorical_crossentropy

        if self.fn is sparse_categorical_crossentropy:
            # Integer class labels stay integers: Keras's cast to float and back changes no value.
            y_true = to_tensor(y_true)
            if y_true.dtype.is_integer:
                return y_true
        return to_tensor(y_true, self.dtype)

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from .serialization import serialize

        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        from .serialization import deserialize

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        if type(self) is not LossFunctionWrapper:
            return super().__repr__()
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, kwargs={self._fn_kwargs})>"
