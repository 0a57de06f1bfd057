"""tfdbg as ``SessionRunHook``s for ``tf.compat.v1.train.MonitoredSession``: ``LocalCLIDebugHook`` (the terminal
debugger around each run) and ``DumpingDebugHook`` (a dump directory per run).

Each hook drives the matching wrapper session, made on the first ``before_run`` around the session below the
hooks. A debugged run adds the watched tensors to the hook's fetches and asks for a full trace, so the monitored
session's single run (with every other hook's fetches) computes them: each node still runs once per step.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ....compat.v1.run_metadata import RunOptions
from ....compat.v1.session_run_hook import SessionRunArgs, SessionRunHook
from ..lib.session_debug import WatchPlan, collect_dump, plan_watch
from .dumping_wrapper import DumpingDebugWrapperSession
from .local_cli_wrapper import LocalCLIDebugWrapperSession, RunChoice

__all__ = ["DumpingDebugHook", "LocalCLIDebugHook"]


def _watch_request(plan: WatchPlan) -> SessionRunArgs:
    return SessionRunArgs(plan.tensors, options=RunOptions(trace_level=RunOptions.FULL_TRACE))


class LocalCLIDebugHook(SessionRunHook):
    """Command-line-interface debugger hook: each run of the monitored session stops at the run-start screen
    (``run``, ``run -n``, ``run -t N``, ``run -f FILTER``) and, when debugged, opens the analyzer on its tensors.

    ``dump_root``: as ``LocalCLIDebugWrapperSession``'s (absent or empty; each debugged run is written there
    while its analyzer is open). ``has_inf_or_nan`` is registered; ``add_tensor_filter`` adds more.
    """

    def __init__(
        self,
        ui_type: str = "readline",
        dump_root: Optional[str] = None,
        thread_name_filter: Optional[str] = None,
        config_file_path: Optional[str] = None,
    ) -> None:
        self._ui_type = ui_type
        self._dump_root = dump_root
        self._thread_name_filter = thread_name_filter
        self._config_file_path = config_file_path
        self._session_wrapper: Optional[LocalCLIDebugWrapperSession] = None
        self._pending_tensor_filters: dict = {}
        self._choice: Optional[RunChoice] = None
        self._plan: Optional[WatchPlan] = None

    def add_tensor_filter(self, filter_name: str, tensor_filter: Callable[[Any, Any], bool]) -> None:
        """See ``LocalCLIDebugWrapperSession.add_tensor_filter``; may be called before the first run."""
        if self._session_wrapper is not None:
            self._session_wrapper.add_tensor_filter(filter_name, tensor_filter)
        else:
            self._pending_tensor_filters[filter_name] = tensor_filter

    def begin(self) -> None:
        pass

    def before_run(self, run_context: Any) -> Optional[SessionRunArgs]:
        if self._session_wrapper is None:
            self._session_wrapper = LocalCLIDebugWrapperSession(
                run_context.session,
                dump_root=self._dump_root,
                ui_type=self._ui_type,
                thread_name_filter=self._thread_name_filter,
                config_file_path=self._config_file_path,
            )
            for name, fn in self._pending_tensor_filters.items():
                self._session_wrapper.add_tensor_filter(name, fn)
        wrapper = self._session_wrapper
        if self._choice is not None and self._choice.till_filter:
            wrapper._active = None  # the last debugged run raised before after_run: that ends run -f, as in the wrapper
        wrapper.increment_run_call_count()
        args = run_context.original_args
        self._choice = wrapper._on_run_start(args.fetches, args.feed_dict)
        self._plan = None
        if self._choice is None:
            return None
        self._plan = plan_watch(run_context.session, args.fetches, args.feed_dict, self._choice.watch)
        return _watch_request(self._plan)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if self._choice is None or self._plan is None:
            return
        wrapper = self._session_wrapper
        dump = collect_dump(self._plan, run_values.results, run_values.run_metadata, wrapper.run_call_count)
        choice, self._choice, self._plan = self._choice, None, None
        wrapper._on_run_end(choice, *dump)


class DumpingDebugHook(SessionRunHook):
    """A debugger hook that dumps each run of the monitored session to ``session_root/run_<time>_<n>/``, as
    ``DumpingDebugWrapperSession`` does; ``watch_fn(fetches, feeds)`` may return ``WatchOptions`` for a run.

    ``session_root`` must be absent or empty: checked at the first run, as TensorFlow does.
    """

    def __init__(
        self,
        session_root: str,
        watch_fn: Optional[Callable[[Any, Any], Any]] = None,
        thread_name_filter: Optional[str] = None,
        log_usage: bool = True,
    ) -> None:
        self._session_root = session_root
        self._watch_fn = watch_fn
        self._thread_name_filter = thread_name_filter
        self._log_usage = log_usage
        self._session_wrapper: Optional[DumpingDebugWrapperSession] = None
        self._plan: Optional[WatchPlan] = None

    def begin(self) -> None:
        pass

    def before_run(self, run_context: Any) -> SessionRunArgs:
        if self._session_wrapper is None:
            self._session_wrapper = DumpingDebugWrapperSession(
                run_context.session,
                self._session_root,
                watch_fn=self._watch_fn,
                thread_name_filter=self._thread_name_filter,
                log_usage=self._log_usage,
            )
        wrapper = self._session_wrapper
        wrapper.increment_run_call_count()
        args = run_context.original_args
        watch = wrapper._watch_options(args.fetches, args.feed_dict)
        self._plan = plan_watch(run_context.session, args.fetches, args.feed_dict, watch)
        return _watch_request(self._plan)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if self._plan is None:
            return
        wrapper = self._session_wrapper
        dump = collect_dump(self._plan, run_values.results, run_values.run_metadata, wrapper.run_call_count)
        self._plan = None
        wrapper._write_dump(*dump)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
