"""``History``: records the logs of every epoch; ``fit`` returns it."""

from __future__ import annotations

from typing import Any, Dict, List

from .callback import Callback, Logs


class History(Callback):
    """Records events into a ``History`` object, like ``keras.callbacks.History``.

    ``fit`` adds one automatically and returns it. Attributes:

    * ``history``: dict mapping each log name (``loss``, ``val_accuracy`` ...) to the list of
      its values, one per epoch;
    * ``epoch``: the list of epoch indices recorded (0-based).
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: Dict[str, List[Any]] = {}
        self.epoch: List[int] = []

    def on_train_begin(self, logs: Logs = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        # Keep model.history pointing at the latest state.
        if self.model is not None:
            self.model.history = self
