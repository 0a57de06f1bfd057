"""The session wrappers inside a ``MonitoredSession``: hooks around each run (``_HookedSession``), the
coordinator's stop flag (``_CoordinatedSession``), and recreation after preemption (``_RecoverableSession``),
as in TensorFlow's ``monitored_session.py``."""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from ... import errors
from ...ops.context_ops import get_logger
from .coordinator import Coordinator
from .run_metadata import RunMetadata, RunOptions
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues

PREEMPTION_ERRORS = (errors.AbortedError, errors.UnavailableError)


class StepContext:
    """What ``run_step_fn`` hands ``step_fn``: the raw ``session``, ``run_with_hooks``, ``request_stop``."""

    def __init__(self, session: Any, run_with_hooks_fn: Callable) -> None:
        self._session = session
        self._run_with_hooks_fn = run_with_hooks_fn

    @property
    def session(self) -> Any:
        return self._session

    def run_with_hooks(self, *args: Any, **kwargs: Any) -> Any:
        return self._run_with_hooks_fn(*args, **kwargs)

    def request_stop(self) -> None:
        raise StopIteration("step_fn has requested the iterations to stop.")


class _WrappedSession:
    def __init__(self, sess: Any) -> None:
        self._sess = sess
        self._wrapped_is_stoppable = isinstance(sess, _WrappedSession)

    @property
    def graph(self) -> Any:
        return self._sess.graph

    @property
    def sess_str(self) -> str:
        return self._sess.sess_str

    def should_stop(self) -> bool:
        if self._check_stop():
            return True
        if self._sess:
            return self._wrapped_is_stoppable and self._sess.should_stop()
        return True

    def _check_stop(self) -> bool:
        return False

    def close(self) -> None:
        if self._sess:
            try:
                self._sess.close()
            except PREEMPTION_ERRORS as e:
                get_logger().error("An error occurred when attempting to close the session: %s", e)
            finally:
                self._sess = None

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self._sess.run(*args, **kwargs)

    def run_step_fn(self, step_fn: Callable, raw_session: Any, run_with_hooks: Optional[Callable]) -> Any:
        return step_fn(StepContext(raw_session, run_with_hooks or self.run))


class _RecoverableSession(_WrappedSession):
    """Recreates the session when a run raises a preemption error."""

    def __init__(self, sess_creator: Any) -> None:
        self._sess_creator = sess_creator
        super().__init__(self._create_session())

    def _create_session(self) -> Any:
        while True:
            try:
                return self._sess_creator.create_session()
            except PREEMPTION_ERRORS as e:
                get_logger().info("An error was raised while a session was being created; retrying. Error: %s", e)

    def _check_stop(self) -> bool:
        try:
            return self._sess._check_stop() if self._sess else True
        except PREEMPTION_ERRORS:
            self.close()
            self._sess = self._create_session()
            return False
        except Exception:  # noqa: BLE001 - TF: any other error means the session is done
            return True

    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                return self._sess.run(fetches, feed_dict=feed_dict, options=options, run_metadata=run_metadata)
            except PREEMPTION_ERRORS as e:
                get_logger().info("An error was raised; a new session will be created. Error: %s", e)
                self.close()
                self._sess = None

    def run_step_fn(self, step_fn: Callable, raw_session: Any, run_with_hooks: Optional[Callable]) -> Any:
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                return self._sess.run_step_fn(step_fn, raw_session, self._sess.run)
            except PREEMPTION_ERRORS:
                self.close()
                self._sess = None


class _CoordinatedSession(_WrappedSession):
    def __init__(self, sess: Any, coord: Coordinator, stop_grace_period_secs: float = 120) -> None:
        super().__init__(sess)
        self._coord = coord
        self._stop_grace_period_secs = stop_grace_period_secs

    def _check_stop(self) -> bool:
        self._coord.raise_requested_exception()
        return self._coord.should_stop()

    def close(self) -> None:
        self._coord.request_stop()
        try:
            self._coord.join(stop_grace_period_secs=self._stop_grace_period_secs, ignore_live_threads=True)
        finally:
            try:
                _WrappedSession.close(self)
            except Exception:  # noqa: BLE001 - as TF: closing must not mask the reason for closing
                pass


class _HookedSession(_WrappedSession):
    """Calls the hooks' ``before_run`` / ``after_run`` around each run, adding their fetches and feeds."""

    def __init__(self, sess: Any, hooks: List[Any]) -> None:
        super().__init__(sess)
        self._hooks = hooks
        self._should_stop = False

    def _check_stop(self) -> bool:
        return self._should_stop

    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        run_context = SessionRunContext(original_args=SessionRunArgs(fetches, feed_dict), session=self._sess)
        hook_fetches: dict = {}
        hook_options: list = []
        feed_dict = self._call_hook_before_run(run_context, hook_fetches, feed_dict, hook_options)
        if hook_options:
            # As TF: the hooks' RunOptions merged into the caller's (a tfdbg hook asks for a trace), and a
            # RunMetadata for the hooks to read when the caller passed none.
            options = _merge_run_options([options, *hook_options])
            run_metadata = run_metadata if run_metadata is not None else RunMetadata()
        order = list(hook_fetches)
        # One run for the caller's fetches and every hook's (a list, as hooks are not sortable dict keys).
        outputs = _WrappedSession.run(
            self,
            [fetches] + [hook_fetches[h] for h in order],
            feed_dict=feed_dict,
            options=options,
            run_metadata=run_metadata,
        )
        results = dict(zip(order, outputs[1:]))
        for hook in self._hooks:
            hook.after_run(
                run_context, SessionRunValues(results=results.get(hook), options=options, run_metadata=run_metadata)
            )
        self._should_stop = self._should_stop or run_context.stop_requested
        return outputs[0]

    def _call_hook_before_run(
        self, run_context: Any, fetch_dict: dict, user_feed_dict: Optional[dict], hook_options: list
    ) -> Optional[dict]:
        hook_feeds: dict = {}
        for hook in self._hooks:
            request = hook.before_run(run_context)
            if request is None:
                continue
            if request.fetches is not None:
                fetch_dict[hook] = request.fetches
            if request.options is not None:
                hook_options.append(request.options)
            if request.feed_dict:
                _raise_if_feeds_intersect(hook_feeds, request.feed_dict, "Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
        if not hook_feeds:
            return user_feed_dict
        if not user_feed_dict:
            return hook_feeds
        _raise_if_feeds_intersect(user_feed_dict, hook_feeds, "Same tensor is fed by a SessionRunHook and user.")
        hook_feeds.update(user_feed_dict)
        return hook_feeds


def _merge_run_options(all_options: list) -> RunOptions:
    """One ``RunOptions`` with the largest of each field over ``all_options`` (None entries skipped)."""
    merged = RunOptions()
    for field in ("trace_level", "timeout_in_ms", "inter_op_thread_pool"):
        setattr(merged, field, max(int(getattr(o, field, 0) or 0) for o in all_options if o is not None))
    for field in ("output_partition_graphs", "report_tensor_allocations_upon_oom"):
        setattr(merged, field, any(bool(getattr(o, field, False)) for o in all_options if o is not None))
    return merged


def _raise_if_feeds_intersect(feeds1: dict, feeds2: dict, message: str) -> None:
    both = [k for k in feeds1 if any(k is j for j in feeds2)]
    if both:
        raise RuntimeError(message + " Conflict(s): " + str(both))
