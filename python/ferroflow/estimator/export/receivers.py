"""``tf.estimator.export`` input receivers: the placeholders a served model takes and the features they make."""

from __future__ import annotations

import collections
from typing import Any, Callable, Dict, Optional

from ...framework.ragged_tensor import RaggedTensor
from ...framework.sparse_tensor import SparseTensor
from ...framework.tensor import Tensor

SINGLE_FEATURE_DEFAULT_NAME = "feature"
SINGLE_RECEIVER_DEFAULT_NAME = "input"
SINGLE_LABEL_DEFAULT_NAME = "label"


def _wrap_and_check(tensors: Any, field_name: str, allow_composite: bool) -> Dict[str, Any]:
    if not isinstance(tensors, dict):
        tensors = {_DEFAULT_NAMES[field_name]: tensors}
    if not tensors:
        raise ValueError(f"{field_name}s must be defined.")
    for name, tensor in tensors.items():
        if not isinstance(name, str):
            raise ValueError(f"{field_name} keys must be strings: {name}.")
        if allow_composite:
            if not isinstance(tensor, (Tensor, SparseTensor, RaggedTensor)):
                raise ValueError(f"{field_name} {name} must be a Tensor, SparseTensor, or RaggedTensor.")
        elif not isinstance(tensor, Tensor):
            raise ValueError(f"{field_name} {name} must be a Tensor.")
    return dict(tensors)


_DEFAULT_NAMES = {
    "feature": SINGLE_FEATURE_DEFAULT_NAME,
    "receiver_tensor": SINGLE_RECEIVER_DEFAULT_NAME,
    "label": SINGLE_LABEL_DEFAULT_NAME,
}


class ServingInputReceiver(
    collections.namedtuple("ServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"])
):
    """``features`` for the ``model_fn`` (a dict; a lone tensor is keyed ``"feature"``) and the
    ``receiver_tensors`` (placeholders, the signature's inputs; a lone one is keyed ``"input"``)."""

    def __new__(cls, features: Any, receiver_tensors: Any, receiver_tensors_alternatives: Any = None) -> Any:
        features = _wrap_and_check(features, "feature", allow_composite=True)
        receiver_tensors = _wrap_and_check(receiver_tensors, "receiver_tensor", allow_composite=False)
        if receiver_tensors_alternatives is not None:
            raise ValueError("receiver_tensors_alternatives are not supported by ferroflow's export")
        return super().__new__(cls, features, receiver_tensors, None)


class TensorServingInputReceiver(
    collections.namedtuple(
        "TensorServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"]
    )
):
    """Like ``ServingInputReceiver``, but ``features`` is one tensor passed to the ``model_fn`` as it is."""

    def __new__(cls, features: Any, receiver_tensors: Any, receiver_tensors_alternatives: Any = None) -> Any:
        if features is None:
            raise ValueError("features must be defined.")
        if not isinstance(features, (Tensor, SparseTensor, RaggedTensor)):
            raise ValueError(f"feature must be a Tensor, SparseTensor, or RaggedTensor; given: {features!r}")
        receiver = ServingInputReceiver({SINGLE_FEATURE_DEFAULT_NAME: features}, receiver_tensors)
        return super().__new__(cls, features, receiver.receiver_tensors, None)


def _placeholder(dtype: Any, shape: Any, name: Optional[str]) -> Any:
    from ...compat import v1

    return v1.placeholder(dtype=dtype, shape=shape, name=name)


def build_raw_serving_input_receiver_fn(features: Dict[str, Any], default_batch_size: Optional[int] = None) -> Callable:
    """A receiver function taking each feature raw: one placeholder per entry of ``features`` (tensors or
    ``TensorSpec``s giving the dtype and shape), whose batch dimension becomes ``default_batch_size``."""
    if not isinstance(features, dict) or not features:
        raise ValueError(
            f"features must be a non-empty dict of feature name to Tensor or TensorSpec, given: {features!r}"
        )
    for name, value in features.items():
        if not (hasattr(value, "dtype") and hasattr(value, "shape")):
            raise ValueError(
                f"feature {name} must be a Tensor or TensorSpec giving a dtype and shape, given: {value!r}"
            )

    def serving_input_receiver_fn() -> ServingInputReceiver:
        receiver_tensors = {}
        for name, value in features.items():
            shape = list(value.shape) if value.shape is not None else None
            if shape:
                shape[0] = default_batch_size
            receiver_tensors[name] = _placeholder(value.dtype, shape, name)
        return ServingInputReceiver(receiver_tensors, dict(receiver_tensors))

    return serving_input_receiver_fn


def build_parsing_serving_input_receiver_fn(
    feature_spec: Dict[str, Any], default_batch_size: Optional[int] = None
) -> Callable:
    """A receiver function taking serialized ``tf.Example`` protos (input ``examples``) parsed with
    ``feature_spec`` (for instance ``tf.feature_column.make_parse_example_spec(columns)``)."""
    if not isinstance(feature_spec, dict) or not feature_spec:
        raise ValueError(
            f"feature_spec must be a non-empty dict of feature name to parsing spec, given: {feature_spec!r}"
        )

    def serving_input_receiver_fn() -> ServingInputReceiver:
        from ...ops.parsing_ops import parse_example

        serialized = _placeholder("string", [default_batch_size], "input_example_tensor")
        features = parse_example(serialized, feature_spec)
        return ServingInputReceiver(features, {"examples": serialized})

    return serving_input_receiver_fn
