"""``Lamb``: Adam's direction scaled per variable by the trust ratio ``||w|| / ||update||`` (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_ops
from .base_optimizer import Optimizer


class Lamb(Optimizer):
    """``update = m_hat / (sqrt(v_hat) + epsilon)``; ``w -= ratio * lr * update`` with ``ratio = ||w|| / ||update||``
    (1 where either norm is 0), ``m_hat`` and ``v_hat`` Adam's bias-corrected moments.
    """

    _keras_interleaved = 2  # Keras keeps (momentum, velocity) per variable

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
        self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._velocities = self.add_optimizer_variables(var_list, "velocity")

    def _power(self, beta: float, dtype: Any) -> Tensor:
        return self._cached(
            ("power", beta, dtype.name),
            lambda: math_ops.pow(convert_to_tensor(float(beta), dtype=dtype), self._local_step(dtype)),
        )

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        dtype = variable.dtype
        lr = self._lr_as(learning_rate, dtype)
        beta_1_power, beta_2_power = self._power(self.beta_1, dtype), self._power(self.beta_2, dtype)
        m, v = self._momentums[i], self._velocities[i]
        self.assign_add(m, (gradient - m) * (1.0 - float(self.beta_1)))
        self.assign_add(v, (math_ops.square(gradient) - v) * (1.0 - float(self.beta_2)))
        m_hat = m / (1.0 - beta_1_power)
        v_sqrt = math_ops.sqrt(v / (1.0 - beta_2_power)) + float(self.epsilon)
        update = m_hat / v_sqrt
        w_norm = math_ops.sqrt(math_ops.reduce_sum(math_ops.square(variable)))
        g_norm = math_ops.sqrt(math_ops.reduce_sum(math_ops.square(update)))
        one = array_ops.ones_like(w_norm)
        safe_g_norm = array_ops.where(math_ops.greater(g_norm, 0.0), g_norm, one)
        ratio = array_ops.where(
            math_ops.greater(w_norm, 0.0),
            array_ops.where(math_ops.greater(g_norm, 0.0), w_norm / safe_g_norm, one),
            one,
        )
        self.assign_sub(variable, ratio * lr * update)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
