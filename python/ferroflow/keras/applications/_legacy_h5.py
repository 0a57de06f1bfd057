"""Keras 2's HDF5 weights layout (``*.h5`` without ``.weights``), in which Keras's pretrained application
weights are published: the root (or its ``model_weights`` group) lists ``layer_names``; each layer's group
lists its ``weight_names``. As Keras does, the layers that hold weights are matched in order, and every
weight must have the shape of the variable it lands on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["load_legacy_h5"]


def _text(values: Any) -> list:
    return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in values]


def load_legacy_h5(model: Any, path: str) -> None:
    """Assigns the weights of the Keras 2 HDF5 file ``path`` to ``model``'s layers, in order."""
    from ferroflow.saving._weight_fit import assign, check_fit
    from ferroflow.saving.keras3_export import is_hdf5_file
    from ferroflow.saving.keras3_format import import_h5py

    if not is_hdf5_file(path):
        raise ValueError(f"{path} is not an HDF5 weights file (expected a Keras `.h5` or `.weights.h5` file)")
    h5py = import_h5py(path)
    with h5py.File(path, "r") as f:
        if "layer_names" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]
        if "layer_names" not in f.attrs:  # a Keras 3 layout under a plain `.h5` name
            from ferroflow.saving.keras3_format import load_h5_weights

            load_h5_weights(model, f, path)
            return
        stored = []
        for name in _text(f.attrs["layer_names"]):
            group = f[name]
            names = _text(group.attrs.get("weight_names", []))
            if names:
                stored.append((name, [np.asarray(group[w][()]) for w in names]))
        layers = [layer for layer in model.layers if layer.weights]
        if len(stored) != len(layers):
            raise ValueError(
                f"Weight file {path} contains {len(stored)} layers, but {len(layers)} layers were found in the "
                f"model '{model.name}'."
            )
        for layer, (name, arrays) in zip(layers, stored):
            check_fit(layer.weights, arrays, f"{path}: layer '{layer.name}' (file layer '{name}')")
            assign(layer.weights, arrays)
