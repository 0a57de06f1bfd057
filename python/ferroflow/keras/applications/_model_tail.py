"""The pieces every ``keras.applications`` builder shares around its own body: the checked input at the start,
and at the end the classifier or global pooling, the functional model and its weights.

Each model keeps Keras's layer names exactly (some name their pooling layers, some leave Keras's automatic
names), so the names are arguments here rather than fixed.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, Optional

from ferroflow.keras import backend, layers

from . import _util

__all__ = ["ModelArgs", "classify_or_pool", "finish", "keras_h5_file", "model_input", "public_builder"]


def model_input(
    weights: Any,
    include_top: bool,
    classes: int,
    input_tensor: Any,
    input_shape: Any,
    default_size: int,
    min_size: int,
    errors: tuple = (),
) -> Any:
    """Checks ``weights`` and ``classes`` (``errors``: the model's own message templates), resolves the input
    shape by Keras's rules and returns the model's input tensor."""
    _util.check_weights_args(weights, include_top, classes, *errors)
    input_shape = _util.obtain_input_shape(
        input_shape, default_size, min_size, backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    return _util.make_input(input_tensor, input_shape)


def _named(name: Optional[str]) -> dict:
    return {} if name is None else {"name": name}


def classify_or_pool(
    x: Any,
    include_top: bool,
    pooling: Optional[str],
    classes: int,
    classifier_activation: Any,
    weights: Any,
    head: Optional[Callable[[Any], Any]] = None,
    pool_names: tuple = (None, None),
    predictions: Optional[Callable[[], Any]] = None,
) -> Any:
    """With ``include_top``: ``head`` (by default global average pooling named 'avg_pool'), then the
    'predictions' layer (by default a ``Dense`` of ``classes`` units with ``classifier_activation``); otherwise
    global average or max pooling as ``pooling`` asks, named ``pool_names`` (None: Keras's automatic name)."""
    if include_top:
        x = head(x) if head is not None else layers.GlobalAveragePooling2D(name="avg_pool")(x)
        _util.validate_activation(classifier_activation, weights)
        if predictions is None:
            return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
        return predictions()(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(**_named(pool_names[0]))(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(**_named(pool_names[1]))(x)
    return x


def keras_h5_file(weights_name: str, include_top: bool, hashes: tuple) -> tuple:
    """Keras's file name and hash of the pretrained ``weights_name`` model, with or without its top."""
    suffix, file_hash = ("", hashes[0]) if include_top else ("_notop", hashes[1])
    return f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5", file_hash


def finish(
    img_input: Any,
    input_tensor: Any,
    outputs: Any,
    name: str,
    weights: Any,
    imagenet_file: Optional[str],
    base_url: str,
    file_hash: Any = None,
) -> Any:
    """The functional model from the input to ``outputs``, with ``weights`` loaded."""
    model = _util.build_model(img_input, input_tensor, outputs, name)
    _util.load_weights(model, weights, imagenet_file, base_url, file_hash)
    return model


class ModelArgs(NamedTuple):
    """The arguments every model's public function takes, passed on to its builder as one value."""

    include_top: bool
    weights: Any
    input_tensor: Any
    input_shape: Any
    pooling: Optional[str]
    classes: int
    classifier_activation: Any
    name: str


def public_builder(public_name: str, default_name: str, module: str, doc: str, build: Callable[..., Any]) -> Any:
    """A model's public function with Keras's common signature, calling ``build`` with its arguments
    (one ``ModelArgs``); ``default_name`` is the model's default ``name``."""

    def builder(
        include_top: bool = True,
        weights: Any = "imagenet",
        input_tensor: Any = None,
        input_shape: Any = None,
        pooling: Optional[str] = None,
        classes: int = 1000,
        classifier_activation: Any = "softmax",
        name: str = default_name,
    ) -> Any:
        return build(
            ModelArgs(include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
        )

    builder.__name__ = builder.__qualname__ = public_name
    builder.__module__ = module
    builder.__doc__ = doc
    return builder
