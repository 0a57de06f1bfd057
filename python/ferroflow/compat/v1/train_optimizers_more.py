"""TF1's ``AdadeltaOptimizer`` on Keras's Adadelta update rule, like the other TF1 optimizers of train.py."""

from __future__ import annotations

from typing import Any

from .train import Optimizer, _keras_lr, _opt


class AdadeltaOptimizer(Optimizer):
    """``accum = rho * accum + (1 - rho) * g^2; update = sqrt(accum_update + eps) / sqrt(accum + eps) * g;
    accum_update = rho * accum_update + (1 - rho) * update^2; var -= lr * update`` (Keras's Adadelta)."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-8,
        use_locking: bool = False,
        name: str = "Adadelta",
    ) -> None:
        super().__init__(use_locking, name)
        self._args = (learning_rate, rho, epsilon)

    def _make_keras(self) -> Any:
        lr, rho, eps = self._args
        return _opt().Adadelta(learning_rate=_keras_lr(lr), rho=rho, epsilon=eps)
