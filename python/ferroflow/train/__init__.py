"""``tf.train``: checkpoints (``Checkpoint``, ``CheckpointManager``, ``latest_checkpoint``) and the
``Example`` record messages (``Example``, ``Features``, ``Feature``, the lists, ``SequenceExample``)."""

from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np

from ._status import CheckpointLoadStatus
from .checkpoint import Checkpoint
from .checkpoint_manager import CheckpointManager, get_checkpoint_state, latest_checkpoint
from .checkpoint_reader import VALUE_SUFFIX as _VALUE_SUFFIX
from .checkpoint_reader import load_checkpoint
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
    "load_checkpoint",
    "load_variable",
]


def list_variables(ckpt_dir_or_file: str) -> List[Tuple[str, List[int]]]:
    """``(key, shape)`` of every value in a checkpoint (a checkpoint path, or a directory: its latest one),
    sorted by key, as ``load_checkpoint(...).get_variable_to_shape_map()`` names them.

    As in TensorFlow, a ``tf.train.Checkpoint``'s values are listed under their object path plus
    ``/.ATTRIBUTES/VARIABLE_VALUE``, with the object graph's own entry ``_CHECKPOINTABLE_OBJECT_GRAPH``;
    a TF1 ``Saver``'s under the variables' names.
    """
    return sorted(load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file: str, name: str) -> np.ndarray:
    """The value stored under key ``name`` in a checkpoint (a key ``list_variables`` gives, or a tensor name
    ``w:0``; for a ``tf.train.Checkpoint`` the object path alone, without ``/.ATTRIBUTES/VARIABLE_VALUE``, works
    too). NotFoundError when the checkpoint has no such value."""
    reader = load_checkpoint(ckpt_dir_or_file)
    if name.endswith(":0"):
        name = name[:-2]
    if not reader.has_tensor(name) and reader.has_tensor(name + _VALUE_SUFFIX):
        name = name + _VALUE_SUFFIX
    return reader.get_tensor(name)


def __getattr__(name: str) -> Any:
    if name == "Coordinator":  # shared with tf.compat.v1.train, loaded on first use
        from ..compat.v1.coordinator import Coordinator

        return Coordinator
    raise AttributeError(f"module 'ferroflow.train' has no attribute '{name}'")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
