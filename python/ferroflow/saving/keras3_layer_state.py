"""Keras 3's saved state of layers that define ``save_own_variables``/``load_own_variables``: the stateful
preprocessing layers (a lookup's vocabulary and IDF weights, TextVectorization's, Normalization's adapted
mean and variance), and any layer written the Keras way.

In ``model.weights.h5`` such a layer's ``vars`` group holds what ``save_own_variables`` puts in a dict
(``"0"``, ``"1"`` ... or names such as ``idf_weights``); the sub-layers Keras saves with it
(``_keras_children()``: TextVectorization's ``_lookup_layer``) are groups below it. The files that
``save_assets`` writes into a folder become the archive members ``assets/<the layer's HDF5 path>/<file>``
(``assets/layers/string_lookup/vocabulary.txt``). Loading calls ``load_own_variables`` first, then
``load_assets``, as Keras does. Assets are written and read only around a whole ``.keras`` archive
(:func:`collecting_assets`, :func:`providing_assets`): ``.weights.h5`` files hold variables only, as in Keras.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from contextvars import ContextVar
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np

__all__ = ["asset_members", "collecting_assets", "has_state", "load_state", "providing_assets", "save_state"]

ASSETS_DIR = "assets"
_ASSETS_OUT: ContextVar[Optional[Dict[str, bytes]]] = ContextVar("ferroflow_assets_out", default=None)
_ASSETS_IN: ContextVar[Optional[Dict[str, bytes]]] = ContextVar("ferroflow_assets_in", default=None)


def has_state(layer: Any) -> bool:
    """Whether ``layer`` saves its state itself: its class overrides Keras's ``save_own_variables`` or
    ``load_own_variables`` (every layer has the default ones, which save its weights as the generic path does),
    or has asset files (``save_assets``/``load_assets``)."""
    from ..layers.layer_weights import LayerWeights

    kind = type(layer)
    if not callable(getattr(layer, "save_own_variables", None)) or not callable(
        getattr(layer, "load_own_variables", None)
    ):
        return False
    return (
        getattr(kind, "save_own_variables", None) is not LayerWeights.save_own_variables
        or getattr(kind, "load_own_variables", None) is not LayerWeights.load_own_variables
        or callable(getattr(layer, "save_assets", None))  # a layer with asset files (Keras's save_assets)
        or callable(getattr(layer, "load_assets", None))
    )


@contextlib.contextmanager
def collecting_assets() -> Iterator[Dict[str, bytes]]:
    """Within it, :func:`save_state` adds the layers' asset files to the dict it yields (member name -> bytes)."""
    members: Dict[str, bytes] = {}
    token = _ASSETS_OUT.set(members)
    try:
        yield members
    finally:
        _ASSETS_OUT.reset(token)


@contextlib.contextmanager
def providing_assets(members: Dict[str, bytes]) -> Iterator[None]:
    """Within it, :func:`load_state` reads the layers' asset files from ``members`` (see :func:`asset_members`)."""
    token = _ASSETS_IN.set(members)
    try:
        yield
    finally:
        _ASSETS_IN.reset(token)


def asset_members(path: str) -> Dict[str, bytes]:
    """The ``assets/...`` files of the zip archive at ``path`` (none for a file that is not a zip)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return {
                name: zf.read(name)
                for name in zf.namelist()
                if name.startswith(ASSETS_DIR + "/") and not name.endswith("/")
            }
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"{path}: corrupt archive: cannot read its assets ({e})") from e


def _children(layer: Any) -> List[Tuple[str, Any]]:
    children = getattr(layer, "_keras_children", None)
    return list(children()) if callable(children) else []


# -- writing -------------------------------------------------------------------------------------------------


def save_state(layer: Any, group: Any) -> None:
    """Writes ``layer``'s variables into ``group`` (an h5py group, the layer's), its asset files into the
    collecting dict if any, then its sub-layers' state below it."""
    vars_group = group["vars"] if "vars" in group else group.create_group("vars")
    vars_group.attrs["name"] = layer.name
    store: Dict[str, Any] = {}
    layer.save_own_variables(store)
    for key, value in store.items():
        vars_group.create_dataset(str(key), data=np.asarray(value))
    members = _ASSETS_OUT.get()
    if members is not None and callable(getattr(layer, "save_assets", None)):
        members.update(_assets_of(layer, f"{ASSETS_DIR}{group.name}"))
    for key, child in _children(layer):
        sub = group.create_group(key)
        if has_state(child):
            save_state(child, sub)
            continue
        child_vars = sub.create_group("vars")
        child_vars.attrs["name"] = child.name
        for i, var in enumerate(child.weights):
            child_vars.create_dataset(str(i), data=np.asarray(var.numpy()))


def _assets_of(layer: Any, prefix: str) -> Dict[str, bytes]:
    out = {}
    with tempfile.TemporaryDirectory(prefix="ferroflow_assets_") as folder:
        layer.save_assets(folder)
        for root, _, files in os.walk(folder):
            for file in sorted(files):
                full = os.path.join(root, file)
                relative = os.path.relpath(full, folder).replace(os.sep, "/")
                with open(full, "rb") as f:
                    out[f"{prefix}/{relative}"] = f.read()
    return out


# -- reading -------------------------------------------------------------------------------------------------


def load_state(layer: Any, group: Any, path: str, source: str) -> None:
    """Sets ``layer``'s state from its HDF5 group (``group``, at ``path`` in the file; ``None``: nothing saved)
    and, inside :func:`providing_assets`, from its asset files.

    Raises:
        ValueError: the file does not fit the layer (naming the file, the layer and the problem).
    """
    from .keras3_format import _check_no_other

    children = _children(layer)
    where = f"layer '{layer.name}' ({type(layer).__name__}, {path or '/'} in the file)"
    store: Dict[str, np.ndarray] = {}
    if group is not None:
        _check_no_other(group, {"vars"} | {key for key, _ in children}, path, source)
        vars_group = group.get("vars")
        if vars_group is not None:
            for key in vars_group.keys():
                if hasattr(vars_group[key], "keys"):
                    raise ValueError(f"{source}: {where}: {path}/vars/{key} is a group, not a variable")
                store[key] = np.asarray(vars_group[key][()])
    members = _ASSETS_IN.get()
    try:
        layer.load_own_variables(store)
        if members is not None and callable(getattr(layer, "load_assets", None)):
            prefix = f"{ASSETS_DIR}{group.name if group is not None else path}/"
            with tempfile.TemporaryDirectory(prefix="ferroflow_assets_") as folder:
                _extract(members, prefix, folder)
                layer.load_assets(folder)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{source}: {where}: {e}") from e
    for key, child in children:
        sub = group.get(key) if group is not None else None
        if has_state(child):
            load_state(child, sub, f"{path}/{key}", source)
        elif child.weights:
            raise ValueError(f"{source}: {where}: its sub-layer '{key}' holds weights that are not read here")


def _extract(members: Dict[str, bytes], prefix: str, folder: str) -> None:
    for name, data in members.items():
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix) :].split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"the archive member {name!r} is not a plain relative file name")
        target = os.path.join(folder, *parts)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
