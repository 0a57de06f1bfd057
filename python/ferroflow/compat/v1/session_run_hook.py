"""``SessionRunHook`` and the objects a ``MonitoredSession`` hands to hooks around each ``run`` (TF1's API)."""

from __future__ import annotations

import collections
from typing import Any, Optional


class SessionRunHook:
    """Code that runs around a ``MonitoredSession``'s life and each of its ``run`` calls.

    ``begin()`` once, before the session exists (the hook may add ops to the default graph);
    ``after_create_session(session, coord)`` each time a session is created (or restored);
    ``before_run(run_context)`` may return ``SessionRunArgs`` to fetch and feed more in the coming run;
    ``after_run(run_context, run_values)`` gets those results and may ``run_context.request_stop()``;
    ``end(session)`` when the loop ends without error (or with ``OutOfRangeError``).
    """

    def begin(self) -> None:
        pass

    def after_create_session(self, session: Any, coord: Any) -> None:
        pass

    def before_run(self, run_context: SessionRunContext) -> Optional[SessionRunArgs]:
        return None

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        pass

    def end(self, session: Any) -> None:
        pass


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What a hook adds to a ``run`` call: ``fetches`` (any fetch structure), ``feed_dict`` and ``options``."""

    def __new__(cls, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None) -> SessionRunArgs:
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """The ``run`` call being made: its ``original_args``, the ``session``, and ``request_stop()``."""

    def __init__(self, original_args: SessionRunArgs, session: Any) -> None:
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        """``SessionRunArgs(fetches, feed_dict)`` as the caller passed them to ``MonitoredSession.run``."""
        return self._original_args

    @property
    def session(self) -> Any:
        """The raw session running the step (hooks may ``run`` more on it)."""
        return self._session

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def request_stop(self) -> None:
        """Asks the ``MonitoredSession`` to stop: ``should_stop()`` is True after this run."""
        self._stop_requested = True


class SessionRunValues(collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])):
    """What a hook gets after a run: ``results`` shaped as the fetches it asked for, ``options``, ``run_metadata``."""


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
