"""``tf.distribute.CrossDeviceOps`` and its kinds: how values move between a strategy's devices.

The replicas of a ferroflow strategy share one process's memory, so every kind reduces the same way (a
distributed value's parts summed or averaged; a plain value is already where it is needed); the constructors
accept TensorFlow's arguments so that code choosing an all-reduce algorithm runs unchanged.
"""

from __future__ import annotations

from typing import Any

from .reduce_op import as_reduce_op


class CrossDeviceOps:
    """Reduces and broadcasts values across devices."""

    def reduce(self, reduce_op: Any, per_replica_value: Any, destinations: Any = None, options: Any = None) -> Any:
        """``per_replica_value``'s parts combined with ``reduce_op``; a non-distributed value as it is."""
        op = as_reduce_op(reduce_op)
        from .strategy_extended import reduce_value
        from .values import DistributedValues

        if isinstance(per_replica_value, DistributedValues):
            return reduce_value(op, per_replica_value, None, len(per_replica_value.values))
        return per_replica_value

    def batch_reduce(self, reduce_op: Any, value_destination_pairs: Any, options: Any = None) -> list:
        return [self.reduce(reduce_op, value, destination) for value, destination in value_destination_pairs]

    def broadcast(self, tensor: Any, destinations: Any = None) -> Any:
        return tensor


class ReductionToOneDevice(CrossDeviceOps):
    """Copies the values to one device, reduces them there, and copies the result back."""

    def __init__(self, reduce_to_device: Any = None, accumulation_fn: Any = None) -> None:
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn


class _AllReduceCrossDeviceOps(CrossDeviceOps):
    def __init__(self, all_reduce_alg: str, num_packs: int = 1) -> None:
        if num_packs < 0:
            raise ValueError(f"NCCL all-reduce requires num_packs >= 0, but {num_packs} is specified")
        self._all_reduce_alg = all_reduce_alg
        self._num_packs = num_packs


class NcclAllReduce(_AllReduceCrossDeviceOps):
    """All-reduce with NVIDIA's NCCL (GPUs)."""

    def __init__(self, num_packs: int = 1) -> None:
        super().__init__("nccl", num_packs)


class HierarchicalCopyAllReduce(_AllReduceCrossDeviceOps):
    """All-reduce by hierarchical copies (the DGX-1 topology)."""

    def __init__(self, num_packs: int = 1) -> None:
        super().__init__("hierarchical_copy", num_packs)
