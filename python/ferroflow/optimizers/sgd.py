"""``SGD``: gradient descent, optionally with (Nesterov) momentum, as one fused in-place op per variable."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ._config import check_unit_interval
from .base_optimizer import Optimizer


class SGD(Optimizer):
    """``w -= lr * g``; with momentum ``v = momentum * v - lr * g; w += v``.

    With ``nesterov=True`` the variable moves by ``momentum * v - lr * g`` instead.
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        self.momentum = check_unit_interval("momentum", momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables: list) -> None:
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        m = self.momentums[self._get_variable_index(variable)] if self.momentum != 0 else None
        attrs = {
            "var": variable._v,
            "m": m._v if m is not None else None,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
        }
        lr = self._lr_as(learning_rate, variable.dtype)
        self._fused_update("apply_sgd", [gradient, lr], attrs, (variable,) if m is None else (variable, m))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
