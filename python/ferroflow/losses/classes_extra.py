"""Keras 3's focal, generalized, overlap, CTC and Circle loss classes (each wraps its per-sample function)."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from .circle_loss import circle
from .ctc_loss import ctc
from .focal import binary_focal_crossentropy, categorical_focal_crossentropy, categorical_generalized_cross_entropy
from .loss import Loss, LossFunctionWrapper
from .overlap import dice, tversky

_DEFAULT = "sum_over_batch_size"


def _base_config(loss: Loss) -> dict:
    return {"name": loss.name, "reduction": loss.reduction}


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary crossentropy scaled by the focal factor ``(1 - p_t) ** gamma`` (and ``alpha`` balancing)."""

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _DEFAULT,
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self) -> dict:
        return {
            **_base_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy scaled by ``alpha * (1 - p) ** gamma`` per class."""

    def __init__(
        self,
        alpha: Any = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _DEFAULT,
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self) -> dict:
        return {
            **_base_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """``(1 - p ** q) / q`` with ``p`` the probability of the true (integer) class; ``q`` in ``(0, 1)``."""

    def __init__(
        self,
        q: float = 0.5,
        reduction: Any = _DEFAULT,
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ) -> None:
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q)
        self.q = q

    def get_config(self) -> dict:
        return {**_base_config(self), "q": self.q}


class CTC(LossFunctionWrapper):
    """Connectionist Temporal Classification loss of padded integer labels against per-frame logits."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "ctc", dtype: Any = None) -> None:
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return _base_config(self)


class Dice(LossFunctionWrapper):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`` over ``axis`` (all axes when None)."""

    def __init__(
        self,
        reduction: Any = _DEFAULT,
        name: str = "dice",
        axis: Optional[Union[int, Sequence[int]]] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {**_base_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Dice generalized with weights ``alpha`` and ``beta`` on the two kinds of error (0.5 each is Dice)."""

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: Any = _DEFAULT,
        name: str = "tversky",
        axis: Optional[Union[int, Sequence[int]]] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self) -> dict:
        return {**_base_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalized embeddings (metric learning)."""

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: Any = _DEFAULT,
        name: str = "circle",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self) -> dict:
        return {
            **_base_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }
