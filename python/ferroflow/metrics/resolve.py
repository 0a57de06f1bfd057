"""``get``/``serialize``/``deserialize`` of metrics, and the ``compile(metrics=[...])`` string rules."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..losses.serialization import deserialize_object, get_object, serialize_object


def _table() -> dict:
    from . import ALL_OBJECTS_DICT

    return ALL_OBJECTS_DICT


def serialize(metric: Any) -> Any:
    """The config of a metric instance or metric function, as ``keras.metrics.serialize``."""
    return serialize_object(metric, "keras.metrics")


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """A metric from ``serialize``'s output (or a name), as ``keras.metrics.deserialize``."""
    return deserialize_object(config, _table(), "metric", custom_objects)


def get(identifier: Any) -> Any:
    """A metric from a name (``"mse"`` gives the function, ``"MeanSquaredError"`` an instance), a dict or a callable."""
    from .base import Metric

    return get_object(identifier, _table(), "metric", Metric)


def _loss_name(loss: Any) -> str:
    """The snake-case name of the loss function behind ``loss`` ('' when unknown)."""
    from .. import losses

    if isinstance(loss, str):
        obj = losses.ALL_OBJECTS_DICT.get(loss)
        return _loss_name(obj) if obj is not None else loss
    if isinstance(loss, type):
        loss = loss()
    fn = getattr(loss, "fn", loss)
    return getattr(fn, "__name__", "") or ""


def _kind(loss: Any, y_true_shape: Optional[Sequence], y_pred_shape: Optional[Sequence]) -> str:
    """'binary', 'sparse' or 'categorical', from the label and prediction shapes (the loss breaks ties)."""
    if y_true_shape is not None and y_pred_shape is not None and len(y_pred_shape) > 0:
        y_true_shape, y_pred_shape = list(y_true_shape), list(y_pred_shape)
        true_last = y_true_shape[-1] if y_true_shape else None
        pred_last = y_pred_shape[-1]
        if len(y_pred_shape) == 1 or pred_last == 1:
            return "binary"
        if len(y_true_shape) < len(y_pred_shape) or true_last == 1:
            return "sparse"
        return "categorical"
    name = _loss_name(loss)
    if "sparse_categorical" in name:
        return "sparse"
    if "binary" in name:
        return "binary"
    return "categorical"


def resolve_for_loss(
    identifier: Any, loss: Any, y_true_shape: Optional[Sequence], y_pred_shape: Optional[Sequence]
) -> Any:
    """The ``Metric`` for one entry of ``compile(metrics=[...])``.

    ``"accuracy"``/``"acc"`` and ``"crossentropy"``/``"ce"`` become the binary, sparse categorical or
    categorical version by Keras's shape rule (binary when predictions have one column; sparse when labels
    have fewer dimensions than predictions or one column); the metric keeps the name written. Other
    identifiers go through ``get``, and plain functions are wrapped in ``MeanMetricWrapper``.
    """
    from . import accuracy_metrics, probabilistic_metrics
    from .base import MeanMetricWrapper, Metric

    if identifier is None:
        return None
    written = identifier.lower() if isinstance(identifier, str) else None
    if written in ("accuracy", "acc", "crossentropy", "ce"):
        kind = _kind(loss, y_true_shape, y_pred_shape)
        if written in ("accuracy", "acc"):
            table = {
                "binary": accuracy_metrics.binary_accuracy,
                "sparse": accuracy_metrics.sparse_categorical_accuracy,
                "categorical": accuracy_metrics.categorical_accuracy,
            }
        else:
            table = {
                "binary": probabilistic_metrics.binary_crossentropy,
                "sparse": probabilistic_metrics.sparse_categorical_crossentropy,
                "categorical": probabilistic_metrics.categorical_crossentropy,
            }
        return MeanMetricWrapper(table[kind], name=identifier)
    obj = get(identifier)
    if isinstance(obj, Metric):
        return obj
    if callable(obj):
        name = identifier if isinstance(identifier, str) else getattr(obj, "name", getattr(obj, "__name__", None))
        return MeanMetricWrapper(obj, name=name)
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
