"""``BackupAndRestore``: back training up at each epoch end and resume from the backup after a crash.

The backup is one atomically written checkpoint file (``backup_dir/backup.ckpt``, the ``tf.train.Checkpoint``
format): the model's weights, the optimizer's state, the next epoch, and the random states that decide what
the next epochs do (NumPy's global generator, which ``fit`` shuffles with; Python's ``random``; ferroflow's
random-op counters, including those of the compiled train step's dropout masks). A rerun of the same script
therefore continues where the interrupted run stopped and ends with the same weights.
"""

from __future__ import annotations

import contextlib
import os
import random
from typing import Any, Optional, Union

import numpy as np

from .callback import Callback, Logs

_BACKUP = "backup"
_PREVIOUS = "backup_previous"


class BackupAndRestore(Callback):
    """Back up the training state to resume ``fit`` after an interruption, like ``keras.callbacks.BackupAndRestore``.

    At the start of ``fit`` an existing backup is restored (weights, optimizer state, random states) and
    training continues at the epoch after the last backed-up one; when ``fit`` completes the backup is
    deleted (unless ``delete_checkpoint=False``). A backup taken every ``save_freq`` batches resumes at the
    start of the epoch it was taken in, as in Keras.

    The counters of the compiled train step's random ops (``Dropout`` masks) are saved too, so with a
    fixed seed a resumed run draws the same masks, and ends with the same weights, as an uninterrupted one.

    Args:
        backup_dir: the folder for the backup (created if needed); use it for one training run only.
        save_freq: ``"epoch"`` (back up at each epoch end), an integer (every that many batches), or False
            (only restore).
        double_checkpoint: keep the previous backup too, and fall back to it if the latest one is unreadable.
        delete_checkpoint: delete the backup when training ends.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> BackupAndRestore:
        save_freq = kwargs.get("save_freq", args[1] if len(args) > 1 else "epoch")
        # Per-batch hooks make the native loop call back into Python after every batch, so only the
        # batch-frequency variant defines them.
        if cls is BackupAndRestore and _is_batch_freq(save_freq):
            cls = _BatchBackupAndRestore
        return super().__new__(cls)

    def __init__(
        self,
        backup_dir: Union[str, os.PathLike],
        save_freq: Union[str, int, bool] = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq is not False and save_freq != "epoch" and not _is_batch_freq(save_freq):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1

    # -- paths
    def _path(self, name: str) -> str:
        return os.path.join(self.backup_dir, name)

    def _checkpoint(self) -> Any:
        from ..train import Checkpoint

        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            return Checkpoint(model=self.model)
        return Checkpoint(model=self.model, optimizer=optimizer)

    # -- hooks
    def on_train_begin(self, logs: Logs = None) -> None:
        if not getattr(self.model, "built", False):
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call `fit()`. "
                f"Model {self.model} is unbuilt. You can build it beforehand by calling it on a batch of data."
            )
        extra = self._restore()
        if extra is None:
            return
        epoch = int(extra.get("epoch", 0))
        self._current_epoch = epoch
        self.model._initial_epoch = epoch
        _set_random_states(extra.get("random", {}))
        plan = getattr(self.model, "_train_plan", None)
        counters = extra.get("plan_random")
        if plan is not None and counters is not None:
            plan.plan.set_random_state(counters)  # dropout masks continue where the interrupted run was

    def _restore(self) -> Optional[dict]:
        from ..train import _format

        candidates = [_BACKUP, _PREVIOUS] if self.double_checkpoint else [_BACKUP]
        errors = []
        for name in candidates:
            path = self._path(name)
            if not _format.exists(path):
                continue
            try:
                status, extra = self._checkpoint()._read(path)
            except ValueError as e:
                errors.append(str(e))
                continue
            status.assert_existing_objects_matched()
            return extra
        if errors:
            raise ValueError(f"Cannot resume training from the backup in {self.backup_dir}: {'; '.join(errors)}")
        return None

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch + 1
        self._last_batch_seen = -1
        if self.save_freq == "epoch":
            self._save()

    def on_train_end(self, logs: Logs = None) -> None:
        if not self.delete_checkpoint:
            return
        from ..train import _format

        for name in (_BACKUP, _PREVIOUS):
            _format.remove(self._path(name))
        with contextlib.suppress(OSError):
            os.rmdir(self.backup_dir)  # only when nothing else is in it

    def _save(self) -> None:
        from ..train import _format

        if self.double_checkpoint and _format.exists(self._path(_BACKUP)):
            os.replace(_format.data_file(self._path(_BACKUP)), _format.data_file(self._path(_PREVIOUS)))
        extra = {"epoch": self._current_epoch, "batch": self._last_batch_seen, "random": _get_random_states()}
        plan = getattr(self.model, "_train_plan", None)
        if plan is not None:
            extra["plan_random"] = [int(c) for c in plan.plan.random_state()]
        self._checkpoint()._write(self._path(_BACKUP), extra)


class _BatchBackupAndRestore(BackupAndRestore):
    """``BackupAndRestore`` with an integer ``save_freq``: also backs up every ``save_freq`` batches."""

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        # The native loop may report only some batch indices: count the batches run since the last call.
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= int(self.save_freq):
            self._batches_seen_since_last_saving = 0
            self._save()


def _is_batch_freq(save_freq: Any) -> bool:
    return isinstance(save_freq, (int, np.integer)) and not isinstance(save_freq, bool) and save_freq > 0


def _get_random_states() -> dict:
    from ..ops import random_ops

    kind, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss = random.getstate()
    state = random_ops._state
    return {
        "numpy": [str(kind), [int(k) for k in keys], int(pos), int(has_gauss), float(cached)],
        "python": [version, list(internal), gauss],
        "ferroflow": {
            "global_seed": state["global_seed"],
            "counter": state["counter"],
            "calls": [[g, s, n] for (g, s), n in state["calls"].items()],
        },
    }


def _set_random_states(states: dict) -> None:
    from ..ops import random_ops

    if "numpy" in states:
        kind, keys, pos, has_gauss, cached = states["numpy"]
        np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    if "python" in states:
        version, internal, gauss = states["python"]
        random.setstate((version, tuple(internal), gauss))
    if "ferroflow" in states:
        ff = states["ferroflow"]
        random_ops._state["global_seed"] = ff["global_seed"]
        random_ops._state["counter"] = ff["counter"]
        random_ops._state["calls"] = {(g, s): n for g, s, n in ff["calls"]}
