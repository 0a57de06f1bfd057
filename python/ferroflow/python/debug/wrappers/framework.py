"""The base of tfdbg's session wrappers: a ``Session`` look-alike that forwards everything but ``run``."""

from __future__ import annotations

from typing import Any, Optional

from ....compat.v1 import session as _session
from ....compat.v1._session_scope import SessionScope
from ..lib.session_debug import WatchOptions

__all__ = ["BaseDebugWrapperSession", "WatchOptions"]


class BaseDebugWrapperSession(SessionScope):
    """Wraps a ``tf.compat.v1.Session``: ``graph``, ``close``, ``as_default`` and ``with`` behave as the
    session's own (``as_default`` makes this wrapper the default session, so ``tensor.eval()`` and ``op.run()``
    go through it); subclasses decide what ``run`` does around the wrapped call."""

    def __init__(
        self, sess: Any, thread_name_filter: Optional[str] = None, pass_through_operrors: bool = False
    ) -> None:
        if isinstance(sess, BaseDebugWrapperSession):
            raise TypeError(
                "Expected a tf.compat.v1.Session to wrap; received another debug wrapper session "
                f"({type(sess).__name__}): wrap the underlying session once"
            )
        if not isinstance(sess, _session.Session):
            raise TypeError(f"Expected type ferroflow.compat.v1.Session; got type {type(sess).__name__}")
        self._sess = sess
        self._run_call_count = 0
        self._thread_name_filter = thread_name_filter
        self._pass_through_operrors = pass_through_operrors
        self._contexts: list = []

    @property
    def graph(self) -> Any:
        return self._sess.graph

    @property
    def sess_str(self) -> str:
        return self._sess.sess_str

    @property
    def session(self) -> Any:
        """The wrapped session."""
        return self._sess

    @property
    def run_call_count(self) -> int:
        return self._run_call_count

    def increment_run_call_count(self) -> None:
        """Counts one more run (each wrapper's ``run``, or a debug hook's ``before_run``), as TensorFlow's does."""
        self._run_call_count += 1

    def run(self, fetches: Any, feed_dict: Optional[dict] = None, options: Any = None, run_metadata: Any = None) -> Any:
        raise NotImplementedError

    def partial_run_setup(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("partial_run_setup is not implemented for debug-wrapper sessions.")

    def partial_run(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("partial_run is not implemented for debug-wrapper sessions.")

    def list_devices(self) -> list:
        return self._sess.list_devices()

    def close(self) -> None:
        self._sess.close()

    def should_stop(self) -> bool:
        return bool(getattr(self._sess, "_closed", False))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
