"""examples/estimator_dnn_classifier.py and examples/estimator_custom_model_fn.py: both reach 97% test accuracy
on MNIST; the first leaves TensorBoard logs and resumes, the second exports a model the Rust loader can serve."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FERROFLOW_DATASETS") or REPO_ROOT / ".." / "shared" / "datasets").resolve()
needs_mnist = pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason=f"MNIST not found in {SHARED}")


def run(script, *args):
    env = {**os.environ, "FERROFLOW_DATASETS": str(SHARED)}
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@needs_mnist
def test_dnn_classifier_example_trains_logs_and_resumes(tmp_path):
    out = run("estimator_dnn_classifier.py", "--model-dir", str(tmp_path), "--min-accuracy", "0.97")
    assert float(re.search(r"accuracy: ([\d.]+)", out).group(1)) >= 0.97
    assert any(f.startswith("events.out.tfevents") for f in os.listdir(tmp_path))
    assert os.listdir(tmp_path / "eval")
    resumed = run("estimator_dnn_classifier.py", "--model-dir", str(tmp_path), "--steps", "3100")
    assert "trained to step 3100" in resumed


@needs_mnist
def test_custom_model_fn_example_exports_for_the_rust_loader(tmp_path):
    from ferroflow.models.export import SUPPORTED_OPS

    out = run("estimator_custom_model_fn.py", "--model-dir", str(tmp_path), "--min-accuracy", "0.97")
    export_dir = re.search(r"exported to (\S+) ", out).group(1)
    with open(os.path.join(export_dir, "graph.json")) as f:
        graph = json.load(f)
    assert {node["op"] for node in graph["nodes"]} - {"placeholder", "const"} <= set(SUPPORTED_OPS)
    assert [i["name"] for i in graph["inputs"]] == ["pixels"] and graph["inputs"][0]["shape"] == [None, 28, 28]
    assert [o["name"] for o in graph["outputs"]] == ["probabilities"]
