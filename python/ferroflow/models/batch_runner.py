"""Running a compiled step over the batches of one epoch (or one evaluation), with Keras's callback hooks.

The Rust loop runs every batch with the GIL released and calls back into Python only every ``every``
batches (for the progress bar) or every batch when a callback needs it. Logs handed to batch hooks are
running means over the batches so far, as in Keras; the loss is weighted by batch size, like Keras's loss
tracker, and metrics from their accumulated terms.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..callbacks.callback import Callback
from ..callbacks.progbar_logger import ProgbarLogger


class Accumulator:
    """Running totals of one epoch: batch-size-weighted loss and each metric's summed terms."""

    def __init__(self, names: list, metrics: list, sizes: list) -> None:
        self.names = names  # ["loss", *metric names]
        self.metrics = metrics
        self.sizes = sizes
        self.loss_sum = 0.0
        self.count = 0
        self.terms = np.zeros(sum(sizes), dtype="float64")
        for m in metrics:  # metrics keeping their state in variables start the pass afresh (metric_variables)
            start = getattr(m, "_start_pass", None)
            if start is not None:
                start()

    def add(self, values: list, batch_size: int) -> None:
        self.loss_sum += float(values[0]) * batch_size
        self.count += batch_size
        n = len(self.terms)
        if n:
            self.terms += np.asarray(values[1 : 1 + n], dtype="float64")

    def per_metric_totals(self) -> list:
        out, at = [], 0
        for size in self.sizes:
            out.append(self.terms[at : at + size])
            at += size
        return out

    def logs(self) -> dict:
        logs = {"loss": self.loss_sum / self.count if self.count else float("nan")}
        for m, totals in zip(self.metrics, self.per_metric_totals()):
            value = m._result_from_totals([float(v) for v in totals])
            # One number, or one per class/output (F1Score(average=None), R2Score(class_aggregation=None)).
            logs[m.name] = float(value) if np.ndim(value) == 0 else np.asarray(value, dtype="float32")
        return logs


def accumulator(model: Any, plan: Any, reset: bool = True) -> Any:
    """The running totals for a pass of ``plan``'s step: the compiled metrics' terms, or for an overridden step
    (which updates the metrics itself, after ``reset_metrics`` when ``reset``) the logs it returns."""
    if getattr(plan.plan, "custom", False):
        from .eager_plan import LogsAccumulator

        return LogsAccumulator(model, reset)
    return Accumulator(["loss"], model._compiled_metrics.metrics(), plan.metric_sizes)


def _overrides(cb: Callback, *hooks: str) -> bool:
    # A hook counts when its class overrides it or the instance set it (a per-instance hook, e.g. TensorBoard's).
    own = getattr(cb, "__dict__", {})
    return any(h in own or getattr(type(cb), h) is not getattr(Callback, h) for h in hooks)


def callback_needs(callbacks: Any, kind: str) -> tuple:
    """(needs a call before each batch, needs a call after each batch) for the non-progress-bar callbacks."""
    begin_hooks = ("on_train_batch_begin", "on_batch_begin") if kind == "train" else ("on_test_batch_begin",)
    end_hooks = ("on_train_batch_end", "on_batch_end") if kind == "train" else ("on_test_batch_end",)
    others = [cb for cb in callbacks.callbacks if not isinstance(cb, ProgbarLogger)]
    return any(_overrides(cb, *begin_hooks) for cb in others), any(_overrides(cb, *end_hooks) for cb in others)


def share_batch(callbacks: Any, arrays: list, indices: np.ndarray) -> None:
    """Hands the batch about to run (the step's input arrays and the rows of this batch) to callbacks that
    replay a step, such as tfdbg's ``LocalCLIDebugCallback``."""
    for cb in callbacks.callbacks:
        receive = getattr(cb, "_receive_batch", None)
        if receive is not None:
            receive(arrays, indices)


def run(
    plan: Any,
    arrays: list,
    order: np.ndarray,
    batch_size: int,
    acc: Accumulator,
    callbacks: Optional[Any],
    kind: str,
    should_stop: Any = lambda: False,
) -> bool:
    """Runs ``plan`` over ``order`` in batches, accumulating into ``acc``; True if a callback stopped it."""
    n = len(order)
    steps = (n + batch_size - 1) // batch_size
    sizes = [min(batch_size, n - b * batch_size) for b in range(steps)]
    begin_hook = "on_train_batch_begin" if kind == "train" else "on_test_batch_begin"
    end_hook = "on_train_batch_end" if kind == "train" else "on_test_batch_end"
    if callbacks is None:
        for values, size in zip(plan.run_batches(arrays, order, batch_size), sizes):
            acc.add(values, size)
        return False
    needs_begin, needs_end = callback_needs(callbacks, kind)
    stopped = False
    if needs_begin:
        # A callback acts before each batch: drive the batches from Python, one native call each.
        for b in range(steps):
            part = order[b * batch_size : (b + 1) * batch_size]
            share_batch(callbacks, arrays, part)
            getattr(callbacks, begin_hook)(b)
            for values in plan.run_batches(arrays, part, batch_size):
                acc.add(values, sizes[b])
            getattr(callbacks, end_hook)(b, acc.logs())
            if should_stop():
                return True
        return False
    every = 1 if needs_end else max(1, steps // 50)
    first = [0]

    def on_batches(last: int, recent: list) -> bool:
        for i, values in enumerate(recent):
            acc.add(values, sizes[last - len(recent) + 1 + i])
        first[0] = last + 1
        getattr(callbacks, end_hook)(last, acc.logs())
        return bool(should_stop())

    results = plan.run_batches(arrays, order, batch_size, on_batches, every)
    for b in range(first[0], len(results)):  # batches after the last callback (none when it ran last)
        acc.add(results[b], sizes[b])
    stopped = len(results) < steps
    return stopped
