"""``TensorBoard``: training logs for TensorBoard (scalars, weight histograms, the model's graph), like Keras's.

Epoch results go to ``log_dir/train`` (``epoch_loss``, ``epoch_accuracy``, ``epoch_learning_rate``) and
``log_dir/validation`` (the ``val_`` results, without the prefix), one point per epoch. The batch hook is
set on the instance only when ``update_freq`` asks for batch-level logging: with ``update_freq="epoch"``
the trainer sees no batch hook and runs each epoch's batches without calling into Python.
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Union

import numpy as np

from .. import summary
from ._tensorboard_graph import keras_model_summary, trace_model_graph
from .callback import Callback, Logs


def _check_profile_batch(profile_batch: Any) -> None:
    if isinstance(profile_batch, str):
        try:
            profile_batch = [int(p) for p in profile_batch.split(",")]
        except ValueError:
            profile_batch = None
    if isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
        start, stop = profile_batch
    elif isinstance(profile_batch, (int, np.integer)) and not isinstance(profile_batch, bool):
        start = stop = profile_batch
    else:
        start, stop = -1, -1
    if start < 0 or stop < start:
        raise ValueError(
            "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of "
            "positive integers signifies a range of batches to profile. "
            f"Found: {profile_batch}"
        )
    if stop:
        raise NotImplementedError(
            f"Profiling is not supported by ferroflow's TensorBoard callback. Received: "
            f"profile_batch={profile_batch} (must be 0)"
        )


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard, like ``keras.callbacks.TensorBoard``.

    Args:
        log_dir: the directory of the logs (``train`` and ``validation`` subdirectories are written).
        histogram_freq: every how many epochs to write weight histograms (``<weight name>/histogram``,
            e.g. ``dense/kernel/histogram``); 0 writes none.
        write_graph: write the model's op graph (Graphs tab) and Keras config at the start of training.
        write_images: not supported (True raises NotImplementedError).
        write_steps_per_second: also log ``epoch_steps_per_second`` (and ``batch_steps_per_second``).
        update_freq: ``"epoch"``, ``"batch"`` (same as 1) or an integer N: with N, ``batch_loss`` etc.
            are written every N training batches, at the global batch count.
        profile_batch: must be 0 (profiling is not supported).
        embeddings_freq: must be 0 (embedding projections are not supported).
        embeddings_metadata: only meaningful with ``embeddings_freq``.
    """

    def __init__(
        self,
        log_dir: Union[str, os.PathLike] = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: Union[str, int] = "epoch",
        profile_batch: Any = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
    ) -> None:
        super().__init__()
        if write_images:
            raise NotImplementedError(
                "write_images=True (weights as images) is not supported by ferroflow's "
                "TensorBoard callback; received write_images=True, expected False"
            )
        if embeddings_freq:
            raise NotImplementedError(
                f"Embedding visualization is not supported by ferroflow's TensorBoard "
                f"callback; received embeddings_freq={embeddings_freq!r}, expected 0"
            )
        _check_profile_batch(profile_batch)
        if isinstance(histogram_freq, bool) or not isinstance(histogram_freq, (int, np.integer)) or histogram_freq < 0:
            raise ValueError(f"histogram_freq must be a non-negative integer, received {histogram_freq!r}")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (
            isinstance(update_freq, bool) or not isinstance(update_freq, (int, np.integer)) or update_freq < 1
        ):
            raise ValueError(f"update_freq must be 'epoch', 'batch' or a positive integer, received {update_freq!r}")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = int(histogram_freq)
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._last_batch_time = 0.0
        self._writers: Dict[str, Any] = {}
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        if update_freq != "epoch":
            # Set on the instance, so the trainer calls Python after batches only when batch logs are wanted.
            self.on_train_batch_end = self._batch_hook()  # type: ignore[method-assign]

    def set_model(self, model: Any) -> None:
        """Sets the model; writers are reset and created on first write, as in Keras."""
        self._model = model
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}

    @property
    def _train_writer(self) -> Any:
        if "train" not in self._writers:
            self._writers["train"] = summary.create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self) -> Any:
        if "val" not in self._writers:
            self._writers["val"] = summary.create_file_writer(self._val_dir)
        return self._writers["val"]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def on_train_begin(self, logs: Logs = None) -> None:
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        if self.write_graph:
            self._write_graphs()

    def on_train_end(self, logs: Logs = None) -> None:
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._epoch_start_time = self._last_batch_time = time.time()
        if self.write_steps_per_second:
            self._previous_epoch_iterations = self._iterations()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Writes the epoch's metrics and, every ``histogram_freq`` epochs, the weight histograms."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def on_test_end(self, logs: Logs = None) -> None:
        """After ``evaluate``: ``evaluation_<name>_vs_iterations`` at the optimizer's step, in the validation log."""
        optimizer = getattr(self.model, "optimizer", None)
        if not logs or optimizer is None or not hasattr(optimizer, "iterations"):
            return
        with self._val_writer.as_default():
            for name, value in logs.items():
                summary.scalar(f"evaluation_{name}_vs_iterations", value, step=self._iterations())

    def _batch_hook(self) -> Any:
        """The instance's batch hook: batch logging, then a subclass's own ``on_train_batch_end`` if it has one."""
        own = type(self).on_train_batch_end
        if own is Callback.on_train_batch_end:
            return self._log_batch
        subclass_hook = own.__get__(self)

        def hook(batch: int, logs: Logs = None) -> None:
            self._log_batch(batch, logs)
            subclass_hook(batch, logs)

        return hook

    def _log_batch(self, batch: int, logs: Logs = None) -> None:
        """The per-batch hook (only when ``update_freq`` is not "epoch"): ``batch_<name>`` every N batches."""
        self._global_train_batch += 1
        now = time.time()
        elapsed, self._last_batch_time = now - self._last_batch_time, now
        if self._global_train_batch % self.update_freq != 0:
            return
        step = self._global_train_batch
        writer = self._train_writer
        # Written without as_default: that would flush (wait for the disk) after every batch.
        with writer._as_default(None, flush=False):
            if self.write_steps_per_second and elapsed > 0:
                summary.scalar("batch_steps_per_second", 1.0 / elapsed, step=step)
            for name, value in (logs or {}).items():
                if name not in ("batch", "size", "num_steps"):
                    summary.scalar("batch_" + name, value, step=step)

    def _iterations(self) -> int:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return self._global_train_batch
        return int(np.asarray(optimizer.iterations.numpy()))

    def _log_epoch_metrics(self, epoch: int, logs: Logs) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            try:
                train_logs["learning_rate"] = float(optimizer.learning_rate)
            except (TypeError, ValueError):  # a learning rate that is not a number is not logged
                pass
        if self.write_steps_per_second:
            seconds = time.time() - self._epoch_start_time
            steps = self._iterations() - self._previous_epoch_iterations
            train_logs["steps_per_second"] = steps / seconds if seconds > 0 else 0.0
        if train_logs:
            with self._train_writer.as_default():
                for name, value in train_logs.items():
                    summary.scalar("epoch_" + name, value, step=epoch)
        if val_logs:
            with self._val_writer.as_default():
                for name, value in val_logs.items():
                    summary.scalar("epoch_" + name, value, step=epoch)

    def _log_weights(self, epoch: int) -> None:
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    # The suffix keeps a weight's tag apart from other summaries under the same name.
                    summary.histogram(weight.path.replace(":", "_") + "/histogram", weight.numpy(), step=epoch)

    def _write_graphs(self) -> None:
        model = self.model
        with self._train_writer.as_default():
            if type(model).__name__ in ("Functional", "Sequential") or getattr(model, "_is_graph_network", False):
                keras_model_summary("keras", model, step=0)
            graph = trace_model_graph(model)
            if graph is not None:
                summary.graph(graph)
