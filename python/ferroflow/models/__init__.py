"""Keras models (``keras.models``): ``Model``, ``Sequential``, ``load_model``."""

from __future__ import annotations

from .model import Model
from .saving_api import load_model, save_model
from .sequential import Sequential

Functional = Model

__all__ = ["Functional", "Model", "Sequential", "load_model", "save_model", "clone_model", "model_from_json"]


def model_from_json(json_string: str, custom_objects: dict = None) -> Model:
    import json

    from ..layers import deserialize

    return deserialize(json.loads(json_string), custom_objects)


def clone_model(model: Model, input_tensors: object = None, clone_function: object = None) -> Model:
    """A new model with the same architecture and freshly initialized weights."""
    from ..layers import deserialize, serialize

    return deserialize(serialize(model))

from ferroflow._api import public_dir as _public_dir  # noqa: E402

# ``Functional`` (what ``Model(inputs, outputs)`` builds) stays importable but is not listed, as in Keras.
__dir__ = _public_dir(globals(), hidden=("Functional",))
