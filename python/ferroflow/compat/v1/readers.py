"""TF1's readers: ``tf.compat.v1.TFRecordReader``, ``TextLineReader``, ``FixedLengthRecordReader``,
``WholeFileReader``, ``IdentityReader`` and their base ``ReaderBase``.

A reader turns work units (file names) taken from a queue into records: ``read(queue)`` gives the next
``(key, value)`` pair, dequeuing the next file name once the current file is done, so a closed and drained
queue ends the reading with ``OutOfRangeError`` (``string_input_producer(..., num_epochs=n)``). As in
TensorFlow each session has its own reader state (position, counters), like a queue's elements; ``reset``
starts it over. The operations are Python calls of the session's run (or host calls in ``tf.function``).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Iterator, List, Optional

import numpy as np

from ...errors import InvalidArgumentError, UnimplementedError
from ...framework import context
from ...framework.dtypes import int64, string
from ...framework.tensor_shape import TensorShape
from . import reader_formats as formats
from .proto_message import ProtoMessage

_SCALAR = TensorShape([])
_VECTOR = TensorShape([None])


class _ReaderBaseState(ProtoMessage):
    """TensorFlow's ``ReaderBaseState``: what ``serialize_state`` encodes."""

    _FIELDS = {
        "work_started": (1, "int"),
        "work_finished": (2, "int"),
        "num_records_produced": (3, "int"),
        "current_work": (4, "bytes"),
    }


class _State:
    """One session's reader: the file in progress and the counters, guarded by a lock that a read holds while
    it waits on the queue (TensorFlow's reader mutex)."""

    def __init__(self, reader: ReaderBase) -> None:
        self.reader = reader
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.work = b""
        self.records: Optional[Iterator[formats.Record]] = None
        self.started = self.finished = self.produced = 0

    def _next_work(self, queue_resource: Any) -> None:
        (element,) = queue_resource.state().dequeue(1)
        work = np.asarray(element[0]).item()
        if not isinstance(work, bytes):
            raise InvalidArgumentError(
                f"{self.reader._name}: the work queue must hold strings (file names), received {type(work).__name__}"
            )
        self.work = work
        self.records = self.reader._records(work)
        self.started += 1

    def read(self, queue_resource: Any, limit: int) -> List[formats.Record]:
        """Up to ``limit`` records, all from one work unit (TensorFlow's ``ReadUpTo``; ``read`` asks for 1)."""
        out: List[formats.Record] = []
        while len(out) < limit:
            if self.records is None:
                self._next_work(queue_resource)
            record = next(self.records, None)  # type: ignore[arg-type]
            at_end = record is None or self.reader._one_record_per_work
            if record is not None:
                out.append(record)
                self.produced += 1
            if at_end:
                self.records = None
                self.finished = self.started
                if out:
                    break
        return out

    def serialize(self) -> bytes:
        if self.records is not None:
            raise UnimplementedError(f"{self.reader._name}: cannot serialize a reader in the middle of a work unit")
        state = _ReaderBaseState(
            work_started=self.started,
            work_finished=self.finished,
            num_records_produced=self.produced,
            current_work=self.work,
        )
        return state.SerializeToString()

    def restore(self, data: bytes) -> None:
        try:
            state = _ReaderBaseState.FromString(data)
        except Exception as e:  # noqa: BLE001 - any parse failure is bad input
            self.reset()
            raise InvalidArgumentError(f"Could not parse state for {self.reader._name}: {data!r}") from e
        values = (state.work_started, state.work_finished, state.num_records_produced)
        if min(values) < 0 or state.work_finished > state.work_started:
            self.reset()
            raise InvalidArgumentError(f"Unexpected value when restoring in {self.reader._name}: {str(state).strip()}")
        self.started, self.finished, self.produced = values
        self.work = state.current_work
        in_progress = self.finished < self.started
        self.records = self.reader._records(self.work) if in_progress else None


