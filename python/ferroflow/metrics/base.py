"""``Metric`` (running totals of per-batch terms), ``Mean``, ``Sum`` and ``MeanMetricWrapper``.

A metric's state is a fixed list of running totals. One batch contributes an increment computed by
``_batch_terms`` from ferroflow ops, so the trainer can compute it inside its train-step graph (on
symbolic tensors), fetch the scalars, add them up in Python and read the value with
``_result_from_totals``. Eagerly, ``update_state`` does the same with eager tensors. Inside ``tf.function`` the
totals live in a variable that the traced graph updates (``function_state.py``).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..framework import context
from ..framework.graph import SymbolicTensor
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..losses._utils import batch_size, floatx, squeeze_or_expand_to_same_rank, to_tensor
from ..ops import array_ops, math_ops
from . import function_state
from .graph_state import result as graph_result
from .graph_state import session_graph_of
from .graph_state import update as graph_update
from .metric_variables import MetricVariables


def _snake_case(name: str) -> str:
    from ..layers._util import to_snake_case

    return to_snake_case(name)


def safe_div(a: float, b: float) -> float:
    """``a / b``, 0 when ``b`` is 0 (``divide_no_nan``)."""
    return a / b if b != 0 else 0.0


class _MetricType(type):
    """Marks a metric's construction, so that the initial totals its ``__init__`` sets stay plain floats even
    when it is built inside a traced function (only later writes there become graph assigns)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        with function_state.constructing():
            return super().__call__(*args, **kwargs)


class Metric(MetricVariables, metaclass=_MetricType):
    """A streaming metric: ``update_state`` accumulates, ``result`` reports, ``reset_state`` starts over.

    Subclasses define ``_num_totals`` (how many running totals), ``_batch_terms`` (one batch's increments,
    a list of 0-d tensors built from ops) and ``_result_from_totals``.
    """

    _num_totals = 0

    def __init__(self, name: Optional[str] = None, dtype: Any = None) -> None:
        self.name = name or _snake_case(type(self).__name__)
        self._dtype = dtype
        self._totals: list = [0.0] * self._num_totals

    @property
    def dtype(self) -> str:
        d = self._dtype
        return str(getattr(d, "name", d)) if d is not None else floatx()

    @property
    def _totals(self) -> list:
        return function_state.read_totals(self)

    @_totals.setter
    def _totals(self, value: Any) -> None:
        function_state.write_totals(self, value)

    @property
    def variables(self) -> list:
        """The state variable, once a traced function has used the metric (its totals are plain floats before),
        and the variables a subclass made with ``add_variable``/``add_weight``."""
        var = self.__dict__.get("_state_variable")
        return ([] if var is None else [var]) + list(self.__dict__.get("_metric_variables", []))

    def _own_state(self) -> bool:
        """Whether this is a user's metric: its own ``update_state`` on variables from ``add_variable``."""
        return bool(self.__dict__.get("_metric_variables")) and type(self).update_state is not Metric.update_state

    def _batch_terms(self, *args: Any, **kwargs: Any) -> list:
        if self._own_state():
            return self._variable_batch_terms(*args, **kwargs)
        raise NotImplementedError(f"{type(self).__name__} must implement _batch_terms")

    def _result_from_totals(self, totals: list) -> float:
        if self._own_state():
            return self._variable_result(totals)
        raise NotImplementedError(f"{type(self).__name__} must implement _result_from_totals")

    def update_state(self, *args: Any, **kwargs: Any) -> Any:
        """Adds one batch to the running totals (eagerly); inside ``tf.function``, adds graph ops that add them to
        the metric's state variable each time the function runs (returning None, as Keras 3); on the tensors of
        a TF1 session graph, returns the op that adds them each time a run reaches it (``graph_state.py``)."""
        if function_state.function_graph() is not None:
            with context.paused_tapes():
                terms = self._batch_terms(*args, **kwargs)
            function_state.add_in_function(self, terms)
            return None
        graph = session_graph_of(list(args) + list(kwargs.values()))
        if graph is not None:
            return graph_update(self, graph, args, kwargs)
        for v in list(args) + list(kwargs.values()):
            if isinstance(v, SymbolicTensor):
                raise TypeError(
                    f"Metric '{self.name}': update_state runs eagerly here and received the symbolic tensor "
                    f"'{v.name}' of a graph that is not being built. Call it with eager tensors or NumPy arrays, or "
                    "inside the tf.function whose tensors these are"
                )
        with context.paused_tapes(), context.eager_scope():
            terms = self._batch_terms(*args, **kwargs)
            values = [float(np.asarray(t.numpy() if isinstance(t, Tensor) else t, dtype=np.float64)) for t in terms]
        if function_state.add_eagerly(self, values):
            return
        totals = self._totals
        if len(totals) != len(values):
            totals = [0.0] * len(values)
        self._totals = [a + b for a, b in zip(totals, values)]

    def result(self) -> Tensor:
        """The metric's value from the totals so far, as a float32 scalar tensor (in a TF1 graph the metric was
        updated in, a tensor computing it when a session fetches it; inside ``tf.function``, a graph tensor
        computing it from the state variable when the function runs)."""
        if function_state.function_graph() is not None:
            return function_state.result_in_function(self)
        if self.__dict__.get("_session_graphs"):
            in_graph = graph_result(self)
            if in_graph is not None:
                return in_graph
        value = self._result_from_totals(list(self._totals))
        return convert_to_tensor(np.asarray(value, dtype=np.float32))

    def reset_state(self) -> None:
        self._totals = [0.0] * max(self._num_totals, len(self._totals))

    def reset_states(self) -> None:
        self.reset_state()

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def reduce_to_samplewise_values(values: Any, sample_weight: Any, reduce_fn: Callable, dtype: str) -> tuple:
    """Keras's rule: weight the values, then reduce them (and the weights) to one value per sample."""
    values = to_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.shape.rank, values.shape.rank
        if weight_ndim > values_ndim:
            raise ValueError(
                f"sample_weight must not have more dimensions than the metric values: received sample_weight "
                f"of shape {sample_weight.shape} for values of shape {values.shape}"
            )
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=list(range(weight_ndim, values_ndim)))
        # Broadcast the weights to the values, which changes how they are counted below.
        sample_weight = sample_weight * array_ops.ones_like(values)
        values = values * sample_weight
        if values_ndim > 1 and weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_ndim)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


