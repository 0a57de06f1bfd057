"""``tf.compat.v1.logging``: TF1's logging functions on ferroflow's logger (``tf.get_logger()``).

``set_verbosity(tf.compat.v1.logging.INFO)`` lets the INFO messages of TF1 code and of ferroflow's own
training loops (estimators, hooks) through; the levels are Python's.
"""

from __future__ import annotations

import logging as _logging
from typing import Any

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_counts: dict = {}


def _logger() -> _logging.Logger:
    from ...ops.context_ops import get_logger

    return get_logger()


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().log(level, msg, *args, **kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().debug(msg, *args, **kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().info(msg, *args, **kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().warning(msg, *args, **kwargs)


def warn(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().warning(msg, *args, **kwargs)


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().error(msg, *args, **kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL; like TensorFlow's, it does not stop the program."""
    _logger().fatal(msg, *args, **kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger().log(level, msg, *args, **kwargs)


def TaskLevelStatusMessage(msg: Any) -> None:  # noqa: N802 (TensorFlow's name)
    error(msg)


def flush() -> None:
    """Not implemented in TensorFlow either: the logger's handlers flush on each message."""
    raise NotImplementedError()


def _next_count() -> int:
    # TensorFlow keys the count by the caller's file and line, but its frame search never leaves its own
    # module, so every call of log_every_n / log_first_n shares one count; that is the behaviour kept here.
    _counts["calls"] = _counts.get("calls", -1) + 1
    return _counts["calls"]


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    """Logs ``msg % args`` only when ``condition`` holds."""
    if condition:
        vlog(level, msg, *args)


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs when the count of log_every_n / log_first_n calls so far is a multiple of ``n``."""
    log_if(level, msg, not (_next_count() % n), *args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs while fewer than ``n`` log_every_n / log_first_n calls came before this one."""
    log_if(level, msg, _next_count() < n, *args)


def get_verbosity() -> int:
    """The level below which messages are dropped (WARN unless set)."""
    return _logger().getEffectiveLevel()


def set_verbosity(v: int) -> None:
    _logger().setLevel(v)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
