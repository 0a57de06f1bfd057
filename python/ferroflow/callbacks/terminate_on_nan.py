"""``TerminateOnNaN``: stop training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from ..utils.io_utils import print_msg
from .callback import Callback, Logs


class TerminateOnNaN(Callback):
    """Callback that terminates training when a NaN or infinite loss is encountered.

    Checked after every training batch; sets ``model.stop_training = True``.
    """

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None:
            loss = float(loss)
            if math.isnan(loss) or math.isinf(loss):
                print_msg(f"Batch {batch}: Invalid loss, terminating training")
                self.model.stop_training = True