def mean_terms(values: Any, sample_weight: Any, dtype: str) -> list:
    """``[sum(weighted per-sample values), sum(weights) or the sample count]``."""
    values, sample_weight = reduce_to_samplewise_values(values, sample_weight, math_ops.reduce_mean, dtype)
    total = math_ops.reduce_sum(values)
    if sample_weight is not None:
        count = math_ops.reduce_sum(sample_weight)
    else:
        count = batch_size(values, dtype)
        if not isinstance(count, Tensor):
            # Built from ``total`` so that it is a node of the same graph when the inputs are symbolic.
            count = array_ops.ones_like(total) * count
    return [total, count]


class Mean(Metric):
    """The (weighted) mean of the values given to ``update_state(values, sample_weight=None)``."""

    _num_totals = 2

    def __init__(self, name: str = "mean", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def _batch_terms(self, values: Any, sample_weight: Any = None) -> list:
        return mean_terms(values, sample_weight, self.dtype)

    def _result_from_totals(self, totals: list) -> float:
        return safe_div(totals[0], totals[1])


class Sum(Metric):
    """The (weighted) sum of the values given to ``update_state(values, sample_weight=None)``."""

    _num_totals = 1

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def _batch_terms(self, values: Any, sample_weight: Any = None) -> list:
        values, _ = reduce_to_samplewise_values(values, sample_weight, math_ops.reduce_sum, self.dtype)
        return [math_ops.reduce_sum(values)]

    def _result_from_totals(self, totals: list) -> float:
        return totals[0]


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen (weighted by ``sample_weight``)."""

    def __init__(self, fn: Callable, name: Optional[str] = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name or "mean_metric_wrapper", dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        mask = getattr(y_pred, "_keras_mask", None)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:  # as Keras 3: masked steps (Embedding(mask_zero=True) ...) are not counted
            from ..losses._utils import apply_mask

            sample_weight = apply_mask(sample_weight, mask, self.dtype, "sum")
        return mean_terms(values, sample_weight, self.dtype)

    def get_config(self) -> dict:
        base = {"name": self.name, "dtype": self.dtype}
        if type(self) is not MeanMetricWrapper:
            return base
        from .resolve import serialize

        return {**base, "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        from .resolve import deserialize

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)
