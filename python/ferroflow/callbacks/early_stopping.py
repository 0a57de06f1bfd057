"""``EarlyStopping``: stop training when a monitored metric has stopped improving."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..utils.io_utils import print_msg
from ._monitor import check_mode, resolve_mode
from .callback import Callback, Logs


class EarlyStopping(Callback):
    """Stop training when a monitored metric has stopped improving (Keras 3 semantics).

    At the end of each epoch the monitored value is compared with the best so far; when it has
    not improved for ``patience`` epochs, ``model.stop_training`` is set to ``True``.

    Args:
        monitor: quantity to monitor, e.g. "val_loss" or "val_accuracy".
        min_delta: minimum change that counts as an improvement (its absolute value is used).
        patience: number of epochs with no improvement after which training stops.
        verbose: 1 prints a message when stopping and when restoring weights.
        mode: "min", "max" or "auto" (decided from the metric's name: accuracy/AUC up,
            everything else down). An unknown mode warns and falls back to "auto".
        baseline: a value the metric must beat; the wait counter is reset only by an
            improvement that also beats the baseline.
        restore_best_weights: at the end of training, restore the weights (via
            ``model.get_weights()``/``set_weights()``) from the epoch with the best value.
        start_from_epoch: number of warm-up epochs before improvement is monitored.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: Optional[float] = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.min_delta = abs(min_delta)
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights: Any = None
        self.start_from_epoch = start_from_epoch
        self.mode = check_mode(
            mode, f"EarlyStopping mode {mode} is unknown, fallback to auto mode."
        )
        self.monitor_op: Optional[str] = None
        self.best: Optional[float] = None
        self.best_epoch = 0

    def _set_monitor_op(self) -> None:
        # Decided on the first epoch end, once the model's metrics are built.
        self.monitor_op = resolve_mode(self.mode, self.monitor, self.model)

    def on_train_begin(self, logs: Logs = None) -> None:
        # Allow instances to be re-used.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            # No monitored value, or still warming up.
            return
        if self.restore_best_weights and self.best_weights is None:
            # If best weights were never set, the current weights are the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch

        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Only restart waiting when both the baseline and the previous best are beaten.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return

        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: Logs) -> Any:
        """The monitored value in ``logs``; warns and returns ``None`` when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return value

    def _is_improvement(self, monitor_value: float, reference_value: Optional[float]) -> bool:
        if reference_value is None:
            return True
        if self.monitor_op == "max":
            return bool(monitor_value - self.min_delta > reference_value)
        return bool(monitor_value + self.min_delta < reference_value)
