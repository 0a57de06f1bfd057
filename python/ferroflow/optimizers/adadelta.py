"""``Adadelta``: per-coordinate steps from running averages of squared gradients and squared updates (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import math_ops
from .base_optimizer import Optimizer


class Adadelta(Optimizer):
    """``E[g^2] = rho E[g^2] + (1 - rho) g^2; d = -sqrt(E[d^2] + eps) / sqrt(E[g^2] + eps) * g;
    E[d^2] = rho E[d^2] + (1 - rho) d^2; w += lr * d``.
    """

    _keras_interleaved = 2  # Keras keeps (accumulated_grad, accumulated_delta_var) per variable

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads = self.add_optimizer_variables(var_list, "accumulated_grad")
        self._accumulated_delta_vars = self.add_optimizer_variables(var_list, "accumulated_delta_var")

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        lr = self._lr_as(learning_rate, variable.dtype)
        rho, eps = float(self.rho), float(self.epsilon)
        accumulated_grad, accumulated_delta = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        self.assign(accumulated_grad, rho * accumulated_grad + (1.0 - rho) * math_ops.square(gradient))
        delta = -(math_ops.sqrt(accumulated_delta + eps) * gradient) / math_ops.sqrt(accumulated_grad + eps)
        self.assign(accumulated_delta, rho * accumulated_delta + (1.0 - rho) * math_ops.square(delta))
        self.assign_add(variable, lr * delta)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
