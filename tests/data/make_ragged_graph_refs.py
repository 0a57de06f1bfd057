"""Writes tests/ragged_graph_refs.py: what TensorFlow 2.21 gives for the cases of tests/ragged_graph_cases.py
(ragged ops, ragged string ops, and tf.data pipelines with their element specs).

Run with TensorFlow's interpreter from the repository root:
    /tmp/peers/bin/python tests/data/make_ragged_graph_refs.py && ruff format tests/ragged_graph_refs.py
"""

import os
import pprint
import sys

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ragged_graph_cases as cases  # noqa: E402


def results(builders, value):
    return {name: cases.show(tf, fn(value)) for name, fn in builders.items()}


def main() -> None:
    refs = {
        "OPS": results(cases.op_cases(tf), cases.floats(tf)),
        "NESTED": results(cases.nested_cases(tf), cases.nested(tf)),
        "STRINGS": results(cases.string_cases(tf), tf.constant(cases.TEXT)),
        "SPECS": {name: repr(make().element_spec) for name, make in cases.pipelines(tf).items()},
        "ELEMENTS": {name: [cases.show(tf, e) for e in make()] for name, make in cases.pipelines(tf).items()},
    }
    lines = [
        '"""TensorFlow 2.21\'s results for tests/ragged_graph_cases.py, written by',
        'tests/data/make_ragged_graph_refs.py (then ruff format)."""',
        "",
        'nan = float("nan")',
        "",
    ]
    for name, value in refs.items():
        lines.append(f"{name} = {pprint.pformat(value, width=116, compact=True)}")
        lines.append("")
    with open(os.path.join(os.path.dirname(HERE), "ragged_graph_refs.py"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
