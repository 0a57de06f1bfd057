"""The low-level examples run as scripts, converge, and print the fitted weights."""

import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("script", ["linear_regression_v1.py", "gradient_tape_regression.py"])
def test_example_converges(script):
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "converged" in proc.stdout.splitlines()[-1]
    fitted = re.search(r"fitted w = \[([-\d.e]+), ([-\d.e]+)\]  b = ([-\d.e]+)", proc.stdout)
    assert fitted is not None, proc.stdout
    w0, w1, b = (float(v) for v in fitted.groups())
    assert abs(w0 - 2.0) < 0.05 and abs(w1 + 3.5) < 0.05 and abs(b - 0.7) < 0.05
