"""State variables a ``Metric`` subclass creates itself, with Keras's ``add_variable`` / ``add_weight``.

Built-in metrics keep their state as running totals (``base.py``); a user's metric, as in Keras,
creates variables in ``__init__`` and updates them with ``assign``/``assign_add`` in its own
``update_state``, returns them from ``result`` and zeroes them in ``reset_state``.

Called by the user, that ``update_state`` runs as written. ``fit``/``evaluate`` instead take each
metric's per-batch increments from their compiled step and add them up (``_batch_terms``); for such
a metric the increments are found by running its ``update_state`` once on stand-ins for its
variables that start at zero and record what is assigned to them, so the step computes what one
batch adds to each variable element. The epoch's state is then the variables' initial values plus
the summed increments, which is exact for the accumulating updates ``assign_add``/``assign_sub`` make.

An update written with ``assign`` may depend on the state in any way (a running maximum), so summing
what it makes of a zero state would be wrong. Once the stand-in run sees an ``assign``, the metric keeps
its state in its own variables instead: its ``update_state`` runs on the real variables, inside the
compiled step (as graph assignments run with every batch) or eagerly, and contributes no increments;
the trainer resets those variables where a pass starts and reads ``result()`` where it reports.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.variables import Variable
from ..layers import _resolve
from ..ops import array_ops

_AGGREGATIONS = ("none", "sum", "mean", "only_first_replica")


class MetricVariables:
    """Mixed into ``Metric``: ``add_variable``, ``add_weight`` and the variables they made."""

    def add_variable(
        self,
        shape: Any,
        initializer: Any,
        dtype: Any = None,
        aggregation: str = "sum",
        name: Optional[str] = None,
    ) -> Variable:
        """A non-trainable state variable of this metric (created eagerly, even while a function is traced)."""
        if aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `aggregation`. Expected one of {list(_AGGREGATIONS)}. "
                f"Received: aggregation={aggregation!r}"
            )
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = as_dtype(dtype or self.dtype)
        init = _resolve.initializer("zeros" if initializer is None else initializer)
        with context.eager_scope():
            value = init(shape, dtype=dtype.name) if callable(init) else init
            var = Variable(convert_to_tensor(value, dtype=dtype), trainable=False, name=name or "variable")
        var._name_suffix = ""
        var._metric_initial = np.asarray(var.numpy(), dtype=np.float64)
        self.__dict__.setdefault("_metric_variables", []).append(var)
        return var

    def add_weight(
        self, shape: Any = (), initializer: Any = None, dtype: Any = None, name: Optional[str] = None
    ) -> Variable:
        """Same as ``add_variable`` (Keras 3 keeps both names); ``add_weight(name=..., initializer=...)``
        with a scalar shape is the tf.keras spelling."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def _variable_batch_terms(self, *args: Any, **kwargs: Any) -> list:
        """One batch's increment of every element of every variable, as scalar tensors (see the module doc)."""
        variables = self.__dict__["_metric_variables"]
        if self.__dict__.get("_live_state"):
            self.update_state(*args, **kwargs)  # on the real variables (see the module doc)
            return []
        stand_ins = {id(v): _Recorder(v) for v in variables}
        saved = {k: v for k, v in self.__dict__.items() if id(v) in stand_ins}
        try:
            self.__dict__.update({k: stand_ins[id(v)] for k, v in saved.items()})
            self.update_state(*args, **kwargs)
        finally:
            self.__dict__.update(saved)
        if any(r.assigned for r in stand_ins.values()):
            self.__dict__["_live_state"] = True
            return self._variable_batch_terms(*args, **kwargs)
        terms = []
        for v in variables:
            flat = array_ops.reshape(array_ops.cast(stand_ins[id(v)].value, "float32"), [-1])
            terms.extend(flat[i] for i in range(int(np.prod(v.shape, dtype=np.int64))))
        return terms

    def _start_pass(self) -> None:
        """Where a pass over data starts: a metric keeping its state in its variables starts it afresh."""
        if self.__dict__.get("_live_state"):
            with context.eager_scope():
                for v in self.__dict__["_metric_variables"]:
                    v.assign(convert_to_tensor(v._metric_initial.astype(v.dtype.as_numpy_dtype)))
                self.reset_state()  # a subclass's own reset, if it has one

    def _variable_result(self, totals: list) -> Any:
        """Sets the variables to their initial values plus ``totals`` (the summed increments) and returns
        ``result()`` as NumPy (a metric that keeps its state in its variables reports them as they are)."""
        if self.__dict__.get("_live_state"):
            with context.eager_scope():
                out = self.result()
            return np.asarray(out.numpy() if hasattr(out, "numpy") else out)
        at = 0
        with context.eager_scope():
            for v in self.__dict__["_metric_variables"]:
                n = int(np.prod(v.shape, dtype=np.int64))
                value = v._metric_initial + np.asarray(totals[at : at + n]).reshape(v._metric_initial.shape)
                v.assign(convert_to_tensor(value.astype(v.dtype.as_numpy_dtype)))
                at += n
            out = self.result()
        return np.asarray(out.numpy() if hasattr(out, "numpy") else out)


class _Recorder:
    """Stands in for a metric's variable while one batch's increment is traced: starts at zero and keeps
    what ``assign``/``assign_add``/``assign_sub`` give it, readable like the variable."""

    def __init__(self, var: Variable) -> None:
        self.shape, self.dtype, self.name = var.shape, var.dtype, var.name
        self.value = array_ops.zeros(tuple(var.shape), dtype=var.dtype)
        self.assigned = False  # whether the update used ``assign`` (not summable: see the module doc)

    def _cast(self, value: Any) -> Any:
        return array_ops.cast(convert_to_tensor(value), self.dtype)

    def assign(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        self.assigned = True
        self.value = self._cast(value)
        return self.value

    def assign_add(self, delta: Any, *args: Any, **kwargs: Any) -> Any:
        self.value = self.value + self._cast(delta)
        return self.value

    def assign_sub(self, delta: Any, *args: Any, **kwargs: Any) -> Any:
        self.value = self.value - self._cast(delta)
        return self.value

    def read_value(self) -> Any:
        return self.value

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        return self.value if dtype is None else array_ops.cast(self.value, dtype)

    def numpy(self) -> Any:
        return self.value.numpy()

    def __add__(self, other: Any) -> Any:
        return self.value + other

    def __radd__(self, other: Any) -> Any:
        return other + self.value

    def __sub__(self, other: Any) -> Any:
        return self.value - other

    def __rsub__(self, other: Any) -> Any:
        return other - self.value

    def __mul__(self, other: Any) -> Any:
        return self.value * other

    def __rmul__(self, other: Any) -> Any:
        return other * self.value

    def __truediv__(self, other: Any) -> Any:
        return self.value / other

    def __rtruediv__(self, other: Any) -> Any:
        return other / self.value

    def __neg__(self) -> Any:
        return -self.value
