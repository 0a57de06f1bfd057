"""Per-op time and memory of one step (the role of TF1's ``RunOptions(FULL_TRACE)`` + ``RunMetadata``).

``profile_train_step(model, x, y)`` runs the compiled training step of a compiled Keras model and
returns ``StepStats``: a table of the slowest ops, the peak working memory, and a trace in Chrome's
trace-event format (``chrome://tracing``, Perfetto, or TensorBoard's profile tools). In TF1-style code,
``Session.run(..., options=RunOptions(trace_level=RunOptions.FULL_TRACE), run_metadata=meta)`` fills
``meta.step_stats`` with TensorFlow's ``StepStats`` message, which also answers this summary (``ops``,
``table()``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["OpStats", "RunMetadata", "RunOptions", "StepStats", "profile_plan", "profile_train_step"]


@dataclass(frozen=True)
class OpStats:
    """One node of a profiled run."""

    name: str  # the scoped node name, e.g. "sequential/dense/MatMul"
    op_type: str  # e.g. "MatMul"
    start_us: float  # from the start of the (last) run
    duration_us: float  # mean kernel time over the runs
    live_bytes: int  # intermediate values alive after the node


@dataclass
class StepStats:
    """What a profiled step measured, node by node in execution order."""

    ops: list = field(default_factory=list)
    runs: int = 1

    @property
    def peak_bytes(self) -> int:
        """The most bytes of intermediate values alive at once during the step (variables excluded)."""
        return max((op.live_bytes for op in self.ops), default=0)

    @property
    def total_us(self) -> float:
        return float(sum(op.duration_us for op in self.ops))

    def by_op_type(self) -> dict:
        """Mean microseconds per step spent in each op type, slowest first."""
        totals: dict = {}
        for op in self.ops:
            totals[op.op_type] = totals.get(op.op_type, 0.0) + op.duration_us
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))

    def table(self, top: int = 10) -> str:
        """The ``top`` slowest nodes with their share of the step, and the peak memory."""
        total = self.total_us or 1.0
        rows = sorted(self.ops, key=lambda op: -op.duration_us)[:top]
        width = max([len("node")] + [len(op.name) for op in rows])
        lines = [f"{'node':<{width}}  {'op':<22} {'us/step':>10} {'share':>6}"]
        for op in rows:
            lines.append(f"{op.name:<{width}}  {op.op_type:<22} {op.duration_us:>10.1f} {op.duration_us / total:>6.1%}")
        lines.append(f"{len(self.ops)} ops, {self.total_us:.1f} us of kernels per step (mean of {self.runs} runs); "
                     f"peak working memory {self.peak_bytes / 1e6:.2f} MB")
        return "\n".join(lines)

    def chrome_trace(self) -> str:
        """The last run as Chrome trace-event JSON: one complete event per node, plus a memory counter."""
        events = [{"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "ferroflow step"}}]
        for op in self.ops:
            events.append({"name": op.op_type, "cat": "op", "ph": "X", "pid": 0, "tid": 0, "ts": op.start_us,
                           "dur": op.duration_us, "args": {"name": op.name}})
            events.append({"name": "live bytes", "ph": "C", "pid": 0, "ts": op.start_us + op.duration_us,
                           "args": {"bytes": op.live_bytes}})
        return json.dumps({"traceEvents": events, "displayTimeUnit": "ns"})

    def save_chrome_trace(self, path: Any) -> str:
        """Writes :meth:`chrome_trace` to ``path`` (atomically) and returns the path."""
        from .saving._atomic import atomic_write

        path = os.fspath(path)
        with atomic_write(path) as f:
            f.write(self.chrome_trace().encode())
        return path

    def __str__(self) -> str:
        return self.table()


def profile_plan(plan: Any, feeds: list, runs: int = 1) -> tuple:
    """(the fetched tensors of the last run, ``StepStats``) for a native plan run ``runs`` times."""
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ValueError(f"`runs` must be a positive integer; received runs={runs!r}")
    outputs, records = plan.profile(feeds, runs)
    ops = [OpStats(name, op_type, start * 1e6, seconds / runs * 1e6, int(live))
           for name, op_type, start, seconds, live in records]
    return outputs, StepStats(ops, runs)


def profile_train_step(model: Any, x: Any, y: Any, batch_size: int = 32, runs: int = 10,
                       sample_weight: Any = None) -> StepStats:
    """Profiles ``runs`` real training steps of a compiled model on the first ``batch_size`` samples.

    The steps update the model's weights and optimizer state, exactly as ``train_on_batch`` would.
    """
    from .models import data_adapter

    model._require_compiled("profiling a training step")
    batch_size = data_adapter.check_positive_int(batch_size, "batch_size")
    xs, structure, ya, sw = model._arrays(x, y, sample_weight)
    xs = [np.ascontiguousarray(a[:batch_size]) for a in xs]
    ya = np.ascontiguousarray(ya[:batch_size])
    sw = None if sw is None else np.ascontiguousarray(sw[:batch_size])
    plan = model._plan("train", xs, structure, ya, sw)
    feeds = xs + [ya] + ([sw] if sw is not None else [])
    return profile_plan(plan.plan, feeds, runs)[1]


# TF1's ``tf.compat.v1.RunOptions`` / ``RunMetadata`` messages, which a traced ``Session.run`` fills.
from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .compat.v1.run_metadata import RunMetadata, RunOptions  # noqa: E402

__dir__ = _public_dir(globals())
