"""TF1's ``AdagradOptimizer`` and ``FtrlOptimizer`` (the defaults of ``tf.compat.v1.estimator``'s DNN and linear
models), on the Keras ``Adagrad`` and ``Ftrl`` update rules like the other TF1 optimizers of ``train.py``."""

from __future__ import annotations

from typing import Any, Optional

from .train import Optimizer, _keras_lr, _opt


class AdagradOptimizer(Optimizer):
    """``accum += grad^2; var -= lr * grad / sqrt(accum)``: Keras's Adagrad with ``epsilon=0``."""

    def __init__(
        self,
        learning_rate: Any,
        initial_accumulator_value: float = 0.1,
        use_locking: bool = False,
        name: str = "Adagrad",
    ) -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _make_keras(self) -> Any:
        return _opt().Adagrad(
            learning_rate=_keras_lr(self._learning_rate),
            initial_accumulator_value=self._initial_accumulator_value,
            epsilon=0.0,
        )


class FtrlOptimizer(Optimizer):
    """TF1's FTRL-proximal optimizer; its accumulator and linear slots are saved as ``var/Ftrl`` and
    ``var/Ftrl_1``."""

    def __init__(
        self,
        learning_rate: Any,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        use_locking: bool = False,
        name: str = "Ftrl",
        accum_name: Optional[str] = None,
        linear_name: Optional[str] = None,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: Optional[float] = None,
    ) -> None:
        checks = (
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero", initial_accumulator_value < 0),
            ("learning_rate_power", learning_rate_power, "negative or zero", learning_rate_power > 0),
            (
                "l1_regularization_strength",
                l1_regularization_strength,
                "positive or zero",
                l1_regularization_strength < 0,
            ),
            (
                "l2_regularization_strength",
                l2_regularization_strength,
                "positive or zero",
                l2_regularization_strength < 0,
            ),
            (
                "l2_shrinkage_regularization_strength",
                l2_shrinkage_regularization_strength,
                "positive or zero",
                l2_shrinkage_regularization_strength < 0,
            ),
        )
        for what, value, word, bad in checks:
            if bad:
                raise ValueError(f"{what} {float(value):f} needs to be {word}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._args = dict(
            learning_rate_power=learning_rate_power,
            initial_accumulator_value=initial_accumulator_value,
            l1_regularization_strength=l1_regularization_strength,
            l2_regularization_strength=l2_regularization_strength,
            l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength,
            beta=0.0 if beta is None else beta,
        )

    def _make_keras(self) -> Any:
        return _opt().Ftrl(learning_rate=_keras_lr(self._learning_rate), **self._args)
