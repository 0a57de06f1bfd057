"""What optimizers' update rules build on: per-step cached tensors, in-place fused updates, assigns, weight decay."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..framework import context
from ..framework.graph import SymbolicTensor
from ..framework.ops import apply as apply_op
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops


class UpdateRuleHelpers:
    """A base of ``Optimizer``: the methods its ``update_step`` implementations call."""

    def _cached(self, key: Any, make: Callable[[], Tensor]) -> Tensor:
        """A tensor computed once per step (per dtype), shared by all variables of the step."""
        value = self._step_cache.get(key)
        if value is None:
            value = self._step_cache[key] = make()
        return value

    def _lr_as(self, learning_rate: Tensor, dtype: Any) -> Tensor:
        return self._cached(("lr", dtype.name), lambda: array_ops.cast(learning_rate, dtype))

    def _local_step(self, dtype: Any) -> Tensor:
        """``iterations + 1`` in ``dtype``: the number of the step being written (of the update, when
        gradients are accumulated)."""
        return self._cached(("step", dtype.name), lambda: array_ops.cast(self.iterations, dtype) + 1.0)

    def _fused_update(self, op: str, inputs: list, attrs: dict, touched: Sequence[Variable]) -> None:
        """Runs (or adds) an op that updates variables in place; a graph must always run it."""
        note = getattr(context.current_graph(), "note_assign", None)
        if note is not None:
            for v in touched:
                note(v)  # a control-flow body that updates the variable must read it inside (ops/_subgraph.py)
        out = apply_op(op, inputs, attrs)
        if isinstance(out, SymbolicTensor):
            out.graph.stateful_nodes.append(out.node)
        else:
            for v in touched:
                v._v.touch()  # new values: tapes must see them as new leaves

    def assign(self, variable: Variable, value: Any) -> Any:
        return variable.assign(value)

    def assign_add(self, variable: Variable, value: Any) -> Any:
        return variable.assign_add(value)

    def assign_sub(self, variable: Variable, value: Any) -> Any:
        return variable.assign_sub(value)

    def _apply_weight_decay(self, variables: list, learning_rate: Tensor) -> None:
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = self._lr_as(learning_rate, variable.dtype)
                wd = convert_to_tensor(self.weight_decay, dtype=variable.dtype)
                self.assign(variable, variable - variable * wd * lr)
