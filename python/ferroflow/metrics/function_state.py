"""Keras metrics updated and read inside ``tf.function`` (custom training loops).

A metric keeps its running totals as a Python list while it is only used eagerly or by ``fit`` (whose compiled
step fetches each batch's terms and adds them up in Python, ``base.py``). The first time a traced function
updates, resets or reads it, the totals move into one float64 ``tf.Variable`` (created outside the trace, as
TensorFlow's ``init_scope`` does), and from then on that variable is the state everywhere:

- ``update_state`` in the trace builds the batch's terms as graph ops and ``assign_add``s them to the variable,
  so each run of the function accumulates, as TensorFlow's ``total.assign_add``/``count.assign_add``;
- ``result()`` in the trace reads the variable (after the updates traced before it, in program order) and
  computes the value with the metric's own ``_result_from_totals`` in a host call, a graph tensor;
- ``reset_state`` in the trace assigns zeros in the graph; eagerly it assigns them at once.

Eager ``update_state``/``result``/``reset_state`` and ``fit``'s ``set_totals`` then go through the variable too,
so the state is one and the same whether a step ran traced or not.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from typing import Any, Iterator, Optional

import numpy as np

from ..framework import context

_local = threading.local()


@contextlib.contextmanager
def constructing() -> Iterator[None]:
    """While a metric is being constructed: its ``__init__`` setting its totals is no graph assign."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


def function_graph() -> Optional[Any]:
    """The graph being traced when it is (or lies inside) a ``tf.function``; None eagerly or in a TF1 graph."""
    graph = context.current_graph()
    g = graph
    while g is not None:
        if getattr(g, "is_function", False):
            return graph
        g = getattr(g, "outer", None)
    return None


def _variable(metric: Any) -> Optional[Any]:
    return metric.__dict__.get("_state_variable")


def _new_variable(metric: Any, values: list) -> Any:
    from ..framework.variable_enums import VariableAggregation
    from ..framework.variables import Variable

    with context.eager_scope(), context.paused_tapes():
        # Summed over a strategy's replicas, as Keras's metric variables: each replica adds its own batch part.
        var = Variable(
            np.asarray(values, dtype=np.float64),
            trainable=False,
            name=f"{metric.name}/totals",
            aggregation=VariableAggregation.SUM,
        )
    metric.__dict__["_state_variable"] = var
    return var


def state_variable(metric: Any, size: int) -> Any:
    """The metric's state variable of ``size`` totals, created from its current totals when it has none (or
    one of another size, as before a metric's first batch fixes how many terms it has)."""
    var = _variable(metric)
    if var is not None and int(var.shape[0]) == size:
        return var
    current = read_totals(metric)
    if len(current) != size:
        current = [0.0] * size
    return _new_variable(metric, current)


def read_totals(metric: Any) -> list:
    """The totals as Python floats (the variable's value now, when the metric has one)."""
    var = _variable(metric)
    if var is None:
        return metric.__dict__.get("_plain_totals", [])
    with context.eager_scope():
        return [float(v) for v in np.asarray(var.numpy(), dtype=np.float64).reshape(-1)]


def write_totals(metric: Any, values: Any) -> None:
    """Sets the totals: in a traced function, an ``assign`` op of the graph; else at once."""
    values = [float(v) for v in values]
    if function_graph() is not None and not getattr(_local, "depth", 0):
        var = state_variable(metric, len(values))
        from ..framework.ops import convert_to_tensor

        var.assign(convert_to_tensor(np.asarray(values, dtype=np.float64)))
        return
    var = _variable(metric)
    if var is None:
        metric.__dict__["_plain_totals"] = values
    elif int(var.shape[0]) != len(values):
        _new_variable(metric, values)
    else:
        with context.eager_scope(), context.paused_tapes():
            var.assign(np.asarray(values, dtype=np.float64))


def add_in_function(metric: Any, terms: list) -> None:
    """``assign_add`` of one batch's terms (0-d tensors of the traced graph) to the state variable."""
    from ..ops import array_ops

    with context.paused_tapes():
        stacked = array_ops.stack([array_ops.cast(array_ops.reshape(t, []), "float64") for t in terms])
        state_variable(metric, len(terms)).assign_add(stacked)


def add_eagerly(metric: Any, increments: list) -> bool:
    """Adds eager increments to the state variable; False when the metric has none (it keeps plain totals)."""
    var = _variable(metric)
    if var is None:
        return False
    if int(var.shape[0]) != len(increments):
        _new_variable(metric, increments)
        return True
    with context.eager_scope(), context.paused_tapes():
        var.assign_add(np.asarray(increments, dtype=np.float64))
    return True


def result_in_function(metric: Any) -> Any:
    """A float32 graph tensor with the metric's value from the state variable when the function runs."""
    from ..ops.array_ops import reshape
    from ..ops.py_function_ops import numpy_function

    size = max(len(read_totals(metric)), int(getattr(metric, "_num_totals", 0)))
    if size == 0:
        # Its first batch fixes how many totals it has (one per class), so a graph cannot hold its state yet;
        # TensorFlow fails here too (its variables are built by the first update_state).
        raise ValueError(
            f"{type(metric).__name__} '{metric.name}': result() inside tf.function before any update_state; its "
            "state is sized by the first batch. Call update_state first (in the function or eagerly)"
        )
    var = state_variable(metric, size)
    # The value's shape (scalar for most metrics, per class for some) from the result of zero totals.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        shape = list(np.shape(np.asarray(metric._result_from_totals([0.0] * size), dtype=np.float32)))

    def value(totals: np.ndarray) -> np.ndarray:
        out = np.asarray(metric._result_from_totals([float(v) for v in totals]), dtype=np.float32)
        return out.reshape(shape)

    with context.paused_tapes():
        out = numpy_function(value, [var.read_value()], "float32", stateful=False, name=f"{metric.name}_result")
        return reshape(out, shape)
