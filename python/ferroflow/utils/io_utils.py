"""Where Keras-style messages go: ``keras.utils.enable_interactive_logging`` / ``disable_interactive_logging``.

Interactive logging (the default) writes the progress bar and messages to stdout as they are drawn; without
it each message becomes a plain INFO record of the ``ferroflow`` logger (``tf.get_logger()``), where Keras
sends them to ``absl.logging``. A log has no cursor to move nor colours to show, so the redraw characters of
a progress bar (backspaces, carriage returns, the line breaks around it) and its colour codes are left out
of the record.
"""

from __future__ import annotations

import re
import sys

_STATE = {"interactive": True}
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def enable_interactive_logging() -> None:
    """Turns on interactive logging: progress bars and messages are written to stdout."""
    _STATE["interactive"] = True


def disable_interactive_logging() -> None:
    """Turns off interactive logging: messages go to the ``ferroflow`` logger as INFO records."""
    _STATE["interactive"] = False


def is_interactive_logging_enabled() -> bool:
    """Whether messages are written to stdout (True, the default) or logged (False)."""
    return _STATE["interactive"]


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes ``message`` to stdout (a line break added unless ``line_break=False``), or logs it as one INFO
    record when interactive logging is off."""
    message = str(message)
    if is_interactive_logging_enabled():
        sys.stdout.write(f"{message}\n" if line_break else message)
        sys.stdout.flush()
        return
    from ..ops.context_ops import get_logger

    text = _COLOUR.sub("", message.replace("\b", "").split("\r")[-1]).lstrip("\n").rstrip()
    if text:
        get_logger().info(text)
