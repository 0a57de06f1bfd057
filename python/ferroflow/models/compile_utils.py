"""What ``compile()`` resolves: the loss object, the metrics (resolved once shapes are known) and their config."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np


def resolve_loss(identifier: Any) -> Any:
    """A ``Loss`` object for a string, a class, an instance or a plain ``fn(y_true, y_pred)``."""
    from .. import losses

    if identifier is None:
        raise ValueError(
            "No loss to compute. Provide a `loss` argument in `compile()`, e.g. "
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')"
        )
    if isinstance(identifier, (list, tuple, dict)):
        # A model with one output takes a list or dict of one loss (several outputs: multi_output_compile).
        entries = list(identifier.values()) if isinstance(identifier, dict) else list(identifier)
        if len(entries) != 1:
            raise ValueError(
                f"The model has a single output, so `loss` must be one loss (or a list or dict of one). "
                f"Received {len(entries)} losses: loss={identifier!r}"
            )
        return resolve_loss(entries[0])
    obj = losses.get(identifier)
    if isinstance(obj, type):
        obj = obj()
    if isinstance(obj, losses.Loss):
        return obj
    if callable(obj):
        return losses.LossFunctionWrapper(obj, name=getattr(obj, "__name__", None))
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def _flat_metric_list(metrics: Any, what: str) -> list:
    if metrics is None:
        return []
    if isinstance(metrics, dict):
        if len(metrics) != 1:
            raise ValueError(
                f"The model has a single output, so a dict of `{what}` must have one entry (keyed by the output "
                f"name). Received: {what}={metrics!r}"
            )
        (metrics,) = metrics.values()
        if metrics is None:
            return []
        if not isinstance(metrics, (list, tuple)):
            metrics = [metrics]
    if isinstance(metrics, (str,)) or not isinstance(metrics, (list, tuple)):
        raise TypeError(
            f"Expected `{what}` argument to be a list, tuple, or dict. Received instead: "
            f"{what}={metrics!r} of type {type(metrics).__name__}"
        )
    return list(metrics)


def loss_dict_error(loss: Any, names: Optional[list]) -> Optional[str]:
    """Keras 3's message for a loss dict whose keys are not the model's output names: its compile accepts
    the dict and its fit and evaluate raise this."""
    if names is None or not isinstance(loss, dict) or sorted(map(str, loss)) == sorted(names):
        return None
    return f"Expected keys {names} in loss dict, but found loss.keys()={list(loss)}"


class CompiledMetrics:
    """The metrics of ``compile``: resolved on the first batch, when label and prediction shapes are known."""

    def __init__(self, metrics: Any, weighted_metrics: Any, loss: Any) -> None:
        self.identifiers = _flat_metric_list(metrics, "metrics")
        self.weighted_identifiers = _flat_metric_list(weighted_metrics, "weighted_metrics")
        self.loss = loss
        self.resolved: Optional[list] = None  # [(metric, weighted)]
        self._validate()

    def _validate(self) -> None:
        from .. import metrics as metrics_module

        for ident in self.identifiers + self.weighted_identifiers:
            if not (isinstance(ident, (str, dict)) or callable(ident)):
                raise ValueError(
                    f"Could not interpret metric identifier: {ident!r}. Expected a metric name (such as "
                    "'accuracy'), a Metric object or class, or a function(y_true, y_pred)"
                )
            if isinstance(ident, str) and ident not in ("accuracy", "acc", "crossentropy", "ce"):
                metrics_module.get(ident)  # raises ValueError listing the valid names

    def resolve(self, y_true_shape: tuple, y_pred_shape: tuple) -> list:
        from .. import metrics as metrics_module

        if self.resolved is None:
            out: list = []
            for weighted, idents in ((False, self.identifiers), (True, self.weighted_identifiers)):
                for ident in idents:
                    m = metrics_module.resolve_for_loss(ident, self.loss, y_true_shape, y_pred_shape)
                    if weighted and any(m.name == other.name for other, _ in out):
                        m.name = "weighted_" + m.name
                    out.append((m, weighted))
            self.resolved = out
        return self.resolved

    def metrics(self) -> list:
        return [m for m, _ in self.resolved or []]

    def built(self) -> bool:
        return self.resolved is not None

    def compile_metrics(self) -> list:
        """The metrics ``model.metrics`` lists inside its ``compile_metrics`` entry."""
        return self.metrics()

    def compile_metric_objects(self) -> list:
        return self.metrics()

    def loss_trackers(self) -> list:
        """Per-output loss trackers (none: one output)."""
        return []


class CompileMetricsContainer:
    """What ``model.metrics`` lists for the compiled metrics, as Keras 3 does: one entry named
    ``compile_metrics`` (Keras's ``CompileMetrics``), whose ``metrics`` are the metrics once the first batch
    has resolved them and whose ``result()`` is a dict of their results."""

    name = "compile_metrics"

    def __init__(self, compiled: Any, update: Any) -> None:
        self._compiled = compiled  # CompiledMetrics or MultiOutputMetrics
        self._update = update  # fn(y_true, y_pred, sample_weight): resolves on the first batch, then updates

    @property
    def metrics(self) -> list:
        """The metric objects, by their own names (an output's ``mae``, reported as ``<output>_mae``)."""
        return self._compiled.compile_metric_objects()

    @property
    def built(self) -> bool:
        return self._compiled.built()

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self._update(y_true, y_pred, sample_weight)

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in getattr(m, "variables", [])]

    def result(self) -> dict:
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        return {m.name: m.result() for m in self._compiled.compile_metrics()}

    def reset_state(self) -> None:
        for m in self.metrics:
            m.reset_state()

    def __repr__(self) -> str:
        return f"<CompileMetrics name={self.name}>"


def set_totals(metric: Any, totals: np.ndarray) -> None:
    """Loads accumulated batch terms into a metric, so ``metric.result()`` reports them, as after Keras's fit."""
    metric._totals = [float(v) for v in totals]


def serialize_identifier(obj: Any, module: str) -> Any:
    """A JSON-friendly form of a loss/metric/optimizer identifier as given to ``compile``."""
    import importlib

    if obj is None or isinstance(obj, str):
        return obj
    mod = importlib.import_module(f"ferroflow.{module}")
    return mod.serialize(obj)


def _serialize_structure(obj: Any, module: str) -> Any:
    """A list/tuple/dict of identifiers (one per output, or nested lists of metrics) serialized leaf by leaf."""
    if isinstance(obj, dict):
        return {k: _serialize_structure(v, module) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_serialize_structure(v, module) for v in obj]
    return serialize_identifier(obj, module)


def compile_config(optimizer: Any, loss: Any, metrics: Any, weighted_metrics: Any, loss_weights: Any) -> dict:
    config = {
        "optimizer": serialize_identifier(optimizer, "optimizers"),
        "loss": _serialize_structure(loss, "losses"),
        "metrics": None if metrics is None else _serialize_structure(metrics, "metrics"),
        "weighted_metrics": None if weighted_metrics is None else _serialize_structure(weighted_metrics, "metrics"),
        "loss_weights": loss_weights,
    }
    return config


def compile_args_from_config(config: dict) -> dict:
    """``compile``'s arguments from ``get_compile_config()``: serialized optimizer, loss and metrics rebuilt."""
    from .. import losses, metrics, optimizers

    config = dict(config)
    opt = config.get("optimizer")
    if isinstance(opt, dict):
        config["optimizer"] = optimizers.deserialize(opt)
    # Loss and metric objects are stored as their serialized configs (Keras's layout): rebuild them.
    if isinstance(config.get("loss"), dict) and "class_name" in config["loss"]:
        config["loss"] = losses.deserialize(config["loss"])
    for key in ("metrics", "weighted_metrics"):
        if isinstance(config.get(key), list):
            config[key] = [
                metrics.deserialize(m) if isinstance(m, dict) and "class_name" in m else m for m in config[key]
            ]
    return {k: v for k, v in config.items() if v is not None or k == "loss"}
