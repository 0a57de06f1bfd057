"""``compile`` for a model with several outputs: one loss per output, their weights, and per-output metrics.

As Keras 3: the total loss is the sum of each output's loss times its weight (``loss_weights``, default 1),
and is what one gradient is taken of. Each output's own loss is also reported, unweighted, as
``<output>_loss``; metrics are reported as ``<output>_<metric>``. Logs list ``loss``, the output losses in
output order, then the metrics sorted by name (Keras's order for ``evaluate(return_dict=False)``).
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from .multi_output import per_output, single_target


def _float32(t: Any) -> Any:
    from ..framework.ops import apply

    return t if t.dtype.name == "float32" else apply("cast", [t], {"dtype": "float32"})


class MultiOutputLoss:
    """The compiled loss of a multi-output model: ``__call__`` gives the weighted total of a batch."""

    def __init__(self, names: list, loss: Any, loss_weights: Any, keyed: bool = True, require_all: bool = True) -> None:
        from .compile_utils import resolve_loss

        self.names = names
        self.keyed = keyed  # False: outputs without names (a list a subclassed model's call returns)
        entries = per_output(loss, names, "loss", True, require_all=require_all, keyed=keyed)
        self.losses = [None if e is None else resolve_loss(e) for e in entries]
        if all(fn is None for fn in self.losses):
            resolve_loss(None)  # raises: nothing to compute
        if loss_weights is None:
            self.weights = [1.0] * len(names)
        else:
            if not isinstance(loss_weights, (list, tuple, dict)):
                raise TypeError(
                    "Expected `loss_weights` to be a list, tuple or dict (one weight per model output). Received: "
                    f"loss_weights={loss_weights!r} of type {type(loss_weights).__name__}"
                )
            given = per_output(loss_weights, names, "loss_weights", False, require_all=False, keyed=keyed)
            self.weights = [1.0 if w is None else float(w) for w in given]

    def output_loss(self, i: int, y_true: list, y_pred: Any, sample_weight: Any) -> Any:
        sw = None if sample_weight is None else sample_weight[i]
        return _float32(self.losses[i](y_true[i], nest.flatten(y_pred)[i], sample_weight=sw))

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        from ..framework.ops import apply, convert_to_tensor

        y_true = single_target(y_true, self.losses)
        y_true = (
            list(y_true)
            if isinstance(y_true, (list, tuple))
            else per_output(y_true, self.names, "y", False, keyed=self.keyed)
        )
        if isinstance(sample_weight, dict):
            sample_weight = per_output(
                sample_weight, self.names, "sample_weight", False, require_all=False, keyed=self.keyed
            )
        total = None
        for i, fn in enumerate(self.losses):
            if fn is None:
                continue
            value = self.output_loss(i, y_true, y_pred, sample_weight)
            if self.weights[i] != 1.0:
                value = apply("mul", [value, convert_to_tensor(self.weights[i], dtype="float32")])
            total = value if total is None else apply("add", [total, value])
        return total


class OutputLossTracker:
    """``<output>_loss``: the batch-size-weighted mean of one output's unweighted loss, as Keras reports it."""

    def __init__(self, loss: MultiOutputLoss, index: int) -> None:
        from .. import metrics

        self.loss = loss
        self.index = index
        self.metric = metrics.Mean(name=f"{loss.names[index]}_loss")
        self.name = self.metric.name

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        from ..framework.ops import apply
        from ..ops import array_ops

        value = self.loss.output_loss(self.index, y_true, y_pred, sample_weight)
        n = _float32(array_ops.shape(nest.flatten(y_pred)[self.index])[0])
        return [apply("mul", [value, n]), n]

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        value = self.loss.output_loss(self.index, y_true, y_pred, sample_weight)
        self.metric.update_state(value, sample_weight=float(nest.flatten(y_pred)[self.index].shape[0]))

    def _result_from_totals(self, totals: list) -> float:
        return self.metric._result_from_totals(totals)


class OutputMetric:
    """One compiled metric of one output: it sees that output's target, prediction (and weights)."""

    def __init__(self, metric: Any, index: int, name: str, weighted: bool) -> None:
        self.metric, self.index, self.name, self.weighted = metric, index, name, weighted

    def _args(self, y_true: Any, y_pred: Any, sample_weight: Any) -> tuple:
        sw = None if sample_weight is None or not self.weighted else sample_weight[self.index]
        return y_true[self.index], nest.flatten(y_pred)[self.index], sw

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        return self.metric._batch_terms(*self._args(y_true, y_pred, sample_weight))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yt, yp, sw = self._args(y_true, y_pred, sample_weight)
        self.metric.update_state(yt, yp, sample_weight=sw)

    def _result_from_totals(self, totals: list) -> float:
        return self.metric._result_from_totals(totals)


