"""tfdbg's terminal debugger driven as a user drives it: a training script under ``LocalCLIDebugWrapperSession``
whose loss overflows at a known step, with commands typed through a pipe and through a pseudo-terminal."""

import os
import pty
import re
import select
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import tfdbg_diverging  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(__file__), "tfdbg_diverging.py")
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def run_piped(commands, steps=10):
    proc = subprocess.run(
        [sys.executable, SCRIPT, "cli", str(steps)],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )
    return proc.returncode, proc.stdout, proc.stderr


def filtered_rows(text):
    """The tensor names of the first ``lt -f`` table in ``text``, in the order listed."""
    block = text.split('passing filter "has_inf_or_nan":', 1)[1].split("tfdbg>", 1)[0]
    rows = [line.split() for line in block.strip().splitlines()[1:] if line.strip()]
    return [r[-1] for r in rows]


def section(text, command):
    """The output of the first ``tfdbg> command`` in a piped transcript."""
    return text.split(f"tfdbg> {command}\n", 1)[1].split("tfdbg>", 1)[0]


def test_run_f_stops_at_the_diverging_step_and_the_analyzer_shows_the_bad_tensor(tmp_path):
    bad_step, ref = tfdbg_diverging.reference()
    diff_file = tmp_path / "diff.npy"
    code, out, err = run_piped(
        [
            "run -f has_inf_or_nan",
            "lt",
            "pt -a sq:0",
            f"pt -w {diff_file} diff:0",
            "pt diff:0[0:3]",
            "ni sq",
            "li -r sq",
            "lo diff",
            "eval np.max(np.abs(`diff:0`))",
            "exit",
        ]
    )
    # The runs before the overflow went through without stopping; exit ends the program as tfdbg does.
    assert code == 1, err
    assert "Note: user exited from debugger CLI" in err
    steps = [int(m) for m in re.findall(r"^step (\d+) loss", out, re.M)]
    assert steps == list(range(bad_step))
    assert f"run-end: run #{bad_step + 1}: 2 fetches; 2 feeds" in out
    assert out.count("run-start:") == 1  # one run-start screen: run -f kept running without asking again
    # The first tensor with an Inf is the square of the error; the mean of it follows.
    assert filtered_rows(out)[:2] == ["sq:0", "loss:0"]
    listing = section(out, "lt")
    assert re.search(r"\n\[\d+\.\d{3}\]\s+32\s+Square\s+sq:0\n", listing)
    assert "Placeholder" in listing and "ResourceApplyGradientDescent" in listing
    printed = section(out, "pt -a sq:0")
    assert 'Tensor "sq:0:DebugIdentity":' in printed and "dtype: float32" in printed and "shape: (8, 1)" in printed
    assert printed.count("inf") == int(np.isinf(ref["sq"]).sum()) == 8
    np.testing.assert_allclose(np.load(diff_file), ref["diff"], rtol=1e-6)
    sliced = section(out, "pt diff:0[0:3]")
    assert 'Tensor "diff:0:DebugIdentity[0:3]":' in sliced and "shape: (3, 1)" in sliced
    node = section(out, "ni sq")
    assert "Op: Square" in node and "1 input(s) + 0 control input(s):" in node and "[Sub] diff" in node
    assert "[Mean] loss" in node
    tree = section(out, "li -r sq")
    assert tree.startswith('Inputs to node "sq" (Depth limit = 20):\n|- (1) diff\n   |- (2) pred\n')
    assert "|  |- (3) x\n" in tree and "|  |- (3) ReadVariableOp\n" in tree and "   |- (2) y\n" in tree
    assert "|- (1) sq\n" in section(out, "lo diff")
    evaluated = float(re.search(r"np\.float32\(([-+.\deE]+)\)", section(out, "eval np.max(np.abs(`diff:0`))"))[1])
    np.testing.assert_allclose(evaluated, np.max(np.abs(ref["diff"])), rtol=1e-6)


def test_end_of_input_lets_the_remaining_runs_proceed():
    code, out, err = run_piped(["run"], steps=3)
    assert code == 0, err
    assert "end of input" in err
    assert re.findall(r"^step (\d+)", out, re.M) == ["0", "1", "2"]
    assert out.count("run-end:") == 1


def test_help_and_bad_commands_keep_the_session():
    code, out, _ = run_piped(["help run", "nonsense", "run -f no_such_filter", "run -t 0", "run -q", "exit"], steps=2)
    assert code == 1
    assert "Aliases: r" in out and "--till_filter_pass" in out
    assert 'ERROR: Invalid command prefix "nonsense"' in out
    assert 'ERROR: tensor filter "no_such_filter" does not exist.' in out
    assert "ERROR: -t/--times must be at least 1; received 0" in out
    assert "Syntax error for command: run" in out
    assert "run-end:" not in out


def _pty_session(commands, steps=10):
    """Runs the script on a pseudo-terminal, typing ``commands``; returns everything the terminal showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, SCRIPT, "cli", str(steps)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**ENV, "TERM": "dumb"},
        close_fds=True,
    )
    os.close(slave)
    shown, pending = b"", list(commands)
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                raise AssertionError(f"the debugger stopped answering; it showed:\n{shown.decode()[-2000:]}")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            # Type the next command once the prompt is waiting for it.
            if pending and shown.rstrip().endswith(b"tfdbg>"):
                os.write(master, (pending.pop(0) + "\n").encode())
    finally:
        os.close(master)
        proc.wait(timeout=60)
    return proc.returncode, shown.decode(errors="replace").replace("\r\n", "\n")


def test_the_debugger_on_a_pseudo_terminal():
    bad_step, ref = tfdbg_diverging.reference()
    code, shown = _pty_session(["run -f has_inf_or_nan", "pt sq:0[0:2]", "ni -a sq", "exit"])
    assert code == 1, shown[-3000:]
    assert f"run-end: run #{bad_step + 1}" in shown
    assert filtered_rows(shown)[0] == "sq:0"
    printed = shown.split("tfdbg> pt sq:0[0:2]\n", 1)[1]
    assert 'Tensor "sq:0:DebugIdentity[0:2]":' in printed and "shape: (2, 1)" in printed
    assert re.search(r"array\(\[\[inf\],\s+\[inf\]\], dtype=float32\)", printed)
    assert "Node attributes:" in shown and "dtype:\n    float32" in shown
    assert not np.isfinite(ref["sq"]).any()
