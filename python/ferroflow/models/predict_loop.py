"""``Model.predict``: the inference plan run over the inputs in batches by one native call.

One small input (a single batch, no callbacks) takes the short path, a single plan run, so that serving
one sample costs microseconds rather than a framework's dispatch overhead.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import nest
from . import data_adapter, iterator_adapter, iterator_fit_loop


def predict_seen_array(model: Any, x: Any, batch_size: Optional[int]) -> Any:
    """The outputs for a quiet ``predict`` (no callbacks, ``verbose=0``, no ``steps``) of one C-contiguous
    NumPy batch of a dtype and shape predicted before, by a single plan run; None when ``x`` is not such an
    input, for the full path to take. Checks nothing the first prediction of that shape already checked."""
    if not x.ndim or not 0 < len(x) <= (batch_size or 32) or not x.flags.c_contiguous:
        return None
    fast = model._plans.get(("predict", "one-array", x.dtype.num, x.shape[1:]))
    if fast is None or model._steps_eagerly():
        return None
    arrays = [t.numpy() for t in fast.plan.run([x])]
    if not isinstance(fast.output_structure, (list, tuple, dict)):
        return arrays[0]  # one output: what packing the structure would return
    return nest.pack_sequence_as(fast.output_structure, arrays)


def predict(model: Any, x: Any, batch_size: Optional[int], verbose: int, steps: Optional[int], callbacks: Any) -> Any:
    if iterator_adapter.is_batch_source(x):  # a generator, dataset or PyDataset
        return iterator_fit_loop.predict(model, x, batch_size, verbose, steps, callbacks)
    batch_size = data_adapter.check_positive_int(32 if batch_size is None else batch_size, "batch_size")
    xs = data_adapter.flatten_inputs(x, getattr(model, "dtype", "float32"))
    structure = data_adapter.structure_of(x)
    names = [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))]
    n = data_adapter.num_samples(xs, names)
    if n == 0:
        raise ValueError("Expected a non-empty input to predict: `x` has 0 samples")
    if steps is not None:
        rows = data_adapter.check_positive_int(steps, "steps") * batch_size
        xs = [data_adapter.contiguous(a[:rows]) for a in xs]
        n = min(n, rows)
    plan = model._plan("predict", xs, structure)
    if type(x) is np.ndarray and xs[0] is x and not model._steps_eagerly():  # remembered for the fast path
        model._plans[("predict", "one-array", x.dtype.num, x.shape[1:])] = plan
    n_steps = (n + batch_size - 1) // batch_size
    cbs = None
    if callbacks is not None or verbose:
        cbs = model._callbacks(callbacks, verbose, 1, n_steps)
        cbs.on_predict_begin()
    if callbacks is not None:
        result = _predict_each_batch(plan, xs, n, batch_size, cbs)
    else:
        outputs = plan.plan.run(xs) if n <= batch_size else plan.plan.predict_batches(xs, batch_size)
        result = nest.pack_sequence_as(plan.output_structure, [t.numpy() for t in outputs])
        if cbs is not None:
            cbs.on_predict_batch_end(n_steps - 1, {"outputs": result})
    if cbs is not None:
        cbs.on_predict_end()
    return result


def _predict_each_batch(plan: Any, xs: list, n: int, batch_size: int, cbs: Any) -> Any:
    """The outputs, batch by batch, with ``on_predict_batch_begin``/``on_predict_batch_end`` around each
    batch as Keras calls them (the batch's outputs in ``logs["outputs"]``): user callbacks see every batch.
    Without callbacks the batches run in one native call instead."""
    parts = []
    for step, start in enumerate(range(0, n, batch_size)):
        cbs.on_predict_batch_begin(step, {})
        batch = [data_adapter.contiguous(a[start : start + batch_size]) for a in xs]
        arrays = [t.numpy() for t in plan.plan.run(batch)]
        parts.append(arrays)
        cbs.on_predict_batch_end(step, {"outputs": nest.pack_sequence_as(plan.output_structure, arrays)})
    joined = [p[0] if len(parts) == 1 else np.concatenate(p) for p in zip(*parts)]
    return nest.pack_sequence_as(plan.output_structure, joined)
