"""``tf.distribute``: distribution strategies, with TensorFlow's scopes and contexts, over the CPU or the
logical CPUs ``tf.config.set_logical_device_configuration`` splits it into.

Code written for ``MirroredStrategy`` (Keras models built in ``strategy.scope()``, custom loops with
``strategy.run`` and ``strategy.reduce``, distributed datasets) runs unchanged: with one replica as TensorFlow
runs it on a machine with one CPU, and with one replica per logical CPU given in ``devices``, the replicas
running one after the other in this thread (``mirrored_run`` says how the results stay TensorFlow's).
``fit``/``evaluate``/``predict`` of a model made in the scope split every global batch over the replicas
(``models/distributed_step.py``).
"""

from . import experimental
from ._api_functions import (
    experimental_set_strategy,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)
from .cross_device_ops import CrossDeviceOps, HierarchicalCopyAllReduce, NcclAllReduce, ReductionToOneDevice
from .input_context import InputContext, InputOptions, InputReplicationMode, RunOptions
from .input_lib import DistributedDataset, DistributedIterator
from .reduce_op import ReduceOp
from .replica_context import ReplicaContext
from .strategies import MirroredStrategy, MultiWorkerMirroredStrategy, OneDeviceStrategy
from .strategy import Strategy
from .strategy_extended import StrategyExtended
from .values import DistributedValues

__all__ = [
    "CrossDeviceOps",
    "DistributedDataset",
    "DistributedIterator",
    "DistributedValues",
    "HierarchicalCopyAllReduce",
    "InputContext",
    "InputOptions",
    "InputReplicationMode",
    "MirroredStrategy",
    "MultiWorkerMirroredStrategy",
    "NcclAllReduce",
    "OneDeviceStrategy",
    "ReduceOp",
    "ReductionToOneDevice",
    "ReplicaContext",
    "RunOptions",
    "Strategy",
    "StrategyExtended",
    "experimental",
    "experimental_set_strategy",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
