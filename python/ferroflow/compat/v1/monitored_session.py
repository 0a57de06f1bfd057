"""``MonitoredSession``, ``SingularMonitoredSession`` and ``MonitoredTrainingSession`` (TF1's training loop).

A monitored session creates (and, on ``AbortedError`` / ``UnavailableError``, recreates) its session
through a session creator, calls the hooks around every ``run``, and stops when a hook asks: the usual
loop is ``with MonitoredTrainingSession(...) as sess: while not sess.should_stop(): sess.run(train_op)``.
Leaving the block ends the hooks (saving a final checkpoint) unless an error other than
``OutOfRangeError`` / ``StopIteration`` ended it; those two end the loop quietly, as in TensorFlow.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, List, Optional

from ... import errors
from . import basic_hooks, checkpoint_hooks, more_hooks
from .coordinator import Coordinator
from .scaffold import Scaffold
from .session_manager import ChiefSessionCreator, SessionCreator, WorkerSessionCreator
from .wrapped_session import StepContext, _CoordinatedSession, _HookedSession, _RecoverableSession

USE_DEFAULT = object()


class _MonitoredSession:
    def __init__(
        self,
        session_creator: Optional[SessionCreator],
        hooks: Optional[List[Any]],
        should_recover: bool,
        stop_grace_period_secs: float = 120,
    ) -> None:
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._coordinated_creator = self._CoordinatedSessionCreator(
            session_creator or ChiefSessionCreator(), self._hooks, stop_grace_period_secs
        )
        if should_recover:
            self._sess: Any = _RecoverableSession(self._coordinated_creator)
        else:
            self._sess = self._coordinated_creator.create_session()

    @property
    def graph(self) -> Any:
        return None if self._tf_sess() is None else self._tf_sess().graph

    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        """Runs ``fetches`` with the hooks' fetches and feeds added; returns the caller's values."""
        if self._sess is None:
            raise RuntimeError("Attempted to use a closed Session.")
        return self._sess.run(fetches, feed_dict=feed_dict, options=options, run_metadata=run_metadata)

    def run_step_fn(self, step_fn: Callable) -> Any:
        """Calls ``step_fn(step_context)``: it may run the raw session, ``run_with_hooks`` and ``request_stop``."""
        args = tuple(inspect.signature(step_fn).parameters)
        if args != ("step_context",) and args != ("self", "step_context"):
            raise ValueError(
                "`step_fn` may either have one `step_context` argument, or `self` and `step_context` arguments if "
                f"it's an instance method. Got {args} instead."
            )
        return self._sess.run_step_fn(step_fn, self._tf_sess(), run_with_hooks=None)

    StepContext = StepContext

    def should_stop(self) -> bool:
        return self._sess is None or self._sess.should_stop()

    def close(self) -> None:
        self._close_internal()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, exception_type: Any, exception_value: Any, traceback: Any) -> bool:
        if exception_type is not None and issubclass(exception_type, (errors.OutOfRangeError, StopIteration)):
            exception_type = None
        self._close_internal(exception_type)
        return exception_type is None

    class _CoordinatedSessionCreator(SessionCreator):
        def __init__(self, session_creator: SessionCreator, hooks: List[Any], stop_grace_period_secs: float) -> None:
            self._session_creator = session_creator
            self._hooks = hooks
            self.coord: Optional[Coordinator] = None
            self.tf_sess: Any = None
            self._stop_grace_period_secs = stop_grace_period_secs

        def create_session(self) -> Any:
            self.tf_sess = self._session_creator.create_session()
            self.coord = Coordinator(clean_stop_exception_types=[])
            if self.tf_sess.graph.get_collection("queue_runners"):
                from .queue_runner import start_queue_runners

                start_queue_runners(sess=self.tf_sess, coord=self.coord)
            for hook in self._hooks:
                hook.after_create_session(self.tf_sess, self.coord)
            return _CoordinatedSession(
                _HookedSession(self.tf_sess, self._hooks), self.coord, self._stop_grace_period_secs
            )

    def _close_internal(self, exception_type: Any = None) -> None:
        try:
            if not exception_type:
                for hook in self._hooks:
                    hook.end(self._coordinated_creator.tf_sess)
        finally:
            try:
                if self._sess is None:
                    raise RuntimeError("Session is already closed.")
                self._sess.close()
            finally:
                self._sess = None
                self._coordinated_creator.tf_sess = None
                self._coordinated_creator.coord = None

    def _is_closed(self) -> bool:
        return self._coordinated_creator.tf_sess is None

    def _tf_sess(self) -> Any:
        return self._coordinated_creator.tf_sess


class MonitoredSession(_MonitoredSession):
    """A session with hooks, made by ``session_creator`` (a ``ChiefSessionCreator`` by default), recreated
    after preemption errors."""

    def __init__(
        self,
        session_creator: Optional[SessionCreator] = None,
        hooks: Optional[List[Any]] = None,
        stop_grace_period_secs: float = 120,
    ) -> None:
        super().__init__(session_creator, hooks, should_recover=True, stop_grace_period_secs=stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A ``MonitoredSession`` for one process (no recovery) that also gives its ``raw_session()``."""

    def __init__(
        self,
        hooks: Optional[List[Any]] = None,
        scaffold: Optional[Scaffold] = None,
        master: str = "",
        config: Any = None,
        checkpoint_dir: Optional[str] = None,
        stop_grace_period_secs: float = 120,
        checkpoint_filename_with_path: Optional[str] = None,
    ) -> None:
        creator = ChiefSessionCreator(
            scaffold=scaffold,
            master=master,
            config=config,
            checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path,
        )
        super().__init__(creator, hooks, should_recover=False, stop_grace_period_secs=stop_grace_period_secs)

    def raw_session(self) -> Any:
        """The underlying ``Session`` (runs without the hooks)."""
        return self._tf_sess()


