"""``tf.distribute.Strategy``: the one interface over every way of spreading training across devices.

A strategy has one replica per device: the CPU, or the logical CPUs ``tf.config.set_logical_device_configuration``
splits it into. It keeps TensorFlow's contexts: ``scope()`` makes it current for the variables, models and
optimizers created inside, ``run(fn)`` calls ``fn`` in replica context once per replica (one replica after the
other, in this thread: see ``mirrored_run``), and ``reduce`` combines the replicas' results in cross-replica
context. With one replica the per-replica values are plain tensors, as in TensorFlow; with several they are
``PerReplica`` values.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Optional

from ..framework import nest
from . import _context
from .input_context import InputContext, InputOptions, InputReplicationMode
from .input_lib import DistributedDataset, check_dataset
from .replica_context import ReplicaContext
from .strategy_extended import StrategyExtended, reduce_value
from .values import DistributedValues, MirroredVariable, PerReplica, regroup


class Strategy:
    """A distribution strategy over ``extended.worker_devices`` (one replica per device)."""

    def __init__(self, extended: StrategyExtended) -> None:
        self._extended = extended
        self._default_replica_context = None

    @property
    def extended(self) -> StrategyExtended:
        """Strategy-specific details: devices, variable placement, ``update`` and ``reduce_to``."""
        return self._extended

    @property
    def num_replicas_in_sync(self) -> int:
        devices = self._extended._devices
        return len(devices) if devices else 1

    def _replica_device(self, k: int) -> contextlib.AbstractContextManager:
        """Replica ``k``'s device scope. A device named past the logical devices (which TensorFlow accepts
        and soft placement moves to an existing one) places on the current device."""
        from ..framework import device as device_lib

        name = self._extended.worker_devices[k]
        device_type, index = name.rsplit("/device:", 1)[1].split(":")
        if int(index) >= device_lib.device_count(device_type):
            return contextlib.nullcontext()
        return device_lib.device(name)

    @property
    def cluster_resolver(self) -> Any:
        return None

    @contextlib.contextmanager
    def _scope(self) -> Iterator[Strategy]:
        strategy, replica = _context.current_frame()
        if replica is not None and strategy is self:
            raise RuntimeError("Method requires being in cross-replica context, use get_replica_context().merge_call()")
        if _context.in_scope() and strategy is not self:
            raise RuntimeError(f"Mixing different tf.distribute.Strategy objects: {strategy} is not {self}")
        from ..framework.device import device

        _context.push((self, None))
        try:
            with device(self._extended.worker_devices[0]):
                yield self
        finally:
            _context.pop()

    def scope(self) -> contextlib.AbstractContextManager:
        """Makes this strategy current: variables, models, optimizers and metrics made inside belong to it.

        Raises:
            RuntimeError: on entering inside another strategy's scope, or inside ``run`` (replica context).
        """
        return self._scope()

    def run(self, fn: Callable, args: tuple = (), kwargs: Optional[dict] = None, options: Any = None) -> Any:
        """``fn(*args, **kwargs)`` on each replica, in replica context; the replicas' results (with one replica,
        its result itself; with several, ``PerReplica`` values). A ``PerReplica`` argument gives each replica its
        own part. Several replicas run one after the other in this thread (``mirrored_run`` says how updates
        and synchronization points keep TensorFlow's results)."""
        if not callable(fn):
            raise TypeError(f"'{type(fn).__name__}' object is not callable")
        if self.num_replicas_in_sync > 1:
            from . import mirrored_run

            return regroup(mirrored_run.run(self, fn, args, kwargs or {}))
        from ..framework.device import device

        replica = ReplicaContext(self, 0)
        _context.push((self, replica))
        try:
            with device(self._extended.worker_devices[0]):
                return fn(*args, **(kwargs or {}))
        finally:
            _context.pop()

    def reduce(self, reduce_op: Any, value: Any, axis: Optional[int]) -> Any:
        """Combines per-replica ``value`` with ``reduce_op`` (``ReduceOp.SUM`` or ``MEAN``) across replicas and,
        when ``axis`` is not None, along that axis of each replica's value too.

        Raises:
            ValueError: an unknown ``reduce_op``, or an ``axis`` outside the value's rank.
        """
        n = self.num_replicas_in_sync
        return nest.map_structure(lambda v: reduce_value(reduce_op, v, axis, n), value)

    def experimental_local_results(self, value: Any) -> tuple:
        """The parts of ``value`` on this worker's replicas, as a tuple (one part per replica; a non-distributed
        value is one part)."""
        leaves = nest.flatten(value)
        if not any(isinstance(v, (DistributedValues, MirroredVariable)) for v in leaves):
            return (value,)
        n = len(next(v for v in leaves if isinstance(v, (DistributedValues, MirroredVariable))).values)
        part = lambda k, v: v.values[k] if isinstance(v, (DistributedValues, MirroredVariable)) else v  # noqa: E731
        return tuple(nest.map_structure(lambda v, k=k: part(k, v), value) for k in range(n))

    def gather(self, value: Any, axis: int) -> Any:
        """The replicas' values concatenated along ``axis`` (with one replica, the value)."""
        from ..framework.ops import convert_to_tensor
        from ..ops import array_ops

        def gather_one(v: Any) -> Any:
            if isinstance(v, (DistributedValues, MirroredVariable)):
                return array_ops.concat([convert_to_tensor(p) for p in v.values], axis=axis)
            return convert_to_tensor(v)

        return nest.map_structure(gather_one, value)

    def experimental_distribute_dataset(self, dataset: Any, options: Optional[InputOptions] = None) -> Any:
        """``dataset`` (of global batches) split over the replicas: each gets its share of every batch.

        Raises:
            NotImplementedError: ``options`` ask for ``InputReplicationMode.PER_REPLICA`` (a dataset function's
                mode).
        """
        if options is not None and options.experimental_replication_mode == InputReplicationMode.PER_REPLICA:
            raise NotImplementedError(
                "InputReplicationMode.PER_REPLICA is only supported in `distribute_datasets_from_function`."
            )
        check_dataset(dataset, "experimental_distribute_dataset's dataset")
        return DistributedDataset(dataset, self.num_replicas_in_sync, split_batches=True)

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Optional[InputOptions] = None) -> Any:
        """The dataset ``dataset_fn(input_context)`` returns for each input pipeline (one here), distributed: its
        elements, already batched per replica, go to the replicas in turn."""
        if not callable(dataset_fn):
            raise TypeError(f"dataset_fn must be callable, received {dataset_fn!r}")
        dataset = dataset_fn(InputContext(1, 0, self.num_replicas_in_sync))
        check_dataset(dataset, "The dataset function's result")
        return DistributedDataset(dataset, self.num_replicas_in_sync, split_batches=False)

    def experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        """``value_fn(ctx)`` for each replica (``ctx.replica_id_in_sync_group``, ``ctx.num_replicas_in_sync``)."""
        from .value_context import ValueContext

        n = self.num_replicas_in_sync
        if n == 1:
            return value_fn(ValueContext(0, 1))
        return PerReplica([value_fn(ValueContext(k, n)) for k in range(n)])


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect outside every scope: no distribution, and ``scope()`` changes nothing."""

    def __init__(self) -> None:
        super().__init__(StrategyExtended(self, None))
        self._default_replica_context = ReplicaContext(self, 0)

    @contextlib.contextmanager
    def _scope(self) -> Iterator[Strategy]:
        yield _context.current_frame()[0]

    def run(self, fn: Callable, args: tuple = (), kwargs: Optional[dict] = None, options: Any = None) -> Any:
        if not callable(fn):
            raise TypeError(f"'{type(fn).__name__}' object is not callable")
        return fn(*args, **(kwargs or {}))


_context._default["factory"] = _DefaultDistributionStrategy
