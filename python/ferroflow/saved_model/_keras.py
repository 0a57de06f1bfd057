"""Keras models in a SavedModel: the serving signature traced from the model, the model's config kept in the
manifest, and ``keras.models.load_model(directory)`` rebuilding the model from it (as TF 2's Keras did)."""

from __future__ import annotations

import json
from typing import Any, Optional

from ..framework import nest
from ..framework.tensor_spec import TensorSpec


def serving_signature(model: Any) -> tuple:
    """``(python function, args, kwargs, call)`` of the model's inference call, for ``_trace.record``: one
    argument ``inputs`` holding the model's input specs (named ``inputs``, ``inputs_1`` ... when flat)."""
    from ..models.export import _input_specs

    specs, structure = _input_specs(model, None)
    flat = [TensorSpec(shape, dtype) for dtype, shape in specs]
    if structure is None or len(flat) == 1 and not isinstance(structure, (list, tuple, dict)):
        inputs = flat[0]
    else:
        inputs = nest.pack_sequence_as(structure, flat)

    def serve(inputs: Any) -> Any:
        return model(inputs, training=False)

    return serve, (inputs,), {}, None


def keras_section(model: Any) -> Optional[dict]:
    """The model's config (with build and compile configs) as the manifest's ``keras`` entry; None when the
    model has no config (a subclassed model without ``get_config``), so that ``load_model`` says so."""
    from ..layers import serialize

    try:
        config = serialize(model)
        build_config = model.get_build_config() if model.built else None
        if build_config is not None:
            config["build_config"] = build_config
        compile_config = getattr(model, "_compile_config", None)
        if compile_config is not None:
            config["compile_config"] = compile_config
        json.dumps(config)
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        return None
    section = {"config": config, "weights": len(model.weights)}
    state = _layer_state(model)
    if state is not None:
        section["layer_state"] = state
    return section


def _layer_state(model: Any) -> Optional[dict]:
    """The stateful layers' state (vocabularies, adapted statistics: ``saving/layer_state_own.py``), as base64
    text by member name; None when no layer holds any."""
    import base64

    from ..saving.layer_state_own import layer_state_members

    members = layer_state_members(model)
    if members is None:
        return None
    return {name: base64.b64encode(data).decode("ascii") for name, data in members.items()}


def load_keras_model(
    path: str, custom_objects: Optional[dict] = None, compile: bool = True, safe_mode: bool = True
) -> Any:
    """The Keras model a SavedModel directory was saved from: rebuilt from its config, weights restored."""
    from ..layers import deserialize
    from ..layers.lambda_layer import unsafe_deserialization
    from ..models.saving_api import _as_tuple, _compile
    from ..models.weights_io import assign_weights
    from ._read import read_directory

    saved = read_directory(path)
    section = saved.manifest.get("keras")
    if not isinstance(section, dict) or not isinstance(section.get("config"), dict):
        origin = {"graph": "written by Model.export", "module": "saved from a tf.Module"}.get(
            saved.manifest.get("object"), "saved from a Keras model without a config"
        )
        raise ValueError(
            f"{path} is a SavedModel, but not one saved from a Keras model with a config (it was {origin}): "
            f"open it with tf.saved_model.load({path!r})"
        )
    config = section["config"]
    with unsafe_deserialization(not safe_mode):
        model = deserialize(config, custom_objects)
    values = [saved.read_variable_value(entry) for entry in saved.variables]
    try:
        build_config = config.get("build_config")
        if not model.built and build_config:
            model.build_from_config(build_config)
            if not model.built:
                model.build(_as_tuple(build_config["input_shape"]))
        assign_weights(model, model.weights, values)
        state = section.get("layer_state")
        if isinstance(state, dict):
            import base64
            import binascii

            from ..saving.layer_state_own import load_layer_state_members

            try:
                members = {str(k): base64.b64decode(v, validate=True) for k, v in state.items()}
            except (binascii.Error, TypeError) as e:
                raise ValueError(f"the manifest's layer_state is not base64 text ({e})") from e
            load_layer_state_members(model, members, path)
    except (ValueError, TypeError, KeyError) as e:
        raise ValueError(f"{path}: cannot rebuild the saved Keras model: {e}") from e
    compile_config = config.get("compile_config")
    if compile and compile_config is not None:
        _compile(model, compile_config, custom_objects)
    return model
