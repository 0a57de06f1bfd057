"""The sequence-model examples run as scripts on small configurations and print their test accuracy."""

import pathlib
import re
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _run(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_addition_rnn_runs_and_prints_its_sequence_accuracy():
    out = _run("addition_rnn.py", "--epochs", "1", "--samples", "1000", "--test-samples", "100", "--seed", "0")
    assert "training (900, 7, 12), validation (100, 7, 12), test (100, 7, 12)" in out
    assert re.search(r"epoch 1: validation accuracy \(per character\) 0\.\d{4}", out), out
    # Five decoded questions, shown in reading order: "a+b" padded to 7 characters, the answer to 4.
    shown = re.findall(r"^Q (\d+)\+(\d+) *T (\d+) *(ok|wrong)", out, re.M)
    assert len(shown) == 5 and all(int(a) + int(b) == int(total) for a, b, total, _ in shown), out
    accuracy = re.search(r"test sequence accuracy: (\d\.\d{4})", out)
    assert accuracy is not None and 0.0 <= float(accuracy.group(1)) <= 1.0, out


def test_addition_rnn_fails_below_the_required_accuracy():
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "addition_rnn.py"), "--epochs", "1", "--samples", "200",
         "--test-samples", "50", "--no-reverse", "--seed", "1", "--min-accuracy", "0.99"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "is below the required 0.99" in proc.stderr


def test_text_classification_runs_on_the_standard_library_docstrings():
    out = _run("text_classification.py", "--epochs", "1", "--max-per-class", "40", "--seed", "0")
    # 40 paragraphs of each of the nine packages: 8 of each for the test.
    assert "288 training and 72 test paragraphs" in out, out
    assert "training paragraphs per package: asyncio 32, email 32, http 32" in out, out
    assert re.search(r"vocabulary: \d+ tokens", out), out
    accuracy = re.search(r"test accuracy: (\d\.\d{4})", out)
    assert accuracy is not None and 0.0 <= float(accuracy.group(1)) <= 1.0, out
