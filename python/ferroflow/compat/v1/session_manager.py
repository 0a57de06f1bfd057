"""``SessionManager`` and the session creators (``ChiefSessionCreator``, ``WorkerSessionCreator``) of TF1.

``ChiefSessionCreator`` makes a session, restores the latest checkpoint of ``checkpoint_dir`` when there
is one and otherwise runs the ``Scaffold``'s init op, then runs the local init op and checks that every
variable has a value.
"""

from __future__ import annotations

import abc
import time
from typing import Any, Callable, Optional, Tuple

import numpy as np

from ... import errors
from ...framework import context
from ...train import _format
from .scaffold import Scaffold
from .session import Session


def _maybe_name(obj: Any) -> str:
    if obj is None:
        return "None"
    return getattr(obj, "name", f"<no name for {type(obj)}>")


def _ready(op: Any, sess: Any, msg: str) -> Tuple[bool, Optional[str]]:
    if op is None:
        return True, None
    try:
        value = sess.run(op)
    except errors.FailedPreconditionError as e:
        if "uninitialized" not in str(e) and "before it was initialized" not in str(e):
            raise
        return False, str(e)
    if value is None or np.asarray(value).dtype == np.int32 or np.asarray(value).size == 0:
        return True, None
    names = ", ".join(v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.asarray(value).ravel())
    return False, "Variables not initialized: " + names


class SessionManager:
    """Creates sessions that are initialized or restored from a checkpoint (TF1's ``SessionManager``)."""

    def __init__(
        self,
        local_init_op: Any = None,
        ready_op: Any = None,
        ready_for_local_init_op: Any = None,
        graph: Any = None,
        recovery_wait_secs: float = 30,
        local_init_run_options: Any = None,
        local_init_feed_dict: Optional[dict] = None,
    ) -> None:
        self._local_init_op = local_init_op
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph if graph is not None else context.get_default_graph()
        self._recovery_wait_secs = recovery_wait_secs
        self._local_init_run_options = local_init_run_options
        self._local_init_feed_dict = local_init_feed_dict
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError(
                "If you pass a ready_for_local_init_op you must also pass a local_init_op , "
                f"ready_for_local_init_op [{ready_for_local_init_op}]"
            )

    def _restore_checkpoint(
        self,
        master: str,
        saver: Any = None,
        checkpoint_dir: Optional[str] = None,
        checkpoint_filename_with_path: Optional[str] = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
    ) -> Tuple[Session, bool]:
        sess = Session(master, graph=self._graph, config=config)
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and checkpoint_filename_with_path.")
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            saver.restore(sess, checkpoint_filename_with_path)
            return sess, True
        waited = 0.0
        state = _format.read_state(checkpoint_dir)
        while state is None or not state.model_checkpoint_path:
            if not (wait_for_checkpoint and waited < max_wait_secs):
                return sess, False
            time.sleep(self._recovery_wait_secs)
            waited += self._recovery_wait_secs
            state = _format.read_state(checkpoint_dir)
        saver.restore(sess, state.model_checkpoint_path)
        saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
        return sess, True

    def prepare_session(
        self,
        master: str,
        init_op: Any = None,
        saver: Any = None,
        checkpoint_dir: Optional[str] = None,
        checkpoint_filename_with_path: Optional[str] = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
        init_feed_dict: Optional[dict] = None,
        init_fn: Optional[Callable[[Any], None]] = None,
    ) -> Session:
        """A session restored from the latest checkpoint, or initialized by ``init_op`` / ``init_fn``."""
        sess, restored = self._restore_checkpoint(
            master, saver, checkpoint_dir, checkpoint_filename_with_path, wait_for_checkpoint, max_wait_secs, config
        )
        if not restored:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        ok, msg = self._try_run_local_init_op(sess)
        if not ok:
            raise RuntimeError(
                f"Init operations did not make model ready for local_init.  Init op: {_maybe_name(init_op)}, init "
                f"fn: {init_fn}, error: {msg}"
            )
        ready, msg = _ready(self._ready_op, sess, "Model not ready")
        if not ready:
            raise RuntimeError(
                f"Init operations did not make model ready.  Init op: {_maybe_name(init_op)}, init fn: {init_fn}, "
                f"local_init_op: {self._local_init_op}, error: {msg}"
            )
        return sess

    def recover_session(
        self,
        master: str,
        saver: Any = None,
        checkpoint_dir: Optional[str] = None,
        checkpoint_filename_with_path: Optional[str] = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        config: Any = None,
    ) -> Tuple[Session, bool]:
        """A session restored from a checkpoint if possible: ``(session, whether it is restored and ready)``."""
        sess, restored = self._restore_checkpoint(
            master, saver, checkpoint_dir, checkpoint_filename_with_path, wait_for_checkpoint, max_wait_secs, config
        )
        ok, _ = self._try_run_local_init_op(sess)
        if not restored or not ok:
            return sess, False
        return sess, _ready(self._ready_op, sess, "Model not ready")[0]

    def wait_for_session(self, master: str, config: Any = None, max_wait_secs: float = float("inf")) -> Session:
        """A session once another process (the chief) has initialized the model; DeadlineExceededError after
        ``max_wait_secs``."""
        deadline = time.time() + (float("inf") if max_wait_secs is None else max_wait_secs)
        while True:
            sess = Session(master, graph=self._graph, config=config)
            ok, _ = self._try_run_local_init_op(sess)
            if ok and _ready(self._ready_op, sess, "Model not ready")[0]:
                return sess
            sess.close()
            if deadline - time.time() - self._recovery_wait_secs < 0:
                raise errors.DeadlineExceededError(f"Session was not ready after waiting {max_wait_secs} secs.")
            time.sleep(self._recovery_wait_secs)

    def _try_run_local_init_op(self, sess: Session) -> Tuple[bool, Optional[str]]:
        if self._local_init_op is None:
            return True, None
        ready, msg = _ready(self._ready_for_local_init_op, sess, "Model not ready for local init")
        if not ready:
            return False, msg
        sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict, options=self._local_init_run_options)
        return True, None


