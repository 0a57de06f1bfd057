"""``tf.estimator.MultiHead`` (TensorFlow's ``multi_head``): several named heads trained together on one
model; logits and labels are dicts keyed by head name (logits may also be one tensor, split among the heads),
the loss is the (weighted) sum of the heads' losses."""

from __future__ import annotations

from typing import Any, Dict

from ..export.export_output import PredictOutput
from ..mode_keys import DEFAULT_SERVING_KEY, ModeKeys
from ..model_fn import EstimatorSpec
from . import _head_api as api
from . import _head_base as hb
from .metric_keys import MetricKeys as K


def _no_op_train_fn(loss: Any) -> Any:
    return hb.tf().no_op()


class MultiHead(api.Head):
    """Combines ``heads`` (each with a ``name``); ``head_weights`` weight their losses in the sum. The first
    head's default export output is the model's default serving signature."""

    def __init__(self, heads: Any, head_weights: Any = None) -> None:
        if not heads:
            raise ValueError(f"Must specify heads. Given: {heads}")
        if head_weights and len(head_weights) != len(heads):
            raise ValueError(
                "heads and head_weights must have the same size. Given len(heads): "
                f"{len(heads)}. Given len(head_weights): {len(head_weights)}."
            )
        for head in heads:
            if head.name is None:
                raise ValueError(f"All given heads must have name specified. Given: {head}")
        self._heads = tuple(heads)
        self._head_weights = tuple(head_weights) if head_weights else ()
        self._loss_keys = tuple(f"{K.LOSS}/{head.name}" for head in self._heads)

    @property
    def name(self) -> str:
        return "_".join(h.name for h in self._heads)

    @property
    def logits_dimension(self) -> int:
        return sum(h.logits_dimension for h in self._heads)

    @property
    def loss_reduction(self) -> str:
        reductions = [h.loss_reduction for h in self._heads]
        if len(set(reductions)) > 1:
            raise ValueError(f"The loss_reduction must be the same for different heads. Given: {reductions}")
        return reductions[0]

    def _split_logits(self, logits: Any) -> dict:
        t = hb.tf()
        logits = t.convert_to_tensor(logits)
        dims = [h.logits_dimension for h in self._heads]
        last = logits.shape[-1] if logits.shape.rank else None
        if last is not None and last != sum(dims):
            raise ValueError(
                f"Could not split logits of shape {logits.shape.as_list()} among the heads with individual logits "
                f"dimensions: {dims}. The last dimension of the logits tensor should equal {sum(dims)} but is {last}."
            )
        out, begin = {}, 0
        for head, dim in zip(self._heads, dims):
            out[head.name] = logits[..., begin : begin + dim]
            begin += dim
        return out

    def _check_logits_and_labels(self, logits: Any, labels: Any = None) -> dict:
        names = [h.name for h in self._heads]
        if isinstance(logits, dict):
            missing = [n for n in names if n not in logits]
            if missing:
                raise ValueError(f"logits has missing values for head(s): {missing}")
            logits_dict = logits
        else:
            logits_dict = self._split_logits(logits)
        if labels is not None:
            if not isinstance(labels, dict):
                raise ValueError(f"labels must be a dict. Given: {labels}")
            missing = [n for n in names if n not in labels]
            if missing:
                raise ValueError(f"labels has missing values for head(s): {missing}")
        return logits_dict

    def loss(
        self, labels: Any, logits: Any, features: Any = None, mode: Any = None, regularization_losses: Any = None
    ) -> Any:
        logits_dict = self._check_logits_and_labels(logits, labels)
        losses = [h.loss(labels[h.name], logits_dict[h.name], features=features, mode=mode) for h in self._heads]
        if self._head_weights:
            losses = [loss * weight for loss, weight in zip(losses, self._head_weights)]
        return api.regularized(hb.tf().math.add_n(losses), regularization_losses)

    def predictions(self, logits: Any, keys: Any = None) -> Dict[Any, Any]:
        """Every head's predictions, keyed ``(head name, prediction key)``."""
        logits_dict = self._check_logits_and_labels(logits)
        out = {}
        for head in self._heads:
            for key, value in head.predictions(logits_dict[head.name]).items():
                out[(head.name, key)] = value
        return out

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        m = api.keras_metrics()
        out = {}
        if regularization_losses is not None:
            out[K.LOSS_REGULARIZATION] = m.Mean(name=K.LOSS_REGULARIZATION)
        for key in self._loss_keys:
            out[key] = m.Mean(name=key)
        return out

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        logits_dict = self._check_logits_and_labels(logits, labels)
        api.update_regularization(eval_metrics, K.LOSS_REGULARIZATION, regularization_losses)
        for key, head in zip(self._loss_keys, self._heads):
            head_logits, head_labels = logits_dict[head.name], labels[head.name]
            eval_metrics[key].update_state(head.loss(head_labels, head_logits, features=features))
            updated = head.update_metrics(head.metrics(), features, head_logits, head_labels)
            eval_metrics.update(updated or {})
        return eval_metrics

    def create_estimator_spec(
        self,
        features: Any,
        mode: str,
        logits: Any,
        labels: Any = None,
        optimizer: Any = None,
        trainable_variables: Any = None,
        train_op_fn: Any = None,
        update_ops: Any = None,
        regularization_losses: Any = None,
    ) -> EstimatorSpec:
        t = hb.tf()
        with t.name_scope(self.name):
            logits_dict = self._check_logits_and_labels(logits, labels)
            specs = [
                head.create_estimator_spec(
                    features=features,
                    mode=mode,
                    logits=logits_dict[head.name],
                    labels=labels[head.name] if labels else None,
                    train_op_fn=_no_op_train_fn,
                )
                for head in self._heads
            ]
            predictions = self.predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions, export_outputs=self._merged_outputs(specs))
            loss = self.loss(labels, logits, features, mode, regularization_losses)
            if mode == ModeKeys.EVAL:
                metrics = self.update_metrics(
                    self.metrics(regularization_losses), features, logits, labels, regularization_losses
                )
                return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
            train_op = api.train_op_from_v2(optimizer, train_op_fn, loss, trainable_variables, update_ops)
        api.add_loss_summaries(loss, regularization_losses, lambda key: key)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    def _merged_outputs(self, specs: list) -> dict:
        """The first head's default output as the default; each head's outputs under ``<head>`` or
        ``<head>/<key>``; all heads' predictions merged under ``predict``."""
        if DEFAULT_SERVING_KEY not in specs[0].export_outputs:
            raise ValueError(f"{DEFAULT_SERVING_KEY} was not found in export_outputs of head {self._heads[0].name}")
        out = {DEFAULT_SERVING_KEY: specs[0].export_outputs[DEFAULT_SERVING_KEY]}
        merged = {}
        for head, spec in zip(self._heads, specs):
            for key, value in spec.export_outputs.items():
                out[head.name if key == DEFAULT_SERVING_KEY else f"{head.name}/{key}"] = value
                if key == api.PREDICT_SERVING_KEY and isinstance(value, PredictOutput):
                    for name, tensor in value.outputs.items():
                        merged[f"{head.name}/{name}"] = tensor
        out[api.PREDICT_SERVING_KEY] = PredictOutput(merged)
        return out