class ReaderBase:
    """A reader of records from the work units (file names) of a queue.

    Args:
        reader_ref: the reader's handle (a string scalar naming it).
        supports_serialize: whether ``serialize_state`` / ``restore_state`` work for this kind of reader.
    """

    _one_record_per_work = False

    def __init__(self, reader_ref: Any, supports_serialize: bool = False) -> None:
        if context.executing_eagerly():
            raise RuntimeError(
                "Readers are not supported when eager execution is enabled. Instead, please use tf.data to get "
                "data into your model."
            )
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize
        self._name = getattr(getattr(reader_ref, "op", None), "name", type(self).__name__)
        self._lock = threading.Lock()
        self._states: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._unsessioned: Optional[_State] = None

    @staticmethod
    def _handle(kind: str, name: Optional[str]) -> Any:
        """The handle of a new reader: a string constant named ``name`` (default ``kind``)."""
        from ...ops.array_ops import constant

        node = name or kind
        return constant(node.encode(), name=node)

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        raise NotImplementedError(f"{type(self).__name__} does not read records")

    def _state(self) -> _State:
        from .python_nodes import calling_session

        session = calling_session()
        with self._lock:
            if session is None:
                if self._unsessioned is None:
                    self._unsessioned = _State(self)
                return self._unsessioned
            state = self._states.get(session)
            if state is None:
                state = self._states[session] = _State(self)
            return state

    def _run(self, func: Callable[[_State, list], Optional[list]], inputs: list, outputs: list, name: str) -> Any:
        from ...queue._runtime import run_op

        def call(arrays: list) -> Optional[list]:
            state = self._state()
            with state.lock:
                return func(state, arrays)

        return run_op(call, inputs, outputs, name)

    @property
    def reader_ref(self) -> Any:
        """The reader's handle."""
        return self._reader_ref

    @property
    def supports_serialize(self) -> bool:
        """Whether the reader can serialize its state."""
        return self._supports_serialize

    def _queue(self, queue: Any) -> Any:
        from ...queue import QueueBase

        if isinstance(queue, QueueBase):
            return queue
        return QueueBase([string], None, None, queue)  # a queue's handle (queue_ref)

    def _read(self, queue: Any, count: Any, name: str) -> list:
        from ...framework.ops import convert_to_tensor

        queue = self._queue(queue)
        extra = [] if count is None else [convert_to_tensor(count, dtype=int64)]
        shape = _SCALAR if count is None else _VECTOR

        def func(state: _State, arrays: list) -> list:
            resource, rest = queue._pick(arrays)
            limit = 1 if count is None else int(rest[-1])
            if limit < 0:
                raise InvalidArgumentError(f"{name}: num_records must be >= 0, received {limit}")
            records = state.read(resource, limit) if limit > 0 else []
            if count is None:
                return [_strings(records[0][0]), _strings(records[0][1])]
            return [_strings([k for k, _ in records]), _strings([v for _, v in records])]

        inputs = queue._inputs(*extra)
        return self._run(func, inputs, [(string, shape), (string, shape)], name)

    def read(self, queue: Any, name: Optional[str] = None) -> tuple:
        """The next record ``(key, value)``, two string scalars; takes a work unit from ``queue`` (a queue or its
        ``queue_ref``) when the current one is done, and raises ``OutOfRangeError`` when the queue is closed
        and empty."""
        key, value = self._read(queue, None, name or "ReaderReadV2")
        return key, value

    def read_up_to(self, queue: Any, num_records: Any, name: Optional[str] = None) -> tuple:
        """Up to ``num_records`` records ``(keys, values)`` (1-D string tensors), fewer at the end of a work
        unit."""
        keys, values = self._read(queue, num_records, name or "ReaderReadUpToV2")
        return keys, values

    def num_records_produced(self, name: Optional[str] = None) -> Any:
        """The number of records this reader has produced (int64)."""
        return self._run(
            lambda s, _: [np.asarray(s.produced, np.int64)],
            [],
            [(int64, _SCALAR)],
            name or "ReaderNumRecordsProducedV2",
        )[0]

    def num_work_units_completed(self, name: Optional[str] = None) -> Any:
        """The number of work units this reader has finished (int64)."""
        return self._run(
            lambda s, _: [np.asarray(s.finished, np.int64)], [], [(int64, _SCALAR)],
            name or "ReaderNumWorkUnitsCompletedV2",
        )[0]  # fmt: skip

    def serialize_state(self, name: Optional[str] = None) -> Any:
        """The reader's state as a string (``UnimplementedError`` for readers that cannot serialize)."""

        def func(state: _State, _: list) -> list:
            self._require_serialize("SerializeState")
            return [_strings(state.serialize())]

        return self._run(func, [], [(string, _SCALAR)], name or "ReaderSerializeStateV2")[0]

    def restore_state(self, state: Any, name: Optional[str] = None) -> Any:
        """An op setting the reader to a state ``serialize_state`` gave."""
        from ...framework.ops import convert_to_tensor

        def func(s: _State, arrays: list) -> None:
            self._require_serialize("RestoreState")
            s.restore(np.asarray(arrays[0]).item())

        return self._run(func, [convert_to_tensor(state, dtype=string)], [], name or "ReaderRestoreStateV2")

    def reset(self, name: Optional[str] = None) -> Any:
        """An op returning the reader to its initial state (no work in progress, counters at 0)."""
        return self._run(lambda s, _: s.reset(), [], [], name or "ReaderResetV2")

    def _require_serialize(self, what: str) -> None:
        if not self._supports_serialize:
            raise UnimplementedError(f"Reader {what} not supported by {type(self).__name__} '{self._name}'")


def _strings(value: Any) -> np.ndarray:
    if isinstance(value, bytes):
        out = np.empty((), dtype=object)
        out[()] = value
        return out
    out = np.empty((len(value),), dtype=object)
    out[:] = list(value)
    return out
