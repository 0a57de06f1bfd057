"""Opening ``.keras`` archives written by Keras 3: ``config.json`` + ``metadata.json`` + ``model.weights.h5``.

The weights are HDF5 (read with ``h5py``, imported only here). Keras 3 stores each layer's own
variables as ``layers/<key>/vars/0``, ``vars/1`` ... in the layer's variable order (trainable ones
first), where ``<key>`` is the snake-case class name made unique within its container (``conv2d``,
``conv2d_1`` ...) and ``vars`` has the layer's name as its ``name`` attribute; nested models repeat
the pattern below their key, and the optimizer's variables are under ``optimizer/vars``. Every
weight in the file must land on a variable of the same shape: a missing, extra or mismatched one is a
``ValueError`` naming the layer, never a silently wrong model.
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from typing import Any, Dict, List, Optional

import numpy as np

from . import _weight_fit, keras3_layer_state, keras3_nested, keras3_sublayers
from ._zip_members import CORRUPT as _CORRUPT
from .archive import MODEL_FORMAT

__all__ = ["KERAS3_WEIGHTS", "import_h5py", "is_keras3_archive", "load_h5_weights", "load_keras3_model"]

KERAS3_WEIGHTS = "model.weights.h5"


def import_h5py(path: str) -> Any:
    """``h5py``, or an ImportError that says how to install it."""
    try:
        import h5py
    except ImportError as e:
        raise ImportError(
            f"{path} holds HDF5 weights (a file written by Keras 3); reading it needs h5py: pip install h5py "
            "(or pip install 'ferroflow[h5]')"
        ) from e
    return h5py


def is_keras3_archive(path: str) -> bool:
    """Whether ``path`` is a zip archive in Keras 3's layout (rather than ferroflow's own)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            meta = json.loads(zf.read("metadata.json")) if "metadata.json" in names else {}
    except (*_CORRUPT, ValueError, KeyError):
        return False
    if not isinstance(meta, dict) or meta.get("format") == MODEL_FORMAT or "config.json" not in names:
        return False
    return "keras_version" in meta or KERAS3_WEIGHTS in names


def load_keras3_model(
    path: str, custom_objects: Optional[dict] = None, compile: bool = True, safe_mode: bool = True
) -> Any:
    """The model of a Keras 3 archive, with its weights and (if ``compile``) its compile config."""
    from ..layers import deserialize
    from ..layers.lambda_layer import unsafe_deserialization
    from .keras3_config import translate_model_config

    config, weights = _read_archive(path)
    h5py = import_h5py(path)
    try:
        translated = translate_model_config(config, custom_objects)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from e
    with unsafe_deserialization(not safe_mode):
        try:
            model = deserialize(translated, custom_objects)
        except TypeError as e:
            raise ValueError(f"{path}: cannot rebuild the Keras model from its config: {e}") from e
    _build(model, translated.get("build_config"), path)
    try:
        h5 = h5py.File(io.BytesIO(weights), "r")
    except OSError as e:
        raise ValueError(f"{path}: corrupt archive: {KERAS3_WEIGHTS} is not a readable HDF5 file ({e})") from e
    with h5:
        with keras3_layer_state.providing_assets(keras3_layer_state.asset_members(path)):
            load_h5_weights(model, h5, path)
        compile_config = translated.get("compile_config")
        if compile and isinstance(compile_config, dict) and compile_config and _compile(model, compile_config, path):
            _restore_optimizer(model, h5.get("optimizer"), path)
    return model


def _read_archive(path: str) -> tuple:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            for member in ("config.json", KERAS3_WEIGHTS):
                if member not in names:
                    raise ValueError(f"{path}: corrupt Keras archive: member {member!r} is missing")
            config = json.loads(zf.read("config.json").decode("utf-8"))
            weights = zf.read(KERAS3_WEIGHTS)
    except (*_CORRUPT, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: corrupt Keras archive ({e})") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: corrupt Keras archive: config.json is not valid JSON ({e})") from e
    if not isinstance(config, dict):
        raise ValueError(f"{path}: corrupt Keras archive: config.json holds a {type(config).__name__}")
    return config, weights


def _build(model: Any, build_config: Any, path: str) -> None:
    if model.built or not isinstance(build_config, dict) or build_config.get("input_shape") is None:
        return
    try:
        model.build_from_config(build_config)
        if not model.built:
            shape = build_config["input_shape"]
            model.build([tuple(s) for s in shape] if shape and isinstance(shape[0], list) else tuple(shape))
    except (ValueError, TypeError) as e:
        raise ValueError(f"{path}: cannot build the Keras model from its build_config {build_config}: {e}") from e


# -- weights -----------------------------------------------------------------------------------------


def load_h5_weights(model: Any, root: Any, source: str) -> None:
    """Assigns the weights of Keras 3's HDF5 layout (the open ``h5py`` group ``root``) to ``model``."""
    _load_saveable(model, root, "", source)


def _is_model(layer: Any) -> bool:
    from ..models import Model

    return isinstance(layer, Model)


def _has_data(group: Any) -> bool:
    if not hasattr(group, "keys"):
        return True
    return any(_has_data(group[k]) for k in group.keys())


def _own_arrays(group: Any, path: str, source: str) -> List[np.ndarray]:
    vars_group = group.get("vars") if hasattr(group, "get") else None
    if vars_group is None:
        return []
    keys = list(vars_group.keys())
    if sorted(keys, key=lambda k: (len(k), k)) != [str(i) for i in range(len(keys))]:
        raise ValueError(f"{source}: corrupt weights: {path}/vars holds {sorted(keys)}, expected 0 ... {len(keys) - 1}")
    return [np.asarray(vars_group[str(i)][()]) for i in range(len(keys))]


