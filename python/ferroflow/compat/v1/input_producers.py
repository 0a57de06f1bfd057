"""``tf.compat.v1.train.string_input_producer`` and its relatives: TF1's queues of work (file names, indices).

Each fills a ``FIFOQueue`` with the rows of a tensor, one epoch per run of its enqueue op, from a thread of the
``QueueRunner`` it adds to the graph (started by ``start_queue_runners`` or a ``MonitoredSession``). With
``shuffle`` each epoch is a fresh permutation; with ``num_epochs`` a local ``epochs`` counter
(``limit_epochs``: ``count_up_to``) stops the enqueues after that many epochs with ``OutOfRangeError``, the
runner closes the queue and its consumers (a reader, ``train.batch``) drain it and then get
``OutOfRangeError`` too. The counter is a local variable: run ``local_variables_initializer()`` first, as in TF.
Ported from TensorFlow's ``training/input.py``.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional

from ...framework import context
from ...framework.dtypes import float32, int64, string
from ...framework.ops import convert_to_tensor
from ...framework.tensor_shape import TensorShape
from .graph_keys import GraphKeys
from .queue_runner import QueueRunner, add_queue_runner

_EAGER = (
    "Input pipelines based on Queues are not supported when eager execution is enabled. Please use tf.data to "
    "ingest data into your model instead."
)


def limit_epochs(tensor: Any, num_epochs: Optional[int] = None, name: Optional[str] = None) -> Any:
    """``tensor``, whose evaluations are counted: the ``num_epochs + 1``-th raises ``OutOfRangeError``.

    Creates the local variable ``epochs`` (int64): run ``local_variables_initializer()`` before using it.
    """
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    from ... import control_dependencies
    from ...framework.variables import Variable
    from ...ops.array_ops import identity

    graph = context.get_default_graph()
    with graph.name_scope(name or "limit_epochs") as scope:
        zero64 = convert_to_tensor(0, dtype=int64)
        epochs = Variable(zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        counter = epochs.count_up_to(num_epochs)
        with control_dependencies([counter]), _named_as(graph, scope) as last:
            return identity(tensor, name=last)


@contextlib.contextmanager
def _within(graph: Any, scope: str) -> Iterator[str]:
    """Re-enters the existing name scope ``scope`` (a full path), as TF's ``name_scope("scope/")``."""
    saved = graph._scopes
    graph._scopes = scope.split("/") if scope else []
    try:
        yield scope
    finally:
        graph._scopes = saved


@contextlib.contextmanager
def _named_as(graph: Any, scope: str) -> Iterator[str]:
    """Within the parent of ``scope``, yielding its last part: an op created with that name is named ``scope``
    itself (TF names a function's main op after its name scope)."""
    parent, _, last = scope.rpartition("/")
    with _within(graph, parent):
        yield last


def _check_graph() -> None:
    if context.executing_eagerly():
        raise RuntimeError(_EAGER)


def input_producer(
    input_tensor: Any,
    element_shape: Any = None,
    num_epochs: Optional[int] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    capacity: int = 32,
    shared_name: Optional[str] = None,
    summary_name: Optional[str] = None,
    name: Optional[str] = None,
    cancel_op: Any = None,
) -> Any:
    """A ``FIFOQueue`` of the rows of ``input_tensor`` (at least 1-D), ``num_epochs`` times or forever.

    Args:
        input_tensor: the rows to produce; its row shape must be known, or given as ``element_shape``.
        element_shape: the shape of a row, when ``input_tensor``'s is not fully known.
        num_epochs: how many times each row is produced (None: without end).
        shuffle: whether each epoch is a fresh random permutation of the rows.
        seed: the op seed of the shuffle.
        capacity: how many rows the queue holds.
        shared_name: the name that sessions sharing this queue use.
        summary_name: when given, a scalar summary of how full the queue is.
        name: the name of the queue (and of the name scope of its ops).
        cancel_op: what the queue runner runs when its coordinator stops (default: close the queue, cancelling
            pending enqueues).
    """
    _check_graph()
    graph = context.get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        return _produce(graph, scope, input_tensor, element_shape, num_epochs, shuffle, seed, capacity, shared_name,
                        summary_name, cancel_op)  # fmt: skip


