"""``LearningRateScheduler``: set the optimizer's learning rate at the start of each epoch."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..utils.io_utils import print_msg
from ._learning_rate import get_learning_rate, set_learning_rate
from .callback import Callback, Logs


class LearningRateScheduler(Callback):
    """Learning rate scheduler, like ``keras.callbacks.LearningRateScheduler``.

    At the beginning of every epoch, ``schedule(epoch, lr)`` (``epoch`` 0-based, ``lr`` the
    current ``float(model.optimizer.learning_rate)``) gives the new learning rate, which is
    assigned to ``model.optimizer.learning_rate``. A one-argument ``schedule(epoch)`` is also
    accepted (the old API). The learning rate is added to the epoch's logs as
    ``learning_rate``.

    Args:
        schedule: a function of ``(epoch, lr)`` returning a float.
        verbose: 1 prints the new learning rate each epoch.
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        learning_rate = get_learning_rate(self.model)
        try:  # The current API.
            learning_rate = self.schedule(epoch, learning_rate)
        except TypeError:  # The old one-argument API.
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        set_learning_rate(self.model, learning_rate)
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{learning_rate}."
            )

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model)