def MonitoredTrainingSession(  # noqa: N802 (TensorFlow's name)
    master: str = "",
    is_chief: bool = True,
    checkpoint_dir: Optional[str] = None,
    scaffold: Optional[Scaffold] = None,
    hooks: Optional[List[Any]] = None,
    chief_only_hooks: Optional[List[Any]] = None,
    save_checkpoint_secs: Any = USE_DEFAULT,
    save_summaries_steps: Any = USE_DEFAULT,
    save_summaries_secs: Any = USE_DEFAULT,
    config: Any = None,
    stop_grace_period_secs: float = 120,
    log_step_count_steps: Optional[int] = 100,
    max_wait_secs: float = 7200,
    save_checkpoint_steps: Any = USE_DEFAULT,
    summary_dir: Optional[str] = None,
    save_graph_def: bool = True,
) -> MonitoredSession:
    """A ``MonitoredSession`` for training: on the chief it restores the latest checkpoint of ``checkpoint_dir``
    (or initializes), saves checkpoints every ``save_checkpoint_secs`` (default 600) or
    ``save_checkpoint_steps`` and at the end, writes summaries every ``save_summaries_steps`` (default 100)
    and ``global_step/sec`` every ``log_step_count_steps`` to ``summary_dir`` (default ``checkpoint_dir``)."""
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    if not is_chief:
        worker = WorkerSessionCreator(scaffold=scaffold, master=master, config=config, max_wait_secs=max_wait_secs)
        return MonitoredSession(
            session_creator=worker, hooks=hooks or [], stop_grace_period_secs=stop_grace_period_secs
        )
    all_hooks: List[Any] = list(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir, master=master, config=config)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(basic_hooks.StepCounterHook(output_dir=summary_dir, every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(
                more_hooks.SummarySaverHook(
                    scaffold=scaffold,
                    save_steps=save_summaries_steps,
                    save_secs=save_summaries_secs,
                    output_dir=summary_dir,
                )
            )
    if checkpoint_dir and (
        (save_checkpoint_secs and save_checkpoint_secs > 0) or (save_checkpoint_steps and save_checkpoint_steps > 0)
    ):
        all_hooks.append(
            checkpoint_hooks.CheckpointSaverHook(
                checkpoint_dir,
                save_steps=save_checkpoint_steps,
                save_secs=save_checkpoint_secs,
                scaffold=scaffold,
                save_graph_def=save_graph_def,
            )
        )
    all_hooks.extend(hooks or [])
    return MonitoredSession(session_creator=creator, hooks=all_hooks, stop_grace_period_secs=stop_grace_period_secs)
