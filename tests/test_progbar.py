"""ferroflow.utils.Progbar: Keras 3's drawing, its one-line form and metric averaging. The exact texts are
what ``keras.utils.Progbar`` (Keras 3, TensorFlow 2.21) writes for the same updates at the same times."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from ferroflow.utils import Progbar
from ferroflow.utils import progbar as progbar_module


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progbar_module, "_now", c)
    return c


@pytest.fixture
def tty(monkeypatch):
    """A terminal-like sys.stdout.

    pytest re-installs its own capture between fixture set-up and the test body, so the stream
    is swapped in lazily, by the first use of ``stdout()`` inside the test.
    """
    return _Redirect(monkeypatch, FakeTTY())


@pytest.fixture
def pipe(monkeypatch):
    """A file-like (not a terminal) sys.stdout, swapped in like ``tty``."""
    return _Redirect(monkeypatch, io.StringIO())


class _Redirect:
    def __init__(self, monkeypatch, stream: io.StringIO) -> None:
        self._monkeypatch = monkeypatch
        self.stream = stream

    def __call__(self) -> io.StringIO:
        self._monkeypatch.setattr(sys, "stdout", self.stream)
        return self.stream


def test_final_bar_is_keras_3s(pipe, clock):
    out = pipe()
    bar = Progbar(100, width=10)
    clock.t += 1.0
    bar.update(1, [("loss", 2.0)])
    first = "\r\x1b[1m  1/100\x1b[0m \x1b[37m━━━━━━━━━━\x1b[0m \x1b[1m1:39\x1b[0m 1s/step - loss: 2.0000"
    assert out.getvalue() == first
    clock.t += 1.0
    bar.update(50, [("loss", 2.0)])
    clock.t += 1.0
    bar.update(100, [("loss", 1.0)])
    assert out.getvalue() == (
        first
        + "\b" * 46
        + "\r\x1b[1m 50/100\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m━━━━━\x1b[0m \x1b[1m1s\x1b[0m 20ms/step - loss: 2.0000"
        + "\b" * 46
        + "\r\x1b[1m100/100\x1b[0m \x1b[32m━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m3s\x1b[0m 20ms/step - loss: 1.0000\n"
    )


def test_redraws_in_place_on_posix_even_when_piped(pipe, clock):
    """Keras 3 redraws with backspaces and a carriage return on any POSIX system, terminal or not."""
    out = pipe()
    bar = Progbar(10)
    for step in range(1, 11):
        clock.t += 0.1
        bar.update(step, [("loss", 0.5), ("accuracy", 0.9)], finalize=False)
    bar.update(10, [("loss", 0.25), ("accuracy", 0.75)], finalize=True)
    text = out.getvalue()
    assert text.count("\r") == 11 and text.count("\n") == 1
    final = "\x1b[1m10/10\x1b[0m \x1b[32m" + "━" * 20 + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m1s\x1b[0m 100ms/step"
    assert text.split("\r")[-1] == final + " - loss: 0.2500 - accuracy: 0.7500\n"


def test_without_dynamic_display_each_update_starts_a_line(pipe, clock):
    out = pipe()
    bar = Progbar(2, width=4)
    bar._dynamic_display = False
    clock.t += 1
    bar.update(1)
    clock.t += 1
    bar.update(2)
    assert out.getvalue() == (
        "\n\x1b[1m1/2\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m━━\x1b[0m \x1b[1m1s\x1b[0m 1s/step"
        "\n\x1b[1m2/2\x1b[0m \x1b[32m━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m2s\x1b[0m 1s/step\n"
    )


def test_tty_refresh_is_throttled_by_interval(tty, clock):
    out = tty()
    bar = Progbar(1000, interval=0.5)
    clock.t += 0.01
    bar.update(1)
    draws = out.getvalue().count("\r")
    for step in range(2, 40):
        clock.t += 0.01
        bar.update(step)
    assert out.getvalue().count("\r") == draws  # 0.38 s < interval: nothing redrawn
    clock.t += 0.2
    bar.update(40)
    assert out.getvalue().count("\r") == draws + 1
    bar.update(1000)  # the final update is always drawn
    assert out.getvalue().endswith("\n")


def test_shorter_line_is_padded_over_previous_one(tty, clock):
    out = tty()
    bar = Progbar(10000)
    clock.t += 10
    bar.update(1)  # ETA: 27:46:30
    clock.t += 1
    bar.update(9999)  # ETA: 0s, a shorter line
    first, second = out.getvalue().split("\r")[1:]
    assert "\x1b[1m27:46:30\x1b[0m 10s/step" in first and first.endswith("\b" * 50)
    assert (
        second
        == "\x1b[1m 9999/10000\x1b[0m \x1b[32m" + "━" * 19 + "\x1b[0m\x1b[37m━\x1b[0m \x1b[1m0s\x1b[0m 100us/step    "
    )


def test_non_stateful_values_are_averaged_by_steps(tty, clock):
    out = tty()
    bar = Progbar(10, stateful_metrics=["acc"])
    bar.update(1, [("loss", 1.0), ("acc", 0.1)])
    clock.t += 1
    bar.update(3, [("loss", 2.0), ("acc", 0.3)])
    line = out.getvalue().split("\r")[-1]
    assert line.endswith("500ms/step - loss: 1.6667 - acc: 0.3000")  # (1*1 + 2*2) / 3 steps
    clock.t += 1
    bar.update(10, [("loss", 0.5)], finalize=True)  # final logs are shown as they are
    assert out.getvalue().split("\r")[-1].endswith("222ms/step - loss: 0.5000 - acc: 0.3000\n")


def test_add_advances_and_averages(tty, clock):
    out = tty()
    bar = Progbar(4)
    bar.add(2, [("loss", 3.0)])
    clock.t += 1
    bar.add(1, [("loss", 6.0)])
    assert bar._seen_so_far == 3
    assert "loss: 4.0000" in out.getvalue().split("\r")[-1]


def test_verbose_2_prints_one_line_even_on_a_terminal(tty, clock):
    out = tty()
    bar = Progbar(5, verbose=2)
    for step in range(1, 6):
        clock.t += 2
        bar.update(step, [("loss", np.float32(0.125))])
    assert out.getvalue() == "5/5 - 10s - 2s/step - loss: 0.1250\n"


def test_verbose_2_uses_e_notation_for_negative_values(pipe, clock):
    out = pipe()
    bar = Progbar(3, verbose=2)
    clock.t += 1
    bar.update(3, [("loss", -0.5), ("tiny", 1e-5)])
    assert out.getvalue() == "3/3 - 1s - 333ms/step - loss: -5.0000e-01 - tiny: 1.0000e-05\n"


def test_verbose_0_prints_nothing(pipe, clock):
    out = pipe()
    bar = Progbar(3, verbose=0)
    for step in range(1, 4):
        bar.update(step, [("loss", 1.0)])
    assert out.getvalue() == ""


def test_unknown_target(tty, clock):
    out = tty()
    bar = Progbar(None)
    clock.t += 1
    bar.update(7, [("loss", 1.0)])
    bar.update(8, finalize=True)
    assert out.getvalue() == (
        "\r      7/Unknown \x1b[1m1s\x1b[0m 143ms/step - loss: 1.0000"
        + "\b" * 44
        + "\r      8/Unknown \x1b[1m1s\x1b[0m 125ms/step - loss: 1.0000\n"
    )


def test_small_values_use_scientific_notation(pipe, clock):
    out = pipe()
    bar = Progbar(1)
    bar.update(1, [("loss", 1e-5), ("lr", np.array([0.5, 0.5]))])
    assert out.getvalue().endswith(" 0s/step - loss: 1.0000e-05 - lr: 0.5000\n")


def test_eta_formats():
    assert progbar_module._format_eta(5.7) == "5s"
    assert progbar_module._format_eta(62) == "1:02"
    assert progbar_module._format_eta(3725) == "1:02:05"
    assert progbar_module._format_time(0.0005, "step") == " 500us/step"
    assert progbar_module._format_time(2.0, "sample") == " 2s/sample"
