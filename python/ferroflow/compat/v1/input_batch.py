"""``tf.compat.v1.train.batch`` and its relatives: TF1's queue-based batching of input tensors.

Each builds a queue (``FIFOQueue``, ``PaddingFIFOQueue`` with ``dynamic_pad``, ``RandomShuffleQueue`` for the
shuffling ones), an enqueue op run by a ``QueueRunner`` added to the graph's ``QUEUE_RUNNERS`` (started by
``start_queue_runners`` or a ``MonitoredSession``), a summary of how full the queue is, and returns the batch
dequeued from it, in the structure given (list or dict). The ``maybe_`` variants enqueue only what ``keep_input``
allows. Ported from TensorFlow's ``training/input.py``; ``SparseTensor`` inputs are not supported.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...framework.dtypes import float32
from ...framework.ops import convert_to_tensor
from ...framework.sparse_tensor import SparseTensor
from ...framework.tensor_shape import TensorShape
from .queue_runner import QueueRunner, add_queue_runner

_EAGER = (
    "Input pipelines based on Queues are not supported when eager execution is enabled. Please use tf.data to "
    "ingest data into your model instead."
)


def _tensor_list(tensors: Any) -> list:
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"tensors must be a list, tuple or dict of tensors, received {type(tensors).__name__}")
    return list(tensors)


def _original_type(original: Any, dequeued: Any) -> Any:
    if isinstance(original, dict):
        if len(original) == 1:
            dequeued = [dequeued]
        return {k: dequeued[i] for i, k in enumerate(sorted(original, key=str))}
    return dequeued


def _validate(tensor_list: list, what: str = "batch()") -> list:
    if not tensor_list:
        raise ValueError(f"Expected at least one tensor in {what}.")
    for t in tensor_list:
        if isinstance(t, SparseTensor):
            raise TypeError(f"{what}: SparseTensor inputs are not supported, received {t!r}")
    return [convert_to_tensor(t) for t in tensor_list]


def _validate_keep_input(keep_input: Any, enqueue_many: bool) -> Any:
    keep_input = convert_to_tensor(keep_input)
    rank = keep_input.shape.rank
    if rank is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and rank == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if rank > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep_input


def _dtypes(tensor_list_list: list) -> list:
    types = [t.dtype for t in tensor_list_list[0]]
    for tl in tensor_list_list[1:]:
        other = [t.dtype for t in tl]
        if other != types:
            raise TypeError(
                f"Expected types to be consistent: {', '.join(x.name for x in types)} vs. "
                f"{', '.join(x.name for x in other)}."
            )
    return types


def _shapes(tensor_list_list: list, shapes: Any, enqueue_many: bool) -> Any:
    """The queue's shapes: given, or those of the first list's tensors (without the batch dimension)."""
    if shapes is not None:
        return shapes
    for tl in tensor_list_list:
        for t in tl:
            if t.shape.rank is None:
                raise ValueError(f"Cannot infer Tensor's rank: {t}")
    out = []
    for t in tensor_list_list[0]:
        s = t.shape
        if enqueue_many:
            if s.rank < 1:
                raise ValueError(f"Shape {s} must have rank at least 1")
            s = TensorShape(list(s)[1:])
        out.append(list(s))
    return out


def _enqueue_ops(queue: Any, tensor_lists: list, copies: int, enqueue_many: bool, keep_input: Any) -> None:
    """One enqueue op per tensor list (each run by ``copies`` threads), in a queue runner."""
    keep = None if keep_input.shape.rank == 0 and _always(keep_input) else keep_input
    ops = []
    for tl in tensor_lists:
        name = f"{queue._name}_EnqueueMany" if enqueue_many else f"{queue._name}_enqueue"
        ops += [queue._enqueue(tl, name, enqueue_many, keep_input=keep)] * copies
    add_queue_runner(QueueRunner(queue, ops))


def _always(keep_input: Any) -> bool:
    from ...ops.structure_ops import get_static_value

    value = get_static_value(keep_input)
    return value is not None and bool(value)


def _scalar_summary(name: str, value: Any) -> None:
    from .summary_ops import scalar

    scalar(name, value)


def _dequeue(queue: Any, batch_size: Any, allow_smaller_final_batch: bool, scope: str) -> Any:
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=scope + "/")
    return queue.dequeue_many(batch_size, name=scope + "/")


def _batch(args: dict, default: str) -> Any:
    """The common body of the public functions, given their arguments: ``tensors`` or ``tensors_list`` (one
    enqueue op per list), ``keep_input`` for the ``maybe_`` ones, ``min_after_dequeue`` and ``seed`` for the
    shuffling ones (a ``RandomShuffleQueue``)."""
    from ...ops.array_ops import cast
    from ...ops.math_ops import maximum
    from ...queue import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue

    if context.executing_eagerly():
        raise ValueError(_EAGER)
    join = "tensors_list" in args
    tensors_list = _join_lists(args["tensors_list"]) if join else [_tensor_list(args["tensors"])]
    original = args["tensors_list"][0] if join else args["tensors"]
    capacity, enqueue_many, shared_name = args["capacity"], args["enqueue_many"], args["shared_name"]
    shuffle = "min_after_dequeue" in args
    graph = context.get_default_graph()
    with graph.name_scope(args["name"] or default) as scope:
        min_after = args["min_after_dequeue"] if shuffle else 0
        if shuffle and capacity <= min_after:
            raise ValueError(f"capacity {capacity} must be bigger than min_after_dequeue {min_after}.")
        tensors_list = [_validate(tl, "batch_join()" if join else "batch()") for tl in tensors_list]
        keep_input = _validate_keep_input(args.get("keep_input", True), enqueue_many)
        types = _dtypes(tensors_list)
        shapes = _shapes(tensors_list, args["shapes"], enqueue_many)
        if shuffle:
            queue = RandomShuffleQueue(
                capacity, min_after, types, shapes=shapes, seed=args["seed"], shared_name=shared_name
            )
            full = cast(maximum(0, queue.size() - min_after), float32) * (1.0 / (capacity - min_after))
            summary_name = f"fraction_over_{min_after}_of_{capacity - min_after}_full"
        else:
            kind = PaddingFIFOQueue if args["dynamic_pad"] else FIFOQueue
            queue = kind(capacity, types, shapes=shapes, shared_name=shared_name)
            full = cast(queue.size(), float32) * (1.0 / capacity)
            summary_name = f"fraction_of_{capacity}_full"
        _enqueue_ops(queue, tensors_list, args.get("num_threads", 1), enqueue_many, keep_input)
        _scalar_summary(summary_name, full)
    dequeued = _dequeue(queue, args["batch_size"], args["allow_smaller_final_batch"], scope)
    return _original_type(original, dequeued)


def _join_lists(tensors_list: Any) -> list:
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        keys = set(tensors_list[0])
        if any(set(t) != keys for t in tensors_list[1:]):
            raise ValueError("All dictionaries in tensors_list must have the same keys")
    return [_tensor_list(t) for t in tensors_list]


# The public functions: TensorFlow's signatures; each hands its arguments to _batch.


def batch(tensors: Any, batch_size: Any, num_threads: int = 1, capacity: int = 32, enqueue_many: bool = False,
          shapes: Any = None, dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
          shared_name: Optional[str] = None, name: Optional[str] = None) -> Any:  # fmt: skip
    """Batches of ``batch_size`` from ``tensors`` (a list or dict), filled by ``num_threads`` threads."""
    return _batch(locals(), "batch")


def maybe_batch(tensors: Any, keep_input: Any, batch_size: Any, num_threads: int = 1, capacity: int = 32,
                enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                allow_smaller_final_batch: bool = False, shared_name: Optional[str] = None,
                name: Optional[str] = None) -> Any:  # fmt: skip
    """``batch`` enqueuing only what ``keep_input`` keeps (a bool, or one per row with ``enqueue_many``)."""
    return _batch(locals(), "batch")


def batch_join(tensors_list: Any, batch_size: Any, capacity: int = 32, enqueue_many: bool = False,
               shapes: Any = None, dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
               shared_name: Optional[str] = None, name: Optional[str] = None) -> Any:  # fmt: skip
    """Batches mixing the tensor lists of ``tensors_list``, each enqueued by its own thread."""
    return _batch(locals(), "batch_join")


def maybe_batch_join(tensors_list: Any, keep_input: Any, batch_size: Any, capacity: int = 32,
                     enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                     allow_smaller_final_batch: bool = False, shared_name: Optional[str] = None,
                     name: Optional[str] = None) -> Any:  # fmt: skip
    """``batch_join`` enqueuing only what ``keep_input`` keeps."""
    return _batch(locals(), "batch_join")


def shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int, num_threads: int = 1,
                  seed: Optional[int] = None, enqueue_many: bool = False, shapes: Any = None,
                  allow_smaller_final_batch: bool = False, shared_name: Optional[str] = None,
                  name: Optional[str] = None) -> Any:  # fmt: skip
    """Batches drawn at random from a ``RandomShuffleQueue`` holding at least ``min_after_dequeue`` elements."""
    return _batch(locals(), "shuffle_batch")


def maybe_shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int, keep_input: Any,
                        num_threads: int = 1, seed: Optional[int] = None, enqueue_many: bool = False,
                        shapes: Any = None, allow_smaller_final_batch: bool = False,
                        shared_name: Optional[str] = None, name: Optional[str] = None) -> Any:  # fmt: skip
    """``shuffle_batch`` enqueuing only what ``keep_input`` keeps."""
    return _batch(locals(), "shuffle_batch")


def shuffle_batch_join(tensors_list: Any, batch_size: Any, capacity: int, min_after_dequeue: int,
                       seed: Optional[int] = None, enqueue_many: bool = False, shapes: Any = None,
                       allow_smaller_final_batch: bool = False, shared_name: Optional[str] = None,
                       name: Optional[str] = None) -> Any:  # fmt: skip
    """``shuffle_batch`` mixing the tensor lists of ``tensors_list``, each enqueued by its own thread."""
    return _batch(locals(), "shuffle_batch_join")


def maybe_shuffle_batch_join(tensors_list: Any, batch_size: Any, capacity: int, min_after_dequeue: int,
                             keep_input: Any, seed: Optional[int] = None, enqueue_many: bool = False,
                             shapes: Any = None, allow_smaller_final_batch: bool = False,
                             shared_name: Optional[str] = None, name: Optional[str] = None) -> Any:  # fmt: skip
    """``shuffle_batch_join`` enqueuing only what ``keep_input`` keeps."""
    return _batch(locals(), "shuffle_batch_join")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(
    globals(), hidden=("QueueRunner", "SparseTensor", "TensorShape", "add_queue_runner", "convert_to_tensor", "float32")
)
