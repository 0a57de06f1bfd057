"""Records what TensorFlow 2.21 (Keras 3) gives for the cases of ``tests/distribute_batch_norm_cases.py``,
written as ``tests/distribute_batch_norm_expected.py``.

Run with the TensorFlow interpreter from the repository root:

    /tmp/peers/bin/python tests/data/record_distribute_batch_norm.py

Each case runs in its own process: TensorFlow's collective all-reduce keys clash between several
``MirroredStrategy`` objects training in one process.
"""

from __future__ import annotations

import json
import os
import pprint
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)


def _one(name: str) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from distribute_batch_norm_cases import all_reduce_gradients, run_case

    result = all_reduce_gradients(tf) if name == "all_reduce_gradients" else run_case(tf, name)
    print("RESULT " + json.dumps(result))


def _record() -> None:
    from distribute_batch_norm_cases import CASES

    results = {}
    for name in [*CASES, "all_reduce_gradients"]:
        out = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, check=True).stdout
        results[name] = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    with open(os.path.join(TESTS, "distribute_batch_norm_expected.py"), "w") as f:
        f.write(
            '"""What TensorFlow 2.21 gives for the cases of ``distribute_batch_norm_cases``\n'
            '(written by ``tests/data/record_distribute_batch_norm.py``)."""\n\n'
        )
        f.write("# fmt: off\nEXPECTED = " + pprint.pformat(results, width=120, compact=True) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, TESTS)
    if len(sys.argv) > 1:
        _one(sys.argv[1])
    else:
        _record()
