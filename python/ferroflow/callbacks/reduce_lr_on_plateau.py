"""``ReduceLROnPlateau``: lower the learning rate when a metric has stopped improving."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..utils.io_utils import print_msg
from ._learning_rate import get_learning_rate, set_learning_rate
from ._monitor import check_mode, resolve_mode
from .callback import Callback, Logs


class ReduceLROnPlateau(Callback):
    """Reduce the learning rate when a metric has stopped improving (Keras 3 semantics).

    When ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs, the
    learning rate becomes ``max(lr * factor, min_lr)``; then ``cooldown`` epochs pass before
    waiting starts again. The current learning rate is added to the logs as ``learning_rate``.

    Args:
        monitor: quantity to monitor.
        factor: factor by which the learning rate is reduced; must be < 1.0.
        patience: number of epochs with no improvement after which the rate is reduced.
        verbose: 1 prints a message on each reduction.
        mode: "min", "max" or "auto" (accuracy/AUC up, everything else down); an unknown mode
            warns and falls back to "auto".
        min_delta: threshold for measuring a new optimum.
        cooldown: epochs to wait before resuming normal operation after a reduction.
        min_lr: lower bound on the learning rate.

    Raises:
        ValueError: ``factor >= 1.0``.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0
        self.best: float = 0.0
        self.mode = mode
        self.monitor_op: Any = None
        self._reset()

    def _reset(self) -> None:
        """Reset the wait and cooldown counters and the best value."""
        self.mode = check_mode(
            self.mode,
            f"Learning rate reduction mode {self.mode} is unknown, fallback to auto mode.",
        )
        if resolve_mode(self.mode, self.monitor, self.model) == "min":
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: Logs = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_learning_rate(self.model)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                "Learning rate reduction is conditioned on metric "
                f"`{self.monitor}` which is not available. Available metrics "
                f"are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = get_learning_rate(self.model)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    set_learning_rate(self.model, new_lr)
                    if self.verbose > 0:
                        print_msg(
                            f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                            f"to {new_lr}."
                        )
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the callback is in its cooldown period after a reduction."""
        return self.cooldown_counter > 0
