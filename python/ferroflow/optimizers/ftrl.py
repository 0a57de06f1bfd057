"""``Ftrl``: Follow The Regularized Leader, the optimizer of linear models (and of ``tf.estimator``'s linear ones)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import math_ops
from .base_optimizer import Optimizer


def _check_non_negative(name: str, value: float, word: str = "positive or zero") -> None:
    bad = value > 0.0 if word == "negative or zero" else value < 0.0
    if bad:
        raise ValueError(f"`{name}` needs to be {word}. Received: {name}={value}.")


class Ftrl(Optimizer):
    """Keras's FTRL-proximal update (McMahan et al., 2013), with ``l2_shrinkage`` and ``beta``::

        n_new = n + g^2
        z += (g + 2 * l2_shrinkage * w) - (n_new^-p - n^-p) / lr * w
        w = (clip(z, -l1, l1) - z) / (n_new^-p / lr + 2 * (l2 + beta / (2 * lr)))

    where ``p = learning_rate_power``; ``n`` (the accumulator) starts at ``initial_accumulator_value``.
    """

    _keras_interleaved = 2  # Keras keeps (accumulator, linear) per variable

    def __init__(
        self,
        learning_rate: Any = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        weight_decay: Optional[float] = None,
        clipnorm: Optional[float] = None,
        clipvalue: Optional[float] = None,
        global_clipnorm: Optional[float] = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: Optional[int] = None,
        loss_scale_factor: Optional[float] = None,
        gradient_accumulation_steps: Optional[int] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        _check_non_negative("initial_accumulator_value", initial_accumulator_value)
        if learning_rate_power > 0.0:
            _check_non_negative("learning_rate_power", learning_rate_power, "negative or zero")
        _check_non_negative("l1_regularization_strength", l1_regularization_strength)
        _check_non_negative("l2_regularization_strength", l2_regularization_strength)
        _check_non_negative("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=float(self.initial_accumulator_value)
        )
        self._linears = self.add_optimizer_variables(var_list, "linear")

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        lr = self._lr_as(learning_rate, variable.dtype)
        index = self._get_variable_index(variable)
        accum, linear = self._accumulators[index], self._linears[index]
        dtype = variable.dtype

        def const(value: float) -> Tensor:
            return convert_to_tensor(value, dtype=dtype)

        power = const(-self.learning_rate_power)
        l2_reg = const(self.l2_regularization_strength) + const(self.beta) / (const(2.0) * lr)
        # Reads of `accum` and `variable` made before their assignments below see the values before this step.
        old_accum, w = accum.value(), variable.value()
        grad_to_use = gradient + const(2.0 * self.l2_shrinkage_regularization_strength) * w
        new_accum = old_accum + math_ops.square(gradient)
        new_power = math_ops.pow(new_accum, power)
        sigma = (new_power - math_ops.pow(old_accum, power)) / lr
        self.assign_add(linear, grad_to_use - sigma * w)
        z = linear.value()
        quadratic = new_power / lr + const(2.0) * l2_reg
        l1 = self.l1_regularization_strength
        z_clipped = math_ops.clip_by_value(z, const(-l1), const(l1))
        self.assign(variable, (z_clipped - z) / quadratic)
        self.assign(accum, new_accum)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config
