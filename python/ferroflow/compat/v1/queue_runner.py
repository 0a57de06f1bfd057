"""``tf.compat.v1.train.QueueRunner``: threads that keep running a queue's enqueue ops (TF1 input pipelines).

Each enqueue op gets a thread that runs it with ``Session.run`` until the queue is closed or the coordinator
stops. An ``OutOfRangeError`` (an upstream queue or a ``count_up_to`` ran out) ends a thread quietly; when the
last one ends the queue is closed, so consumers drain it and then get ``OutOfRangeError``. A coordinator stop
runs the cancel op, which fails enqueues still waiting on a full queue, so no thread is left blocked.
Ported from TensorFlow's ``queue_runner_impl.py``; ``QueueRunnerDef`` protos are not supported.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, List, Optional

from ... import errors
from ...framework import context
from ...ops.context_ops import get_logger
from .graph_keys import GraphKeys, add_to_collection


class QueueRunner:
    """Holds a queue and the enqueue ops whose threads fill it.

    Args:
        queue: a ``tf.queue`` queue.
        enqueue_ops: the ops each thread runs (one thread per op; repeat an op for more threads).
        close_op: run when the last thread ends (default: ``queue.close()``).
        cancel_op: run when the coordinator stops (default: ``queue.close(cancel_pending_enqueues=True)``).
        queue_closed_exception_types: errors that end a thread quietly (default: ``OutOfRangeError``).
    """

    def __init__(
        self,
        queue: Any = None,
        enqueue_ops: Any = None,
        close_op: Any = None,
        cancel_op: Any = None,
        queue_closed_exception_types: Any = None,
        queue_runner_def: Any = None,
        import_scope: Optional[str] = None,
    ) -> None:
        if context.executing_eagerly():
            raise RuntimeError(
                "QueueRunners are not supported when eager execution is enabled. "
                "Instead, please use tf.data to get data into your model."
            )
        if queue_runner_def is not None:
            raise NotImplementedError("QueueRunner(queue_runner_def=...): QueueRunnerDef protos are not supported")
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        if queue_closed_exception_types is not None:
            if (
                not isinstance(queue_closed_exception_types, tuple)
                or not queue_closed_exception_types
                or not all(isinstance(t, type) and issubclass(t, errors.OpError) for t in queue_closed_exception_types)
            ):
                raise TypeError(
                    "queue_closed_exception_types, when provided, must be a tuple of tf.error types, but saw: "
                    f"{queue_closed_exception_types}"
                )
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        self._queue_closed_exception_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs_per_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._exceptions_raised: List[BaseException] = []

    @property
    def queue(self) -> Any:
        return self._queue

    @property
    def enqueue_ops(self) -> list:
        return self._enqueue_ops

    @property
    def close_op(self) -> Any:
        return self._close_op

    @property
    def cancel_op(self) -> Any:
        return self._cancel_op

    @property
    def queue_closed_exception_types(self) -> tuple:
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self) -> list:
        """The exceptions the threads raised (when no coordinator took them)."""
        return self._exceptions_raised

    @property
    def name(self) -> str:
        return self._queue.name

    def _run(self, sess: Any, enqueue_op: Any, coord: Any = None) -> None:
        """A thread's loop: run ``enqueue_op`` until the queue closes or ``coord`` stops."""
        decremented = False
        try:
            while True:
                if coord is not None and coord.should_stop():
                    break
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception as e:  # noqa: BLE001 - as TF: the queue may be closed already
                                get_logger().debug("Ignored exception: %s", e)
                    return
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF does
            if coord is not None:
                coord.request_stop(e)
            else:
                get_logger().error("Exception in QueueRunner: %s", e)
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess: Any, cancel_op: Any, coord: Any) -> None:
        """Waits for the coordinator's stop, then cancels the enqueues still waiting."""
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception as e:  # noqa: BLE001 - as TF: the session may be closed already
            get_logger().debug("Ignored exception: %s", e)

    def create_threads(self, sess: Any, coord: Any = None, daemon: bool = False, start: bool = False) -> list:
        """A thread per enqueue op (plus one that cancels on ``coord``'s stop); none if this session's threads
        still run. With ``start`` they are started, with ``coord`` registered with it."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [
            threading.Thread(target=self._run, args=(sess, op, coord), name=f"QueueRunnerThread-{self.name}-{op.name}")
            for op in self._enqueue_ops
        ]
        if coord is not None:
            threads.append(
                threading.Thread(
                    target=self._close_on_stop,
                    args=(sess, self._cancel_op, coord),
                    name=f"QueueRunnerThread-{self.name}-close_on_stop",
                )
            )
        for t in threads:
            if coord is not None:
                coord.register_thread(t)
            if daemon:
                t.daemon = True
            if start:
                t.start()
        return threads


def add_queue_runner(qr: QueueRunner, collection: str = GraphKeys.QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the default graph's ``collection``, where ``start_queue_runners`` finds it."""
    add_to_collection(collection, qr)


def start_queue_runners(
    sess: Any = None,
    coord: Any = None,
    daemon: bool = True,
    start: bool = True,
    collection: str = GraphKeys.QUEUE_RUNNERS,
) -> list:
    """Starts the threads of every queue runner in ``sess``'s graph ``collection``; returns them."""
    from .session import Session, get_default_session

    if context.executing_eagerly():
        raise RuntimeError("Queues are not compatible with eager execution.")
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError(
                "Cannot start queue runners: No default session is registered. Use `with sess.as_default()` or "
                "pass an explicit session to tf.start_queue_runners(sess=sess)"
            )
    if not isinstance(sess, Session):
        if type(sess).__name__ in ("MonitoredSession", "SingularMonitoredSession"):
            return []  # they started their own
        raise TypeError(f"sess must be a `tf.Session` object. Given class: {sess.__class__}")
    runners = sess.graph.get_collection(collection)
    if not runners:
        get_logger().warning(
            "`tf.train.start_queue_runners()` was called when no queue runners were defined. You can safely remove "
            "the call to this deprecated function."
        )
    threads = []
    with sess.graph.as_default():
        for qr in runners:
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("GraphKeys", "add_to_collection", "get_logger"))
