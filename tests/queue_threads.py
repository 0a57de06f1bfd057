"""Blocking queue calls run in a daemon thread with a deadline, so a queue that never wakes up fails a test instead
of hanging the test run."""

import threading

DEADLINE = 10.0  # seconds a call that should finish gets
SETTLE = 0.3  # seconds a call that should block is given to (wrongly) finish


class Background:
    """``fn()`` running in a daemon thread; its result or exception once it returns."""

    def __init__(self, fn):
        self.result = None
        self.error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self._thread.start()

    def _run(self, fn):
        try:
            self.result = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            self.error = e

    def blocked(self, wait=SETTLE):
        """Whether the call is still running after ``wait`` seconds."""
        self._thread.join(wait)
        return self._thread.is_alive()

    def finish(self, timeout=DEADLINE):
        """The call's result (its exception is raised); AssertionError if it is still running after ``timeout``."""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the call is still blocked"
        if self.error is not None:
            raise self.error
        return self.result


def run_all(fns, timeout=DEADLINE):
    """Runs each of ``fns`` in its own thread at once and returns their results in order."""
    calls = [Background(fn) for fn in fns]
    return [c.finish(timeout) for c in calls]
