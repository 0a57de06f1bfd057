"""Steps run batch by batch from Python, behind the interface of a compiled plan.

``run_eagerly`` and overridden ``train_step``/``test_step``/``predict_step`` need a Python call per batch. An
``EagerPlan`` answers ``run_batches``, ``run`` and ``predict_batches`` as a native plan does, so every loop of
the trainer (arrays, datasets, single batches, callbacks and early stopping) drives it unchanged.

Without an override, a train or test batch gives the values the compiled step fetches (the loss, then each
metric's terms), computed by the same loss, penalties, metric terms and optimizer update run as eager ops:
the logs and weights match the compiled path. With an override, a batch gives the step's returned logs.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..framework import nest
from . import data_adapter, distributed_step
from .train_step import _float32, apply_loss_gradients, pack_x_y_sample_weight


class LogsAccumulator:
    """What an overridden step reports: Keras's logs are the last batch's returned results."""

    def __init__(self, model: Any, reset: bool = True) -> None:
        if reset:
            model.reset_metrics()  # as Keras does at the start of each epoch and evaluation
        self.last: dict = {}

    def add(self, values: dict, batch_size: int) -> None:
        self.last = values

    def logs(self) -> dict:
        from ..callbacks.callback_list import KerasOrderedLogs

        return KerasOrderedLogs(self.last, parents=getattr(self.last, "parents", None))


def pythonify_logs(logs: Any) -> dict:
    """A step's returned ``{name: value}`` as Python floats (NumPy arrays for non-scalar values), flat, with
    the top-level key of each merged nested entry recorded (``KerasOrderedLogs.parents``)."""
    from ..callbacks.callback_list import KerasOrderedLogs

    if not isinstance(logs, dict):
        raise TypeError(f"A train_step or test_step must return a dict of metric results; it returned {logs!r}")
    out = KerasOrderedLogs()
    for key, value in sorted(logs.items()):  # sorted, as Keras's pythonify_logs
        if isinstance(value, dict):  # a container's results (Keras's compile_metrics): merged in, as Keras does
            inner = pythonify_logs(value)
            out.update(inner)
            out.parents.update({k: key for k in inner})
            continue
        value = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
        out[key] = float(value) if value.ndim == 0 else value
        out.parents.pop(key, None)
    return out


class EagerPlan:
    """One step of ``kind`` ("train", "test", "predict") run per batch in Python."""

    def __init__(self, model: Any, kind: str, structure: Any, n_x: int, metrics: list, custom: bool) -> None:
        self.model = model
        self.kind = kind
        self.structure = structure
        self.n_x = n_x
        self.n_y = 0  # targets per output of a model with several outputs (0: one target array)
        self.metrics = metrics  # train/test without an override: the resolved compiled metrics
        self.custom = custom
        self.step_plan: Any = None  # the StepPlan holding this plan; predict sets its output structure
        self.one_tuple = False  # the batches come as ``(x,)`` (a dataset of 1-tuples): the step gets them so
        self._step: Optional[Callable] = None

    # -- the native plan's interface
    def random_state(self) -> list:
        return []  # eager ops draw from the global generator, which callbacks need not save

    def set_random_state(self, counters: list) -> None:
        pass

    def run_batches(
        self, arrays: list, order: np.ndarray, batch_size: int, on_batches: Any = None, every: int = 1
    ) -> list:
        results: list = []
        pending = 0
        for start in range(0, len(order), batch_size):
            results.append(self._one(arrays, order[start : start + batch_size]))
            pending += 1
            if on_batches is not None and len(results) % every == 0:
                if on_batches(len(results) - 1, results[-pending:]):
                    break
                pending = 0
        return results

    def run(self, arrays: list) -> list:
        return self._predict(arrays, np.arange(len(arrays[0]), dtype="int64"))

    def predict_batches(self, arrays: list, batch_size: int) -> list:
        n = len(arrays[0])
        parts = [
            [t.numpy() for t in self._predict(arrays, np.arange(s, min(n, s + batch_size), dtype="int64"))]
            for s in range(0, n, batch_size)
        ]
        from ..framework.ops import convert_to_tensor

        return [convert_to_tensor(np.concatenate(p)) for p in zip(*parts)]

    # -- one batch
    def _tensors(self, arrays: list, rows: np.ndarray) -> list:
        from ..framework.ops import convert_to_tensor
        from .composite_data import COMPOSITE_ROWS

        out = []
        for a in arrays:
            if isinstance(a, COMPOSITE_ROWS):
                raise NotImplementedError(
                    "Sparse or ragged inputs are not supported by steps run eagerly (run_eagerly=True or an "
                    "overridden step): compile without run_eagerly, or densify the inputs"
                )
            if hasattr(a, "placeholder"):  # string rows
                a = a.values
            out.append(convert_to_tensor(a[rows]))
        return out

    def _data(self, arrays: list, rows: np.ndarray) -> tuple:
        tensors = self._tensors(arrays, rows)
        x = data_adapter.pack_like(self.structure, tensors[: self.n_x])
        rest = tensors[self.n_x :]
        if self.n_y:
            return x, rest[: self.n_y], (rest[self.n_y :] or None)
        return x, (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)

    def _step_function(self) -> Callable:
        """The overridden step: called as is when running eagerly, else traced once by ``tf.function``."""
        step = getattr(self.model, f"{self.kind}_step")
        if self.model._steps_eagerly():
            return step
        functions = self.model.__dict__.setdefault("_step_functions", {})
        fn = functions.get(self.kind)
        if fn is None:
            from ..framework.function import function

            fn = functions[self.kind] = function(step, reduce_retracing=True)
        return fn

    def _one(self, arrays: list, rows: np.ndarray) -> Any:
        strategy = distributed_step.strategy_of(self.model)
        if strategy is not None:  # the global batch split over the replicas (distributed_step)
            if self.custom:
                return distributed_step.custom_step_logs(self, strategy, arrays, rows)
            return distributed_step.step_values(self, strategy, arrays, rows)
        x, y, sw = self._data(arrays, rows)
        if self.custom:
            data = pack_x_y_sample_weight(x, y, sw, self.one_tuple)
            try:
                return pythonify_logs(self._step_function()(data))
            except TypeError as e:
                if self.model._steps_eagerly():
                    raise
                raise TypeError(
                    f"{e}\n(Model '{self.model.name}' overrides {self.kind}_step, which fit/evaluate trace with "
                    "tf.function. `.numpy()` and Python control flow on tensor values need "
                    "eager tensors: compile the model with run_eagerly=True to run the step eagerly.)"
                ) from e
        return self._default_values(x, y, sw)

    def _default_values(self, x: Any, y: Any, sw: Any) -> list:
        """The compiled step's fetches for one batch: the loss, then every metric's terms (and, when training,
        the gradient step applied)."""
        from ..framework.tape import GradientTape

        model = self.model
        training = self.kind == "train"
        with GradientTape() as tape:
            y_pred = model(x, training=training)
            total = model._compute_loss(x, y, y_pred, sw, training)
        values = [float(total.numpy())]
        for m in self.metrics:
            values.extend(float(np.asarray(_float32(t).numpy())) for t in m._batch_terms(y, y_pred, sw))
        apply_loss_gradients(model, tape, total, training)
        return values

    def _predict(self, arrays: list, rows: np.ndarray) -> list:
        strategy = distributed_step.strategy_of(self.model)
        if strategy is not None:
            return distributed_step.predict_outputs(self, strategy, arrays, rows)
        x, _, _ = self._data(arrays, rows)
        if self.custom:
            outputs = self._step_function()(pack_x_y_sample_weight(x, one_tuple=self.one_tuple))
        else:
            outputs = self.model(x, training=False)
        if self.step_plan.output_structure is None:
            self.step_plan.output_structure = nest.map_structure(lambda _: 0, outputs)
        from ..framework.ops import convert_to_tensor

        return [convert_to_tensor(t) for t in nest.flatten(outputs)]


def build(model: Any, kind: str, xs: list, structure: Any, y: Any = None, sw: Any = None) -> Any:
    """The ``StepPlan`` of an eager or overridden step. Without an override, one eager call on the first sample
    resolves the compiled metrics (``"accuracy"`` needs the prediction's shape) and counts their terms, so the
    loops can size their running totals before the first batch, as they do for a compiled plan."""
    from ..framework import context
    from .step_graph import StepPlan

    custom = model._overrides_step(kind)
    plan = EagerPlan(model, kind, structure, len(xs), [], custom)
    step = plan.step_plan = StepPlan(plan, kind, [])
    plan.n_y = len(y) if type(y) is list else 0  # an overridden step gets them as a list too
    if kind == "predict" or custom:
        return step
    from . import multi_output

    arrays = multi_output.step_arrays(xs, y, sw)
    with context.paused_tapes():
        x1, y1, sw1 = plan._data(arrays, np.arange(1, dtype="int64"))
        y_pred = model(x1, training=False)
    if isinstance(y_pred, (list, tuple, dict)) and not plan.n_y:
        raise NotImplementedError(
            f"Model '{model.name}' has {len(nest.flatten(y_pred))} outputs: training and evaluating models "
            "with several outputs is not supported yet; combine them into one output tensor"
        )
    from .train_step import _shape

    if model._compiled_loss is None and not [p for p in model.losses if p is not None]:
        from .compile_utils import resolve_loss

        resolve_loss(None)  # raises: compiled without a loss, and no layer added one (as Keras 3)
    if y is None:  # no targets: the loss is what the layers add; compiled metrics would need them
        from .step_graph import _metrics

        plan.metrics = _metrics(model, model._metrics_for, None, y_pred)
    elif plan.n_y:
        plan.metrics = model._metrics_for([_shape(t) for t in y1], [_shape(t) for t in nest.flatten(y_pred)])
    else:
        plan.metrics = model._metrics_for(_shape(y1), _shape(y_pred))
    with context.paused_tapes():
        step.metric_sizes = [len(m._batch_terms(y1, y_pred, sw1)) for m in plan.metrics]
    return step
