"""``tf.train.load_checkpoint``: a ``CheckpointReader`` over one saved checkpoint, to look at its values without
building the objects that wrote them (``tf.train.list_variables``/``load_variable`` are built on it)."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List

import numpy as np

from . import _format

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
_ITERATOR = "/ITERATOR_STATE"  # a dataset iterator's position: TensorFlow lists it as <path>/.ATTRIBUTES/ITERATOR_STATE


def _listed_key(key: str) -> str:
    if key.endswith(_ITERATOR):
        return key[: -len(_ITERATOR)] + "/.ATTRIBUTES" + _ITERATOR
    return key + VALUE_SUFFIX


def _not_found(message: str) -> Exception:
    from .._core import NotFoundError

    return NotFoundError(message)


class CheckpointReader:
    """The values of one checkpoint, keyed as TensorFlow keys them: a ``tf.train.Checkpoint``'s under their
    object path plus ``/.ATTRIBUTES/VARIABLE_VALUE`` (an iterator's position: ``/.ATTRIBUTES/ITERATOR_STATE``),
    with the object graph's own entry
    ``_CHECKPOINTABLE_OBJECT_GRAPH``; a TF1 ``Saver``'s under the variables' names."""

    def __init__(self, save_path: str) -> None:
        if not _format.exists(save_path):
            raise _not_found(
                f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {save_path}"
            )
        values, _, object_graph = _format.read_all(save_path)
        self._values: Dict[str, np.ndarray] = {}
        if object_graph:
            self._values = {_listed_key(key): value for key, value in values.items()}
            # TensorFlow stores a serialized TrackableObjectGraph proto here; ferroflow's checkpoints have no
            # proto, so the entry holds the saved object paths as JSON.
            self._object_graph: Any = json.dumps({"object_paths": sorted(values)}).encode()
        else:
            self._values = dict(values)
            self._object_graph = None

    def _keys(self) -> List[str]:
        keys = sorted(self._values)
        return [OBJECT_GRAPH_KEY] + keys if self._object_graph is not None else keys

    def get_variable_to_shape_map(self) -> Dict[str, List[int]]:
        """``{key: shape as a list}`` of every value, the object graph's entry (shape ``[]``) included."""
        return {key: [] if key == OBJECT_GRAPH_KEY else list(self._values[key].shape) for key in self._keys()}

    def get_variable_to_dtype_map(self) -> Dict[str, Any]:
        """``{key: tf.DType}`` of every value; the object graph's entry is ``tf.string``."""
        from ..framework.dtypes import as_dtype

        return {
            key: as_dtype("string") if key == OBJECT_GRAPH_KEY else as_dtype(self._values[key].dtype)
            for key in self._keys()
        }

    def has_tensor(self, tensor_str: str) -> bool:
        """Whether ``tensor_str`` is one of the checkpoint's keys (the full key: a bare object path is not)."""
        return tensor_str in self._values or (tensor_str == OBJECT_GRAPH_KEY and self._object_graph is not None)

    def get_tensor(self, tensor_str: str) -> Any:
        """The value under key ``tensor_str`` as a NumPy array (a NumPy scalar for a scalar, as TensorFlow).

        Raises:
            TypeError: ``tensor_str`` is not a string.
            NotFoundError: the checkpoint has no such key.
        """
        if isinstance(tensor_str, bytes):
            tensor_str = tensor_str.decode()
        if not isinstance(tensor_str, str):
            raise TypeError(f"Expected binary or unicode string, got {tensor_str!r}")
        if tensor_str == OBJECT_GRAPH_KEY and self._object_graph is not None:
            return self._object_graph
        if tensor_str not in self._values:
            raise _not_found(f"Key {tensor_str} not found in checkpoint")
        value = self._values[tensor_str].copy()
        return value[()] if value.ndim == 0 else value

    def debug_string(self) -> bytes:
        """One line per key, ``key (DT_FLOAT) [2,3]``, as TensorFlow's reader writes it."""
        shapes, dtypes = self.get_variable_to_shape_map(), self.get_variable_to_dtype_map()
        lines = [f"{k} ({_dt_name(dtypes[k])}) [{','.join(str(d) for d in shapes[k])}]\n" for k in shapes]
        return "".join(lines).encode()


def _dt_name(dtype: Any) -> str:
    names = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF", "bool": "BOOL", "string": "STRING"}
    return "DT_" + names.get(dtype.name, dtype.name.upper())


def load_checkpoint(ckpt_dir_or_file: str) -> CheckpointReader:
    """A ``CheckpointReader`` for a checkpoint path (``/dir/ckpt-3``), or a directory: its latest checkpoint.

    Raises:
        ValueError: a directory without a ``checkpoint`` file or checkpoints.
        NotFoundError: no checkpoint at the path.
    """
    from .checkpoint_manager import latest_checkpoint

    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        path = latest
    return CheckpointReader(path)
