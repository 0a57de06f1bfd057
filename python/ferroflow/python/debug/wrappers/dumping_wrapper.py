"""``DumpingDebugWrapperSession``: every ``run`` call writes a dump directory for offline analysis."""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from ..lib import dump_io
from ..lib.session_debug import WatchOptions, debug_run
from .framework import BaseDebugWrapperSession


def check_empty_root(path: str, what: str) -> None:
    """tfdbg's rule for a dump root: absent, or an empty directory."""
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise ValueError(f"{what} path points to a file: {path}")
        if os.listdir(path):
            raise ValueError(f"{what} path points to a non-empty directory: {path}")


class DumpingDebugWrapperSession(BaseDebugWrapperSession):
    """Wraps ``sess`` so that each ``run`` writes ``session_root/run_<microseconds>_<n>/`` with every watched
    tensor; read one with ``DebugDumpDir`` or ``python -m ferroflow.python.debug.cli.offline_analyzer``.

    ``watch_fn(fetches, feed_dict)`` may return ``WatchOptions`` choosing the tensors of each run.
    """

    def __init__(
        self,
        sess: Any,
        session_root: str,
        watch_fn: Optional[Callable[[Any, Any], Any]] = None,
        thread_name_filter: Optional[str] = None,
        pass_through_operrors: Any = None,
        log_usage: bool = True,
    ) -> None:
        super().__init__(sess, thread_name_filter, bool(pass_through_operrors))
        if not isinstance(session_root, (str, os.PathLike)):
            raise TypeError(f"session_root must be a path string; received {type(session_root).__name__}")
        session_root = os.fspath(session_root)
        check_empty_root(session_root, "session_root")
        if watch_fn is not None and not callable(watch_fn):
            raise TypeError(f"watch_fn must be callable; received {type(watch_fn).__name__}")
        self._session_root = session_root
        self._watch_fn = watch_fn
        self.last_run_dir: Optional[str] = None

    @property
    def session_root(self) -> str:
        return self._session_root

    def _watch_options(self, fetches: Any, feed_dict: Any) -> WatchOptions:
        if self._watch_fn is None:
            return WatchOptions()
        chosen = self._watch_fn(fetches, feed_dict)
        if isinstance(chosen, WatchOptions):
            return chosen
        if isinstance(chosen, dict):
            return WatchOptions(**chosen)
        raise TypeError(
            f"watch_fn must return a WatchOptions (or a dict of its arguments); received {type(chosen).__name__}"
        )

    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        self.increment_run_call_count()
        watch = self._watch_options(fetches, feed_dict)
        result, nodes, datums, run_info = debug_run(
            self._sess, fetches, feed_dict, options, run_metadata, watch, self._run_call_count
        )
        self._write_dump(nodes, datums, run_info)
        return result

    def _write_dump(self, nodes: list, datums: list, run_info: dict) -> str:
        """Writes this run's dump directory under ``session_root`` (also for ``DumpingDebugHook``)."""
        os.makedirs(self._session_root, exist_ok=True)
        self.last_run_dir = dump_io.write_run(
            dump_io.new_run_dir(self._session_root, self._run_call_count), nodes, datums, run_info
        )
        return self.last_run_dir


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
