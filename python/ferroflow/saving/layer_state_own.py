"""The stateful layers' state (vocabularies, IDF weights, adapted statistics) in ferroflow's own archive: a
model written without Keras 3's members (one Keras cannot describe, such as one with a Lambda layer or a
subclassed model, or when h5py is missing) keeps it too.

It is the tree :mod:`.keras3_layer_state` writes into ``model.weights.h5``, flattened: ``layer_state.npz``
holds each variable (``arr_0`` ...) and ``layer_state.json`` lists their paths
(``/layers/text_vectorization/_lookup_layer/vars/idf_weights``); asset files are ``assets/<path>/<file>``
members, as in Keras's layout. Sub-layers are keyed ``layers/<snake-case class name>[_<n>]`` at every level,
in the order of ``model.layers`` (a layer's tracked sub-layers for other layers), so the same architecture
finds its state again. An archive without ``layer_state.json`` (written before) loads as it did.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np

from . import keras3_layer_state

__all__ = ["layer_state_members", "load_layer_state", "load_layer_state_members"]

_INDEX, _ARRAYS = "layer_state.json", "layer_state.npz"


class _Group:
    """The part of an ``h5py.Group``'s interface that :mod:`.keras3_layer_state` uses, in memory."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.attrs: Dict[str, Any] = {}
        self._items: Dict[str, Any] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def keys(self) -> List[str]:
        return list(self._items)

    def get(self, key: str, default: Any = None) -> Any:
        return self._items.get(key, default)

    def create_group(self, key: str) -> _Group:
        group = self._items[key] = _Group(f"{self.name.rstrip('/')}/{key}")
        return group

    def create_dataset(self, key: str, data: Any) -> None:
        self._items[key] = np.asarray(data)

    def arrays(self) -> Iterator[Tuple[str, np.ndarray]]:
        for key, item in self._items.items():
            if isinstance(item, _Group):
                yield from item.arrays()
            else:
                yield f"{self.name.rstrip('/')}/{key}", item


def _keyed(layers: List[Any]) -> Iterator[Tuple[str, Any]]:
    from .keras3_format import _keras_key

    used: Dict[str, int] = {}
    for layer in layers:
        base = _keras_key(layer)
        count = used.get(base, -1) + 1
        used[base] = count
        yield (base if count == 0 else f"{base}_{count}"), layer


def _sublayers(layer: Any) -> List[Any]:
    from ..models import Model

    return list(layer.layers) if isinstance(layer, Model) else list(getattr(layer, "_layers", []))


def _save(layer: Any, group: _Group) -> bool:
    """Writes the state of ``layer``'s stateful sub-layers below ``group``; whether there was any."""
    found = False
    for key, sub in _keyed(_sublayers(layer)):
        container = group.get("layers") or group.create_group("layers")
        if keras3_layer_state.has_state(sub):
            keras3_layer_state.save_state(sub, container.create_group(key))
            found = True
        elif _sublayers(sub):
            found = _save(sub, container.create_group(key)) or found
    return found


def layer_state_members(model: Any) -> Optional[Dict[str, bytes]]:
    """The archive members holding ``model``'s layers' state, or ``None`` when no layer has any."""
    root = _Group("/")
    with keras3_layer_state.collecting_assets() as assets:
        if not _save(model, root):
            return None
    pairs = list(root.arrays())
    arrays = [a for _, a in pairs]
    buffer = io.BytesIO()
    np.savez(buffer, *arrays)
    index = json.dumps({"arrays": [{"path": p, "dtype": a.dtype.str, "shape": list(a.shape)} for p, a in pairs]})
    return {_INDEX: index.encode("utf-8"), _ARRAYS: buffer.getvalue(), **assets}


def _read(members: Dict[str, bytes], source: str) -> _Group:
    root = _Group("/")
    try:
        entries = json.loads(members[_INDEX].decode("utf-8"))["arrays"]
        with np.load(io.BytesIO(members[_ARRAYS]), allow_pickle=False) as npz:
            arrays = [npz[f"arr_{i}"] for i in range(len(entries))]
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as e:
        raise ValueError(f"{source}: corrupt archive: cannot read the layers' state ({_INDEX}, {_ARRAYS}): {e}") from e
    for entry, array in zip(entries, arrays):
        parts = [p for p in str(entry.get("path", "")).split("/") if p]
        if len(parts) < 2:
            raise ValueError(f"{source}: corrupt archive: {_INDEX} lists the path {entry.get('path')!r}")
        group = root
        for part in parts[:-1]:
            group = group.get(part) or group.create_group(part)
        group.create_dataset(parts[-1], array)
    return root


def _load(layer: Any, group: Optional[_Group], source: str) -> None:
    container = group.get("layers") if group is not None else None
    for key, sub in _keyed(_sublayers(layer)):
        sub_group = container.get(key) if container is not None else None
        path = f"{group.name.rstrip('/') if group is not None else ''}/layers/{key}"
        if keras3_layer_state.has_state(sub):
            keras3_layer_state.load_state(sub, sub_group, path, source)
        elif _sublayers(sub):
            _load(sub, sub_group if sub_group is not None else _Group(path), source)


def load_layer_state_members(model: Any, members: Dict[str, bytes], source: str) -> None:
    """Sets the state of ``model``'s layers from ``members`` (as :func:`layer_state_members` made them; nothing
    if they hold no ``layer_state.json``). ``source`` names the file in errors."""
    if _INDEX not in members:
        return
    root = _read(members, source)
    assets = {name: data for name, data in members.items() if name.startswith(keras3_layer_state.ASSETS_DIR + "/")}
    with keras3_layer_state.providing_assets(assets):
        _load(model, root, source)


def load_layer_state(model: Any, path: str) -> None:
    """Sets the state of ``model``'s layers from the archive at ``path`` (nothing if it holds none)."""
    with zipfile.ZipFile(path) as zf:
        wanted = [n for n in zf.namelist() if n in (_INDEX, _ARRAYS) or n.startswith(keras3_layer_state.ASSETS_DIR)]
        members = {name: zf.read(name) for name in wanted if not name.endswith("/")}
    load_layer_state_members(model, members, path)
