"""``Adam`` and ``AdamW``: adaptive moment estimation, as one fused in-place op per variable (AMSGrad uses ops)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.dtypes import DType
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import math_ops
from .base_optimizer import Optimizer


class Adam(Optimizer):
    """``m += (g - m)(1 - beta_1); v += (g^2 - v)(1 - beta_2); w -= alpha * m / (sqrt(v) + epsilon)``.

    ``alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)`` at step ``t = iterations + 1``; with ``amsgrad`` the
    denominator uses the running maximum of ``v``.
    """

    _keras_interleaved = 2  # Keras keeps (momentum, velocity) per variable, then the velocity_hats

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        self.amsgrad = amsgrad

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _hyper(self, value: Any) -> float:
        return float(value() if callable(value) else value)

    def _alpha(self, learning_rate: Tensor, dtype: DType) -> Tensor:
        def make() -> Tensor:
            t = self._local_step(dtype)
            beta_1_power = math_ops.pow(convert_to_tensor(self._hyper(self.beta_1), dtype=dtype), t)
            beta_2_power = math_ops.pow(convert_to_tensor(self._hyper(self.beta_2), dtype=dtype), t)
            return self._lr_as(learning_rate, dtype) * math_ops.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)

        return self._cached(("adam_alpha", dtype.name), make)

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        alpha = self._alpha(learning_rate, variable.dtype)
        beta_1, beta_2 = self._hyper(self.beta_1), self._hyper(self.beta_2)
        if not self.amsgrad:
            attrs = {"var": variable._v, "m": m._v, "v": v._v, "beta_1": beta_1, "beta_2": beta_2,
                     "epsilon": float(self.epsilon)}
            self._fused_update("apply_adam", [gradient, alpha], attrs, (variable, m, v))
            return
        self.assign_add(m, (gradient - m) * (1.0 - beta_1))
        self.assign_add(v, (math_ops.square(gradient) - v) * (1.0 - beta_2))
        v_hat = self._velocity_hats[i]
        self.assign(v_hat, math_ops.maximum(v_hat, v))
        eps = convert_to_tensor(self.epsilon, dtype=variable.dtype)
        self.assign_sub(variable, m * alpha / (math_ops.sqrt(v_hat) + eps))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config


class AdamW(Adam):
    """Adam with decoupled weight decay: ``w -= w * weight_decay * lr`` before each Adam step."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
