"""What TF1's hooks share: the step/time trigger (``SecondOrStepTimer``), the global-step read they fetch,
and resolving tensors given by name."""

from __future__ import annotations

import time
from typing import Any, Optional

from ...framework import context
from . import training_util


class SecondOrStepTimer:
    """Triggers every ``every_secs`` seconds or every ``every_steps`` steps (exactly one of them)."""

    def __init__(self, every_secs: Optional[float] = None, every_steps: Optional[int] = None) -> None:
        self.reset()
        self._every_secs = every_secs
        self._every_steps = every_steps
        if every_secs is None and every_steps is None:
            raise ValueError("Either every_secs or every_steps should be provided.")
        if every_secs is not None and every_steps is not None:
            raise ValueError("Can not provide both every_secs and every_steps.")

    def reset(self) -> None:
        self._last_triggered_step: Optional[int] = None
        self._last_triggered_time: Optional[float] = None

    def should_trigger_for_step(self, step: int) -> bool:
        """True at the first step, then once the interval since the last triggered step has passed."""
        if self._last_triggered_step is None:
            return True
        if self._last_triggered_step == step:
            return False
        if self._every_secs is not None and time.time() >= self._last_triggered_time + self._every_secs:
            return True
        return self._every_steps is not None and step >= self._last_triggered_step + self._every_steps

    def update_last_triggered_step(self, step: int) -> tuple:
        """Records a trigger at ``step``; returns ``(elapsed seconds, elapsed steps)`` since the last one."""
        now = time.time()
        if self._last_triggered_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_triggered_time, step - self._last_triggered_step)
        self._last_triggered_time = now
        self._last_triggered_step = step
        return elapsed

    def last_triggered_step(self) -> Optional[int]:
        return self._last_triggered_step


class NeverTriggerTimer:
    def reset(self) -> None:
        pass

    def should_trigger_for_step(self, step: int) -> bool:
        return False

    def update_last_triggered_step(self, step: int) -> tuple:
        return (None, None)

    def last_triggered_step(self) -> None:
        return None


def _as_graph_element(obj: Any) -> Any:
    """A tensor or variable of the default graph: ``obj`` itself, or the one named ``obj`` (``loss``, ``loss:0``)."""
    graph = context.get_default_graph()
    if not isinstance(obj, str):
        if getattr(obj, "graph", None) is not graph:
            raise ValueError(f"Passed {obj} should have graph attribute that is equal to current graph {graph}.")
        return obj
    name = obj if ":" in obj else obj + ":0"
    base = name.rsplit(":", 1)[0]
    for var in graph.get_collection("variables") + graph.get_collection("local_variables"):
        if var.op.name == base:
            return var
    for i in range(len(graph._g)):
        if graph._g.node(i)[0] == base:
            return graph.tensor(i)
    raise KeyError(
        f"The name '{name}' refers to a Tensor which does not exist. The operation, '{base}', does not exist in "
        "the graph."
    )


def _global_step_read(hook: str) -> Any:
    step = training_util.get_or_create_global_step_read()
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook}.")
    return step