class SessionCreator(metaclass=abc.ABCMeta):
    """Makes the ``Session`` a ``MonitoredSession`` runs."""

    @abc.abstractmethod
    def create_session(self) -> Any:
        raise NotImplementedError(f"create_session is not implemented for {self}.")


class ChiefSessionCreator(SessionCreator):
    """Creates a session that restores the latest checkpoint (of ``checkpoint_dir``, or the file
    ``checkpoint_filename_with_path``) or else runs the scaffold's init op."""

    def __init__(
        self,
        scaffold: Optional[Scaffold] = None,
        master: str = "",
        config: Any = None,
        checkpoint_dir: Optional[str] = None,
        checkpoint_filename_with_path: Optional[str] = None,
    ) -> None:
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._session_manager: Optional[SessionManager] = None
        self._master = master
        self._config = config

    def _get_session_manager(self) -> SessionManager:
        if self._session_manager is None:
            s = self._scaffold
            self._session_manager = SessionManager(
                local_init_op=s.local_init_op,
                local_init_feed_dict=s.local_init_feed_dict,
                ready_op=s.ready_op,
                ready_for_local_init_op=s.ready_for_local_init_op,
                graph=context.get_default_graph(),
            )
        return self._session_manager

    def create_session(self) -> Session:
        self._scaffold.finalize()
        return self._get_session_manager().prepare_session(
            self._master,
            saver=self._scaffold.saver,
            checkpoint_dir=self._checkpoint_dir,
            checkpoint_filename_with_path=self._checkpoint_filename_with_path,
            config=self._config,
            init_op=self._scaffold.init_op,
            init_feed_dict=self._scaffold.init_feed_dict,
            init_fn=self._scaffold.init_fn,
        )


class WorkerSessionCreator(SessionCreator):
    """Creates a session that waits until the chief has initialized or restored the model."""

    def __init__(
        self, scaffold: Optional[Scaffold] = None, master: str = "", config: Any = None, max_wait_secs: float = 30 * 60
    ) -> None:
        self._scaffold = scaffold or Scaffold()
        self._session_manager: Optional[SessionManager] = None
        self._master = master
        self._config = config
        self._max_wait_secs = max_wait_secs

    def create_session(self) -> Session:
        self._scaffold.finalize()
        if self._session_manager is None:
            s = self._scaffold
            self._session_manager = SessionManager(
                local_init_op=s.local_init_op,
                local_init_feed_dict=s.local_init_feed_dict,
                ready_op=s.ready_op,
                ready_for_local_init_op=s.ready_for_local_init_op,
                graph=context.get_default_graph(),
            )
        return self._session_manager.wait_for_session(
            self._master, config=self._config, max_wait_secs=self._max_wait_secs
        )
