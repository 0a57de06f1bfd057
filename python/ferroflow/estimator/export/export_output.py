"""``tf.estimator.export.*Output``: what one serving signature of an exported model returns."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ...framework.graph import Operation, SymbolicTensor
from ...framework.tensor import Tensor


def _is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


class ExportOutput:
    """Base of the outputs of a signature: ``as_signature_outputs()`` gives its named output tensors."""

    _SEPARATOR_CHAR = "/"

    def as_signature_outputs(self) -> Dict[str, Any]:
        raise NotImplementedError

    # TensorFlow's name for the same thing (a SignatureDef there).
    def as_signature_def(self, receiver_tensors: Any) -> Dict[str, Any]:
        return self.as_signature_outputs()


class ClassificationOutput(ExportOutput):
    """``scores`` (float ``[batch, n_classes]``) and/or ``classes`` (string ``[batch, n_classes]``)."""

    def __init__(self, scores: Any = None, classes: Any = None) -> None:
        if scores is not None and not (_is_tensor(scores) and scores.dtype.is_floating):
            raise ValueError(f"Classification scores must be a float32 Tensor; got {scores}")
        if classes is not None and not (_is_tensor(classes) and classes.dtype.name == "string"):
            raise ValueError(f"Classification classes must be a string Tensor; got {classes}")
        if scores is None and classes is None:
            raise ValueError(
                "Cannot create a ClassificationOutput with empty arguments. At least one of `scores` and "
                "`classes` must be defined."
            )
        self._scores, self._classes = scores, classes

    @property
    def scores(self) -> Any:
        return self._scores

    @property
    def classes(self) -> Any:
        return self._classes

    def as_signature_outputs(self) -> Dict[str, Any]:
        out = {}
        if self._classes is not None:
            out["classes"] = self._classes
        if self._scores is not None:
            out["scores"] = self._scores
        return out


class RegressionOutput(ExportOutput):
    """One float tensor of predicted values, output ``outputs``."""

    def __init__(self, value: Any) -> None:
        if not (_is_tensor(value) and value.dtype.is_floating):
            raise ValueError(f"Regression output value must be a float32 Tensor; got {value}")
        self._value = value

    @property
    def value(self) -> Any:
        return self._value

    def as_signature_outputs(self) -> Dict[str, Any]:
        return {"outputs": self._value}


class PredictOutput(ExportOutput):
    """Any tensors: a dict keyed by output name, or one tensor (output ``output``)."""

    _SINGLE_OUTPUT_DEFAULT_NAME = "output"

    def __init__(self, outputs: Any) -> None:
        if not isinstance(outputs, dict):
            outputs = {self._SINGLE_OUTPUT_DEFAULT_NAME: outputs}
        for key, value in outputs.items():
            if not isinstance(key, str):
                raise ValueError(f"Prediction output key must be a string; got {key}.")
            if not _is_tensor(value):
                raise ValueError(f"Prediction output value must be a Tensor; got {value}.")
        self._outputs = dict(outputs)

    @property
    def outputs(self) -> Dict[str, Any]:
        return self._outputs

    def as_signature_outputs(self) -> Dict[str, Any]:
        return dict(self._outputs)


class _SupervisedOutput(ExportOutput):
    """Loss, predictions and metrics of a train or eval graph, keyed ``loss``, ``predictions/...``, ``metrics/...``."""

    def __init__(self, loss: Any = None, predictions: Any = None, metrics: Optional[dict] = None) -> None:
        self._outputs: Dict[str, Any] = {}
        if loss is not None:
            self._outputs.update(self._wrap("loss", loss))
        if predictions is not None:
            self._outputs.update(self._wrap("predictions", predictions))
        for name, (value, update) in (metrics or {}).items():
            self._outputs[f"metrics/{name}/value"] = value
            if isinstance(update, (SymbolicTensor, Operation)):
                self._outputs[f"metrics/{name}/update_op"] = update

    @staticmethod
    def _wrap(prefix: str, value: Any) -> Dict[str, Any]:
        if isinstance(value, dict):
            return {f"{prefix}/{k}": v for k, v in value.items()}
        return {prefix: value}

    @property
    def outputs(self) -> Dict[str, Any]:
        return self._outputs

    def as_signature_outputs(self) -> Dict[str, Any]:
        return dict(self._outputs)


class TrainOutput(_SupervisedOutput):
    """The outputs of a model in TRAIN mode."""


class EvalOutput(_SupervisedOutput):
    """The outputs of a model in EVAL mode."""
