"""``tf.distribute.ReplicaContext``: what code running on one replica (inside ``strategy.run``) may ask and do.

Every strategy here has one replica, so collectives across replicas (``all_reduce``, ``all_gather``) return
each value as it is: the sum, the mean and the concatenation over one replica are that replica's value.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import nest
from . import _context
from .reduce_op import as_reduce_op


class ReplicaContext:
    """The context of replica ``replica_id_in_sync_group`` of ``strategy``."""

    def __init__(self, strategy: Any, replica_id_in_sync_group: Any) -> None:
        self._strategy = strategy
        self._replica_id = replica_id_in_sync_group

    @property
    def strategy(self) -> Any:
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> Any:
        """This replica's index: an int32 tensor under a strategy, a Python int in the default context."""
        if self._strategy is _context.default_strategy():
            return self._replica_id
        from ..framework.ops import convert_to_tensor

        return convert_to_tensor(self._replica_id, dtype="int32")

    @property
    def devices(self) -> tuple:
        """The devices this replica runs on."""
        return (self._strategy.extended._devices_or_cpu()[self._replica_id],)

    def merge_call(self, merge_fn: Callable, args: tuple = (), kwargs: Optional[dict] = None) -> Any:
        """Runs ``merge_fn(strategy, *args, **kwargs)`` once, in cross-replica context (where the replicas'
        values would be combined); returns its result to the replica."""
        if not callable(merge_fn):
            raise TypeError(f"merge_fn must be callable, received {merge_fn!r}")
        _context.push((self._strategy, None))
        try:
            return merge_fn(self._strategy, *args, **(kwargs or {}))
        finally:
            _context.pop()

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        """``value`` (a nest of tensors) reduced over the replicas with ``reduce_op`` (SUM or MEAN)."""
        as_reduce_op(reduce_op)
        from ..framework.ops import convert_to_tensor

        return nest.map_structure(convert_to_tensor, value)

    def all_gather(self, value: Any, axis: int, options: Any = None) -> Any:
        """The replicas' ``value``s concatenated along ``axis``."""
        from ..framework.ops import convert_to_tensor

        return nest.map_structure(convert_to_tensor, value)

    def __enter__(self) -> ReplicaContext:
        _context.push((self._strategy, self))
        return self

    def __exit__(self, *exc: Any) -> None:
        _context.pop()

    def __repr__(self) -> str:
        return f"<tf.distribute.ReplicaContext replica {self._replica_id} of {self.num_replicas_in_sync}>"
