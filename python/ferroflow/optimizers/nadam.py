"""``Nadam``: Adam with Nesterov momentum and Dozat's momentum schedule (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework import context
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..layers._util import unique_name
from ..ops import array_ops, math_ops
from ._config import initial_value
from ._keras_slots import per_variable_order
from ._state import optimizer_variable
from .base_optimizer import Optimizer


class Nadam(Optimizer):
    """With ``u_t = beta_1 (1 - 0.5 * 0.96^t)`` and ``P_t = u_1 ... u_t`` (the ``u_product`` variable):
    ``m_hat = u_{t+1} m / (1 - P_t u_{t+1}) + (1 - u_t) g / (1 - P_t)``, ``v_hat = v / (1 - beta_2^t)``,
    ``w -= lr * m_hat / (sqrt(v_hat) + epsilon)``.
    """

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
        dtype = var_list[0].dtype if var_list else "float32"
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        # Keras creates the running product last, after the slots, as an unnamed Keras variable: named
        # ``variable`` unique in the session (``variable``, then ``variable_1`` ...), under the open scopes.
        with context.eager_scope():
            one = initial_value("ones", [], dtype)
        self._u_product = optimizer_variable(None, one, unique_name("variable"), dtype)
        self._variables.append(self._u_product)

    def _keras_ordered_variables(self) -> list:
        trailing = [self._u_product] if self.built else []
        lists = [self._momentums, self._velocities] if self.built else []
        return per_variable_order(self, lists, trailing)

    def _product(self) -> Tensor:
        """``P_t``: the running product, advanced once per step before any variable is updated."""

        def advance() -> Tensor:
            u = self._u_product
            dtype = u.dtype
            t = self._local_step(dtype)
            decay = math_ops.pow(convert_to_tensor(0.96, dtype=dtype), t)
            new = u.value() * float(self.beta_1) * (1.0 - 0.5 * decay)
            self.assign(u, new)
            return new

        return self._cached("nadam_u_product", advance)

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        dtype = variable.dtype
        lr = self._lr_as(learning_rate, dtype)
        beta_1 = convert_to_tensor(float(self.beta_1), dtype=dtype)
        beta_2 = convert_to_tensor(float(self.beta_2), dtype=dtype)
        decay = convert_to_tensor(0.96, dtype=dtype)
        local_step = self._local_step(dtype)
        u_t = beta_1 * (1.0 - 0.5 * math_ops.pow(decay, local_step))
        u_t_1 = beta_1 * (1.0 - 0.5 * math_ops.pow(decay, local_step + 1.0))
        u_product_t = array_ops.cast(self._product(), dtype)
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = math_ops.pow(beta_2, local_step)
        m, v = self._momentums[i], self._velocities[i]
        self.assign_add(m, (gradient - m) * (1.0 - float(self.beta_1)))
        self.assign_add(v, (math_ops.square(gradient) - v) * (1.0 - float(self.beta_2)))
        m_hat = u_t_1 * m / (1.0 - u_product_t_1) + (1.0 - u_t) * gradient / (1.0 - u_product_t)
        v_hat = v / (1.0 - beta_2_power)
        self.assign_sub(variable, m_hat * lr / (math_ops.sqrt(v_hat) + float(self.epsilon)))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