class _Reported:
    """What ``model.metrics`` lists for a multi-output entry: the metric's state under its reported name."""

    def __init__(self, entry: Any) -> None:
        self._entry = entry
        self.name = entry.name

    @property
    def _totals(self) -> Any:
        return self._entry.metric._totals

    @_totals.setter
    def _totals(self, value: Any) -> None:
        self._entry.metric._totals = value

    def _result_from_totals(self, totals: list) -> Any:
        return self._entry._result_from_totals(totals)

    def result(self) -> Any:
        return self._entry.metric.result()

    def reset_state(self) -> None:
        self._entry.metric.reset_state()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._entry.metric, name)


def _metric_lists(metrics: Any, names: list, what: str, keyed: bool) -> list:
    """Per output, the list of metric identifiers given for it."""
    if metrics is None or (isinstance(metrics, (list, tuple)) and not metrics):  # Keras accepts metrics=[]
        return [[] for _ in names]
    if not isinstance(metrics, (list, tuple, dict)):
        raise TypeError(
            f"Expected `{what}` argument to be a list, tuple, or dict. Received instead: "
            f"{what}={metrics!r} of type {type(metrics).__name__}"
        )
    try:
        entries = per_output(metrics, names, what, False, require_all=False, keyed=keyed)
    except ValueError as e:
        raise ValueError(
            f"Invalid `{what}`. `{what}` should either be a dict keyed by the model's output names {names} or a "
            f"list with one entry (a metric, or a list of metrics) per output. Received: {what}={metrics!r}"
        ) from e
    return [[] if e is None else list(e) if isinstance(e, (list, tuple)) else [e] for e in entries]


class MultiOutputMetrics:
    """The loss trackers and metrics of a multi-output model, resolved once the output shapes are known."""

    def __init__(
        self, names: list, metrics: Any, weighted_metrics: Any, loss: MultiOutputLoss, prefixed: bool = True
    ) -> None:
        from .compile_utils import CompiledMetrics

        self.names = names
        self.loss = loss
        self.prefixed = prefixed  # metrics named <output>_<metric>; else <metric> (outputs without names)
        self.per_output = []
        for plain, weighted in zip(
            _metric_lists(metrics, names, "metrics", loss.keyed),
            _metric_lists(weighted_metrics, names, "weighted_metrics", loss.keyed),
        ):
            self.per_output.append(CompiledMetrics(plain, weighted, None))  # validates the identifiers
        # As Keras: per-output losses are reported only when more than one output has a loss.
        with_loss = [i for i, fn in enumerate(loss.losses) if fn is not None]
        self.trackers = [OutputLossTracker(loss, i) for i in with_loss] if len(with_loss) > 1 else []
        self.resolved: Optional[list] = None

    def views(self, y_true_shapes: list, y_pred_shapes: list) -> list:
        """The trackers, then the metrics sorted by reported name: each computes its batch terms."""
        if self.resolved is None:
            entries = []
            taken: dict = {}
            for i, compiled in enumerate(self.per_output):
                compiled.loss = self.loss.losses[i]
                for metric, weighted in compiled.resolve(tuple(y_true_shapes[i]), tuple(y_pred_shapes[i])):
                    name = f"{self.names[i]}_{metric.name}" if self.prefixed else metric.name
                    # As Keras: a name already reported gets a counter (mae, mae_1, ...).
                    count = taken.get(name, 0)
                    taken[name] = count + 1
                    entries.append(OutputMetric(metric, i, f"{name}_{count}" if count else name, weighted))
            self.resolved = self.trackers + sorted(entries, key=lambda e: e.name)
        return self.resolved

    def resolve(self, y_true_shapes: list, y_pred_shapes: list) -> list:
        return self.views(y_true_shapes, y_pred_shapes)

    def metrics(self) -> list:
        return [_Reported(e) for e in (self.resolved if self.resolved is not None else self.trackers)]

    def built(self) -> bool:
        return self.resolved is not None

    def compile_metrics(self) -> list:
        """The metrics ``model.metrics`` lists inside its ``compile_metrics`` entry (not the loss trackers)."""
        return [_Reported(e) for e in self.resolved or [] if not isinstance(e, OutputLossTracker)]

    def compile_metric_objects(self) -> list:
        return [e.metric for e in self.resolved or [] if not isinstance(e, OutputLossTracker)]

    def loss_trackers(self) -> list:
        """``<output>_loss`` trackers, listed by ``model.metrics`` once the first batch built them (as Keras)."""
        return [_Reported(t) for t in self.trackers] if self.resolved is not None else []
