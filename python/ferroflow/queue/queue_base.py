"""``tf.queue.QueueBase``: the operations every queue has (``enqueue``, ``dequeue_many``, ``close`` ...).

Eagerly each operation runs at once; in a graph it is an operation that runs each time ``Session.run`` reaches it
(a TF1 input pipeline's enqueue runs on queue-runner threads while the training loop dequeues). A queue's handle
(``queue_ref``) is a string scalar naming it, as ferroflow has no resource dtype.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, List, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.dtypes import bool_ as _bool
from ..framework.dtypes import int32
from ..framework.graph import SymbolicTensor
from ..framework.ops import convert_to_tensor
from ..framework.tensor_shape import TensorShape
from . import _specs, _values
from ._runtime import QueueResource, run_op

# queue_ref -> its QueueResource: (id of graph, node) in a graph, the handle's name eagerly.
_REFS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def ref_key(queue_ref: Any) -> Any:
    if isinstance(queue_ref, SymbolicTensor):
        return (id(queue_ref.graph), queue_ref.node)
    return bytes(np.asarray(queue_ref.numpy()).item()) if hasattr(queue_ref, "numpy") else queue_ref


class QueueBase:
    """Base class of the queues: each element is a tuple of tensors with fixed dtypes (and, when given, shapes).

    Args:
        dtypes: the dtype of each component of an element.
        shapes: the shape of each component, or None (unconstrained shapes; no ``dequeue_many`` then).
        names: a name per component; ``enqueue`` then takes and ``dequeue`` gives a dict.
        queue_ref: the handle of the queue these operations act on (another queue's ``queue_ref``).
    """

    def __init__(self, dtypes: Any, shapes: Any, names: Any, queue_ref: Any) -> None:
        self._dtypes = dtypes
        if shapes is not None:
            if len(shapes) != len(dtypes):
                raise ValueError(
                    "Queue shapes must have the same length as dtypes, "
                    f"received len(shapes)={len(shapes)}, len(dtypes)={len(dtypes)}"
                )
            self._shapes = [TensorShape(s) if not isinstance(s, TensorShape) else s for s in shapes]
        else:
            self._shapes = [TensorShape(None) for _ in dtypes]
        if names is not None:
            if len(names) != len(dtypes):
                raise ValueError(
                    "Queue names must have the same length as dtypes,"
                    f"received len(names)={len(names)},len {len(dtypes)}"
                )
            self._names = names
        else:
            self._names = None
        self._queue_ref = queue_ref
        if not hasattr(self, "_resources"):
            resource = _REFS.get(ref_key(queue_ref))
            if resource is None:
                raise TypeError(f"queue_ref must be the queue_ref of a queue, received {queue_ref!r}")
            self._resources = [resource]
            self._index = None
        if isinstance(queue_ref, SymbolicTensor):
            self._name = queue_ref.op.name.split("/")[-1]
        else:
            scopes = getattr(context._state, "eager_scopes", None)
            self._name = "/".join(scopes) if scopes else "Empty"

    @staticmethod
    def from_list(index: Any, queues: list) -> QueueBase:
        """A queue whose operations act on ``queues[index]``, ``index`` read each time one runs."""
        if not queues or not isinstance(queues, list) or not all(isinstance(x, QueueBase) for x in queues):
            raise TypeError("A list of queues expected")
        dtypes = queues[0].dtypes
        if not all(dtypes == q.dtypes for q in queues[1:]):
            raise TypeError("Queues do not have matching component dtypes.")
        names = queues[0].names
        if not all(names == q.names for q in queues[1:]):
            raise TypeError("Queues do not have matching component names.")
        shapes = [functools.reduce(_specs.shape_common, s) for s in zip(*[q.shapes for q in queues])]
        from ..ops.array_ops import gather, stack

        index = convert_to_tensor(index, dtype=int32)
        selected = QueueBase.__new__(QueueBase)
        selected._resources = [r for q in queues for r in q._resources]
        selected._index = index
        QueueBase.__init__(selected, dtypes, shapes, names, gather(stack([q.queue_ref for q in queues]), index))
        return selected

    # -- properties
    @property
    def queue_ref(self) -> Any:
        """The queue's handle: a string scalar naming it."""
        return self._queue_ref

    @property
    def name(self) -> str:
        """The name of the queue's node in its graph ("Empty" or the name scope when built eagerly)."""
        if context.executing_eagerly() or not isinstance(self._queue_ref, SymbolicTensor):
            return self._name
        return self._queue_ref.op.name

    @property
    def dtypes(self) -> list:
        return self._dtypes

    @property
    def shapes(self) -> list:
        return self._shapes

    @property
    def names(self) -> Optional[list]:
        return self._names

    # -- running
    def _inputs(self, *tensors: Any) -> list:
        return ([self._index] if self._index is not None else []) + list(tensors)

    def _pick(self, arrays: list) -> tuple:
        """The resource an operation acts on (``from_list``: the one the index names) and its other inputs."""
        if self._index is None:
            return self._resources[0], arrays
        i = int(arrays[0])
        if not 0 <= i < len(self._resources):
            raise InvalidArgumentError(
                f"index {i} is not in [0, {len(self._resources)}): there are {len(self._resources)} queues"
            )
        return self._resources[i], arrays[1:]

    def _dequeue_return_value(self, tensors: list) -> Any:
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        if len(tensors) == 1:
            return tensors[0]
        return tensors

    def enqueue(self, vals: Any, name: Optional[str] = None) -> Any:
        """Adds one element, waiting while the queue is full; CancelledError when the queue is closed."""
        return self._enqueue(vals, name or f"{self._name}_enqueue", many=False)

    def enqueue_many(self, vals: Any, name: Optional[str] = None) -> Any:
        """Adds one element per row of ``vals`` (every component sliced along its first dimension)."""
        return self._enqueue(vals, name or f"{self._name}_EnqueueMany", many=True)

    def _enqueue(self, vals: Any, name: str, many: bool, keep_input: Any = None) -> Any:
        """The enqueue operation; ``keep_input`` (a bool scalar, or a vector with ``many``: one per row) filters
        what is enqueued when it runs (``tf.compat.v1.train.maybe_batch``)."""
        tensors = _values.component_tensors(vals, self._dtypes, self._names)
        _values.check_static(tensors, self._shapes, many)
        keep = [] if keep_input is None else [keep_input]

        def func(arrays: List[np.ndarray]) -> None:
            resource, arrays = self._pick(arrays)
            if keep:
                arrays = _values.kept(arrays[0], arrays[1:], many)
                if arrays is None:
                    return
            elements = _values.elements(arrays, resource.dtypes, resource.shapes, many)
            resource.state().enqueue(elements)

        return run_op(func, self._inputs(*keep, *tensors), [], name)

    def dequeue(self, name: Optional[str] = None) -> Any:
        """Removes one element and returns it, waiting while the queue is empty; OutOfRangeError when the queue
        is closed and empty."""

        def func(arrays: List[np.ndarray]) -> list:
            resource, _ = self._pick(arrays)
            return list(resource.state().dequeue(1)[0])

        outputs = [(d, s) for d, s in zip(self._dtypes, self._shapes)]
        return self._dequeue_return_value(run_op(func, self._inputs(), outputs, name or f"{self._name}_Dequeue"))

    def dequeue_many(self, n: Any, name: Optional[str] = None) -> Any:
        """Removes ``n`` elements, stacked along a new first axis; OutOfRangeError when the queue is closed with
        fewer than ``n`` left (they stay queued)."""
        return self._dequeue_batch(n, name or f"{self._name}_DequeueMany", up_to=False)

    def dequeue_up_to(self, n: Any, name: Optional[str] = None) -> Any:
        """As ``dequeue_many``, but a closed queue with fewer than ``n`` (and more than 0) left gives them all."""
        return self._dequeue_batch(n, name or f"{self._name}_DequeueUpTo", up_to=True)

    def _dequeue_batch(self, n: Any, name: str, up_to: bool) -> Any:
        n_tensor = convert_to_tensor(n, dtype=int32)

        def func(arrays: List[np.ndarray]) -> list:
            resource, (count,) = self._pick(arrays)
            _values.require_shapes(resource.kind, resource.shapes, resource.padded)
            taken = resource.state().dequeue(int(count), up_to=up_to)
            return _values.batch(taken, resource.dtypes, resource.shapes, resource.padded)

        from ..ops.structure_ops import get_static_value

        static = None if up_to else get_static_value(n_tensor)
        # a negative count stays unknown here: the dequeue fails with TensorFlow's InvalidArgumentError when run
        first = TensorShape([None if static is None or int(static) < 0 else int(static)])
        outputs = [(d, first.concatenate(s)) for d, s in zip(self._dtypes, self._shapes)]
        return self._dequeue_return_value(run_op(func, self._inputs(n_tensor), outputs, name))

    def close(self, cancel_pending_enqueues: bool = False, name: Optional[str] = None) -> Any:
        """Closes the queue: later enqueues fail, dequeues drain what is left and then fail with OutOfRangeError.
        With ``cancel_pending_enqueues`` the enqueues still waiting fail too."""

        def func(arrays: List[np.ndarray]) -> None:
            resource, _ = self._pick(arrays)
            resource.state().close(cancel_pending_enqueues)

        return run_op(func, self._inputs(), [], name or f"{self._name}_Close")

    def is_closed(self, name: Optional[str] = None) -> Any:
        """A bool scalar: whether the queue is closed."""

        def func(arrays: List[np.ndarray]) -> list:
            resource, _ = self._pick(arrays)
            return [np.asarray(resource.state().is_closed())]

        return run_op(func, self._inputs(), [(_bool, TensorShape([]))], name or f"{self._name}_Is_Closed")[0]

    def size(self, name: Optional[str] = None) -> Any:
        """An int32 scalar: the number of elements in the queue."""

        def func(arrays: List[np.ndarray]) -> list:
            resource, _ = self._pick(arrays)
            return [np.asarray(resource.state().size(), np.int32)]

        return run_op(func, self._inputs(), [(int32, TensorShape([]))], name or f"{self._name}_Size")[0]


def register(queue_ref: Any, resource: QueueResource) -> None:
    _REFS[ref_key(queue_ref)] = resource


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(
    globals(),
    hidden=(
        "QueueResource",
        "SymbolicTensor",
        "TensorShape",
        "convert_to_tensor",
        "int32",
        "ref_key",
        "register",
        "run_op",
    ),
)
