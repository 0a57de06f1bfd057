"""The prediction loop of ``Estimator.predict``: the PREDICT graph run by a ``MonitoredSession``."""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterator, Optional

from . import _checks
from ._inputs import parse_input_fn_result
from .mode_keys import ModeKeys

log = logging.getLogger("ferroflow.estimator")


def predict_model(
    estimator: Any,
    input_fn: Callable,
    predict_keys: Any,
    hooks: Any,
    checkpoint_path: Optional[str],
    yield_single_examples: bool,
) -> Iterator[Any]:
    """Builds the PREDICT graph and yields its predictions (per example or per batch) until the input ends."""
    from ..compat import v1

    hooks = _checks.check_hooks_type(hooks)
    if not checkpoint_path:
        checkpoint_path = estimator.latest_checkpoint()
    if not checkpoint_path:
        log.info(
            "Could not find trained model in model_dir: %s, running initialization to predict.", estimator._model_dir
        )
    with estimator._new_graph().as_default() as g:
        v1.set_random_seed(estimator._config.tf_random_seed)
        estimator._create_and_assert_global_step(g)
        features, _, input_hooks = parse_input_fn_result(
            estimator._call_input_fn(input_fn, ModeKeys.PREDICT), ModeKeys.PREDICT
        )
        spec = estimator._call_model_fn(features, None, ModeKeys.PREDICT, estimator.config)
        predictions = _extract_keys(spec.predictions, predict_keys)
        scaffold = estimator._scaffold_with_warm_start(spec.scaffold, g, bool(checkpoint_path))
        all_hooks = list(input_hooks) + hooks + list(spec.prediction_hooks or [])
        creator = v1.train.ChiefSessionCreator(
            checkpoint_filename_with_path=checkpoint_path, scaffold=scaffold, config=estimator._session_config
        )
        with _checks.explained_restore_errors(estimator._model_dir):
            monitored = v1.train.MonitoredSession(session_creator=creator, hooks=all_hooks)
        with monitored as session:
            while not session.should_stop():
                values = session.run(predictions)
                if not yield_single_examples:
                    yield values
                elif not isinstance(predictions, dict):
                    yield from values
                else:
                    for i in range(_extract_batch_length(values)):
                        yield {key: value[i] for key, value in values.items()}


def _extract_keys(predictions: Any, predict_keys: Any) -> Any:
    if not predict_keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
    existing = list(predictions.keys())
    chosen = {key: value for key, value in predictions.items() if key in predict_keys}
    if not chosen:
        raise ValueError(f"Expected to run at least one output from {existing}, provided {predict_keys}.")
    return chosen


def _extract_batch_length(values: dict) -> int:
    batch_length = None
    for key, value in values.items():
        batch_length = batch_length or value.shape[0]
        if value.shape[0] != batch_length:
            raise ValueError(
                f"Batch length of predictions should be same. {key} has different batch length than others."
            )
    return batch_length or 0
