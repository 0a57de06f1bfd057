"""What every ``keras.applications`` model shares: Keras's input-shape rules, the ``weights`` argument, and
finding pretrained files in Keras's cache (``$KERAS_HOME/models``, default ``~/.keras/models``).

The pretrained files are the ones Keras downloads, under Keras's exact names, so a cache Keras filled works
unchanged. Without network access the download cannot happen, so a missing file is a clear error naming the
file and the folder to put it in, rather than a model with silently random weights.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Optional

from ferroflow.keras import activations, backend, layers
from ferroflow.models import Model

__all__ = [
    "build_model",
    "cache_file",
    "check_weights_args",
    "correct_pad",
    "is_file",
    "load_weights",
    "make_input",
    "obtain_input_shape",
    "pretrained_rows",
    "square_default_size",
    "validate_activation",
]


def _cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "models"


def cache_file(fname: str, origin: str, file_hash: Optional[str] = None, what: str = "weights") -> str:
    """The path of ``fname`` in Keras's cache; downloads it from ``origin`` when missing and the network
    allows, else raises ``FileNotFoundError`` saying where to put the file."""
    path = _cache_dir() / fname
    if path.exists():
        return str(path)
    from ferroflow.utils.get_file import get_file

    try:
        return get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    except Exception as e:  # offline: no socket, no DNS, refused ...
        raise FileNotFoundError(
            f"The {what} file '{fname}' is not in the Keras cache and could not be downloaded from {origin} "
            f"({type(e).__name__}: {e}). Download it elsewhere and place it at {path} (the folder is "
            "$KERAS_HOME/models, by default ~/.keras/models)."
        ) from None


def is_file(weights: Any) -> bool:
    """Whether ``weights`` names an existing file."""
    return isinstance(weights, (str, os.PathLike)) and os.path.exists(weights)


_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), 'imagenet' "
    "(pre-training on ImageNet), or the path to the weights file to be loaded.  Received: "
    "weights={weights}"
)
_CLASSES_ERROR = (
    "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes={classes}"
)


def check_weights_args(
    weights: Any,
    include_top: bool,
    classes: int,
    weights_error: str = _WEIGHTS_ERROR,
    classes_error: str = _CLASSES_ERROR,
) -> None:
    """Keras's checks of ``weights`` (None, 'imagenet' or an existing file) and of ``classes``; each model
    raises its own Keras message (templates formatted with ``weights`` and ``classes``)."""
    if not (weights in {"imagenet", None} or is_file(weights)):
        raise ValueError(weights_error.format(weights=weights))
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(classes_error.format(classes=classes))


def obtain_input_shape(
    input_shape: Any, default_size: int, min_size: int, data_format: str, require_flatten: bool, weights: Any = None
) -> tuple:
    """The model's input shape from the user's ``input_shape`` (validated), with Keras's rules and messages."""
    first = data_format == "channels_first"
    if input_shape is not None:
        input_shape = tuple(input_shape)
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an input_shape "
                f"with {channels} input channels.",
                stacklevel=3,
            )
        default_shape = (channels, default_size, default_size) if first else (default_size, default_size, channels)
    else:
        default_shape = (3, default_size, default_size) if first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be "
                f"{default_shape}.  Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels, spatial = (input_shape[0], input_shape[1:]) if first else (input_shape[-1], input_shape[:2])
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        if any(s is not None and s < min_size for s in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            f"If `include_top` is True, you should specify a static `input_shape`. Received: input_shape={input_shape}"
        )
    return input_shape


def correct_pad(inputs: Any, kernel_size: Any) -> tuple:
    """Zero-padding that makes a strided 'valid' convolution behave like TF's 'same' one."""
    first = backend.image_data_format() == "channels_first"
    size = tuple(inputs.shape)[2:4] if first else tuple(inputs.shape)[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pretrained weights were trained with softmax: only softmax or no activation (logits) fit them."""
    if weights is None:
        return
    fn = activations.get(classifier_activation)
    if fn not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when "
            f"using pretrained weights, with `include_top=True`; Received: classifier_activation={fn}"
        )


def make_input(input_tensor: Any, input_shape: tuple) -> Any:
    """The model's input: a new ``Input``, or ``input_tensor`` (wrapped when it is not a Keras tensor)."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if getattr(input_tensor, "_is_keras_tensor", False):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=input_shape)


def _source_inputs(tensor: Any) -> list:
    """The ``Input`` tensors ``tensor`` was computed from (in the order first reached)."""
    from ferroflow.layers.input_layer import InputLayer

    found: list = []
    stack, seen = [tensor], set()
    while stack:
        t = stack.pop()
        history = getattr(t, "_keras_history", None)
        if history is None or id(t) in seen:
            if history is None and t not in found:
                found.append(t)
            continue
        seen.add(id(t))
        layer, node_index, _ = history
        if isinstance(layer, InputLayer):
            if not any(t is f for f in found):
                found.append(t)
            continue
        stack.extend(reversed(layer._inbound_nodes[node_index].input_tensors))
    return found


def build_model(img_input: Any, input_tensor: Any, outputs: Any, name: str) -> Any:
    """The functional model from the source inputs of ``input_tensor`` (or ``img_input``) to ``outputs``."""
    inputs = _source_inputs(input_tensor) if input_tensor is not None else img_input
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    return Model(inputs, outputs, name=name)


def load_weights(model: Any, weights: Any, imagenet_file: Optional[str], base_url: str, file_hash: Any = None) -> None:
    """Loads ``weights``: the imagenet file of Keras's cache, or a local ``.weights.h5`` / legacy ``.h5`` file."""
    if weights is None:
        return
    if weights == "imagenet":
        if imagenet_file is None:
            return
        path = cache_file(imagenet_file, base_url + imagenet_file, file_hash)
    else:
        path = os.fspath(weights)
    if path.endswith((".weights.h5", ".weights.npz")):
        model.load_weights(path)
        return
    from ._legacy_h5 import load_legacy_h5

    load_legacy_h5(model, path)


def square_default_size(input_shape: Any, input_tensor: Any, sizes: tuple) -> int:
    """The MobileNets' default size: the input's side when square and one of the pretrained ``sizes``."""
    first = backend.image_data_format() == "channels_first"
    if input_shape is not None:
        rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    elif getattr(input_tensor, "_is_keras_tensor", False):
        shape = tuple(input_tensor.shape)
        rows, cols = (shape[2], shape[3]) if first else (shape[1], shape[2])
    else:
        return 224
    return rows if rows == cols and rows in sizes else 224


def pretrained_rows(input_shape: tuple, weights: Any, sizes: tuple) -> int:
    """The input side whose pretrained file is used (224, with Keras's warning, when none fits)."""
    first = backend.image_data_format() == "channels_first"
    rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    if weights == "imagenet" and (rows != cols or rows not in sizes):
        rows = 224
        warnings.warn(
            "`input_shape` is undefined or non-square, or `rows` is not in "
            f"[{', '.join(str(s) for s in sizes)}]. Weights for input shape (224, 224) will be loaded as the default.",
            stacklevel=3,
        )
    return rows
