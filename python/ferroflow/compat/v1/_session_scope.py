"""A session as a context: ``as_default()``, and ``with session:`` making its graph and itself the defaults."""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator


class _Default(threading.local):
    def __init__(self) -> None:
        self.sessions: list = []


# This thread's stack of default sessions (``get_default_session`` answers its top).
_default = _Default()


class SessionScope:
    """A base of ``Session`` and of the sessions that stand in for one: needs ``graph``, ``close()`` and a
    ``_contexts`` list."""

    _contexts: list

    @contextlib.contextmanager
    def as_default(self) -> Iterator[Any]:
        _default.sessions.append(self)
        try:
            yield self
        finally:
            _default.sessions.remove(self)

    def __enter__(self) -> Any:
        # As in TF1, the session's graph and the session itself become the defaults inside the block.
        stack = contextlib.ExitStack()
        stack.enter_context(self.graph.as_default())
        stack.enter_context(self.as_default())
        self._contexts.append(stack)
        return self

    def __exit__(self, *exc: object) -> None:
        self._contexts.pop().close()
        self.close()
