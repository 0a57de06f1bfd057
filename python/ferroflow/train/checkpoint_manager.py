"""``tf.train.CheckpointManager``: numbered checkpoints in a directory, keeping the newest ``max_to_keep``."""

from __future__ import annotations

import os
import time
from typing import Any, Callable, Dict, List, Optional

import numpy as np

from . import _format
from .checkpoint import Checkpoint


def latest_checkpoint(checkpoint_dir: str, latest_filename: Optional[str] = None) -> Optional[str]:
    """The path of the newest checkpoint recorded in ``checkpoint_dir``'s ``checkpoint`` file, or None."""
    state = _format.read_state(os.fspath(checkpoint_dir), latest_filename)
    if state is None or not _format.exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def get_checkpoint_state(checkpoint_dir: str, latest_filename: Optional[str] = None) -> Any:
    """The parsed ``checkpoint`` file (``model_checkpoint_path``, ``all_model_checkpoint_paths``), or None."""
    return _format.read_state(os.fspath(checkpoint_dir), latest_filename)


class CheckpointManager:
    """Saves ``checkpoint`` as ``{directory}/{checkpoint_name}-{n}`` and deletes all but the newest ones.

    Args:
        checkpoint: the ``Checkpoint`` to save and restore.
        directory: where checkpoints and the ``checkpoint`` state file go (created if needed).
        max_to_keep: how many recent checkpoints to keep; None keeps all of them.
        keep_checkpoint_every_n_hours: additionally keep (never delete) one checkpoint per this many hours.
        checkpoint_name: the file-name prefix of the checkpoints.
        step_counter: a variable (or tensor) giving the step, used with ``checkpoint_interval``.
        checkpoint_interval: save only when ``step_counter`` has advanced this much since the last save.
        init_fn: called by ``restore_or_initialize`` when there is no checkpoint to restore.
    """

    def __init__(
        self,
        checkpoint: Checkpoint,
        directory: str,
        max_to_keep: Optional[int],
        keep_checkpoint_every_n_hours: Optional[float] = None,
        checkpoint_name: str = "ckpt",
        step_counter: Any = None,
        checkpoint_interval: Optional[int] = None,
        init_fn: Optional[Callable[[], Any]] = None,
    ) -> None:
        if not isinstance(checkpoint, Checkpoint):
            raise TypeError(f"CheckpointManager expects a tf.train.Checkpoint, received {type(checkpoint).__name__}")
        if max_to_keep is not None and (isinstance(max_to_keep, bool) or int(max_to_keep) < 1):
            raise ValueError(f"max_to_keep must be a positive integer or None; received max_to_keep={max_to_keep!r}")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_every_n_hours = keep_checkpoint_every_n_hours
        self._checkpoint_prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_checkpoint_step: Optional[int] = None
        self._maybe_delete: Dict[str, float] = {}
        self._latest_checkpoint: Optional[str] = None
        self._last_preserved_timestamp = time.time()
        state = _format.read_state(self._directory)
        if state is not None:
            # Recover the checkpoints a previous manager kept in this directory (they will be swept too).
            stamps = state.all_model_checkpoint_timestamps
            for i, path in enumerate(state.all_model_checkpoint_paths):
                if _format.exists(path):
                    self._maybe_delete[path] = stamps[i] if i < len(stamps) else time.time()
            if state.last_preserved_timestamp is not None:
                self._last_preserved_timestamp = state.last_preserved_timestamp
            if _format.exists(state.model_checkpoint_path):
                self._latest_checkpoint = state.model_checkpoint_path

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    @property
    def latest_checkpoint(self) -> Optional[str]:
        """The newest checkpoint's path, or None before the first save."""
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> List[str]:
        """The kept checkpoints' paths, oldest first."""
        return list(self._maybe_delete)

    @property
    def checkpoint_interval(self) -> Optional[int]:
        return self._checkpoint_interval

    def save(self, checkpoint_number: Optional[int] = None, check_interval: bool = True, options: Any = None
             ) -> Optional[str]:
        """Writes a new checkpoint, numbered ``checkpoint_number`` or else by the checkpoint's ``save_counter``.

        Returns:
            The new checkpoint's path, or None when ``checkpoint_interval`` says it is too early to save.
        """
        if self._checkpoint_interval is not None:
            step = int(np.asarray(self._step_counter))
            if check_interval and self._last_checkpoint_step is not None:
                if step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(np.int64(1))
        number = int(counter.numpy()) if checkpoint_number is None else int(np.asarray(checkpoint_number))
        path = self._checkpoint.write(f"{self._checkpoint_prefix}-{number}")
        self._maybe_delete.pop(path, None)  # an overwritten checkpoint becomes the newest
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self) -> Optional[str]:
        """Restores the latest checkpoint if there is one (returning its path), else runs ``init_fn``."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self) -> None:
        """Writes are synchronous here: nothing to wait for."""

    def _sweep(self) -> None:
        if self._max_to_keep is None:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = next(iter(self._maybe_delete.items()))
            del self._maybe_delete[path]
            if (self._keep_every_n_hours is not None
                    and stamp - self._keep_every_n_hours * 3600.0 >= self._last_preserved_timestamp):
                self._last_preserved_timestamp = stamp  # kept on disk for good, no longer managed
                continue
            _format.remove(path)

    def _record_state(self) -> None:
        _format.write_state(self._directory, _format.CheckpointState(
            model_checkpoint_path=self._latest_checkpoint or "",
            all_model_checkpoint_paths=list(self._maybe_delete),
            all_model_checkpoint_timestamps=list(self._maybe_delete.values()),
            last_preserved_timestamp=self._last_preserved_timestamp,
        ))
