"""``ModelCheckpoint``: save the model or its weights during training."""

from __future__ import annotations

import os
import warnings
from typing import Optional, Union

import numpy as np

from ..utils.io_utils import print_msg
from ._monitor import check_mode, resolve_mode
from .callback import Callback, Logs

_WEIGHTS_SUFFIXES = (".weights.h5", ".weights.npz")


class ModelCheckpoint(Callback):
    """Save the model or its weights at some frequency, like ``keras.callbacks.ModelCheckpoint``.

    ``filepath`` may hold ``str.format`` fields filled with ``epoch`` (1-based), ``batch``
    (1-based, when saving every ``save_freq`` batches) and the epoch's logs, e.g.
    ``"model.{epoch:02d}-{val_loss:.2f}.keras"``. Parent folders are created as needed.

    Full models are saved with ``model.save(path)`` and need a ``.keras`` path; with
    ``save_weights_only=True`` weights are saved with ``model.save_weights(path)`` and the path
    must end in ``.weights.h5`` or ``.weights.npz`` (both hold ferroflow's npz-in-zip weights
    format). Any other suffix raises ``ValueError``, as in Keras 3.

    Args:
        filepath: where to save (a string or path-like, possibly with format fields).
        monitor: the metric compared when ``save_best_only`` is set.
        verbose: 1 prints a message on each save.
        save_best_only: only save when the monitored value improves on the best so far.
        save_weights_only: save only the weights instead of the whole model.
        mode: "min", "max" or "auto" (accuracy/AUC up, everything else down).
        save_freq: "epoch", or an integer: save every that many batches.
        initial_value_threshold: the starting "best" value for ``save_best_only``.
    """

    def __init__(
        self,
        filepath: Union[str, os.PathLike[str]],
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: Union[str, int] = "epoch",
        initial_value_threshold: Optional[float] = None,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        mode = check_mode(mode, f"ModelCheckpoint mode '{mode}' is unknown, fallback to auto mode.")
        self.mode = resolve_mode(mode, monitor)
        self.monitor_op = np.greater if self.mode == "max" else np.less
        # None until a first value is seen, as in Keras 3 (whose messages print it as "None").
        self.best: Optional[float] = None if initial_value_threshold is None else float(initial_value_threshold)

        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq <= 0):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or positive integer values"
            )
        if save_weights_only:
            if not self.filepath.endswith(_WEIGHTS_SUFFIXES):
                # Keras 3's text (ferroflow also accepts its own `.weights.npz`, as save_weights does).
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    f"provided must end in `.weights.h5` (Keras weights format). Received: filepath={self.filepath}"
                )
        elif not self.filepath.endswith(".keras"):
            raise ValueError(
                f"The filepath provided must end in `.keras` (Keras model format). Received: filepath={self.filepath}"
            )

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # A new epoch.
            add_batches = batch + 1  # Batches are zero-indexed.
        else:
            add_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:  # type: ignore[operator]
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self, epoch: int, batch: Optional[int], logs: Logs) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. "
                f"Filepath used is an existing directory: {filepath}"
            )
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)

        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(
                    f"Can save best model only with {self.monitor} available, skipping.",
                    stacklevel=2,
                )
                return
            if np.ndim(current) > 0:
                warnings.warn(
                    "Can save best model only when `monitor` is a scalar value. "
                    f"Received: {current}. Falling back to `save_best_only=False`.",
                    stacklevel=2,
                )
            else:
                best = "None" if self.best is None else f"{self.best:.5f}"
                if self.best is not None and not self.monitor_op(current, self.best):
                    if self.verbose > 0:
                        print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
                    return
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} "
                        f"to {current:.5f}, saving model to {filepath}"
                    )
                self.best = current
        elif self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
        self._save(filepath)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _save(self, filepath: str) -> None:
        if self.save_weights_only:
            self.model.save_weights(filepath)
        else:
            self.model.save(filepath)

    def _get_file_path(self, epoch: int, batch: Optional[int], logs: dict) -> str:
        # `filepath` may hold fields such as `{epoch:02d}`, `{batch:02d}` or `{val_loss:.2f}`;
        # a field missing from the logs is a user error worth a clear message.
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}') from e
