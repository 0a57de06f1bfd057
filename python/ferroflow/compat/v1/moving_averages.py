"""``tf.compat.v1.train.ExponentialMovingAverage``: shadow variables that follow other variables with
``shadow -= (1 - decay) * (shadow - value)``, TF1's way of evaluating with averaged weights.

In a graph ``apply`` creates the shadows (named ``<variable>/ExponentialMovingAverage``, starting at the
variable's initial value, in the MOVING_AVERAGE_VARIABLES collection) and returns the op that updates them;
run it after the training step (``with tf.control_dependencies([train_op]): ema.apply(...)``). Eagerly each
``apply`` updates at once. ``variables_to_restore`` maps checkpoint names so a ``Saver`` loads the averages
into the model's variables.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ...framework import context
from ...framework.graph import SymbolicTensor
from ...framework.ops import convert_to_tensor
from ...framework.variables import Variable
from ...ops import array_ops, math_ops

_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _op_name(value: Any) -> str:
    if isinstance(value, Variable):
        return value.op.name  # a Keras weight's name is only its last part; its op name is the path
    return value.name[:-2] if value.name.endswith(":0") else value.name


def _in_graph(graph: Any, value: Any) -> Any:
    """``value`` as a tensor of ``graph`` (a constant made in a graph is a value until a node uses it)."""
    from ...framework.ops import graph_input

    return value if isinstance(value, SymbolicTensor) else graph.tensor(graph_input(graph, value))


def _initial_value(var: Variable) -> Any:
    """The tensor a graph variable's initializer assigns (so a shadow starts where its variable starts), or
    the current value of an eager variable."""
    if var.graph is None:
        return var.numpy()
    graph = var.graph
    inputs = graph._g.node(var.initializer.node)[4]
    return graph.tensor(inputs[0]) if inputs else var.value()


class ExponentialMovingAverage:
    """Maintains moving averages of variables (and, in TF1 graphs, of tensors) with decay ``decay``."""

    def __init__(
        self,
        decay: Any,
        num_updates: Any = None,
        zero_debias: bool = False,
        name: str = "ExponentialMovingAverage",
    ) -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: Dict[int, Any] = {}
        self._debiased: Dict[int, tuple] = {}

    @property
    def name(self) -> str:
        return self._name

    def average_name(self, var: Any) -> str:
        """The checkpoint name of ``var``'s average: ``<var op name>/<name>``."""
        return f"{_op_name(var)}/{self._name}"

    def average(self, var: Any) -> Optional[Variable]:
        """The shadow variable of ``var`` (None before ``apply`` made it)."""
        return self._averages.get(id(var))

    def _make_average(self, var: Any, graph: Any) -> Variable:
        if isinstance(var, Variable):
            avg = Variable(_initial_value(var), trainable=False, name=self.average_name(var))
            if graph is not None:
                graph.add_to_collection("moving_average_variables", var)
            return avg
        zeros = array_ops.zeros(var.shape.as_list(), dtype=var.dtype)
        avg = Variable(zeros, trainable=False, name=self.average_name(_in_graph(graph, var)))
        if self._zero_debias:
            biased = Variable(zeros, trainable=False, name=f"{avg.name[:-2]}/biased")
            step = Variable(
                convert_to_tensor(0.0, dtype=var.dtype), trainable=False, name=f"{avg.name[:-2]}/local_step"
            )
            self._debiased[id(avg)] = (biased, step)
        return avg

    def _decay_tensor(self) -> Any:
        decay = (
            convert_to_tensor(self._decay, dtype="float32")
            if not isinstance(self._decay, SymbolicTensor)
            else (array_ops.cast(self._decay, "float32"))
        )
        if self._num_updates is not None:
            n = array_ops.cast(self._num_updates, "float32")
            decay = math_ops.minimum(decay, (1.0 + n) / (10.0 + n))
        return decay

    def _update(self, avg: Variable, value: Any, one_minus_decay: Any) -> Any:
        if id(avg) not in self._debiased:
            return avg.assign_sub((avg.value() - value) * one_minus_decay)
        # Zero debiasing (TF's _zero_debias): the biased average starts at 0 and is divided by 1 - decay**t.
        biased, step = self._debiased[id(avg)]
        new_biased = biased.assign_sub((biased.value() - value) * one_minus_decay)
        new_step = step.assign_add(convert_to_tensor(1.0, dtype=step.dtype))
        factor = 1.0 - math_ops.pow(1.0 - one_minus_decay, new_step)
        return avg.assign(new_biased / factor)

    def apply(self, var_list: Any = None) -> Any:
        """Creates the shadows of ``var_list`` (the trainable variables by default) that do not exist yet and
        updates every one of them once: the op doing so in a graph, None eagerly."""
        graph = context.current_graph()
        if var_list is None:
            var_list = graph.get_collection("trainable_variables") if graph is not None else []
        var_list = list(var_list)
        for var in var_list:
            if not isinstance(var, Variable) and graph is None:
                raise TypeError(
                    "tf.train.ExponentialMovingAverage does not support non-Variable tensors when eager execution "
                    "is enabled."
                )
            if var.dtype.name not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if id(var) not in self._averages:
                # Outside any control_dependencies block (TF's init_scope): initializing a shadow must not run
                # the training step the update waits for.
                saved = None if graph is None else graph._controls
                if graph is not None:
                    graph._controls = []
                try:
                    self._averages[id(var)] = self._make_average(var, graph)
                finally:
                    if graph is not None:
                        graph._controls = saved
        decay = self._decay_tensor()
        updates = []
        for var in var_list:
            avg = self._averages[id(var)]
            one_minus_decay = array_ops.cast(1.0 - decay, avg.dtype)
            value = var.value() if isinstance(var, Variable) else _in_graph(graph, var)
            updates.append(self._update(avg, value, one_minus_decay))
        if graph is None:
            return None
        from ...ops.array_ops import group

        return group(*updates, name=self._name)

    def variables_to_restore(self, moving_avg_variables: Any = None) -> Dict[str, Variable]:
        """``{checkpoint name: variable}`` restoring each variable from its average (the other global
        variables from their own names), for ``tf.compat.v1.train.Saver(ema.variables_to_restore())``."""
        graph = context.current_graph() or context.get_default_graph()
        if moving_avg_variables is None:
            moving_avg_variables = graph.get_collection("trainable_variables") + graph.get_collection(
                "moving_average_variables"
            )
        name_map: Dict[str, Variable] = {}
        averaged = {_op_name(v) for v in moving_avg_variables}
        for v in moving_avg_variables:
            name_map[self.average_name(v)] = v
        for v in graph.get_collection("variables"):
            if _op_name(v) not in averaged and _op_name(v) not in name_map:
                name_map[_op_name(v)] = v
        return name_map
