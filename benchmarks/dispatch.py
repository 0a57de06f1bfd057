"""Per-call overhead against TensorFlow in the same run: an eager ``tf.add`` on 2x2 tensors and a call of a
``tf.function`` of 100 ops on a 2x2 tensor (both dominated by dispatch, not arithmetic).

Usage: python benchmarks/dispatch.py [--peers-python PATH]
The same workload code runs once with ``import ferroflow as tf`` and once with ``import tensorflow as tf``
(from --peers-python, an environment with tensorflow-cpu), each in its own process; the ratios are
ferroflow's time over TensorFlow's (below 1 is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CALLS = 20000
FUNCTION_CALLS = 2000


def best_per_call(fn, calls: int, repeats: int = 7) -> float:
    fn()  # warm up (traces a function, fills caches)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def workload(framework: str) -> dict:
    if framework == "ferroflow":
        import ferroflow as tf
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf

    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[0.5, -1.0], [2.0, 0.25]])
    eager_add = best_per_call(lambda: tf.add(a, b), CALLS)

    @tf.function
    def hundred_ops(x):
        y = x
        for _ in range(50):
            y = tf.multiply(y, 0.999)
            y = tf.add(y, x)
        return y

    function_call = best_per_call(lambda: hundred_ops(a), FUNCTION_CALLS)
    return {"eager_add_us": eager_add * 1e6, "function_100_ops_us": function_call * 1e6}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--workload", choices=["ferroflow", "tensorflow"])
    args = p.parse_args()
    if args.workload:
        print("RESULT " + json.dumps(workload(args.workload)))
        return
    results = {}
    for name, python in [("ferroflow", sys.executable), ("tensorflow", args.peers_python)]:
        proc = subprocess.run(
            [python, __file__, "--workload", name], capture_output=True, text=True, cwd=os.path.dirname(__file__)
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            sys.stderr.write(f"[{name}] failed:\n{proc.stderr[-2000:]}\n")
            results[name] = None
        else:
            results[name] = json.loads(line[len("RESULT ") :])
    print(f"{'figure':<24}{'ferroflow':>12}{'tensorflow':>12}{'ratio':>8}")
    for key in ["eager_add_us", "function_100_ops_us"]:
        ff = results["ferroflow"] and results["ferroflow"][key]
        tf_ = results["tensorflow"] and results["tensorflow"][key]
        ratio = "n/a" if not ff or not tf_ else f"{ff / tf_:.2f}x"
        show = lambda v: "n/a" if v is None else f"{v:.1f} us"  # noqa: E731
        print(f"{key:<24}{show(ff):>12}{show(tf_):>12}{ratio:>8}")


if __name__ == "__main__":
    main()
