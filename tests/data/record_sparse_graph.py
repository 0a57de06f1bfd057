"""Records what TensorFlow 2.21 gives for the cases of ``tests/sparse_graph_cases.py``,
``tests/sparse_graph_dense_cases.py`` and ``tests/segment_graph_cases.py`` (eagerly, after checking that the
traced functions give the same), written as ``tests/<name>_expected.py`` next to each.

Run with the TensorFlow interpreter from the repository root:

    /tmp/peers/bin/python tests/data/record_sparse_graph.py
"""

from __future__ import annotations

import importlib
import os
import pprint
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)


def _message(e: Exception) -> str:
    """The kernel's message, without TensorFlow's node prefix and op suffix."""
    text = str(e).split("\n")[0]
    text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", text)
    return re.sub(r" \[Op:[^\]]*\].*$", "", text)


def _record(tf: object, module: str) -> None:
    from sparse_graph_cases import parts

    cases = importlib.import_module(f"{module}_cases")
    expected = {}
    for name, (fn, signature, arg_sets) in cases.cases(tf).items():
        traced = tf.function(fn, input_signature=signature)
        results = [parts(tf, fn(*args)) for args in arg_sets]
        assert results == [parts(tf, traced(*args)) for args in arg_sets], name
        expected[name] = results
    errors = {}
    for name, (fn, signature, args) in cases.error_cases(tf).items():
        try:
            fn(*args)
            raise AssertionError(f"{name} did not fail")
        except (tf.errors.OpError, ValueError, TypeError) as e:
            eager = (type(e).__name__, _message(e))
        try:
            tf.function(fn, input_signature=signature)(*args)
            raise AssertionError(f"{name} did not fail traced")
        except (tf.errors.OpError, ValueError, TypeError) as e:
            errors[name] = (*eager, type(e).__name__)
    with open(os.path.join(TESTS, f"{module}_expected.py"), "w") as f:
        f.write(f'"""What TensorFlow 2.21 gives for ``tests/{module}_cases.py`` (written by\n')
        f.write("``tests/data/record_sparse_graph.py``): results per case and argument set, and for each error\n")
        f.write('case the eager error type and message and the traced error type."""\n\n')
        f.write("# fmt: off\nEXPECTED = " + pprint.pformat(expected, width=108, compact=True) + "\n\n")
        f.write("ERRORS = " + pprint.pformat(errors, width=108, compact=True) + "\n# fmt: on\n")


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.path.insert(0, TESTS)
    import tensorflow as tf

    for module in ("sparse_graph", "sparse_graph_dense", "segment_graph"):
        _record(tf, module)


if __name__ == "__main__":
    main()
