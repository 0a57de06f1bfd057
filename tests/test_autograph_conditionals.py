"""AutoGraph: ``if``/``elif``/``else``, ``return`` in branches, ``a if t else b`` and ``and``/``or``/``not`` on
tensors inside tf.function become graph conditionals and logical ops; on Python values they stay Python.

Every traced result equals the undecorated function run eagerly, over inputs taking each branch, and the
function is traced once for all those values.
"""

import numpy as np
import pytest

import ferroflow as tf


def ops_of(fn, *specs):
    return {op.type for op in fn.get_concrete_function(*specs).graph.get_operations()}


def check_against_eager(fn, inputs, dtype=tf.float32):
    """``fn`` traced equals ``fn`` eager on each input; one trace serves them all."""
    traced = tf.function(fn)
    for x in inputs:
        want = fn(tf.constant(x, dtype))
        got = traced(tf.constant(x, dtype))
        tf.nest.map_structure(lambda a, b: np.testing.assert_allclose(np.asarray(a), np.asarray(b)), got, want)
    assert traced.experimental_get_tracing_count() == 1
    return traced


def piecewise(x):
    if x < -1.0:
        y = -x * 2.0
        kind = 0
    elif x < 1.0:
        y = x * x
        kind = 1
    else:
        y = tf.sqrt(x)
        kind = 2
    return y + 1.0, kind


def test_if_elif_else_becomes_conditionals_and_equals_eager():
    traced = check_against_eager(piecewise, [-3.0, -1.0, 0.5, 0.0, 1.0, 4.0])
    assert "If" in ops_of(traced, tf.TensorSpec([], tf.float32))
    y, kind = traced(tf.constant(4.0))
    assert kind.dtype == tf.int32 and int(kind) == 2 and float(y) == 3.0


def test_branch_outputs_only_for_assigned_and_used_variables():
    def fn(x):
        a = x + 1.0
        b = x * 3.0  # read in a branch, never assigned there: not an output
        if tf.reduce_sum(x) > 0:
            a = a * b
            scratch = a - 1.0  # defined in one branch only, never read after: allowed, as in TF
            a = scratch + 1.0
        return a, b

    check_against_eager(fn, [[1.0, 2.0], [-5.0, 1.0]])


def test_nested_ifs_and_variables_defined_in_both_branches():
    def fn(x):
        if x > 0:
            if x > 10:
                out = x / 10.0
            else:
                out = x
        else:
            out = tf.zeros_like(x)
        return out

    check_against_eager(fn, [-2.0, 3.0, 30.0])


def returns_in_branches(x):
    if x > 0:
        return x * 2.0
    else:
        return -x


def guard_clauses(x):
    if x > 10.0:
        return x
    if x < -10.0:
        return -x
    y = x * x
    return y + 1.0


def elif_returns(x):
    if x > 1.0:
        return tf.ones_like(x)
    elif x > 0.0:
        return x
    else:
        x = x * 3.0
    return x - 1.0


@pytest.mark.parametrize("fn", [returns_in_branches, guard_clauses, elif_returns])
def test_return_statements_in_tensor_branches(fn):
    check_against_eager(fn, [-20.0, -2.0, 0.5, 3.0, 20.0])


def test_python_conditions_stay_python():
    def fn(x, training, scale=None):
        if training:
            x = x * 0.5
        if scale is not None and scale > 1:
            x = x * scale
        return x

    traced = tf.function(fn)
    x = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(traced(x, True).numpy(), [0.5, 1.0])
    np.testing.assert_allclose(traced(x, False, 3).numpy(), [3.0, 6.0])
    assert "If" not in ops_of(traced, tf.TensorSpec([2], tf.float32), True)


def test_ternary_and_boolean_operators():
    def fn(x):
        sign = 1.0 if x > 0 else -1.0
        inside = x > -1.0 and x < 1.0
        outside = not inside
        either = x > 5.0 or x < -5.0 or outside
        return sign * x, inside, outside, either

    traced = check_against_eager(fn, [-7.0, -2.0, 0.0, 0.5, 3.0, 9.0])
    ops = ops_of(traced, tf.TensorSpec([], tf.float32))
    assert {"If", "LogicalAnd", "LogicalNot", "LogicalOr"} <= ops


def test_python_and_or_short_circuit_before_tensors():
    def fn(x, w):
        ok = w is not None and w > 0  # `None > 0` would raise: `and` must stop at the Python False
        return x * 2.0 if ok else x

    traced = tf.function(fn)
    assert float(traced(tf.constant(1.0), None)) == 1.0
    assert float(traced(tf.constant(1.0), 2)) == 2.0
    assert "If" not in ops_of(traced, tf.TensorSpec([], tf.float32), 2)


def test_variables_assigned_in_branches_take_effect():
    v = tf.Variable(0.0)

    @tf.function
    def step(x):
        if x > 0:
            v.assign_add(x)
        else:
            v.assign_sub(1.0)
        return v.read_value()

    assert float(step(tf.constant(2.0))) == 2.0
    assert float(step(tf.constant(-3.0))) == 1.0
    assert float(step(tf.constant(5.0))) == 6.0
    assert step.experimental_get_tracing_count() == 1


def test_realistic_batch_branch():
    def fn(images):
        mean = tf.reduce_mean(images)
        if mean > 0.5:
            images = images - mean
        else:
            images = images * 2.0
        return tf.nn.relu(images)

    rng = np.random.default_rng(0)
    traced = tf.function(fn)
    for offset in (0.0, 1.0):
        x = tf.constant(rng.random((32, 28, 28, 16)).astype(np.float32) + offset)
        np.testing.assert_allclose(traced(x).numpy(), fn(x).numpy(), rtol=1e-6)
    assert traced.experimental_get_tracing_count() == 1


def one_branch_only(x):
    if x > 0:
        y = x * 2.0
    return y


def different_dtypes(x):
    if x > 0:
        y = 1
    else:
        y = 2.0
    return y


def different_structures(x):
    if x > 0:
        y = (x, x)
    else:
        y = x
    return y


@pytest.mark.parametrize(
    "fn, error, message",
    [
        (one_branch_only, ValueError, "'y' must also be initialized in the else branch"),
        (different_dtypes, TypeError, "'y' has dtype int32 in the main branch, but dtype float32 in the else branch"),
        (different_structures, TypeError, "'y' must have the same nested structure in the main and else branches"),
    ],
)
def test_branch_errors_name_the_line(fn, error, message):
    with pytest.raises(error) as info:
        tf.function(fn)(tf.constant(1.0))
    text = str(info.value)
    assert message in text
    assert f'{__file__}", line {fn.__code__.co_firstlineno + 1}' in text
    assert "if x > 0:" in text


def test_autograph_false_keeps_python_semantics():
    def fn(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        tf.function(fn, autograph=False)(tf.constant(1.0))
    assert float(tf.function(fn)(tf.constant(-4.0))) == 4.0


def test_run_functions_eagerly_gives_the_same_results():
    traced = tf.function(piecewise)
    graph_results = [traced(tf.constant(v))[0].numpy() for v in (-3.0, 0.5, 4.0)]
    tf.config.run_functions_eagerly(True)
    try:
        eager_results = [traced(tf.constant(v))[0].numpy() for v in (-3.0, 0.5, 4.0)]
    finally:
        tf.config.run_functions_eagerly(False)
    np.testing.assert_allclose(graph_results, eager_results)
