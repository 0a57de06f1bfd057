"""Setting weights from arrays with clear errors, and ``save_weights`` / ``load_weights`` files."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

WEIGHTS_SUFFIXES = (".weights.h5", ".weights.npz")


def assign_weights(owner: Any, variables: list, values: Any) -> None:
    """Assigns ``values`` (arrays, in order) to ``variables``; checks the count and every shape first."""
    values = list(values)
    if len(values) != len(variables):
        raise ValueError(
            f'You called `set_weights(weights)` on layer "{owner.name}" with a weight list of length '
            f"{len(values)}, but the layer was expecting {len(variables)} weights."
        )
    arrays = check_shapes(owner, variables, values)
    for var, array in zip(variables, arrays):
        var.assign(array)


def check_shapes(owner: Any, variables: list, values: list) -> list:
    arrays = []
    for var, value in zip(variables, values):
        array = np.asarray(value)
        if tuple(array.shape) != tuple(var.shape):
            raise ValueError(
                f"Layer {owner.name} weight shape {tuple(var.shape)} is not compatible with provided weight "
                f"shape {tuple(array.shape)} (weight '{var.name}')."
            )
        arrays.append(array.astype(var.dtype.as_numpy_dtype, copy=False))
    return arrays


def check_weights_path(filepath: Any) -> str:
    path = os.fspath(filepath)
    if not path.endswith(WEIGHTS_SUFFIXES):
        # Keras 3's text; ferroflow also accepts its own `.weights.npz` form (documented on save_weights).
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    return path


def save_weights(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """``.weights.h5``: HDF5 in Keras 3's layout (needs h5py); ``.weights.npz``: ferroflow's own format."""
    from ..layers.keras_variable import file_key
    from ..saving import write_weights_file
    from ..saving.keras3_export import save_h5_weights_file

    path = check_weights_path(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    if path.endswith(".weights.h5"):
        _check_built(model, path, "save")
        save_h5_weights_file(model, path)
        return
    write_weights_file(path, [(file_key(v), v.numpy()) for v in model.weights], metadata=_metadata())


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False) -> None:
    """Reads Keras 3's HDF5 weights files, and ferroflow's own (``.weights.npz``, or zip-in-``.h5`` ones)."""
    from ..saving import read_weights_file
    from ..saving.keras3_export import is_hdf5_file

    if not str(filepath).endswith(WEIGHTS_SUFFIXES):
        # Keras 3 looks for a checkpoint directory next: what is not a path (None, as `latest_checkpoint`
        # returns when it finds nothing) is os.stat's TypeError, as there.
        os.path.isdir(filepath)
    path = check_weights_path(filepath)
    if is_hdf5_file(path):
        _check_built(model, path, "load")
        _load_hdf5(model, path)
        return
    pairs = read_weights_file(path)
    _check_built(model, path, "load")
    variables = model.weights
    if len(pairs) != len(variables):
        raise ValueError(
            f"{path} holds {len(pairs)} weights, but model '{model.name}' has {len(variables)}: "
            "it was saved from a different model"
        )
    try:
        assign_weights(model, variables, [a for _, a in pairs])
    except ValueError as e:
        raise ValueError(f"Cannot load {path}: {e}") from None


def _check_built(model: Any, path: str, verb: str) -> None:
    if model.built:
        return
    if verb == "save":  # Keras's message
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first by calling it "
            "on some data or by using `build()`."
        )
    raise ValueError(
        f"Cannot load weights from {path} into the unbuilt model '{model.name}': build it first "
        "(call it on a batch, or model.build(input_shape))"
    )


def _load_hdf5(model: Any, path: str) -> None:
    from ..saving.keras3_format import import_h5py, load_h5_weights

    h5py = import_h5py(path)
    try:
        h5 = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{path}: not a readable HDF5 weights file ({e})") from e
    with h5:
        load_h5_weights(model, h5, path)
        _load_optimizer_state(model, h5, path)


def _load_optimizer_state(model: Any, h5: Any, path: str) -> None:
    """Keras 3's ``load_weights`` also restores a compiled model's optimizer from the file's ``optimizer/vars``
    (step count, learning rate, slots; Keras's order, ``optimizers._keras_order``) when the counts agree. An
    optimizer not built yet (no slots) or of another kind, or a file without optimizer state, gives Keras's
    warning and the optimizer is left as it is: ``load_weights`` never builds it."""
    import warnings

    from ..optimizers._keras_order import keras_variables
    from ..saving.keras3_format import _own_arrays

    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(model, "_compile_config", None) is None:
        return
    group = h5.get("optimizer")
    arrays = _own_arrays(group, "/optimizer", path) if group is not None else []
    variables = keras_variables(optimizer) or list(getattr(optimizer, "variables", None) or [])
    if len(arrays) != len(variables):
        message = (
            f"Skipping variable loading for optimizer '{optimizer.name}', because it has {len(variables)} "
            f"variables whereas the saved optimizer has {len(arrays)} variables. "
        )
        if not variables:
            message += "This is likely because the optimizer has not been called/built yet."
        warnings.warn(message, stacklevel=4)
        return
    for var, value in zip(variables, arrays):
        value = np.asarray(value)
        if tuple(value.shape) != tuple(var.shape):
            raise ValueError(
                "The shape of the target variable and the shape of the target value in `variable.assign(value)` "
                f"must match. variable.shape={tuple(var.shape)}, Received: value.shape={tuple(value.shape)}. "
                f"Target variable: {var}"
            )
    for var, value in zip(variables, arrays):
        var.assign(np.asarray(value).astype(var.dtype.as_numpy_dtype, copy=False))


def _metadata() -> dict:
    from .. import __version__

    return {"ferroflow_version": __version__}
