"""``tf.sparse`` ops eagerly and inside ``tf.function`` with ``None`` dimensions in the input signature:
``bincount``, ``softmax``, the ``segment_*`` reductions (with and without ``num_segments``), ``eye``,
``fill_empty_rows``, ``to_indicator``, ``minimum`` / ``maximum``, ``split``, ``reset_shape``, reductions to a
sparse output and products with dense tensors; and ``tf.math.segment_*`` / ``unsorted_segment_*`` (names
``math.*``). Each function is traced once and must give TensorFlow 2.21's results
(``tests/sparse_graph_expected.py``, ``tests/segment_graph_expected.py``) for two argument sets of different
sizes; bad inputs raise TensorFlow's error types, eagerly and traced."""

from __future__ import annotations

import re

import pytest

import ferroflow as tf
import segment_graph_cases
import segment_graph_expected
import sparse_graph_cases
import sparse_graph_dense_cases
import sparse_graph_dense_expected
import sparse_graph_expected
from sparse_graph_cases import parts

# (cases, what TensorFlow gave, the prefix of their names here)
_MODULES = [
    (sparse_graph_cases, sparse_graph_expected, ""),
    (sparse_graph_dense_cases, sparse_graph_dense_expected, ""),
    (segment_graph_cases, segment_graph_expected, "math."),
]


def _merged(kind: str) -> dict:
    return {f"{prefix}{k}": v for cases, _, prefix in _MODULES for k, v in getattr(cases, kind)(tf).items()}


def _recorded(what: str) -> dict:
    return {f"{prefix}{k}": v for _, recorded, prefix in _MODULES for k, v in getattr(recorded, what).items()}


CASES, ERROR_CASES = _merged("cases"), _merged("error_cases")
EXPECTED, ERRORS = _recorded("EXPECTED"), _recorded("ERRORS")


def test_every_case_is_recorded():
    assert sorted(CASES) == sorted(EXPECTED)
    assert sorted(ERROR_CASES) == sorted(ERRORS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_eager_matches_tensorflow(name):
    fn, _, arg_sets = CASES[name]
    assert [parts(tf, fn(*args)) for args in arg_sets] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_traced_once_matches_tensorflow(name):
    fn, signature, arg_sets = CASES[name]
    traces = []

    def counted(*args):
        traces.append(1)
        return fn(*args)

    traced = tf.function(counted, input_signature=signature)
    assert [parts(tf, traced(*args)) for args in arg_sets] == EXPECTED[name]
    assert len(traces) == 1


def _error_type(name: str) -> type:
    return {"ValueError": ValueError, "TypeError": TypeError}.get(name) or getattr(tf.errors, name)


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_eager_errors_are_tensorflows(name):
    fn, _, args = ERROR_CASES[name]
    kind, message, _ = ERRORS[name]
    with pytest.raises(_error_type(kind), match=re.escape(message)):
        fn(*args)


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_traced_errors_are_tensorflows(name):
    fn, signature, args = ERROR_CASES[name]
    with pytest.raises(_error_type(ERRORS[name][2])):
        tf.function(fn, input_signature=signature)(*args)
