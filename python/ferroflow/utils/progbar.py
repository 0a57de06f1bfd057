"""``Progbar``: the text progress bar of ``keras.utils.Progbar``, terminal- and log-friendly."""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Any, Iterable, Optional, Sequence, Tuple

import numpy as np

from .io_utils import print_msg

__all__ = ["Progbar"]


def _now() -> float:
    return time.monotonic()


def _is_dynamic(stream: Any) -> bool:
    """Keras 3's test: a terminal, a Jupyter kernel, PyCharm, or any POSIX system (so output piped to a
    file on Linux also redraws its line with carriage returns, as Keras's does)."""
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        tty = False
    return tty or "ipykernel" in sys.modules or "posix" in sys.modules or "PYCHARM_HOSTED" in os.environ


class Progbar:
    """Displays a progress bar, like ``keras.utils.Progbar`` (Keras 3's look).

    With ``verbose=1`` one line is redrawn in place (backspaces and a carriage return), at most every
    ``interval`` seconds, in bold and colour as Keras 3 draws it::

        12/1875 ━━━━━━━━━━━━━━━━━━━━ 1:02 33ms/step - loss: 0.3561 - accuracy: 0.9012

    and, once finished, ``1875/1875 ━━━━━━━━━━━━━━━━━━━━ 12s 6ms/step - loss: ...``. As in Keras 3 the
    line is redrawn whenever the output is a terminal or the system is POSIX; elsewhere each update is
    printed on a new line. ``verbose=2`` prints only the final ``1875/1875 - 12s - 6ms/step - loss: ...``.
    With ``keras.utils.disable_interactive_logging()`` each drawing is a plain INFO record of the
    ``ferroflow`` logger instead.

    Values of metrics not in ``stateful_metrics`` are averaged over the steps seen so far,
    weighted by the number of steps of each update; on the finalizing update, the values passed
    are shown as they are (Keras 3 behaviour: the epoch's logs are already epoch averages).

    Args:
        target: total number of steps expected, ``None`` if unknown.
        width: progress bar width on screen.
        verbose: verbosity mode, 0 (silent), 1 (progress bar) or 2 (one line at the end).
        interval: minimum visual progress update interval, in seconds.
        stateful_metrics: names of metrics shown as given, not averaged over time.
        unit_name: display name for a step count (usually "step" or "sample").
    """

    def __init__(
        self,
        target: Optional[int],
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Optional[Iterable[str]] = None,
        unit_name: str = "step",
    ) -> None:
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self._dynamic_display = _is_dynamic(sys.stdout)
        self._seen_so_far = 0
        self._values: dict = {}
        self._values_order: list = []
        self._start = _now()
        self._last_update = 0.0
        self._time_after_first_step: Optional[float] = None
        self._prev_total_width = 0
        self._finalized = False

    def update(
        self,
        current: int,
        values: Optional[Sequence[Tuple[str, Any]]] = None,
        finalize: Optional[bool] = None,
    ) -> None:
        """Update the progress bar.

        Args:
            current: index of the current step (number of steps done).
            values: list of ``(name, value)`` tuples. Values of names in
                ``stateful_metrics`` are displayed as given; others are averaged over time.
            finalize: whether this is the last update. ``None`` means
                ``current >= self.target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for k, v in values or []:
            if k not in self._values_order:
                self._values_order.append(k)
            v = _as_number(v)
            if k in self.stateful_metrics or finalize or not isinstance(v, float):
                self._values[k] = [v, 1]
            else:
                # Weight by the steps since the last update (at least 1: an epoch of unknown
                # length is finalized with current == seen_so_far).
                base = max(current - self._seen_so_far, 1)
                if k not in self._values or not isinstance(self._values[k][0], float):
                    self._values[k] = [v * base, base]
                else:
                    self._values[k][0] += v * base
                    self._values[k][1] += base
        self._seen_so_far = current

        now = _now()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_bar(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and not self._finalized:
            self._print_line(current, now, time_per_unit)
        if finalize:
            self._finalized = True
        self._last_update = now

    def add(self, n: int, values: Optional[Sequence[Tuple[str, Any]]] = None) -> None:
        """Advance the bar by ``n`` steps (see :meth:`update` for ``values``)."""
        self.update(self._seen_so_far + n, values)

    # -- rendering -------------------------------------------------------------------------

    def _counter(self, current: int) -> str:
        numdigits = int(math.log10(self.target)) + 1
        return f"{current:{numdigits}d}/{self.target}"

    def _draw_bar(self, current: int, now: float, time_per_unit: float, finalize: bool) -> None:
        # Colour codes do not take screen columns: ``hidden`` counts them out of the line's width.
        hidden = 0
        if self.target is not None and self.target > 0:
            bar = f"\x1b[1m{self._counter(current)}\x1b[0m "
            hidden += 8
            prog_width = int(self.width * float(current) / self.target)
            if prog_width > 0:
                bar += f"\x1b[32m{'━' * prog_width}\x1b[0m"
                hidden += 9
            bar += f"\x1b[37m{'━' * (self.width - prog_width)}\x1b[0m"
            hidden += 9
        else:
            bar = f"{current:7d}/Unknown"
        if self.target is not None and self.target > 0 and not finalize:
            info = f" \x1b[1m{_format_eta(time_per_unit * (self.target - current))}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        hidden += 8
        info += _format_time(time_per_unit, self.unit_name) + self._metrics_text()
        message = "\b" * self._prev_total_width + "\r" if self._dynamic_display else "\n"
        message += bar + info
        total_width = len(bar) + len(info) - hidden
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        self._prev_total_width = total_width
        print_msg(message, line_break=False)

    def _print_line(self, current: int, now: float, time_per_unit: float) -> None:
        if self.target is None or self.target <= 0:
            return
        line = f"{self._counter(current)} - {now - self._start:.0f}s -"
        # Keras 3's one-line form switches to e-notation for every value at most 1e-3, negatives included.
        line += _format_time(time_per_unit, self.unit_name) + self._metrics_text(signed=True)
        print_msg(line + "\n", line_break=False)

    def _metrics_text(self, signed: bool = False) -> str:
        info = ""
        for k in self._values_order:
            total, count = self._values[k]
            if isinstance(total, float):
                avg = total / max(1, count)
                big = (avg if signed else abs(avg)) > 1e-3
                info += f" - {k}: {avg:.4f}" if big else f" - {k}: {avg:.4e}"
            else:
                info += f" - {k}: {total}"
        return info

    def _estimate_step_duration(self, current: int, now: float) -> float:
        # Steps after the first exclude the first step's start-up cost (graph compilation).
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit


def _as_number(value: Any) -> Any:
    """A float for numbers, numpy scalars and arrays (mean) and tensors; others unchanged."""
    if isinstance(value, (bool, str)) or value is None:
        return value
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        return float(np.mean(value))
    except (TypeError, ValueError):
        return value


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
    if eta > 60:
        return f"{int(eta // 60)}:{int(eta % 60):02d}"
    return f"{int(eta)}s"


def _format_time(time_per_unit: float, unit_name: str) -> str:
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"
