"""The out-of-memory run, small: ``fit`` streams TFRecord files larger than the whole process's peak memory.

``benchmarks/out_of_memory_fit.py`` writes the records and trains one epoch in its own process (so that its
peak resident memory is its own); the full run streams 6 GB.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "out_of_memory_fit.py"


def test_fit_streams_records_larger_than_its_peak_memory(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-W", "ignore", str(SCRIPT), "--gigabytes", "0.5", "--directory", str(tmp_path / "records")],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.split("RESULT ", 1)[1])
    assert result["data_bytes"] >= 0.5e9
    assert result["examples"] == 60000 * 10
    # the whole process, interpreter and libraries included, peaked well below the size of the data
    assert result["data_over_peak_rss"] > 1.5, result
    assert result["rss_growth_during_fit"] < result["data_bytes"] / 2, result
    assert result["accuracy"] > 0.9  # ten passes over MNIST in one epoch train the model
    assert not (tmp_path / "records").exists()  # the files are removed afterwards
