"""``tf.distribute.StrategyExtended``: a strategy's devices and its lower-level operations (``update``,
``reduce_to``), plus the reduction every strategy's ``reduce`` uses."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Optional

from ..framework import nest
from .reduce_op import ReduceOp, as_reduce_op

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def reduce_value(reduce_op: Any, value: Any, axis: Optional[int], num_replicas: int = 1) -> Any:
    """``value`` reduced across the replicas and, when ``axis`` is given, along that axis of each replica's
    value too: a sum, or that sum divided by the number of elements summed (int / int gives float64, as
    TensorFlow's ``truediv``). A distributed value's parts are summed (along ``axis``: concatenated, then
    summed); a plain tensor is one replica's value, which only ``MEAN`` can reduce across several replicas.

    Raises:
        ValueError: an unknown ``reduce_op``, an ``axis`` outside the value's rank, or ``SUM`` of a
            non-distributed value over several replicas.
    """
    op = as_reduce_op(reduce_op)
    from ..framework.ops import convert_to_tensor
    from ..framework.variables import Variable
    from ..ops import array_ops, math_ops
    from .values import DistributedValues, MirroredVariable

    if isinstance(value, (DistributedValues, MirroredVariable)):
        parts = [convert_to_tensor(v) for v in value.values]
    else:
        parts = [convert_to_tensor(value.read_value() if isinstance(value, Variable) else value)]
        if num_replicas > 1 and op == ReduceOp.SUM:
            raise ValueError(
                f"A non-DistributedValues value {parts[0]} cannot be reduced with the given reduce op {op}."
            )
    t = parts[0]
    rank = t.shape.rank
    if axis is not None and rank is not None and not -rank <= axis < max(rank, 1):
        raise ValueError(f"Invalid reduction dimension {axis} for input with {rank} dimensions.")
    if axis is None:
        if len(parts) == 1:
            return t
        total, count = parts[0], len(parts)
        for part in parts[1:]:
            total = total + part
    else:
        if len(parts) > 1:
            t = array_ops.concat(parts, axis=axis)
        total = math_ops.reduce_sum(t, axis=axis)
        count = array_ops.shape(t)[axis]
    if op == ReduceOp.SUM:
        return total
    if total.dtype.is_integer:
        return math_ops.divide(array_ops.cast(total, "float64"), array_ops.cast(count, "float64"))
    return math_ops.divide(total, array_ops.cast(count, total.dtype))


class StrategyExtended:
    """The devices of a strategy (``worker_devices``, ``parameter_devices``) and its variable operations."""

    def __init__(self, strategy: Any, devices: Optional[tuple]) -> None:
        self._container_strategy = strategy
        self._devices = devices

    @property
    def worker_devices(self) -> tuple:
        """The devices the replicas run on.

        Raises:
            RuntimeError: for the default strategy, which has no devices of its own.
        """
        if self._devices is None:
            raise RuntimeError("worker_devices() method unsupported by default tf.distribute.Strategy.")
        return self._devices

    @property
    def parameter_devices(self) -> tuple:
        """The devices holding the variables (those of the replicas)."""
        if self._devices is None:
            raise RuntimeError("parameter_devices() method unsupported by default tf.distribute.Strategy.")
        return self._devices

    def _devices_or_cpu(self) -> tuple:
        return self._devices if self._devices is not None else (CPU0,)

    @property
    def experimental_require_static_shapes(self) -> bool:
        return False

    @property
    def experimental_between_graph(self) -> bool:
        return False

    @property
    def experimental_should_init(self) -> bool:
        return True

    @property
    def should_checkpoint(self) -> bool:
        return True

    @property
    def should_save_summary(self) -> bool:
        return True

    def update(self, var: Any, fn: Callable, args: tuple = (), kwargs: Optional[dict] = None, group: bool = True):
        """``fn(var, *args, **kwargs)`` on ``var``, in cross-replica context (a mirrored variable's copies share
        one buffer, so one call updates them all)."""
        return fn(var, *args, **(kwargs or {}))

    def value_container(self, value: Any) -> Any:
        """The distributed variable holding ``value``: a mirrored variable for one of its replica components,
        else ``value`` itself."""
        return getattr(value, "_primary", value)

    def reduce_to(self, reduce_op: Any, value: Any, destinations: Any, options: Any = None) -> Any:
        """``value`` reduced across replicas onto ``destinations``."""
        n = self._container_strategy.num_replicas_in_sync
        return nest.map_structure(lambda v: reduce_value(reduce_op, v, None, n), value)

    def batch_reduce_to(self, reduce_op: Any, value_destination_pairs: Any, options: Any = None) -> list:
        return [self.reduce_to(reduce_op, value, destination) for value, destination in value_destination_pairs]

    @contextlib.contextmanager
    def colocate_vars_with(self, colocate_with_variable: Any) -> Iterator[None]:
        """Places the variables made inside with ``colocate_with_variable`` (all share one device here)."""
        yield

    def call_for_each_replica(self, fn: Callable, args: tuple = (), kwargs: Optional[dict] = None) -> Any:
        """``strategy.run`` without options."""
        return self._container_strategy.run(fn, args, kwargs)

    def experimental_make_numpy_dataset(self, numpy_input: Any) -> Any:
        from ..data import Dataset

        return Dataset.from_tensor_slices(numpy_input)

    def _in_multi_worker_mode(self) -> bool:
        return False
