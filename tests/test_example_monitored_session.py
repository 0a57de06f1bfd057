"""examples/monitored_session.py: the TF1 MNIST loop with hooks reaches 97% test accuracy, leaves
checkpoints and TensorBoard logs in its model dir, and a second run resumes from the last checkpoint."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FERROFLOW_DATASETS") or REPO_ROOT / ".." / "shared" / "datasets").resolve()


@pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason=f"MNIST not found in {SHARED}")
def test_trains_to_97_percent_and_resumes(tmp_path):
    env = {**os.environ, "FERROFLOW_DATASETS": str(SHARED)}
    script = str(REPO_ROOT / "examples" / "monitored_session.py")

    def run(*args):
        proc = subprocess.run(
            [sys.executable, script, "--model-dir", str(tmp_path), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr

    out = run("--steps", "2000", "--min-accuracy", "0.97")
    accuracy = float(re.search(r"test accuracy: ([\d.]+)", out).group(1))
    assert accuracy >= 0.97
    assert "model.ckpt-2000" in out and any(f.startswith("events.out.tfevents") for f in os.listdir(tmp_path))
    resumed = run("--steps", "2100")
    steps = [int(s) for s in re.findall(r"step = (\d+)", resumed)]
    assert steps[0] == 2000  # the first logged step of the second run: restored, not re-initialized
    assert "model.ckpt-2100" in resumed
