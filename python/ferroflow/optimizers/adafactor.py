"""``Adafactor``: second moments kept as row and column averages for matrices (Shazeer & Stern, 2018; Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_ops
from ._keras_slots import per_variable_order
from ._state import optimizer_variable
from .base_optimizer import Optimizer


def _rms(x: Any) -> Tensor:
    return math_ops.sqrt(math_ops.reduce_mean(math_ops.square(x)))


class Adafactor(Optimizer):
    """With ``beta_2_t = 1 - t^beta_2_decay`` and ``G = g^2 + epsilon_1``: for a variable of rank >= 2,
    ``r = beta_2_t r + (1 - beta_2_t) mean(G, -1)``, ``c = beta_2_t c + (1 - beta_2_t) mean(G, -2)``,
    ``v = (r / mean(r)) outer c``; otherwise ``v = beta_2_t v + (1 - beta_2_t) G``. Then ``u = g / sqrt(v)``,
    clipped to RMS ``clip_threshold``, and ``w -= max(epsilon_2, rms(w)) * min(lr, 1 / sqrt(t)) * u``.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._r, self._c = [], []
        for var in var_list:
            shape = var.shape.as_list()
            name = str(var.name)  # Keras names both factors after the variable (``adafactor/kernel``)
            if len(shape) < 2:  # int32 placeholders, made as Keras variables (paths: the open scopes only)
                for factors in (self._r, self._c):
                    factors.append(optimizer_variable(None, np.int32(0), name, "int32"))
                    self._variables.append(factors[-1])
            else:
                self._r.append(self.add_variable(shape=shape[:-1], dtype=var.dtype, name=name))
                self._c.append(self.add_variable(shape=shape[:-2] + shape[-1:], dtype=var.dtype, name=name))
        self._v = self.add_optimizer_variables(var_list, "velocity")

    def _keras_ordered_variables(self) -> list:
        # Keras keeps (r, c, velocity) per variable; r and c are int32 placeholders below rank 2.
        return per_variable_order(self, [self._r, self._c, self._v] if self.built else [])

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        dtype = variable.dtype
        lr = self._lr_as(learning_rate, dtype)
        local_step = self._local_step(dtype)
        # relative_step caps a constant rate at 1 / sqrt(t); rho_t applies the same cap to every rate anyway.
        rho_t = math_ops.minimum(lr, 1.0 / math_ops.sqrt(local_step))
        alpha_t = math_ops.maximum(convert_to_tensor(float(self.epsilon_2), dtype=dtype), _rms(variable)) * rho_t
        regulated = math_ops.square(gradient) + float(self.epsilon_1)
        beta_2_t = 1.0 - math_ops.pow(local_step, convert_to_tensor(float(self.beta_2_decay), dtype=dtype))
        r, c, v = self._r[i], self._c[i], self._v[i]
        if variable.shape.rank >= 2:
            self.assign(r, beta_2_t * r + (1.0 - beta_2_t) * math_ops.reduce_mean(regulated, axis=-1))
            self.assign(c, beta_2_t * c + (1.0 - beta_2_t) * math_ops.reduce_mean(regulated, axis=-2))
            row = array_ops.expand_dims(r / math_ops.reduce_mean(r, axis=-1, keepdims=True), -1)
            self.assign(v, row * array_ops.expand_dims(c, -2))
        else:
            self.assign(v, beta_2_t * v + (1.0 - beta_2_t) * regulated)
        u_t = gradient / math_ops.sqrt(v)
        u_t_hat = u_t / math_ops.maximum(1.0, _rms(u_t) / float(self.clip_threshold))
        self.assign_sub(variable, alpha_t * u_t_hat)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config
