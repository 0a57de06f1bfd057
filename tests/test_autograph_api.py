"""AutoGraph's API and conversion mechanics: ``tf.autograph.to_graph``/``to_code``/``do_not_convert``/
``set_verbosity``/``trace``, what gets converted (closures, methods, defaults, decorators, nested and called
functions, lambdas; not code without source), and errors for unsupported constructs naming file and line.
"""

import functools

import numpy as np
import pytest

import ferroflow as tf

SCALE = 3.0


def absolute(x):
    if x < 0:
        x = -x
    return x


def test_to_graph_converts_functions_methods_and_partials():
    converted = tf.autograph.to_graph(absolute)
    assert converted is not absolute and converted.__name__ == "absolute"
    assert float(converted(tf.constant(-2.0))) == 2.0  # eagerly: Python semantics
    assert float(tf.function(converted, autograph=False)(tf.constant(-5.0))) == 5.0  # in a graph: a cond

    class Model:
        offset = 10.0

        def shifted(self, x):
            while x < self.offset:
                x = x + 4.0
            return x

    method = tf.autograph.to_graph(Model().shifted)
    assert float(tf.function(method, autograph=False)(tf.constant(1.0))) == 13.0
    partial = tf.autograph.to_graph(functools.partial(absolute))
    assert float(tf.function(partial, autograph=False)(tf.constant(-1.5))) == 1.5
    with pytest.raises(Exception, match="__code__"):
        tf.autograph.to_graph(len)


def test_to_code_shows_the_converted_function():
    code = tf.autograph.to_code(absolute)
    assert code.startswith("def absolute(x):")
    assert "ag__.if_stmt(" in code and "def if_body_" in code
    loop = tf.autograph.to_code(test_to_graph_converts_functions_methods_and_partials)
    assert "ag__.converted_call(" in loop


def test_functions_without_source_run_unconverted():
    namespace = {"tf": tf}
    exec("def no_source(x):\n    return x * 2.0\n", namespace)
    assert float(tf.function(namespace["no_source"])(tf.constant(2.0))) == 4.0
    exec("def branchy(x):\n    if x > 0:\n        x = x + 1.0\n    return x\n", namespace)
    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        tf.function(namespace["branchy"])(tf.constant(2.0))
    with pytest.raises(Exception, match="Unable to locate the source code"):
        tf.autograph.to_graph(namespace["branchy"])


def test_do_not_convert():
    plain = tf.autograph.experimental.do_not_convert(absolute)
    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        tf.function(plain)(tf.constant(-1.0))

    @tf.autograph.experimental.do_not_convert
    def helper(x):
        if x > 0:
            return x
        return -x

    @tf.function
    def calls_helper(x):
        return helper(x)

    with pytest.raises(TypeError, match="as a Python bool is not allowed"):
        calls_helper(tf.constant(1.0))
    assert tf.autograph.experimental.do_not_convert()(absolute)(3.0) == 3.0


def test_set_verbosity_and_trace(capsys):
    tf.autograph.set_verbosity(2, alsologtostdout=True)
    try:

        def shown(x):
            return x if x > 0 else -x

        tf.function(shown)(tf.constant(1.0))
    finally:
        tf.autograph.set_verbosity(0)
    assert "ag__.if_exp(" in capsys.readouterr().out

    @tf.function
    def traced(x):
        tf.autograph.trace("tracing with", x.shape)
        print("python print runs when tracing")
        return x + 1

    traced(tf.constant(1))
    traced(tf.constant(2))
    out = capsys.readouterr().out
    assert out.count("tracing with ()") == 1 and out.count("python print runs when tracing") == 1


def make_counter():
    calls = 0
    factor = tf.constant(2.0)

    def step(x, bonus=SCALE, *, times=1):
        nonlocal calls
        calls += 1  # a Python side effect: runs when tracing, on the original closure cell
        for _ in range(times):
            if x > 0:
                x = x * factor + bonus
        return x

    return step, lambda: calls


def test_closures_defaults_and_keyword_only_arguments():
    step, calls = make_counter()
    traced = tf.function(step)
    assert float(traced(tf.constant(1.0))) == 5.0
    assert float(traced(tf.constant(-1.0))) == -1.0
    assert float(traced(tf.constant(1.0), 0.0, times=2)) == 4.0
    assert calls() == 2  # two traces (the second call reused the first)


class Scaler(tf.Module):
    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    @tf.function
    def __call__(self, x):
        while tf.reduce_max(x) < self.limit:
            x = x * 2.0
        return x