def _produce(graph: Any, scope: str, input_tensor: Any, element_shape: Any, num_epochs: Optional[int], shuffle: bool,
             seed: Optional[int], capacity: int, shared_name: Optional[str], summary_name: Optional[str],
             cancel_op: Any) -> Any:  # fmt: skip
    """``input_producer``'s body, within its name scope ``scope`` (the queue is named after it)."""
    from ...ops.array_ops import cast
    from ...ops.random_ops import shuffle as random_shuffle
    from ...queue import FIFOQueue
    from .summary_ops import scalar

    input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
    row = TensorShape(None) if input_tensor.shape.rank is None else TensorShape(list(input_tensor.shape)[1:])
    element_shape = row.merge_with(TensorShape(element_shape) if element_shape is not None else TensorShape(None))
    if not element_shape.is_fully_defined():
        raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be specified")
    if shuffle:
        input_tensor = random_shuffle(input_tensor, seed=seed)
    input_tensor = limit_epochs(input_tensor, num_epochs)
    with _named_as(graph, scope) as last:
        queue = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype], shapes=[element_shape],
                          shared_name=shared_name, name=last)  # fmt: skip
    enqueue = queue.enqueue_many([input_tensor])
    add_queue_runner(QueueRunner(queue, [enqueue], cancel_op=cancel_op))
    if summary_name is not None:
        scalar(summary_name, cast(queue.size(), float32) * (1.0 / capacity))
    return queue


def string_input_producer(
    string_tensor: Any,
    num_epochs: Optional[int] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    capacity: int = 32,
    shared_name: Optional[str] = None,
    name: Optional[str] = None,
    cancel_op: Any = None,
) -> Any:
    """A ``FIFOQueue`` of the strings of the 1-D ``string_tensor`` (file names for a reader), ``num_epochs``
    times or forever; an empty ``string_tensor`` fails when the queue runner first runs."""
    from ... import control_dependencies
    from ...framework.tensor import Tensor
    from ...ops.array_ops import identity, size
    from ...ops.assert_extra_ops import Assert
    from ...ops.math_ops import greater

    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not _non_empty(string_tensor):
        raise ValueError(not_null_err)
    _check_graph()
    graph = context.get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=string)
        check = Assert(greater(size(string_tensor), 0), [not_null_err])
        with control_dependencies([check]):
            string_tensor = identity(string_tensor)
        summary_name = f"fraction_of_{capacity}_full"
        return _produce(graph, scope, string_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                        summary_name, cancel_op)  # fmt: skip


def _non_empty(value: Any) -> bool:
    try:
        return len(value) > 0
    except TypeError:
        return bool(value)


def range_input_producer(
    limit: Any,
    num_epochs: Optional[int] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    capacity: int = 32,
    shared_name: Optional[str] = None,
    name: Optional[str] = None,
) -> Any:
    """A ``FIFOQueue`` of the int32 integers ``0 .. limit - 1``, ``num_epochs`` times or forever."""
    from ...ops.array_ops import range as range_

    _check_graph()
    graph = context.get_default_graph()
    with graph.name_scope(name or "input_producer") as scope:
        range_tensor = range_(limit)
        summary_name = f"fraction_of_{capacity}_full"
        return _produce(graph, scope, range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                        summary_name, None)  # fmt: skip


def slice_input_producer(
    tensor_list: Any,
    num_epochs: Optional[int] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    capacity: int = 32,
    shared_name: Optional[str] = None,
    name: Optional[str] = None,
) -> list:
    """One row of each tensor of ``tensor_list`` (all with the same first dimension), the same row of each,
    taken in turn (or at random with ``shuffle``) from a ``range_input_producer`` over the rows."""
    from ...ops.array_ops import gather, shape

    _check_graph()
    graph = context.get_default_graph()
    with graph.name_scope(name or "input_producer"):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = shape(tensor_list[0])[0]
        queue = range_input_producer(
            range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed, capacity=capacity, shared_name=shared_name
        )
        index = queue.dequeue()
        return [gather(t, index) for t in tensor_list]


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(
    globals(),
    hidden=("GraphKeys", "QueueRunner", "TensorShape", "add_queue_runner", "convert_to_tensor", "float32", "int64",
            "string"),
)  # fmt: skip
