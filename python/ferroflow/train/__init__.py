"""``tf.train``: checkpoints (``Checkpoint``, ``CheckpointManager``, ``latest_checkpoint``) and the
``Example`` record messages (``Example``, ``Features``, ``Feature``, the lists, ``SequenceExample``)."""

from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np

from . import _format
from ._status import CheckpointLoadStatus
from .checkpoint import Checkpoint
from .checkpoint_manager import CheckpointManager, get_checkpoint_state, latest_checkpoint
from .example import BytesList, Example, Feature, Features, FloatList, Int64List
from .sequence_example import FeatureList, FeatureLists, SequenceExample

__all__ = [
    "BytesList",
    "Checkpoint",
    "CheckpointLoadStatus",
    "CheckpointManager",
    "Coordinator",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
    "get_checkpoint_state",
    "latest_checkpoint",
    "list_variables",
    "load_variable",
]


_OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
_VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def list_variables(ckpt_dir_or_file: str) -> List[Tuple[str, List[int]]]:
    """``(key, shape)`` of every value in a checkpoint (a checkpoint path, or a directory: its latest one),
    sorted by key.

    As in TensorFlow, a ``tf.train.Checkpoint``'s values are listed under their object path plus
    ``/.ATTRIBUTES/VARIABLE_VALUE``, with the object graph's own entry ``_CHECKPOINTABLE_OBJECT_GRAPH``;
    a TF1 ``Saver``'s under the variables' names.
    """
    values, _, object_graph = _format.read_all(_resolve(ckpt_dir_or_file))
    pairs = [(key, list(value.shape)) for key, value in values.items()]
    if object_graph:
        pairs = [(_OBJECT_GRAPH_KEY, [])] + [(key + _VALUE_SUFFIX, shape) for key, shape in pairs]
    return sorted(pairs)


def load_variable(ckpt_dir_or_file: str, name: str) -> np.ndarray:
    """The value stored under key ``name`` in a checkpoint (a key ``list_variables`` gives; for a
    ``tf.train.Checkpoint`` the object path alone, without ``/.ATTRIBUTES/VARIABLE_VALUE``, works too)."""
    path = _resolve(ckpt_dir_or_file)
    values, _ = _format.read(path)
    if name.endswith(_VALUE_SUFFIX) and name not in values:
        name = name[: -len(_VALUE_SUFFIX)]
    if name not in values:
        raise ValueError(f"{_format.data_file(path)} has no value '{name}'; it holds {sorted(values)}")
    return values[name]


def _resolve(ckpt_dir_or_file: Any) -> str:
    import os

    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def __getattr__(name: str) -> Any:
    if name == "Coordinator":  # shared with tf.compat.v1.train, loaded on first use
        from ..compat.v1.coordinator import Coordinator

        return Coordinator
    raise AttributeError(f"module 'ferroflow.train' has no attribute '{name}'")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
