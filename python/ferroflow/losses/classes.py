"""The Keras loss classes: each wraps its per-sample function with a name, a reduction and its options."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from . import hinges as _hinge
from . import probabilistic as _prob
from . import regression as _reg
from ._utils import last_dim, rank
from .loss import LossFunctionWrapper

_DEFAULT = "sum_over_batch_size"


def _simple(fn: Any, default_name: str) -> tuple:
    """``__init__`` and ``get_config`` of a loss class with no options besides name, reduction and dtype."""

    def __init__(self: Any, reduction: Any = _DEFAULT, name: Optional[str] = default_name, dtype: Any = None) -> None:
        LossFunctionWrapper.__init__(self, fn, name=name, reduction=reduction, dtype=dtype)

    def get_config(self: Any) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    return __init__, get_config


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors: ``mean(square(y_true - y_pred))``."""

    __init__, get_config = _simple(_reg.mean_squared_error, "mean_squared_error")


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: ``mean(abs(y_true - y_pred))``."""

    __init__, get_config = _simple(_reg.mean_absolute_error, "mean_absolute_error")


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """``100 * mean(abs((y_true - y_pred) / y_true))``."""

    __init__, get_config = _simple(_reg.mean_absolute_percentage_error, "mean_absolute_percentage_error")


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)))``."""

    __init__, get_config = _simple(_reg.mean_squared_logarithmic_error, "mean_squared_logarithmic_error")


class LogCosh(LossFunctionWrapper):
    """``mean(log(cosh(y_pred - y_true)))``."""

    __init__, get_config = _simple(_reg.log_cosh, "log_cosh")


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence: ``sum(y_true * log(y_true / y_pred))``."""

    __init__, get_config = _simple(_prob.kl_divergence, "kl_divergence")


class Poisson(LossFunctionWrapper):
    """``mean(y_pred - y_true * log(y_pred))``."""

    __init__, get_config = _simple(_prob.poisson, "poisson")


class Hinge(LossFunctionWrapper):
    """``mean(maximum(1 - y_true * y_pred, 0))`` with labels -1/1 (0/1 labels are converted)."""

    __init__, get_config = _simple(_hinge.hinge, "hinge")


class SquaredHinge(LossFunctionWrapper):
    """``mean(square(maximum(1 - y_true * y_pred, 0)))`` with labels -1/1 (0/1 labels are converted)."""

    __init__, get_config = _simple(_hinge.squared_hinge, "squared_hinge")


class CategoricalHinge(LossFunctionWrapper):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``, ``neg = max((1 - y_true) * y_pred)``."""

    __init__, get_config = _simple(_hinge.categorical_hinge, "categorical_hinge")


class Huber(LossFunctionWrapper):
    """Quadratic for errors up to ``delta``, linear beyond it."""

    def __init__(self, delta: float = 1.0, reduction: Any = _DEFAULT, name: str = "huber_loss", dtype: Any = None):
        super().__init__(_reg.huber, name=name, reduction=reduction, dtype=dtype, delta=delta)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "delta": self._fn_kwargs["delta"]}


class CosineSimilarity(LossFunctionWrapper):
    """The negated cosine similarity between labels and predictions along ``axis``."""

    def __init__(self, axis: int = -1, reduction: Any = _DEFAULT, name: str = "cosine_similarity", dtype: Any = None):
        super().__init__(_reg.cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "axis": self._fn_kwargs["axis"]}


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy between binary labels and predicted probabilities (or logits with ``from_logits=True``)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _DEFAULT,
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            _prob.binary_crossentropy,
            name=name,
            reduction=reduction,
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
            "reduction": self.reduction,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between one-hot labels and predicted class probabilities (or logits)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _DEFAULT,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            _prob.categorical_crossentropy,
            name=name,
            reduction=reduction,
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
            "reduction": self.reduction,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between integer class labels and predicted class probabilities (or logits).

    Labels may be integers or floats of shape ``(batch,)`` or ``(batch, 1)``. With ``ignore_class``,
    samples of that label contribute nothing and the default reduction averages over the others.
    """

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: Optional[int] = None,
        reduction: Any = _DEFAULT,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            _prob.sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def _mask(self, y_true: Tensor, y_pred: Tensor) -> Optional[Tensor]:
        if self.ignore_class is None:
            return None
        if rank(y_true) is not None and rank(y_true) == rank(y_pred) and last_dim(y_true) == 1:
            y_true = array_ops.squeeze(y_true, -1)
        return math_ops.not_equal(y_true, array_ops.cast(self.ignore_class, y_true.dtype))

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "reduction": self.reduction,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }
