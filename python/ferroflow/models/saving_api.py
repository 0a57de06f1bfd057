"""``model.save("m.keras")`` and ``load_model``: config + weights + compile config + optimizer state."""

from __future__ import annotations

import os
from typing import Any, Optional

import numpy as np


def _check_keras_path(filepath: Any) -> str:
    path = os.fspath(filepath)
    if not path.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add a `.keras` extension for the native Keras format "
            f"(`.h5` and SavedModel folders are not supported by ferroflow). Received: filepath={path}"
        )
    return path


def save_model(model: Any, filepath: Any, overwrite: bool = True, include_optimizer: bool = True, **_: Any) -> None:
    """Writes ``model`` to a ``.keras`` archive (atomically: a failed save leaves any old file as it was).

    With h5py installed, and a Sequential or functional model of layers Keras 3 also has, the archive
    holds Keras 3's ``config.json`` and ``model.weights.h5`` as well, so that ``keras.models.load_model``
    opens it; otherwise it is ferroflow's own format only (see ``saving/archive.py``).
    """
    from .. import __version__
    from ..layers import serialize
    from ..layers.keras_variable import file_key
    from ..saving import write_model_archive
    from ..saving.keras3_export import KERAS_VERSION, keras3_members, optimizer_in_h5
    from ..saving.layer_state_own import layer_state_members

    path = _check_keras_path(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    config = serialize(model)
    build_config = model.get_build_config() if model.built else None
    if build_config is not None:
        config["build_config"] = build_config
    compile_config = getattr(model, "_compile_config", None)
    if compile_config is not None:
        config["compile_config"] = compile_config
    weights = [(file_key(v), v.numpy()) for v in model.weights]
    optimizer_state = None
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and compile_config is not None:
        variables = list(getattr(optimizer, "variables", None) or [])
        optimizer_state = [(getattr(v, "name", f"var_{i}"), np.asarray(v)) for i, v in enumerate(variables)]
    keras_members = keras3_members(model, config, include_optimizer=optimizer_state is not None)
    metadata = {"ferroflow_version": __version__}
    saved_weights: Optional[list] = weights
    if keras_members is not None:
        metadata["keras_version"] = KERAS_VERSION
        saved_weights = None  # model.weights.h5 holds them: each weight is written once
        if optimizer_state is not None and optimizer_in_h5(model):
            optimizer_state = None  # in model.weights.h5 too, in Keras's order
    # Without Keras's members, the layers' state (vocabularies, adapted statistics) is kept in ferroflow's own way.
    extra = layer_state_members(model) if keras_members is None else None
    write_model_archive(
        path, config, saved_weights, optimizer_state, metadata=metadata, keras_members=keras_members,
        extra_members=extra,
    )


def load_model(
    filepath: Any, custom_objects: Optional[dict] = None, compile: bool = True, safe_mode: bool = True
) -> Any:
    """Rebuilds a model saved with ``model.save``: same layers, weights and (if ``compile``) optimizer state."""
    from ..layers import deserialize
    from ..saving import read_model_archive
    from ..saving.layer_state_own import load_layer_state
    from .weights_io import assign_weights

    path = os.fspath(filepath)
    if os.path.isdir(path):
        # A SavedModel directory saved from a Keras model (tf.saved_model.save), as TF 2's Keras opened them.
        from ..saved_model import contains_saved_model
        from ..saved_model._keras import load_keras_model

        if contains_saved_model(path):
            return load_keras_model(path, custom_objects, compile=compile, safe_mode=safe_mode)
    if not path.endswith(".keras"):
        raise ValueError(
            f"File format not supported: filepath={path}. ferroflow's load_model() reads `.keras` files saved "
            "with model.save(), and SavedModel directories saved with tf.saved_model.save(). To load weights "
            "only, use model.load_weights()."
        )
    from ..saving.keras3_format import is_keras3_archive, load_keras3_model

    if is_keras3_archive(path):
        return load_keras3_model(path, custom_objects, compile=compile, safe_mode=safe_mode)
    archive = read_model_archive(path)
    config = archive.config
    from ..layers.lambda_layer import unsafe_deserialization

    with unsafe_deserialization(not safe_mode):
        model = deserialize(config, custom_objects)
    try:
        build_config = config.get("build_config")
        if not model.built and build_config:
            model.build_from_config(build_config)
            if not model.built:
                model.build(_as_tuple(build_config["input_shape"]))
        variables = model.weights
        if archive.weights is None:  # format_version 2: the weights are in model.weights.h5 only
            _keras_weights(model, archive.keras_weights, path, optimizer=False)
        elif len(variables) != len(archive.weights):
            raise ValueError(
                f"the model built from the saved config has {len(variables)} weights, the file holds "
                f"{len(archive.weights)}"
            )
        else:
            assign_weights(model, variables, [a for _, a in archive.weights])
            load_layer_state(model, path)
    except (ValueError, TypeError, KeyError) as e:
        raise ValueError(f"{path}: cannot rebuild the saved model: {e}") from e
    compile_config = config.get("compile_config")
    if compile and compile_config is not None:
        _compile(model, compile_config, custom_objects)
        if archive.optimizer_state:
            _restore_optimizer(model, archive.optimizer_state, path)
        elif archive.weights is None:
            _keras_weights(model, archive.keras_weights, path, optimizer=True)
    return model


def _keras_weights(model: Any, data: Optional[bytes], path: str, optimizer: bool) -> None:
    """The weights (or, if ``optimizer``, the optimizer state) from a ``model.weights.h5`` that ferroflow
    wrote: Keras 3's layout, read as a Keras-written file's is, but strictly."""
    import io

    from ..saving import keras3_layer_state
    from ..saving.keras3_format import _restore_optimizer as restore_keras_optimizer
    from ..saving.keras3_format import import_h5py, load_h5_weights

    h5py = import_h5py(path)
    try:
        h5 = h5py.File(io.BytesIO(data or b""), "r")
    except OSError as e:
        raise ValueError(f"corrupt archive: model.weights.h5 is not a readable HDF5 file ({e})") from e
    with h5:
        if optimizer:
            restore_keras_optimizer(model, h5.get("optimizer"), path, strict=True)
        else:
            with keras3_layer_state.providing_assets(keras3_layer_state.asset_members(path)):
                load_h5_weights(model, h5, path)


def _as_tuple(shape: Any) -> Any:
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        return [tuple(s) for s in shape]
    return tuple(shape)


def _compile(model: Any, compile_config: dict, custom_objects: Optional[dict]) -> None:
    if hasattr(model, "compile_from_config"):
        model.compile_from_config(compile_config)
        return
    config = dict(compile_config)
    opt = config.get("optimizer")
    if isinstance(opt, dict):
        from .. import optimizers

        config["optimizer"] = optimizers.deserialize(opt, custom_objects=custom_objects)
    model.compile(**config)


def _restore_optimizer(model: Any, state: list, path: str) -> None:
    optimizer = model.optimizer
    variables = list(getattr(optimizer, "variables", None) or [])
    if hasattr(optimizer, "build") and not getattr(optimizer, "built", False) and len(variables) != len(state):
        optimizer.build(model.trainable_weights)  # (a state saved before any step fits the unbuilt optimizer)
    variables = list(getattr(optimizer, "variables", None) or [])
    if len(variables) != len(state):
        raise ValueError(
            f"{path}: the optimizer state holds {len(state)} variables, but the rebuilt optimizer has {len(variables)}"
        )
    for var, (name, value) in zip(variables, state):
        if tuple(var.shape) != tuple(value.shape):
            raise ValueError(
                f"{path}: optimizer variable '{name}' has shape {tuple(value.shape)} in the file, "
                f"{tuple(var.shape)} in the rebuilt optimizer"
            )
    for var, (_, value) in zip(variables, state):
        var.assign(value.astype(var.dtype.as_numpy_dtype, copy=False))
