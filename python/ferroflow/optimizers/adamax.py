"""``Adamax``: Adam with the infinity norm of past gradients in place of their second moment (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import math_ops
from .base_optimizer import Optimizer


class Adamax(Optimizer):
    """``m += (g - m)(1 - beta_1); u = max(beta_2 u, |g|); w -= lr * m / ((1 - beta_1^t)(u + epsilon))``."""

    _keras_interleaved = 2  # Keras keeps (momentum, norm) per variable

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._m = self.add_optimizer_variables(var_list, "momentum")
        self._u = self.add_optimizer_variables(var_list, "norm")

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        dtype = variable.dtype
        lr = self._lr_as(learning_rate, dtype)
        beta_1_power = self._cached(
            ("beta_1_power", dtype.name),
            lambda: math_ops.pow(convert_to_tensor(float(self.beta_1), dtype=dtype), self._local_step(dtype)),
        )
        m, u = self._m[i], self._u[i]
        self.assign_add(m, (gradient - m) * (1.0 - float(self.beta_1)))
        self.assign(u, math_ops.maximum(float(self.beta_2) * u, math_ops.abs(gradient)))
        self.assign_sub(variable, (lr * m) / ((1.0 - beta_1_power) * (u + float(self.epsilon))))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
