"""``tf.estimator.Estimator``: a ``model_fn`` trained, evaluated and served through TF1 graphs and sessions.

Each call builds a new graph: the ``input_fn`` gives the features and labels, the ``model_fn`` the
``EstimatorSpec``; a ``MonitoredTrainingSession`` restores the latest checkpoint of ``model_dir`` (or
initializes), runs the steps with the hooks, and saves checkpoints and summaries back to ``model_dir``.
"""

from __future__ import annotations

import copy
import logging
import os
from typing import Any, Callable, Iterator, List, Optional

from ..framework.graph import Graph
from . import _checks, _evaluate
from ._graph_vars import graph_like_keras
from ._inputs import call_input_fn, fn_args, parse_input_fn_result
from .mode_keys import ModeKeys
from .model_fn import EstimatorSpec
from .warm_start import get_default_warm_start_settings, warm_start_saver

log = logging.getLogger("ferroflow.estimator")


def _v1() -> Any:
    from ..compat import v1

    return v1


class Estimator:
    """Trains, evaluates and exports the model a ``model_fn(features, labels, mode, params, config)`` builds.

    Checkpoints, summaries and evaluation results go to ``model_dir`` (a temporary directory if neither it nor
    ``config.model_dir`` is given); ``params`` are passed to the ``model_fn`` and the input functions that
    declare them.
    """

    def __init__(
        self,
        model_fn: Callable,
        model_dir: Optional[str] = None,
        config: Any = None,
        params: Optional[dict] = None,
        warm_start_from: Any = None,
    ) -> None:
        _checks.assert_members_are_not_overridden(Estimator, self)
        self._config = _checks.config_with_model_dir(config, model_dir)
        self._model_dir = self._config.model_dir
        self._session_config = self._config.session_config
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        _checks.verify_model_fn_args(model_fn, params)
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = get_default_warm_start_settings(warm_start_from)

    # -- properties
    @property
    def model_dir(self) -> str:
        return self._model_dir

    @property
    def config(self) -> Any:
        return copy.deepcopy(self._config)

    @property
    def params(self) -> dict:
        return copy.deepcopy(self._params)

    @property
    def model_fn(self) -> Callable:
        """The ``model_fn`` bound to this estimator's params: ``model_fn(features, labels, mode, config)``."""

        def public_model_fn(features: Any, labels: Any, mode: str, config: Any) -> EstimatorSpec:
            return self._call_model_fn(features, labels, mode, config)

        return public_model_fn

    # -- checkpoints
    def get_variable_value(self, name: str) -> Any:
        """The value of variable ``name`` in the latest checkpoint (ValueError before the first one)."""
        from ..train import load_variable

        return load_variable(_checks.check_checkpoint_available(self.model_dir), name)

    def get_variable_names(self) -> List[str]:
        """The names of the variables in the latest checkpoint (ValueError before the first one)."""
        from ..train import list_variables

        return [name for name, _ in list_variables(_checks.check_checkpoint_available(self.model_dir))]

    def latest_checkpoint(self) -> Optional[str]:
        """The path of the latest checkpoint in ``model_dir``, or None."""
        from ..train import latest_checkpoint

        return latest_checkpoint(self.model_dir)

    def eval_dir(self, name: Optional[str] = None) -> str:
        """Where ``evaluate(name=...)`` writes its summaries: ``model_dir/eval`` or ``model_dir/eval_<name>``."""
        return os.path.join(self._model_dir, "eval" if not name else "eval_" + name)

    # -- building graphs
    def _call_input_fn(self, input_fn: Callable, mode: str) -> Any:
        return call_input_fn(input_fn, mode, self.params, self.config)

    def _call_model_fn(self, features: Any, labels: Any, mode: str, config: Any) -> EstimatorSpec:
        from ..framework import context

        args = fn_args(self._model_fn)
        kwargs: dict = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        with graph_like_keras(context.get_default_graph(), self._config.tf_random_seed):
            result = self._model_fn(features=features, **kwargs)
        if not isinstance(result, EstimatorSpec):
            raise ValueError(
                f"model_fn should return an EstimatorSpec; it returned {type(result).__name__}: {result!r:.200}"
            )
        return result

    def _new_graph(self) -> Graph:
        graph = Graph()
        return graph

    def _create_and_assert_global_step(self, graph: Graph) -> Any:
        step = _v1().train.create_global_step(graph)
        assert step.dtype.is_integer
        return step

    def _scaffold_with_warm_start(self, scaffold: Any, graph: Graph, checkpoint_exists: bool) -> Any:
        """The spec's scaffold, with an ``init_fn`` that warm-starts when there is no checkpoint to restore."""
        if not self._warm_start_settings or checkpoint_exists:
            return scaffold
        saver, path = warm_start_saver(self._warm_start_settings, graph)
        if saver is None:
            return scaffold
        user_init_fn = scaffold._user_init_fn
        log.info("Warm-starting with WarmStartSettings: %s", self._warm_start_settings)

        def init_fn(scaffold_: Any, session: Any) -> None:
            if user_init_fn is not None:
                user_init_fn(scaffold_, session)
            saver.restore(session, path)

        return _v1().train.Scaffold(init_fn=init_fn, copy_from_scaffold=scaffold)

    # -- training
    def train(
        self,
        input_fn: Callable,
        hooks: Any = None,
        steps: Optional[int] = None,
        max_steps: Optional[int] = None,
        saving_listeners: Any = None,
    ) -> Estimator:
        """Trains from the latest checkpoint for ``steps`` more steps, up to global step ``max_steps``, or until
        the input ends. Returns ``self``."""
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None and max_steps <= _checks.load_global_step(self._model_dir):
            log.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _checks.check_hooks_type(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(_v1().train.StopAtStepHook(steps, max_steps))
        listeners = _checks.check_listeners_type(saving_listeners)
        from ._train import train_model

        loss = train_model(self, input_fn, hooks, listeners)
        log.info("Loss for final step: %s.", loss)
        return self

    # -- evaluation
    def evaluate(
        self,
        input_fn: Callable,
        steps: Optional[int] = None,
        hooks: Any = None,
        checkpoint_path: Optional[str] = None,
        name: Optional[str] = None,
    ) -> dict:
        """The metrics of the latest checkpoint (or ``checkpoint_path``) over ``input_fn`` (``steps`` batches, or
        until it ends): the ``model_fn``'s ``eval_metric_ops``, ``loss`` (the mean batch loss) and
        ``global_step``. They are also written to ``eval_dir(name)`` for TensorBoard."""
        v1 = _v1()
        hooks = _checks.check_hooks_type(hooks)
        hooks.extend(_evaluate.steps_to_hooks(steps))
        if not checkpoint_path:
            checkpoint_path = self.latest_checkpoint()
            if not checkpoint_path:
                log.info(
                    "Could not find trained model in model_dir: %s, running initialization to evaluate.",
                    self._model_dir,
                )
        with self._new_graph().as_default() as g:
            v1.set_random_seed(self._config.tf_random_seed)
            global_step = self._create_and_assert_global_step(g)
            features, labels, input_hooks = parse_input_fn_result(
                self._call_input_fn(input_fn, ModeKeys.EVAL), ModeKeys.EVAL
            )
            spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self.config)
            metric_ops = _evaluate.add_loss_metric(spec.eval_metric_ops, spec.loss)
            update_op, eval_dict = _evaluate.split_metric_ops(metric_ops)
            if "global_step" in eval_dict:
                raise ValueError(
                    "Metric with name `global_step` is not allowed, because Estimator already defines a default "
                    "metric with the same name."
                )
            eval_dict["global_step"] = global_step
            scaffold = self._scaffold_with_warm_start(spec.scaffold, g, bool(checkpoint_path))
            all_hooks = list(input_hooks) + hooks + list(spec.evaluation_hooks or [])
            results = _evaluate.evaluate_once(
                checkpoint_path, scaffold, update_op, eval_dict, all_hooks, self._session_config
            )
            _evaluate.write_dict_to_summary(self.eval_dir(name), results, int(results["global_step"]))
        return results

    # -- prediction
    def predict(
        self,
        input_fn: Callable,
        predict_keys: Any = None,
        hooks: Any = None,
        checkpoint_path: Optional[str] = None,
        yield_single_examples: bool = True,
    ) -> Iterator[Any]:
        """Yields the predictions of the latest checkpoint (or ``checkpoint_path``) for each example the
        ``input_fn`` gives (each batch with ``yield_single_examples=False``), until the input ends."""
        from ._predict import predict_model

        yield from predict_model(self, input_fn, predict_keys, hooks, checkpoint_path, yield_single_examples)

    # -- export
    def export_saved_model(
        self,
        export_dir_base: str,
        serving_input_receiver_fn: Callable,
        assets_extra: Optional[dict] = None,
        as_text: bool = False,
        checkpoint_path: Optional[str] = None,
        experimental_mode: str = ModeKeys.PREDICT,
    ) -> bytes:
        """Writes the PREDICT model, restored from the latest checkpoint (or ``checkpoint_path``), as a SavedModel
        in a new timestamped directory under ``export_dir_base``; returns that directory's path (bytes, as
        TensorFlow). Its signatures are the ``export_outputs`` of the ``model_fn``'s spec."""
        if not serving_input_receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        from ._export import export_saved_model

        return export_saved_model(
            self, export_dir_base, serving_input_receiver_fn, assets_extra, checkpoint_path, experimental_mode
        )

    def _export_all_saved_models(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("exporting several modes into one SavedModel is not supported")
