"""The evaluation loop of ``Estimator.evaluate``: stream the metric updates over the input (or ``steps``
batches), read the metrics once at the end, and write them to the eval directory for TensorBoard."""

from __future__ import annotations

import logging
import os
import time
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ..compat.v1.session_run_hook import SessionRunHook
from ._checks import dict_to_str, explained_restore_errors
from .mode_keys import LOSS_METRIC_KEY

log = logging.getLogger("ferroflow.estimator")


class StopAfterNEvalsHook(SessionRunHook):
    """Asks the session to stop once ``num_evals`` evaluation batches have run, logging the progress."""

    def __init__(self, num_evals: int, log_progress: bool = True) -> None:
        self._num_evals = num_evals
        self._log_progress = log_progress
        self._evals_completed = 0

    def after_create_session(self, session: Any, coord: Any) -> None:
        self._evals_completed = 0

    def after_run(self, run_context: Any, run_values: Any) -> None:
        self._evals_completed += 1
        if self._log_progress:
            log.info("Evaluation [%d/%d]", self._evals_completed, self._num_evals)
        if self._evals_completed >= self._num_evals:
            run_context.request_stop()


def steps_to_hooks(steps: Optional[int]) -> List[SessionRunHook]:
    if steps is None:
        return []
    if steps <= 0:
        raise ValueError(f"Must specify steps > 0, given: {steps}")
    return [StopAfterNEvalsHook(num_evals=steps)]


def add_loss_metric(eval_metric_ops: dict, loss: Any) -> dict:
    """``eval_metric_ops`` with ``loss``: the mean of the per-batch losses."""
    from ..compat.v1 import metrics

    if LOSS_METRIC_KEY in eval_metric_ops:
        raise ValueError(
            f'Metric with name "{LOSS_METRIC_KEY}" is not allowed, because Estimator already defines a default metric '
            "with the same name."
        )
    ops = dict(eval_metric_ops)
    ops[LOSS_METRIC_KEY] = metrics.mean(loss)
    return ops


def split_metric_ops(eval_metric_ops: dict) -> Tuple[Any, Dict[str, Any]]:
    """One op running every update (in name order, so graphs are identical run to run), and the value tensors."""
    from ..compat.v1.host_tensor import HostOperation, HostTensor, unique_name
    from ..ops.array_ops import group

    updates, host, values = [], [], {}
    for name, (value, update) in sorted(eval_metric_ops.items()):
        values[name] = value
        (host if isinstance(update, (HostTensor, HostOperation)) else updates).append(update)
    op = group(*updates) if updates else None
    if host:  # Keras metrics' updates run on the host, after the graph ones' values are fetched
        graph = host[0].graph
        inputs = [] if op is None else [getattr(op, "_tensor", op)]
        inputs += [getattr(u, "_tensor", u) for u in host]
        op = HostTensor(graph, unique_name(graph, "metric_updates"), "NoOp", inputs, lambda *a: None, "float32").op
    return op, values


def evaluate_once(
    checkpoint_path: Optional[str],
    scaffold: Any,
    update_op: Any,
    final_ops: Dict[str, Any],
    hooks: List[Any],
    config: Any = None,
) -> Dict[str, Any]:
    """Restores ``checkpoint_path`` (or initializes), runs ``update_op`` until the input ends or a hook stops,
    then returns the values of ``final_ops``."""
    from ..compat.v1.monitored_session import MonitoredSession
    from ..compat.v1.more_hooks import FinalOpsHook
    from ..compat.v1.session_manager import ChiefSessionCreator

    log.info("Starting evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime()))
    start = time.time()
    final_ops_hook = FinalOpsHook(final_ops)
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path, config=config)
    with explained_restore_errors(os.path.dirname(checkpoint_path or "")):
        monitored = MonitoredSession(session_creator=creator, hooks=list(hooks) + [final_ops_hook])
    with monitored as session:
        if update_op is not None:
            while not session.should_stop():
                session.run(update_op)
    log.info("Inference Time : %.5fs", time.time() - start)
    values = final_ops_hook.final_ops_values
    if values is None:
        raise RuntimeError("evaluation ended before its metrics could be read")
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    """Scalars as NumPy scalars (``np.float32``, ``np.int64``), as TensorFlow's session returns them."""
    arr = np.asarray(value)
    return arr[()] if arr.ndim == 0 else arr


def write_dict_to_summary(output_dir: str, dictionary: Dict[str, Any], current_global_step: int) -> None:
    """Writes the scalar entries of ``dictionary`` (all but ``global_step``) as summaries at the global step."""
    from ..compat.v1.summary_proto import Summary
    from ..compat.v1.summary_writer import FileWriterCache

    log.info("Saving dict for global step %d: %s", current_global_step, dict_to_str(dictionary))
    writer = FileWriterCache.get(output_dir)
    values = []
    for key, value in dictionary.items():
        if value is None or key == "global_step":
            continue
        if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
            values.append(Summary.Value(tag=key, simple_value=float(value)))
        elif isinstance(value, bytes):
            try:
                summary = Summary.FromString(value)
            except ValueError:
                log.warning("Skipping summary for %s, cannot parse string to Summary.", key)
                continue
            for i, item in enumerate(summary.value):
                item.tag = f"{key}/{i}"
                values.append(item)
        else:
            log.warning(
                "Skipping summary for %s, must be a float, np.float32, np.int64, np.int32 or int or a serialized "
                "string of Summary.",
                key,
            )
    writer.add_summary(Summary(value=values), current_global_step)
    writer.flush()
