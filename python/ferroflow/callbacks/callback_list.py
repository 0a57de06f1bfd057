"""``CallbackList``: one object that forwards every hook to a list of callbacks."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from .callback import Callback, Logs
from .history import History
from .progbar_logger import ProgbarLogger


def _pythonify_logs(logs: Logs) -> Dict[str, Any]:
    """A new dict of ``logs`` with nested dicts flattened and numeric values as floats, in Keras 3's order:
    its callback list sorts every hook's logs by name, the validation logs of an epoch's end among the
    others, so progress bars, History and every callback see ``accuracy, loss, val_accuracy, val_loss``
    but ``b_loss, loss, val_b_loss, val_loss, z_loss`` (an output named ``z``). Logs an overridden step
    returned (``KerasOrderedLogs``) sort by the top-level key that held them: Keras sorts before merging a
    nested dict, so ``{"loss": ..., "compile_metrics": {"mae": ...}}`` logs ``mae, loss``."""
    result = _flat_logs(logs)
    if isinstance(logs, KerasOrderedLogs):
        parents = logs.parents
        return {k: result[k] for k in sorted(result, key=lambda k: parents.get(k, k))}  # stable: nested order kept
    return {k: result[k] for k in sorted(result)}


class KerasOrderedLogs(dict):
    """Logs already in Keras's order (an overridden step's, sorted as Keras's ``pythonify_logs`` sorts);
    ``parents`` maps a key merged in from a nested dict to the top-level key that held it."""

    def __init__(self, *args: Any, parents: Optional[Dict[str, str]] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parents: Dict[str, str] = dict(parents or {})


def _flat_logs(logs: Logs) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for key, value in (logs or {}).items():
        if isinstance(value, dict):
            result.update(_flat_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        result[key] = value
    return result


class CallbackList(Callback):
    """Container abstracting a list of callbacks, like ``keras.callbacks.CallbackList``.

    Every hook is forwarded to each callback in order, with the same logs dict (a copy of the
    caller's, with numbers converted to Python floats), so a callback that adds an entry (such
    as ``learning_rate``) is seen by the ones after it.

    Args:
        callbacks: the callbacks (a list, possibly nested, or ``None``).
        add_history: append a ``History`` callback unless one is already in ``callbacks``;
            ``set_model`` then also sets ``model.history`` to it.
        add_progbar: append a ``ProgbarLogger`` unless one is already in ``callbacks``.
        model: the model the callbacks act on.
        **params: the training parameters passed to ``set_params`` (``verbose``, ``epochs``,
            ``steps``).
    """

    def __init__(
        self,
        callbacks: Optional[Union[Callback, Iterable[Any]]] = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.callbacks: List[Callback] = _flatten(callbacks)
        self._history: Optional[History] = None
        self._progbar: Optional[ProgbarLogger] = None
        for cb in self.callbacks:
            if isinstance(cb, ProgbarLogger):
                self._progbar = cb
            elif isinstance(cb, History):
                self._history = cb
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Add ``callback`` at the end of the list."""
        self.callbacks.append(callback)

    def __iter__(self) -> Iterator[Callback]:
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def set_params(self, params: Dict[str, Any]) -> None:
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    def _call(self, hook: str, *args: Any, logs: Logs = None) -> None:
        logs = _pythonify_logs(logs)
        for cb in self.callbacks:
            getattr(cb, hook)(*args, logs=logs)

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._call("on_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._call("on_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        # Prediction outputs are arrays: hand them over untouched.
        for cb in self.callbacks:
            cb.on_predict_batch_end(batch, logs=logs)

    def on_train_begin(self, logs: Logs = None) -> None:
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs: Logs = None) -> None:
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs: Logs = None) -> None:
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs: Logs = None) -> None:
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs: Logs = None) -> None:
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs: Logs = None) -> None:
        self._call("on_predict_end", logs=logs)


def _flatten(callbacks: Any) -> List[Callback]:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    out: List[Callback] = []
    for item in callbacks:
        out.extend(_flatten(item))
    return out
