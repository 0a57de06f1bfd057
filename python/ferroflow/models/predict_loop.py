"""``Model.predict``: the inference plan run over the inputs in batches by one native call.

One small input (a single batch, no callbacks) takes the short path, a single plan run, so that serving
one sample costs microseconds rather than a framework's dispatch overhead.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import nest
from . import data_adapter


def predict(model: Any, x: Any, batch_size: Optional[int], verbose: int, steps: Optional[int],
            callbacks: Any) -> Any:
    batch_size = data_adapter.check_positive_int(32 if batch_size is None else batch_size, "batch_size")
    xs = data_adapter.flatten_inputs(x, getattr(model, "dtype", "float32"))
    structure = data_adapter.structure_of(x)
    names = [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))]
    n = data_adapter.num_samples(xs, names)
    if n == 0:
        raise ValueError("Expected a non-empty input to predict: `x` has 0 samples")
    if steps is not None:
        rows = data_adapter.check_positive_int(steps, "steps") * batch_size
        xs = [np.ascontiguousarray(a[:rows]) for a in xs]
        n = min(n, rows)
    plan = model._plan("predict", xs, structure)
    n_steps = (n + batch_size - 1) // batch_size
    cbs = None
    if callbacks is not None or verbose:
        cbs = model._callbacks(callbacks, verbose, 1, n_steps)
        cbs.on_predict_begin()
    if n <= batch_size:
        outputs = plan.plan.run(xs)
    else:
        outputs = plan.plan.predict_batches(xs, batch_size)
    arrays = [t.numpy() for t in outputs]
    result = nest.pack_sequence_as(plan.output_structure, arrays)
    if cbs is not None:
        cbs.on_predict_batch_end(n_steps - 1, {"outputs": result})
        cbs.on_predict_end()
    return result
