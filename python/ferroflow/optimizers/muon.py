"""``Muon``: momentum orthogonalized by Newton-Schulz iterations for matrices, AdamW for the other variables
(Jordan et al., 2024; Keras 3)."""

from __future__ import annotations

import re
from typing import Any, List, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_ops
from ._keras_slots import per_variable_order
from .base_optimizer import Optimizer


class Muon(Optimizer):
    """For 2-D variables (not embeddings, not ``exclude_layers``): ``m = momentum * m + g``, the step direction
    ``g + momentum * m`` (Nesterov) or ``m`` orthogonalized by ``ns_steps`` quintic Newton-Schulz iterations
    with coefficients ``(muon_a, muon_b, muon_c)``, scaled by ``sqrt(max(rows, cols)) * rms_rate``. Other
    variables take AdamW steps at ``lr * adam_lr_ratio`` with ``adam_weight_decay``.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float = 0.004,
        epsilon: float = 1e-7,
        weight_decay: Optional[float] = 0.004,
        clipnorm: Optional[float] = None,
        clipvalue: Optional[float] = None,
        global_clipnorm: Optional[float] = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: Optional[int] = None,
        loss_scale_factor: Optional[float] = None,
        gradient_accumulation_steps: Optional[int] = None,
        name: Optional[str] = None,
        exclude_layers: Optional[list] = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: Optional[float] = 0.2,
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
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable: Variable) -> bool:
        if variable.shape.rank != 2:
            return True
        path = str(getattr(variable, "path", variable.name))
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list: list) -> None:
        if self.built:
            return
        super().build(var_list)
        self.momentums: List[Any] = []
        self.adam_velocities: List[Any] = []
        for var in var_list:
            self.momentums.append(self.add_variable_from_reference(var, "momentum"))
            adamw = self._should_use_adamw(var)
            self.adam_velocities.append(self.add_variable_from_reference(var, "velocity") if adamw else None)

    def _keras_ordered_variables(self) -> list:
        # Keras creates (momentum, velocity) per variable, the velocity only for AdamW's variables.
        return per_variable_order(self, [self.momentums, self.adam_velocities] if self.built else [])

    def update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor) -> None:
        i = self._get_variable_index(variable)
        m, v = self.momentums[i], self.adam_velocities[i]
        if v is not None:
            self._adamw_update_step(gradient, variable, learning_rate * float(self.adam_lr_ratio), m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient: Tensor, variable: Variable, learning_rate: Tensor, m: Variable) -> None:
        lr = self._lr_as(learning_rate, variable.dtype)
        self.assign_add(m, gradient + m * (float(self.momentum) - 1.0))
        direction = gradient + float(self.momentum) * m if self.nesterov else m.value()
        update = self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(lr * update))

    def _adamw_update_step(
        self, gradient: Tensor, variable: Variable, learning_rate: Tensor, m: Variable, v: Variable
    ) -> None:
        dtype = variable.dtype
        lr = array_ops.cast(learning_rate, dtype)
        local_step = self._local_step(dtype)
        beta_1_power = math_ops.pow(convert_to_tensor(float(self.adam_beta_1), dtype=dtype), local_step)
        beta_2_power = math_ops.pow(convert_to_tensor(float(self.adam_beta_2), dtype=dtype), local_step)
        alpha = lr * math_ops.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)
        self.assign_add(m, (gradient - m) * (1.0 - float(self.adam_beta_1)))
        self.assign_add(v, (math_ops.square(gradient) - v) * (1.0 - float(self.adam_beta_2)))
        self.assign_sub(variable, m * alpha / (math_ops.sqrt(v) + float(self.epsilon)))

    def lr_adjust(self, x: Tensor) -> Tensor:
        """Scales the orthogonalized step to a root-mean-square of about ``rms_rate`` (None: unscaled)."""
        if self.rms_rate is None:
            return x
        rows, cols = x.shape.as_list()[:2]
        return x * float(max(rows, cols)) ** 0.5 * float(self.rms_rate)

    def zeropower_via_newtonschulz5(self, x: Any, steps: int) -> Tensor:
        """An approximately orthogonal matrix with the singular vectors of ``x`` (quintic Newton-Schulz)."""
        x = convert_to_tensor(x)
        shape = x.shape.as_list()
        if len(shape) < 2:
            raise ValueError(
                f"Expected gradient or momentum to have at least 2 dimensions. Received: shape={tuple(shape)}"
            )
        a, b, c = float(self.muon_a), float(self.muon_b), float(self.muon_c)
        tall = shape[-2] > shape[-1]
        if tall:
            x = array_ops.transpose(x)
        x = x / (math_ops.sqrt(math_ops.reduce_sum(math_ops.square(x), axis=[-2, -1], keepdims=True)) + 1e-7)
        for _ in range(steps):
            temp_a = math_ops.matmul(x, x, transpose_b=True)
            temp_b = b * temp_a + math_ops.matmul(c * temp_a, temp_a)
            x = a * x + math_ops.matmul(temp_b, x)
        return array_ops.transpose(x) if tall else x

    def _apply_weight_decay(self, variables: list, learning_rate: Tensor) -> None:
        # AdamW's variables decay by adam_weight_decay, the orthogonalized ones by weight_decay.
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) else self.weight_decay
            if decay is None:
                continue
            lr = self._lr_as(learning_rate, variable.dtype)
            wd = convert_to_tensor(decay, dtype=variable.dtype)
            self.assign(variable, variable - variable * wd * lr)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config
