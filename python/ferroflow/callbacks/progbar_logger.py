"""``ProgbarLogger``: prints the progress bar and metrics during fit, evaluate and predict."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..utils.io_utils import print_msg
from ..utils.progbar import Progbar
from .callback import Callback, Logs


class ProgbarLogger(Callback):
    """Prints metrics to stdout, like ``keras.callbacks.ProgbarLogger``.

    ``fit`` adds one when ``verbose != 0``. It reads ``verbose`` (0, 1, 2 or "auto" = 1),
    ``epochs`` and ``steps`` (steps per epoch; ``None`` when unknown) from the params, prints an
    ``Epoch 3/10`` header before each epoch when there is more than one, and draws a
    :class:`~ferroflow.utils.Progbar` per epoch. Validation inside ``fit`` is silent.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.progbar: Optional[Progbar] = None
        self.target: Optional[int] = None
        self.verbose: int = 1
        self.epochs: int = 1
        self._called_in_fit = False

    def set_params(self, params: Dict[str, Any]) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def on_train_begin(self, logs: Logs = None) -> None:
        # Inside fit, validation runs silently.
        self._called_in_fit = True

    def on_test_begin(self, logs: Logs = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs: Logs = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        # Prediction outputs are not metrics: do not show them.
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs: Logs = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs: Logs = None) -> None:
        self._finalize_progbar(logs)

    def on_train_end(self, logs: Logs = None) -> None:
        self._called_in_fit = False

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> Progbar:
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")
        return self.progbar

    def _update_progbar(self, batch: int, logs: Logs = None) -> None:
        progbar = self._maybe_init_progbar()
        self.seen = batch + 1  # One-indexed.
        if self.verbose == 1:
            progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize_progbar(self, logs: Logs) -> None:
        progbar = self._maybe_init_progbar()
        if self.target is None:
            # Steps were unknown: what this epoch saw becomes the target of the next ones.
            self.target = self.seen
            progbar.target = self.target
        progbar.update(self.target, list((logs or {}).items()), finalize=True)
