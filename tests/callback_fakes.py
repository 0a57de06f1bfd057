"""A fake model and a fit-like loop for testing callbacks without the trainer."""

from __future__ import annotations

import numpy as np

from ferroflow import callbacks as cbs


class FakeOptimizer:
    def __init__(self, learning_rate: float = 0.01) -> None:
        self.learning_rate = learning_rate


class FakeModel:
    """What callbacks use of a model: weights, stop_training, optimizer, save/save_weights."""

    def __init__(self) -> None:
        self.weights = [np.zeros(2, np.float32)]
        self.stop_training = False
        self.optimizer = FakeOptimizer()
        self.saved: list = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, path):
        self.saved.append(("model", path))
        with open(path, "w") as f:
            f.write("model")

    def save_weights(self, path):
        self.saved.append(("weights", path))
        with open(path, "w") as f:
            f.write("weights")


def fit(model, callbacks, epoch_logs, steps=3, verbose=0, batch_logs=None):
    """Drive callbacks the way Keras's fit does; epoch ``e`` sets the weights to ``e``."""
    cl = cbs.CallbackList(
        callbacks,
        add_history=True,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=len(epoch_logs),
        steps=steps,
    )
    model.stop_training = False
    cl.on_train_begin()
    logs = None
    for epoch, logs in enumerate(epoch_logs):
        cl.on_epoch_begin(epoch)
        for step in range(steps):
            cl.on_train_batch_begin(step)
            cl.on_train_batch_end(step, dict(batch_logs or {"loss": logs.get("loss", 0.0)}))
        model.weights = [np.full(2, epoch, np.float32)]
        cl.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    cl.on_train_end(logs)
    return model.history


def losses(*values, key="val_loss"):
    return [{"loss": 1.0, key: v} for v in values]
