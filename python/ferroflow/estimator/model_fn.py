"""``tf.estimator.EstimatorSpec``: what a ``model_fn`` returns, validated as TensorFlow validates it."""

from __future__ import annotations

import collections
from typing import Any, Optional

from ..framework import context, nest
from ..framework.graph import Operation, SymbolicTensor, as_symbolic
from ..framework.tensor import EagerTensor
from .export.export_output import ExportOutput, PredictOutput
from .mode_keys import DEFAULT_SERVING_KEY, ModeKeys

_DEFAULT_GRAPH_ERROR = (
    '{0} with "{1}" must be from the default graph. Possible causes of this error include: \n\n'
    "1) {0} was created outside the context of the default graph.\n\n"
    '2) The object passed through to EstimatorSpec was not created in the most recent call to "model_fn".'
)


def _check_is_tensor(x: Any, name: str) -> Any:
    if isinstance(x, EagerTensor):  # a constant made while the graph was built: it becomes a node of that graph
        return as_symbolic(context.get_default_graph(), x)
    if not isinstance(x, SymbolicTensor):
        raise TypeError(f"{name} must be Tensor, given: {x}")
    return x


def _check_is_tensor_or_operation(x: Any, name: str) -> None:
    from ..compat.v1.host_tensor import HostOperation, HostTensor

    if not isinstance(x, (SymbolicTensor, Operation, HostTensor, HostOperation)):
        raise TypeError(f"{name} must be Operation or Tensor, given: {x}")


def _check_graph(value: Any, what: str, label: str) -> None:
    if value.graph is not context.get_default_graph():
        raise ValueError(_DEFAULT_GRAPH_ERROR.format(what, label))


def _validate_train_op(train_op: Any, mode: str) -> Any:
    if train_op is None:
        if mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        return None
    _check_is_tensor_or_operation(train_op, "train_op")
    _check_graph(train_op, "train_op", train_op.name)
    return train_op


def _validate_loss(loss: Any, mode: str) -> Any:
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = _check_is_tensor(loss, "loss")
    if loss.shape.num_elements() not in (None, 1):
        raise ValueError(f"Loss must be scalar, given: {loss}")
    _check_graph(loss, "loss", loss.name)
    if loss.shape.rank != 0:
        from ..ops.array_ops import reshape

        with loss.graph.as_default():
            loss = reshape(loss, [])
    return loss


def _validate_predictions(predictions: Any, mode: str) -> Any:
    if predictions is None:
        if mode == ModeKeys.PREDICT:
            raise ValueError("Missing predictions.")
        return {}
    if isinstance(predictions, dict):
        predictions = {k: _check_is_tensor(v, f"predictions[{k}]") for k, v in predictions.items()}
        for key, value in predictions.items():
            _check_graph(value, "prediction values", f"{key}: {value.name}")
        return predictions
    predictions = _check_is_tensor(predictions, "predictions")
    _check_graph(predictions, "prediction values", predictions.name)
    return predictions


def get_export_outputs(export_outputs: Any, predictions: Any) -> dict:
    """``export_outputs`` checked, or ``{"serving_default": PredictOutput(predictions)}``."""
    if export_outputs is None:
        export_outputs = {DEFAULT_SERVING_KEY: PredictOutput(predictions)}
    if not isinstance(export_outputs, dict):
        raise TypeError(f"export_outputs must be dict, given: {export_outputs}")
    for value in export_outputs.values():
        if not isinstance(value, ExportOutput):
            raise TypeError(f"Values in export_outputs must be ExportOutput objects. Given: {export_outputs}")
    export_outputs = dict(export_outputs)
    if len(export_outputs) == 1:
        ((key, value),) = export_outputs.items()
        if key != DEFAULT_SERVING_KEY:
            export_outputs[DEFAULT_SERVING_KEY] = value
    if len(export_outputs) > 1 and DEFAULT_SERVING_KEY not in export_outputs:
        raise ValueError(
            "Multiple export_outputs were provided, but none of them is specified as the default.  Do this by "
            "naming one of them with signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY."
        )
    return export_outputs


