"""Runs a test's scenario in a child Python process under a watchdog: a hang fails the test with every thread's
stack printed (``faulthandler.dump_traceback_later``) instead of stalling the suite."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Dict, Optional

_PRELUDE = """
import faulthandler, sys
faulthandler.dump_traceback_later({timeout}, exit=True)
"""


def run_child(code: str, timeout: float = 60.0, env: Optional[Dict[str, str]] = None) -> str:
    """Runs ``code`` in a fresh interpreter; returns its stdout. Fails with the child's output (and, on a hang,
    the stacks of all its threads) when it exits non-zero or stops answering within ``timeout`` seconds."""
    script = _PRELUDE.format(timeout=timeout) + textwrap.dedent(code)
    child_env = dict(os.environ)
    child_env.update(env or {})
    try:
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=timeout + 30, env=child_env)
    except subprocess.TimeoutExpired as e:  # the watchdog itself did not fire: report what there is
        raise AssertionError(f"child hung past {timeout + 30} s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}") from e
    if proc.returncode != 0:
        hung = "Timeout (" in proc.stderr
        what = f"hung for {timeout} s; stacks of every thread:" if hung else f"exited with {proc.returncode}:"
        raise AssertionError(f"child {what}\n{proc.stderr}\nstdout:\n{proc.stdout}")
    return proc.stdout
