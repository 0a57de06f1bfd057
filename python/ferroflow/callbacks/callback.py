"""``Callback``: the base class of objects that hook into training, evaluation and prediction."""

from __future__ import annotations

from typing import Any, Dict, Optional

Logs = Optional[Dict[str, Any]]


class Callback:
    """Base class used to build new callbacks, like ``keras.callbacks.Callback``.

    Callbacks are passed to ``fit``, ``evaluate`` and ``predict``; the trainer calls their hooks
    with a ``logs`` dict of metric results (``{"loss": 0.25, "accuracy": 0.93}``, with
    ``val_``-prefixed validation results at the end of an epoch).

    Attributes:
        params: dict of training parameters (``verbose``, ``epochs``, ``steps``).
        model: the model being trained, evaluated or used for prediction.
    """

    def __init__(self) -> None:
        self.params: Optional[Dict[str, Any]] = None
        self._model: Any = None

    def set_params(self, params: Dict[str, Any]) -> None:
        """Record the training parameters (``verbose``, ``epochs``, ``steps``)."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Attach the model this callback acts on."""
        self._model = model

    @property
    def model(self) -> Any:
        """The model this callback acts on (set by ``set_model``)."""
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        self._model = model

    # Backwards-compatible aliases of the train batch hooks.
    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """A backwards-compatibility alias for ``on_train_batch_begin``."""

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """A backwards-compatibility alias for ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Called at the start of an epoch (training only)."""

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Called at the end of an epoch with its metric results (``val_`` ones included)."""

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called at the beginning of a training batch in ``fit``."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called at the end of a training batch in ``fit`` with the running metric results."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called at the beginning of a batch in ``evaluate`` or ``fit``'s validation."""

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called at the end of a batch in ``evaluate`` or ``fit``'s validation."""

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called at the beginning of a batch in ``predict``."""

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called at the end of a batch in ``predict`` (``logs["outputs"]`` holds its output)."""

    def on_train_begin(self, logs: Logs = None) -> None:
        """Called at the beginning of training."""

    def on_train_end(self, logs: Logs = None) -> None:
        """Called at the end of training with the last epoch's logs."""

    def on_test_begin(self, logs: Logs = None) -> None:
        """Called at the beginning of evaluation or validation."""

    def on_test_end(self, logs: Logs = None) -> None:
        """Called at the end of evaluation or validation with its metric results."""

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Called at the beginning of prediction."""

    def on_predict_end(self, logs: Logs = None) -> None:
        """Called at the end of prediction."""