def _validate_hooks(hooks: Any) -> tuple:
    from ..compat.v1.session_run_hook import SessionRunHook

    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook}")
    return hooks


def _validate_eval_metric_ops(eval_metric_ops: Any) -> dict:
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops}")
    from ..metrics.base import Metric
    from ..metrics.graph_state import as_metric_ops

    eval_metric_ops = dict(eval_metric_ops)
    for key, value in eval_metric_ops.items():
        if isinstance(value, Metric):  # a Keras metric updated in the model_fn: its (result, update op) pair
            eval_metric_ops[key] = value = as_metric_ops(value)
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(
                f"Values of eval_metric_ops must be (metric_value, update_op) tuples, given: {value} for key: {key}"
            )
        metric_value, metric_update = value
        for member in nest.flatten(metric_value):
            _check_is_tensor_or_operation(member, f"eval_metric_ops[{key}]")
        _check_is_tensor_or_operation(metric_update, f"eval_metric_ops[{key}]")
        for member in nest.flatten(value):
            _check_graph(member, "eval_metric_ops", f"{key}: {member.name}")
    return dict(eval_metric_ops)


def _validate_scaffold(scaffold: Any) -> Any:
    from ..compat.v1.scaffold import Scaffold

    scaffold = scaffold or Scaffold()
    if not isinstance(scaffold, Scaffold):
        raise TypeError(f"scaffold must be tf.train.Scaffold. Given: {scaffold}")
    return scaffold


_FIELDS = [
    "mode",
    "predictions",
    "loss",
    "train_op",
    "eval_metric_ops",
    "export_outputs",
    "training_chief_hooks",
    "training_hooks",
    "scaffold",
    "evaluation_hooks",
    "prediction_hooks",
]


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """The ops a ``model_fn`` returns to an ``Estimator``: TRAIN needs ``loss`` and ``train_op``, EVAL ``loss``,
    PREDICT ``predictions``. Tensors must come from the graph the estimator is building."""

    def __new__(
        cls,
        mode: str,
        predictions: Any = None,
        loss: Any = None,
        train_op: Any = None,
        eval_metric_ops: Optional[dict] = None,
        export_outputs: Optional[dict] = None,
        training_chief_hooks: Any = None,
        training_hooks: Any = None,
        scaffold: Any = None,
        evaluation_hooks: Any = None,
        prediction_hooks: Any = None,
    ) -> EstimatorSpec:
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError(
                f"mode must be one of ModeKeys.TRAIN, EVAL or PREDICT ({ModeKeys.TRAIN!r}, {ModeKeys.EVAL!r}, "
                f"{ModeKeys.PREDICT!r}), given: {mode!r}"
            )
        train_op = _validate_train_op(train_op, mode)
        loss = _validate_loss(loss, mode)
        predictions = _validate_predictions(predictions, mode)
        if mode == ModeKeys.PREDICT:
            export_outputs = get_export_outputs(export_outputs, predictions)
        return super().__new__(
            cls,
            mode=mode,
            predictions=predictions,
            loss=loss,
            train_op=train_op,
            eval_metric_ops=_validate_eval_metric_ops(eval_metric_ops),
            export_outputs=export_outputs,
            training_chief_hooks=_validate_hooks(training_chief_hooks),
            training_hooks=_validate_hooks(training_hooks),
            scaffold=_validate_scaffold(scaffold),
            evaluation_hooks=_validate_hooks(evaluation_hooks),
            prediction_hooks=_validate_hooks(prediction_hooks),
        )

    def _replace(self, **kwds: Any) -> EstimatorSpec:
        """A new spec with some fields replaced; the mode cannot change."""
        if "mode" in kwds and self.mode != kwds["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        fields = {name: kwds.pop(name, value) for name, value in zip(self._fields, self)}
        return EstimatorSpec(**fields)
