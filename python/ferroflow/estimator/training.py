"""``tf.estimator.train_and_evaluate`` with ``TrainSpec`` and ``EvalSpec``: train, evaluating (and exporting)
after each new checkpoint at most every ``throttle_secs``, and once more at the end."""

from __future__ import annotations

import collections
import logging
import os
from typing import Any, Callable, List, Optional, Tuple

from ..compat.v1.checkpoint_hooks import CheckpointSaverListener
from ._checks import check_hooks_type, check_listeners_type
from .exporter import Exporter

log = logging.getLogger("ferroflow.estimator")


class TrainSpec(collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks", "saving_listeners"])):
    """The training half of ``train_and_evaluate``: the input, the global step to stop at, hooks."""

    def __new__(
        cls, input_fn: Callable, max_steps: Optional[int] = None, hooks: Any = None, saving_listeners: Any = None
    ) -> TrainSpec:
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(
            cls, input_fn, max_steps, tuple(check_hooks_type(hooks)), tuple(check_listeners_type(saving_listeners))
        )


class EvalSpec(
    collections.namedtuple(
        "EvalSpec", ["input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs", "throttle_secs"]
    )
):
    """The evaluation half of ``train_and_evaluate``: the input (``steps`` batches, all when None), the eval
    name, hooks, exporters, and at most one evaluation per ``throttle_secs``."""

    def __new__(
        cls,
        input_fn: Callable,
        steps: Optional[int] = 100,
        name: Optional[str] = None,
        hooks: Any = None,
        exporters: Any = None,
        start_delay_secs: float = 120,
        throttle_secs: float = 600,
    ) -> EvalSpec:
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"`name` must be string, given: {name}")
        exporters = _validate_exporters(exporters)
        if start_delay_secs < 0:
            raise ValueError(f"Must specify start_delay_secs >= 0, given: {start_delay_secs}")
        if throttle_secs < 0:
            raise ValueError(f"Must specify throttle_secs >= 0, given: {throttle_secs}")
        return super().__new__(
            cls, input_fn, steps, name, tuple(check_hooks_type(hooks)), exporters, start_delay_secs, throttle_secs
        )


def _validate_exporters(exporters: Any) -> Tuple[Exporter, ...]:
    if exporters is None:
        return ()
    if not isinstance(exporters, (list, tuple)):
        exporters = [exporters]
    names = set()
    for exporter in exporters:
        if not isinstance(exporter, Exporter):
            raise TypeError(f"`exporters` must be an Exporter, an iterable of Exporter, or `None`, found {exporter}.")
        if not exporter.name or not exporter.name.strip():
            raise ValueError(f"An Exporter cannot have a name that is `None` or empty. Exporter: {exporter}")
        if exporter.name in names:
            raise ValueError(
                f"`exporters` must have unique names. Such a name cannot be `None`. {exporter.name} already used"
            )
        names.add(exporter.name)
    return tuple(exporters)


class _Evaluator:
    def __init__(self, estimator: Any, eval_spec: EvalSpec, max_steps: Optional[int]) -> None:
        self._estimator, self._eval_spec, self._max_steps = estimator, eval_spec, max_steps
        self.eval_result: Optional[dict] = None
        self.export_results: List[Any] = []
        self.last_step: Optional[int] = None

    def evaluate_and_export(self) -> None:
        checkpoint = self._estimator.latest_checkpoint()
        if not checkpoint:
            log.info("Skip evaluation: no checkpoint yet.")
            return
        spec = self._eval_spec
        result = self._estimator.evaluate(
            spec.input_fn, steps=spec.steps, hooks=spec.hooks, name=spec.name, checkpoint_path=checkpoint
        )
        step = int(result["global_step"])
        self.eval_result, self.last_step = result, step
        final = self._max_steps is not None and step >= self._max_steps
        for exporter in spec.exporters:
            export_path = os.path.join(self._estimator.model_dir, "export", exporter.name)
            self.export_results.append(exporter.export(self._estimator, export_path, checkpoint, result, final))


class _NewCheckpointListenerForEvaluate(CheckpointSaverListener):
    """Evaluates after a checkpoint save at most every ``throttle_secs``, and after the last one."""

    def __init__(self, evaluator: _Evaluator, throttle_secs: float) -> None:
        self._evaluator = evaluator
        self._throttle_secs = throttle_secs

    def begin(self) -> None:
        from ..compat.v1.hook_timers import SecondOrStepTimer

        self._timer = SecondOrStepTimer(every_secs=self._throttle_secs)

    def after_save(self, session: Any, global_step_value: int) -> None:
        if self._timer.should_trigger_for_step(global_step_value):
            self._timer.update_last_triggered_step(global_step_value)
            self._evaluator.evaluate_and_export()

    def end(self, session: Any, global_step_value: int) -> None:
        if global_step_value != self._evaluator.last_step:
            self._evaluator.evaluate_and_export()


def train_and_evaluate(estimator: Any, train_spec: TrainSpec, eval_spec: EvalSpec) -> Tuple[Optional[dict], list]:
    """Trains ``estimator`` to ``train_spec.max_steps``, evaluating after checkpoints; returns the last
    evaluation's metrics and the exporters' results."""
    from .estimator import Estimator

    if not isinstance(estimator, Estimator):
        raise TypeError(f"`estimator` must have type `tf.estimator.Estimator`, given {type(estimator)}")
    if not isinstance(train_spec, TrainSpec):
        raise TypeError(f"`train_spec` must have type `tf.estimator.TrainSpec`, given {type(train_spec)}")
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError(f"`eval_spec` must have type `tf.estimator.EvalSpec`, given {type(eval_spec)}")
    config = estimator.config
    log.info(
        "Start train and evaluate loop. The evaluate will happen after every checkpoint. Checkpoint frequency is "
        "determined based on RunConfig arguments: save_checkpoints_steps %s or save_checkpoints_secs %s.",
        config.save_checkpoints_steps,
        config.save_checkpoints_secs,
    )
    evaluator = _Evaluator(estimator, eval_spec, train_spec.max_steps)
    listener = _NewCheckpointListenerForEvaluate(evaluator, eval_spec.throttle_secs)
    estimator.train(
        train_spec.input_fn,
        hooks=list(train_spec.hooks),
        max_steps=train_spec.max_steps,
        saving_listeners=list(train_spec.saving_listeners) + [listener],
    )
    if evaluator.eval_result is None:
        evaluator.evaluate_and_export()
    return evaluator.eval_result, evaluator.export_results
