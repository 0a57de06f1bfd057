"""``tf.distribute.ReplicaContext``: what code running on one replica (inside ``strategy.run``) may ask and do.

With one replica, collectives across replicas (``all_reduce``, ``all_gather``) return each value as it is.
With several, they and ``merge_call`` are synchronization points of ``mirrored_run``: the replicas run one
after the other, so a replica stops there until every replica has brought its value (see ``mirrored_run``).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import nest
from . import _context
from .reduce_op import as_reduce_op
from .values import regroup, select_replica


def _several(strategy: Any) -> bool:
    return strategy is not _context.default_strategy() and strategy.num_replicas_in_sync > 1


def _copy(value: Any) -> Any:
    """A replica's own copy of a collective's result (TensorFlow gives each replica its tensor)."""
    from ..ops import array_ops

    return nest.map_structure(array_ops.identity, value)


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
        if _several(self._strategy):
            from . import mirrored_run

            def merge(payloads: list) -> list:
                merged_args, merged_kwargs = regroup(payloads)
                result = self._call_merge_fn(merge_fn, merged_args, merged_kwargs)
                return [select_replica(k, result) for k in range(len(payloads))]

            return mirrored_run.synchronize("merge_call", (tuple(args), dict(kwargs or {})), merge)
        return self._call_merge_fn(merge_fn, args, kwargs or {})

    def _call_merge_fn(self, merge_fn: Callable, args: Any, kwargs: dict) -> Any:
        _context.push((self._strategy, None))
        try:
            return merge_fn(self._strategy, *args, **kwargs)
        finally:
            _context.pop()

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        """``value`` (a nest of tensors) reduced over the replicas with ``reduce_op`` (SUM or MEAN); every replica
        receives the result."""
        op = as_reduce_op(reduce_op)
        from ..framework.ops import convert_to_tensor

        if not _several(self._strategy):
            return nest.map_structure(convert_to_tensor, value)
        from . import mirrored_run
        from .strategy_extended import reduce_value

        def merge(payloads: list) -> list:
            n = len(payloads)
            reduced = nest.map_structure(lambda v: reduce_value(op, v, None, n), regroup(payloads))
            return [_copy(reduced) for _ in range(n)]

        reduced = mirrored_run.synchronize("all_reduce", value, merge)
        return self._with_all_reduce_gradient(op, value, reduced)

    def _with_all_reduce_gradient(self, op: Any, value: Any, reduced: Any) -> Any:
        """``reduced`` as the result of this replica's ``value``, with TensorFlow's gradient: the all-reduce (same
        op) of the replicas' upstream gradients, so the replicas' summed gradients are those of their summed
        losses (synchronized batch normalization differentiates through its global statistics this way)."""
        from ..framework.custom_gradient import custom_gradient
        from ..framework.ops import convert_to_tensor

        inputs = [convert_to_tensor(v) for v in nest.flatten(value)]
        if not all(t.dtype.is_floating for t in inputs):
            return reduced

        @custom_gradient
        def link(*xs: Any) -> tuple:
            def grad(*upstream: Any) -> list:
                return list(self.all_reduce(op, list(upstream)))

            return list(nest.flatten(reduced)), grad

        return nest.pack_sequence_as(reduced, link(*inputs))

    def all_gather(self, value: Any, axis: int, options: Any = None) -> Any:
        """The replicas' ``value``s concatenated along ``axis``; every replica receives the result."""
        from ..framework.ops import convert_to_tensor

        if not _several(self._strategy):
            return nest.map_structure(convert_to_tensor, value)
        from . import mirrored_run

        def merge(payloads: list) -> list:
            gathered = self._strategy.gather(regroup(payloads), axis)
            return [_copy(gathered) for _ in payloads]

        return mirrored_run.synchronize("all_gather", value, merge)

    def __enter__(self) -> ReplicaContext:
        _context.push((self._strategy, self))
        return self

    def __exit__(self, *exc: Any) -> None:
        _context.pop()

    def __repr__(self) -> str:
        return f"<tf.distribute.ReplicaContext replica {self._replica_id} of {self.num_replicas_in_sync}>"
