"""``ScheduleFreeAdamW``: AdamW steps on a sequence z, evaluated at an interpolation of z and its running
average, so that no learning-rate decay schedule is needed (Defazio et al., 2024; Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import math_ops
from .base_optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """The ``momentum`` slot holds z (it starts at the variable), the variable holds y:
    ``z -= lr * g / (sqrt(v / (1 - beta_2^t)) + epsilon)``, ``x_old = (y - (1 - beta_1) z) / beta_1``,
    ``x = (1 - 1/t) x_old + z / t``, ``y = (1 - beta_1) z + beta_1 x``; ``warmup_steps`` ramps the rate up.

    As Keras 3.15 computes it with its TensorFlow backend, ``x_old`` is recovered with the z of this step.
    """

    _keras_interleaved = 2  # Keras keeps (momentum, velocity) per variable

    def __init__(
        self,
        learning_rate: Any = 0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
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
        self.warmup_steps = warmup_steps

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums = [
            self.add_variable_from_reference(v, "momentum", initializer=lambda shape, dtype=None, v=v: v.numpy())
            for v in var_list
        ]
        self._velocities = self.add_optimizer_variables(var_list, "velocity")

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        dtype = variable.dtype
        lr = self._lr_as(learning_rate, dtype)
        local_step = self._local_step(dtype)
        beta_1, beta_2 = float(self.beta_1), float(self.beta_2)
        if self.warmup_steps > 0:
            lr = lr * math_ops.minimum(local_step / float(self.warmup_steps), 1.0)
        z, v = self._momentums[i], self._velocities[i]
        bias_correction_2 = 1.0 - math_ops.pow(convert_to_tensor(beta_2, dtype=dtype), local_step)
        self.assign_add(v, (math_ops.square(gradient) - v) * (1.0 - beta_2))
        denom = math_ops.sqrt(v / bias_correction_2) + float(self.epsilon)
        self.assign_sub(z, lr * gradient / denom)
        weight = 1.0 / local_step
        x_old = (variable - (1.0 - beta_1) * z) / beta_1
        x_new = (1.0 - weight) * x_old + weight * z
        self.assign(variable, (1.0 - beta_1) * z + beta_1 * x_new)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
        )
        return config
