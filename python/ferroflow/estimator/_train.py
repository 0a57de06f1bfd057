"""The training loop of ``Estimator.train``: TensorFlow's hooks and ``MonitoredTrainingSession`` set-up."""

from __future__ import annotations

import logging
from typing import Any, Callable, List

from ..framework import context
from ._checks import explained_restore_errors
from ._inputs import parse_input_fn_result
from .mode_keys import ModeKeys

log = logging.getLogger("ferroflow.estimator")


def train_model(estimator: Any, input_fn: Callable, hooks: List[Any], saving_listeners: List[Any]) -> Any:
    """Builds the TRAIN graph and runs it; returns the loss of the last step (None if no step ran)."""
    from ..compat import v1

    config = estimator._config
    with estimator._new_graph().as_default() as g:
        v1.set_random_seed(config.tf_random_seed)
        global_step = estimator._create_and_assert_global_step(g)
        features, labels, input_hooks = parse_input_fn_result(
            estimator._call_input_fn(input_fn, ModeKeys.TRAIN), ModeKeys.TRAIN
        )
        spec = estimator._call_model_fn(features, labels, ModeKeys.TRAIN, estimator.config)
        return _train_with_estimator_spec(estimator, spec, list(input_hooks), hooks, global_step, saving_listeners)


def _has_loss_summary(graph: Any) -> bool:
    for summary in graph.get_collection("summaries"):
        name = getattr(getattr(summary, "op", None), "name", "")
        if name == "loss" or name.endswith("/loss"):
            return True
    return False


def _train_with_estimator_spec(
    estimator: Any, spec: Any, worker_hooks: List[Any], hooks: List[Any], global_step: Any, saving_listeners: List[Any]
) -> Any:
    from ..compat import v1

    config = estimator._config
    graph = context.get_default_graph()
    checkpoint_exists = estimator.latest_checkpoint() is not None
    scaffold = estimator._scaffold_with_warm_start(spec.scaffold, graph, checkpoint_exists)
    # A summary named "loss" for TensorBoard, unless the model_fn made one.
    if not _has_loss_summary(graph):
        v1.summary.scalar("loss", spec.loss)
    graph.add_to_collection("losses", spec.loss)
    worker_hooks.extend(hooks)
    worker_hooks.append(v1.train.NanTensorHook(spec.loss))
    if config.log_step_count_steps is not None:
        worker_hooks.append(
            v1.train.LoggingTensorHook(
                {"loss": spec.loss, "step": global_step}, every_n_iter=config.log_step_count_steps
            )
        )
    worker_hooks.extend(spec.training_hooks)
    if not (scaffold.saver or graph.get_collection("savers")):
        graph.add_to_collection(
            "savers",
            v1.train.Saver(
                sharded=True,
                max_to_keep=config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
                defer_build=True,
                save_relative_paths=True,
            ),
        )
    chief_hooks: List[Any] = []
    all_hooks = worker_hooks + list(spec.training_chief_hooks)
    saver_hooks = [h for h in all_hooks if isinstance(h, v1.train.CheckpointSaverHook)]
    if config.save_checkpoints_secs or config.save_checkpoints_steps:
        if not saver_hooks:
            chief_hooks = [
                v1.train.CheckpointSaverHook(
                    estimator.model_dir,
                    save_secs=config.save_checkpoints_secs,
                    save_steps=config.save_checkpoints_steps,
                    scaffold=scaffold,
                )
            ]
            saver_hooks = [chief_hooks[0]]
    if saving_listeners:
        if not saver_hooks:
            raise ValueError(
                "There should be a CheckpointSaverHook to use saving_listeners. Please set one of the "
                "RunConfig.save_checkpoints_steps or RunConfig.save_checkpoints_secs."
            )
        for listener in saving_listeners:
            if listener not in saver_hooks[0]._listeners:
                saver_hooks[0]._listeners.append(listener)
    loss = None
    any_step_done = False
    with explained_restore_errors(estimator.model_dir):
        session = v1.train.MonitoredTrainingSession(
            checkpoint_dir=estimator.model_dir,
            scaffold=scaffold,
            hooks=worker_hooks,
            chief_only_hooks=tuple(chief_hooks) + tuple(spec.training_chief_hooks),
            save_checkpoint_secs=0,  # the CheckpointSaverHook above saves
            save_summaries_steps=config.save_summary_steps,
            config=estimator._session_config,
            max_wait_secs=config.session_creation_timeout_secs,
            log_step_count_steps=config.log_step_count_steps,
        )
    with session as mon_sess:
        while not mon_sess.should_stop():
            _, loss = mon_sess.run([spec.train_op, spec.loss])
            any_step_done = True
    if not any_step_done:
        log.warning("Training with estimator made no steps. Perhaps input is empty or misspecified.")
    return loss