class DoublingScaler(Scaler):
    @tf.function
    def __call__(self, x):
        if tf.reduce_sum(x) > 0:
            x = super().__call__(x)  # zero-argument super() inside a converted branch
        return x * 2.0


def test_methods_and_decorated_functions():
    small, large = Scaler(10.0), Scaler(100.0)
    np.testing.assert_allclose(small(tf.constant([1.0, 3.0])).numpy(), [4.0, 12.0])
    np.testing.assert_allclose(large(tf.constant([1.0, 3.0])).numpy(), [64.0, 192.0])
    np.testing.assert_allclose(DoublingScaler(10.0)(tf.constant([1.0, 3.0])).numpy(), [8.0, 24.0])
    np.testing.assert_allclose(DoublingScaler(10.0)(tf.constant([-1.0, -3.0])).numpy(), [-2.0, -6.0])

    def doubled(f):
        @functools.wraps(f)
        def wrapper(*args):
            return f(*args) * 2.0

        return wrapper

    @tf.function
    @doubled
    def clipped(x):
        if x > 1.0:
            x = tf.ones_like(x)
        return x

    assert float(clipped(tf.constant(5.0))) == 2.0
    assert float(clipped(tf.constant(0.25))) == 0.5


def sign_of(x):
    if x > 0:
        return 1.0
    return -1.0


def test_nested_called_and_lambda_functions_are_converted():
    @tf.function
    def outer(x):
        def inner(y):
            total = 0.0
            while y > 1.0:
                y = y / 2.0
                total += 1.0
            return total

        halvings = inner(x)
        signed = (lambda v: v * 10.0 if v > 0 else v)(x)
        return halvings * sign_of(x), signed

    halvings, signed = outer(tf.constant(9.0))
    assert float(halvings) == 4.0 and float(signed) == 90.0
    halvings, signed = outer(tf.constant(-9.0))
    assert float(halvings) == 0.0 and float(signed) == -9.0
    assert float(tf.function(lambda x: sign_of(x) * x)(tf.constant(-3.0))) == 3.0


def test_try_around_tensor_control_flow_is_converted():
    @tf.function
    def guarded(x):
        try:
            if x > 0:
                x = x + 1.0
        except ValueError:
            x = tf.zeros_like(x)
        return x

    assert float(guarded(tf.constant(1.0))) == 2.0 and float(guarded(tf.constant(-1.0))) == -1.0


def return_in_tensor_loop(x):
    while x < 10:
        x = x + 1
        if x > 5:
            return x
    return x


def return_in_with_block(x):
    if x > 0:
        with tf.name_scope("positive"):
            return x
    return -x


def generator_on_tensor(x):
    if x > 0:
        yield x


def uses_generator(x):
    return next(iter(generator_on_tensor(x)))


@pytest.mark.parametrize(
    "fn, where, message",
    [
        (
            return_in_tensor_loop,
            return_in_tensor_loop,
            "a return statement cannot be placed inside this TensorFlow loop",
        ),
        (return_in_with_block, return_in_with_block, "a return statement inside an if whose condition is a tensor"),
        (uses_generator, generator_on_tensor, "generator functions are not converted by AutoGraph"),
    ],
)
def test_unsupported_constructs_raise_naming_the_line(fn, where, message):
    with pytest.raises(NotImplementedError) as info:
        tf.function(fn)(tf.constant(1))
    text = str(info.value)
    assert message in text
    assert f'File "{__file__}", line {where.__code__.co_firstlineno + 1}' in text


def test_python_values_keep_python_semantics_in_converted_code():
    # The same constructs on Python values (and unsupported ones) behave as plain Python.
    assert tf.autograph.to_graph(return_in_tensor_loop)(3) == 6
    assert tf.autograph.to_graph(return_in_with_block)(-4) == 4
    assert list(tf.autograph.to_graph(generator_on_tensor)(2)) == [2]


def test_dataset_map_functions_are_converted():
    def augment(x):
        if tf.reduce_sum(x) > 3.0:
            x = x * 10.0
        else:
            x = x - 1.0
        return x

    rows = np.array([[1.0, 1.0], [2.0, 3.0], [0.5, 0.5]], np.float32)
    got = [r.numpy() for r in tf.data.Dataset.from_tensor_slices(rows).map(augment)]
    np.testing.assert_allclose(got, [augment(tf.constant(r)).numpy() for r in rows])
