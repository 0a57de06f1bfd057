"""``evaluate`` over arrays: the test step run on every batch (natively, in one call), then the callbacks."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import batch_runner, data_adapter, multi_output


def evaluate_arrays(
    model: Any,
    xs: list,
    structure: Any,
    ya: Any,
    sw: Any,
    batch_size: int,
    steps: Any,
    callbacks: Any,
    verbose: int,
    callback_list: Any = None,
) -> dict:
    """The logs of one pass over ``(xs, ya, sw)`` (the first ``steps`` batches); ``model.metrics`` keep them."""
    plan = model._plan("test", xs, structure, ya, sw)
    n = multi_output.rows(ya, xs)
    order = np.arange(n, dtype="int64")
    if steps is not None:
        order = order[: data_adapter.check_positive_int(steps, "steps") * batch_size]
    n_steps = (len(order) + batch_size - 1) // batch_size
    cbs = callback_list
    if cbs is None and (callbacks is not None or verbose):
        cbs = model._callbacks(callbacks, verbose, 1, n_steps)
    acc = batch_runner.accumulator(model, plan)
    if cbs is not None:
        cbs.on_test_begin()
    arrays = multi_output.step_arrays(xs, ya, sw)
    batch_runner.run(plan.plan, arrays, order, batch_size, acc, cbs, "test")
    logs = acc.logs()
    if cbs is not None:
        cbs.on_test_end(logs)
    model._store_results(acc)
    return logs