def _load_saveable(layer: Any, group: Any, path: str, source: str) -> None:
    if not _is_model(layer) and keras3_layer_state.has_state(layer):  # preprocessing layers' state, assets
        keras3_layer_state.load_state(layer, group, path, source)
        return
    own = _own_arrays(group, path, source)
    where = f"layer '{layer.name}' ({type(layer).__name__}, {path or '/'} in the file)"
    if _is_model(layer):
        if own:
            raise ValueError(f"{source}: the file holds {len(own)} unknown weights for the model itself at {path}/vars")
        skip = {"vars", "layers", "optimizer"} if not path else {"vars", "layers"}
        _check_no_other(group, skip, path, source)
        sublayers = list(layer.layers)
        _load_container(sublayers, group.get("layers"), f"{path}/layers", source)
        return
    if keras3_nested.has_groups(layer):  # Keras keeps these weights in sub-layers (MultiHeadAttention)
        keras3_nested.load_groups(layer, group, path, source)
        return
    if keras3_sublayers.has_sublayers(layer):  # a custom layer holding layers as attributes
        keras3_sublayers.load_sublayers(layer, group, path, source, _load_saveable)
        return
    _check_no_other(group, {"vars"}, path, source)
    variables = layer._own_weights()
    if len(variables) != len(layer.weights):
        raise ValueError(f"{source}: {where} holds nested layers, which Keras 3 files cannot be mapped onto here")
    _weight_fit.check_fit(variables, own, f"{source}: {where}")
    _weight_fit.assign(variables, own)


def _check_no_other(group: Any, allowed: set, path: str, source: str) -> None:
    for key in group.keys():
        # Random layers' seed-generator state is RNG bookkeeping, not a model weight.
        if key in allowed or key.startswith("seed_generator") or not _has_data(group[key]):
            continue
        raise ValueError(f"{source}: the file holds weights at {path}/{key} that ferroflow's model has no place for")


def _keras_key(layer: Any) -> str:
    from ..layers._util import to_snake_case

    if _is_model(layer) and type(layer).__name__ == "Model" and getattr(layer, "_is_graph_network", False):
        return "functional"
    return to_snake_case(type(layer).__name__)


def _load_container(layers: list, container: Any, path: str, source: str) -> None:
    groups: Dict[str, Any] = {k: container[k] for k in container.keys()} if container is not None else {}
    by_name: Dict[str, str] = {}
    for key, group in groups.items():
        vars_group = group.get("vars") if hasattr(group, "get") else None
        name = vars_group.attrs.get("name") if vars_group is not None else None
        name = name.decode() if isinstance(name, bytes) else name
        if isinstance(name, str):
            by_name.setdefault(name, key)
    # A key is taken by name only by a layer of this model; others are matched by position, as in Keras.
    names = {layer.name for layer in layers}
    claimed = {key for name, key in by_name.items() if name in names}
    used: Dict[str, int] = {}
    consumed = set()
    for layer in layers:
        base = _keras_key(layer)
        count = used.get(base, -1) + 1
        used[base] = count
        key = by_name.get(layer.name)
        fallback = base if count == 0 else f"{base}_{count}"
        if key is None and fallback in groups and fallback not in claimed:
            key = fallback
        if key is None or key in consumed:
            if layer.weights:
                raise ValueError(
                    f"{source}: the file holds no weights for layer '{layer.name}' ({type(layer).__name__}) "
                    f"under {path}"
                )
            continue
        consumed.add(key)
        _load_saveable(layer, groups[key], f"{path}/{key}", source)
    extra = [k for k in groups if k not in consumed and _has_data(groups[k])]
    if extra:
        raise ValueError(
            f"{source}: the file holds weights for {', '.join(f'{path}/{k}' for k in extra)} that match no layer "
            "of the rebuilt model"
        )


# -- compile config and optimizer ------------------------------------------------------------------


def _compile(model: Any, config: dict, path: str) -> bool:
    try:
        model.compile_from_config(config)
    except (ValueError, TypeError, KeyError) as e:
        warnings.warn(
            f"{path}: the model was loaded uncompiled: its compile config could not be used ({e})", stacklevel=3
        )
        return False
    return True


def _restore_optimizer(model: Any, group: Any, path: str, strict: bool = False) -> None:
    """Assigns the file's ``optimizer/vars`` (Keras 3's order, ``optimizers._keras_order``) to the optimizer's
    variables. A file that does not fit warns and the optimizer starts afresh, or, if ``strict`` (a file
    ferroflow wrote), raises ValueError."""
    from ..optimizers._keras_order import keras_variables

    if group is None:
        return
    arrays = _own_arrays(group, "/optimizer", path)
    optimizer = model.optimizer
    variables = keras_variables(optimizer)
    unbuilt_fits = variables is not None and len(arrays) == len(variables)  # saved before any step
    if hasattr(optimizer, "build") and not getattr(optimizer, "built", False) and not unbuilt_fits:
        optimizer.build(model.trainable_weights)
        variables = keras_variables(optimizer)
    fits = (
        variables is not None
        and len(arrays) == len(variables)
        and all(tuple(v.shape) == tuple(np.shape(a)) for v, a in zip(variables, arrays))
    )
    if not fits:
        held = "an unknown number of" if variables is None else len(variables)
        message = (
            f"{path}: the optimizer state in the file ({len(arrays)} variables) does not fit "
            f"{type(optimizer).__name__} ({held} variables, or other shapes)"
        )
        if strict:
            raise ValueError(message)
        warnings.warn(f"{message}; it starts afresh", stacklevel=3)
        return
    for var, value in zip(variables, arrays):
        var.assign(np.asarray(value).astype(var.dtype.as_numpy_dtype, copy=False))
