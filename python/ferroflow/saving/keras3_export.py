"""Writing what Keras 3 reads: a model's ``config.json`` and ``model.weights.h5`` members, and HDF5 weights files.

The HDF5 layout is the one :mod:`.keras3_format` reads: a model's own (empty) ``vars`` group named after
it, its layers under ``layers/<key>`` (``<key>``: the snake-case class name made unique within its
container, ``conv2d``, ``conv2d_1`` ...), each layer's variables as ``vars/0``, ``vars/1`` ... in
order, and the optimizer's variables under ``optimizer/vars`` in Keras's order (iterations, learning
rate unless it is a schedule, then the slots as Keras creates them: ``optimizers._keras_order``). ``h5py``
is imported only when writing.
"""

from __future__ import annotations

import io
import json
import os
from typing import Any, Dict, List, Optional

import numpy as np

from . import keras3_layer_state, keras3_nested, keras3_sublayers
from .keras3_export_config import NotKerasExpressible, to_keras3_config

__all__ = ["KERAS_VERSION", "h5py_or_none", "keras3_members", "save_h5_weights_file", "write_h5_weights"]

# The Keras release whose ``.keras`` layout is written (metadata.json's ``keras_version``).
KERAS_VERSION = "3.15.1"
_WEIGHTS_MEMBER = "model.weights.h5"


def h5py_or_none() -> Any:
    """``h5py`` if it can be imported, else ``None``."""
    try:
        import h5py
    except ImportError:
        return None
    return h5py


def keras3_members(model: Any, config: Dict[str, Any], include_optimizer: bool = True) -> Optional[Dict[str, bytes]]:
    """``config.json`` and ``model.weights.h5`` for Keras 3, or ``None`` when they cannot be written.

    ``None`` means: ``h5py`` is not installed, or the model holds something Keras 3 cannot rebuild the
    same way (see :class:`NotKerasExpressible`); the archive is then ferroflow's own only.
    """
    h5py = h5py_or_none()
    if h5py is None:
        return None
    try:
        keras_config = to_keras3_config(model, config)
        buffer = io.BytesIO()
        with keras3_layer_state.collecting_assets() as assets, h5py.File(buffer, "w") as h5:
            write_h5_weights(model, h5, include_optimizer=include_optimizer)
    except (ValueError, KeyError, TypeError):  # NotKerasExpressible, or a config of an unforeseen shape
        return None
    # assets/...: the files layers write with save_assets (a lookup's vocabulary.txt), where Keras puts them
    return {"config.json": json.dumps(keras_config).encode("utf-8"), _WEIGHTS_MEMBER: buffer.getvalue(), **assets}


def save_h5_weights_file(model: Any, path: str) -> None:
    """Atomically write ``model``'s weights to ``path`` as an HDF5 file in Keras 3's layout.

    Raises:
        ImportError: h5py is not installed.
        ValueError: a layer holds nested sub-layers, which this layout cannot place here.
    """
    from ._atomic import atomic_write

    h5py = h5py_or_none()
    if h5py is None:
        raise ImportError(
            f"Saving {path} needs h5py (`.weights.h5` files are HDF5): pip install h5py, or save to a "
            "`.weights.npz` file (ferroflow's own format)"
        )
    buffer = io.BytesIO()
    try:
        with h5py.File(buffer, "w") as h5:
            write_h5_weights(model, h5, include_optimizer=True)  # as Keras's save_weights does
    except NotKerasExpressible as e:
        raise ValueError(f"Cannot save {path} in Keras's HDF5 layout: {e}; save to a `.weights.npz` file") from None
    with atomic_write(path) as f:
        f.write(buffer.getvalue())


def write_h5_weights(model: Any, root: Any, include_optimizer: bool = True) -> None:
    """Write ``model``'s weights (and, if asked and it fits Keras's layout, its optimizer's) into ``root``."""
    _save_saveable(model, root)
    if include_optimizer:
        arrays = _optimizer_arrays(model)
        if arrays is not None:
            group = root.create_group("optimizer").create_group("vars")
            group.attrs["name"] = str(getattr(model.optimizer, "name", "optimizer"))
            for i, array in enumerate(arrays):
                group.create_dataset(str(i), data=array)


def _is_model(layer: Any) -> bool:
    from ..models import Model

    return isinstance(layer, Model)


def _keras_key(layer: Any) -> str:
    from .keras3_format import _keras_key as key

    return key(layer)


def _save_saveable(layer: Any, group: Any) -> None:
    vars_group = group.create_group("vars")
    vars_group.attrs["name"] = layer.name
    if _is_model(layer):
        container = group.create_group("layers")
        used: Dict[str, int] = {}
        for sub in layer.layers:
            base = _keras_key(sub)
            count = used.get(base, -1) + 1
            used[base] = count
            _save_saveable(sub, container.create_group(base if count == 0 else f"{base}_{count}"))
        return
    if keras3_layer_state.has_state(layer):  # saves itself: preprocessing layers' vocabularies, statistics
        keras3_layer_state.save_state(layer, group)
        return
    if keras3_nested.has_groups(layer):  # Keras keeps these weights in sub-layers (MultiHeadAttention)
        keras3_nested.save_groups(layer, group)
        return
    if keras3_sublayers.has_sublayers(layer):  # a custom layer holding layers as attributes
        keras3_sublayers.save_sublayers(layer, group, vars_group, _save_saveable)
        return
    variables = layer._own_weights()
    if len(variables) != len(layer.weights):
        raise NotKerasExpressible(f"layer '{layer.name}' ({type(layer).__name__}) holds nested layers")
    for i, var in enumerate(variables):
        vars_group.create_dataset(str(i), data=np.asarray(var.numpy()))


def _optimizer_arrays(model: Any) -> Optional[List[np.ndarray]]:
    """The optimizer's variables in Keras 3's order (``optimizers._keras_order``), or ``None`` if there are
    none or they do not map (an optimizer with variables of its own)."""
    from ..optimizers._keras_order import keras_variables

    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(model, "_compile_config", None) is None:
        return None
    variables = keras_variables(optimizer)
    if not variables:
        return None
    return [np.asarray(v.numpy()) for v in variables]


def optimizer_in_h5(model: Any) -> bool:
    """Whether ``write_h5_weights`` writes ``model``'s optimizer state (in Keras 3's order)."""
    return _optimizer_arrays(model) is not None


def is_hdf5_file(path: str) -> bool:
    """Whether ``path`` starts with HDF5's signature (rather than being a zip archive)."""
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read(8) == b"\x89HDF\r\n\x1a\n"
