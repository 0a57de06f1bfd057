"""The queues of ``tf.queue``: ``FIFOQueue``, ``PaddingFIFOQueue``, ``RandomShuffleQueue`` and ``PriorityQueue``.

Each is bounded by ``capacity`` (negative: unbounded), supports concurrent producers and consumers, and delivers
each element once. They differ in the order of dequeues and in what ``dequeue_many`` accepts.
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any, Callable, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.dtypes import int64
from ..framework.ops import convert_to_tensor
from ..framework.tensor_shape import TensorShape
from . import _specs
from ._orders import FifoOrder, PriorityOrder, ShuffleOrder
from ._runtime import QueueResource
from .queue_base import QueueBase, register

_uids = itertools.count()


def _build(
    queue: QueueBase,
    kind: str,
    name: str,
    capacity: Any,
    make_order: Callable[[], Any],
    dtypes: list,
    shapes: Optional[list],
    names: Optional[list],
    shared_name: Optional[str],
    padded: bool = False,
) -> None:
    """Makes the queue's handle and resource, then initializes ``queue`` as a ``QueueBase`` over them."""
    capacity = _specs.check_capacity(capacity)
    if shapes is not None and len(shapes) != len(dtypes):
        raise InvalidArgumentError(
            f"Different number of component types.  Types: {', '.join(d.name for d in dtypes)}, "
            f"Shapes: {[s.as_list() if s.rank is not None else None for s in shapes]}"
        )
    graph = context.current_graph()
    if graph is not None and getattr(graph, "is_function", False):
        graph = None  # built once, outside the function being traced (TensorFlow's init_scope)
    with context.eager_scope() if graph is None else contextlib.nullcontext():
        if graph is None:
            ref = convert_to_tensor(np.asarray(str(next(_uids)).encode(), dtype=object))
            node_name = name
        else:
            from ..ops.array_ops import constant

            with graph.as_default():
                ref = constant(name.encode(), name=name)
            node_name = ref.op.name
    full_shapes = shapes if shapes is not None else [TensorShape(None) for _ in dtypes]
    resource = QueueResource(kind, node_name, capacity, make_order, dtypes, full_shapes, padded, shared_name)
    register(ref, resource)
    queue._resource = resource  # kept alive with the queue: the registry holds it weakly
    QueueBase.__init__(queue, dtypes, shapes, names, ref)


class FIFOQueue(QueueBase):
    """Dequeues elements in the order they were enqueued.

    Args:
        capacity: the most elements the queue holds; enqueues wait while it is full.
        dtypes: a dtype or a list of dtypes, one per component of an element.
        shapes: fully defined shapes, one per component, or None (then ``dequeue_many`` is not allowed).
        names: a name per component: ``enqueue`` takes and ``dequeue`` returns a dict.
        shared_name: queues with this name in one session share their elements.
        name: the name of the queue's node.
    """

    def __init__(
        self,
        capacity: Any,
        dtypes: Any,
        shapes: Any = None,
        names: Any = None,
        shared_name: Optional[str] = None,
        name: str = "fifo_queue",
    ) -> None:
        dtypes = _specs.as_type_list(dtypes)
        shapes = _specs.as_shape_list(shapes)
        names = _specs.as_name_list(names, dtypes)
        _build(self, "FIFOQueue", name, capacity, FifoOrder, dtypes, shapes, names, shared_name)


class PaddingFIFOQueue(QueueBase):
    """A ``FIFOQueue`` whose shapes may have unknown (None) dimensions: ``dequeue_many`` pads each component
    with zeros up to the largest size in the batch along those dimensions.

    Args:
        capacity, dtypes, names, shared_name, name: as for ``FIFOQueue``.
        shapes: a list of shapes, one per component, each of known rank.
    """

    def __init__(
        self,
        capacity: Any,
        dtypes: Any,
        shapes: Any,
        names: Any = None,
        shared_name: Optional[str] = None,
        name: str = "padding_fifo_queue",
    ) -> None:
        dtypes = _specs.as_type_list(dtypes)
        shapes = _specs.as_shape_list(shapes, unknown_dim_allowed=True)
        names = _specs.as_name_list(names, dtypes)
        if len(dtypes) != len(shapes):
            raise ValueError(
                f"Shapes must be provided for all components, but received {len(dtypes)} dtypes and "
                f"{len(shapes)} shapes."
            )
        _build(self, "PaddingFIFOQueue", name, capacity, FifoOrder, dtypes, shapes, names, shared_name, padded=True)


class RandomShuffleQueue(QueueBase):
    """Dequeues elements in a random order, keeping at least ``min_after_dequeue`` elements queued (for mixing)
    until the queue is closed.

    Args:
        capacity, dtypes, shapes, names, shared_name, name: as for ``FIFOQueue``.
        min_after_dequeue: dequeues wait until more than this many elements are queued (ignored once closed).
        seed: with the global seed (``tf.random.set_seed``), makes the order repeatable.
    """

    def __init__(
        self,
        capacity: Any,
        min_after_dequeue: Any,
        dtypes: Any,
        shapes: Any = None,
        names: Any = None,
        seed: Optional[int] = None,
        shared_name: Optional[str] = None,
        name: str = "random_shuffle_queue",
    ) -> None:
        dtypes = _specs.as_type_list(dtypes)
        shapes = _specs.as_shape_list(shapes)
        names = _specs.as_name_list(names, dtypes)
        min_after_dequeue = int(min_after_dequeue)
        if min_after_dequeue < 0:
            raise InvalidArgumentError(f"min_after_dequeue {min_after_dequeue} must be >= 0")
        cap = _specs.check_capacity(capacity)
        if cap >= 0 and min_after_dequeue >= cap:
            raise InvalidArgumentError(f"min_after_dequeue {min_after_dequeue} must be < capacity {cap}")
        from ..ops.random_ops import get_global_seed, resolve_seed

        # No seed at all: a different order each run, as TensorFlow's seed (0, 0).
        drawn = None if seed is None and get_global_seed() is None else resolve_seed(seed)[0]
        _build(
            self,
            "RandomShuffleQueue",
            name,
            cap,
            lambda: ShuffleOrder(min_after_dequeue, drawn),
            dtypes,
            shapes,
            names,
            shared_name,
        )


class PriorityQueue(QueueBase):
    """Dequeues the element with the smallest priority first. Each element starts with its priority, an int64
    scalar (a vector for ``enqueue_many``), before the components named by ``types``.

    Args:
        capacity, names, shared_name, name: as for ``FIFOQueue`` (``names`` counts the priority too).
        types: the dtypes of the components after the priority.
        shapes: their shapes (required).
    """

    def __init__(
        self,
        capacity: Any,
        types: Any,
        shapes: Any = None,
        names: Any = None,
        shared_name: Optional[str] = None,
        name: str = "priority_queue",
    ) -> None:
        types = _specs.as_type_list(types)
        shapes = _specs.as_shape_list(shapes)
        if shapes is None:  # the error types TensorFlow raises eagerly and in a graph
            if context.executing_eagerly():
                raise InvalidArgumentError("PriorityQueue requires the shapes of its components, received shapes=None")
            raise TypeError("Expected list for 'shapes' argument to 'priority_queue_v2' Op, not None.")
        _build(
            self,
            "PriorityQueue",
            name,
            capacity,
            PriorityOrder,
            [int64, *types],
            [TensorShape([]), *shapes],
            names,
            shared_name,
        )


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("QueueBase", "QueueResource", "TensorShape", "convert_to_tensor", "int64"))
