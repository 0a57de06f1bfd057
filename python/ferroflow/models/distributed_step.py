"""The steps of ``fit``/``evaluate``/``predict`` for a model whose strategy has several replicas in sync.

As Keras 3 under ``tf.distribute``: every global batch is split along its first axis over the replicas
(``ceil(batch / replicas)`` rows each in turn, TensorFlow's split of a distributed dataset), and each replica runs
the step on its part inside ``strategy.run``. There the compiled loss, averaged over the replica's rows, and the
regularization and ``add_loss`` penalties are scaled by ``1 / replicas`` (Keras's
``scale_loss_for_distribution``), so the sum of the replicas' gradients, which the optimizer applies once
(``mirrored_run``), is the gradient of the global-batch loss when the batch splits evenly. The reported loss is
the replicas' unscaled losses weighted by their batch sizes, and the metrics sum their terms over the
replicas, as Keras's sum-synchronized metric variables do.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np


def strategy_of(model: Any) -> Optional[Any]:
    """The model's strategy when it has several replicas in sync, else None."""
    strategy = model.distribute_strategy
    return strategy if strategy.num_replicas_in_sync > 1 else None


def split_rows(rows: np.ndarray, replicas: int) -> list:
    """The rows of one global batch as each replica's part: ``ceil(len / replicas)`` rows per replica in turn,
    the last parts possibly shorter or empty (TensorFlow's split of a batch of a distributed dataset)."""
    per = -(-len(rows) // replicas)
    return [rows[min(k * per, len(rows)) : min((k + 1) * per, len(rows))] for k in range(replicas)]


def step_values(plan: Any, strategy: Any, arrays: list, rows: np.ndarray) -> list:
    """What the compiled step fetches for one global batch (the loss, then every metric's terms), computed on each
    replica's part in ``strategy.run`` (traced once per part shapes by ``tf.function`` unless the model runs
    eagerly); when training, the optimizer applies the replicas' summed gradients once."""
    from ..distribute.values import PerReplica

    n = strategy.num_replicas_in_sync
    parts = split_rows(rows, n)
    data = [plan._data(arrays, part) for part in parts]
    present = tuple(v is not None for v in data[0])  # x always; y and sample_weight when given
    feeds = [tuple(v for v in d if v is not None) for d in data]
    step = _distributed_function(plan, strategy, present)
    outputs = step(tuple(PerReplica([f[i] for f in feeds]) for i in range(len(feeds[0]))))
    per_replica = strategy.experimental_local_results(outputs)
    # The loss tracker sees each replica's loss unscaled (Keras's unscale_loss_for_distribution), weighted by
    # the replica's rows; the metrics' terms add up over the replicas.
    loss = sum(float(np.asarray(r[0])) * n * len(p) for r, p in zip(per_replica, parts)) / max(len(rows), 1)
    terms = [sum(float(np.asarray(r[1][i])) for r in per_replica) for i in range(len(per_replica[0][1]))]
    return [loss, *terms]


def _distributed_function(plan: Any, strategy: Any, present: tuple) -> Any:
    """``strategy.run`` of the replica step on per-replica ``(x[, y][, sample_weight])``: a ``tf.function``, or
    the plain function when the model runs its steps eagerly."""
    eager = plan.model._steps_eagerly()
    key = (id(strategy), present, eager)
    cache = plan.__dict__.setdefault("_distributed_steps", {})
    if key not in cache:

        def replica_fn(feeds: tuple) -> tuple:
            it = iter(feeds)
            x, y, sw = (next(it) if given else None for given in present)
            return _replica_tensors(plan, x, y, sw)

        def distributed(feeds: tuple) -> Any:
            return strategy.run(replica_fn, args=(feeds,))

        if eager:
            cache[key] = distributed
        else:
            from ..framework.function import function

            cache[key] = function(distributed)
    return cache[key]


def _replica_tensors(plan: Any, x: Any, y: Any, sw: Any) -> tuple:
    """One replica's step on its part: its scaled loss and its metric terms (float32 scalars); when training,
    the optimizer step on its gradients (collected, and applied once with the other replicas' sum)."""
    from ..framework.tape import GradientTape
    from ..ops import math_ops
    from .train_step import _float32, apply_loss_gradients

    model = plan.model
    training = plan.kind == "train"
    with GradientTape() as tape:
        y_pred = model(x, training=training)
        loss = model._compute_loss(x, y, y_pred, sw, training)
        if loss.shape.rank:  # an empty part: Keras's reduction leaves its zero per-sample losses unreduced
            loss = math_ops.reduce_sum(loss)
    terms = [_float32(t) for m in plan.metrics for t in m._batch_terms(y, y_pred, sw)]
    apply_loss_gradients(model, tape, loss, training)
    return _float32(loss), terms


def predict_outputs(plan: Any, strategy: Any, arrays: list, rows: np.ndarray) -> list:
    """The model's outputs (or its overridden ``predict_step``'s, called untraced) on one global batch, each
    replica predicting its part, joined in replica order."""
    from ..distribute.values import PerReplica
    from ..framework import nest
    from ..framework.ops import convert_to_tensor
    from ..ops import array_ops

    n = strategy.num_replicas_in_sync
    results: dict = {}

    def replica_fn(part: Any) -> None:
        from .. import distribute

        x, _, _ = plan._data(arrays, part)
        if plan.custom:
            from .train_step import pack_x_y_sample_weight

            outputs = plan.model.predict_step(pack_x_y_sample_weight(x, one_tuple=plan.one_tuple))
        else:
            outputs = plan.model(x, training=False)
        results[int(distribute.get_replica_context().replica_id_in_sync_group)] = outputs

    strategy.run(replica_fn, args=(PerReplica(split_rows(rows, n)),))
    if plan.step_plan.output_structure is None:
        plan.step_plan.output_structure = nest.map_structure(lambda _: 0, results[0])
    flat = [[convert_to_tensor(t) for t in nest.flatten(results[k])] for k in range(n)]
    return [array_ops.concat(list(parts), axis=0) for parts in zip(*flat)]


def custom_step_logs(plan: Any, strategy: Any, arrays: list, rows: np.ndarray) -> dict:
    """An overridden ``train_step``/``test_step`` run by ``strategy.run`` on each replica's part of one global
    batch (called as is, untraced). The logs, as Keras's: the metrics' results over every replica when the step
    returns them (the same names), else the mean over the replicas of what each returned."""
    from ..distribute.values import PerReplica
    from .eager_plan import pythonify_logs
    from .train_step import pack_x_y_sample_weight

    model = plan.model
    step = getattr(model, f"{plan.kind}_step")
    n = strategy.num_replicas_in_sync
    results: dict = {}

    def replica_fn(part: Any) -> None:
        from .. import distribute

        x, y, sw = plan._data(arrays, part)
        data = pack_x_y_sample_weight(x, y, sw, plan.one_tuple)
        results[int(distribute.get_replica_context().replica_id_in_sync_group)] = pythonify_logs(step(data))

    strategy.run(replica_fn, args=(PerReplica(split_rows(rows, n)),))
    metric_logs = pythonify_logs(model.get_metrics_result())
    if set(metric_logs) == set(results[0]):
        return metric_logs
    return {key: np.mean([results[k][key] for k in range(n)], axis=0) for key in results[0]}
