"""``tf.autodiff.ForwardAccumulator``: JVPs against the reverse-mode Jacobian and TensorFlow's examples."""

import numpy as np
import pytest

import ferroflow as tf

FUNCTIONS = {
    "tanh_matmul": lambda x: tf.tanh(tf.matmul(x, tf.constant(np.linspace(-1, 1, 15).reshape(5, 3)))),
    "softmax": lambda x: tf.nn.softmax(x * 2.0),
    "elementwise": lambda x: tf.exp(x) * tf.sin(x) / (1.0 + x**2),
    "reduction": lambda x: tf.reduce_logsumexp(x, axis=1),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_jvp_equals_the_jacobian_times_the_tangent(name):
    fn = FUNCTIONS[name]
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((4, 5)))
    v = rng.standard_normal((4, 5))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    jac = tape.jacobian(y, x).numpy()
    want = np.tensordot(jac, v, axes=2)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(v)) as acc:
        y = fn(x)
    np.testing.assert_allclose(acc.jvp(y).numpy(), want, rtol=1e-10, atol=1e-12)

    @tf.function
    def traced(x, v):
        with tf.autodiff.ForwardAccumulator(x, v) as acc:
            y = fn(x)
        return acc.jvp(y)

    np.testing.assert_allclose(traced(x, tf.constant(v)).numpy(), want, rtol=1e-10, atol=1e-12)


def test_the_docstrings_forward_over_backward_hessian_vector_product():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v**3.0)
        backward = tape.gradient(y, v)
    np.testing.assert_array_equal(backward.numpy(), [3.0, 12.0])
    np.testing.assert_array_equal(acc.jvp(backward).numpy(), [6.0, 0.0])


def test_the_docstrings_layer_kernel_example_matches_reverse_mode():
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    dense = tf.keras.layers.Dense(1)
    dense.build([None, 2])
    with tf.autodiff.ForwardAccumulator(primals=dense.kernel, tangents=tf.constant([[1.0], [0.0]])) as acc:
        loss = tf.reduce_sum((dense(x) - targets) ** 2.0)
    with tf.GradientTape() as tape:
        loss_again = tf.reduce_sum((dense(x) - targets) ** 2.0)
    grad = tape.gradient(loss_again, dense.kernel)
    np.testing.assert_allclose(acc.jvp(loss).numpy(), grad.numpy()[0, 0], rtol=1e-6)


def test_several_primals_a_primal_itself_and_unconnected_targets():
    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.autodiff.ForwardAccumulator([a, b], [tf.constant(1.0), tf.constant(10.0)]) as acc:
        y = a * b
        unrelated = tf.constant(5.0) * 2.0
        doubled = y * 2.0
    outside = y * 2.0  # computed after the accumulator stopped watching, as TensorFlow has it
    assert float(acc.jvp(y)) == 3.0 + 10.0 * 2.0
    assert float(acc.jvp(a)) == 1.0
    assert acc.jvp(unrelated) is None
    assert float(acc.jvp(unrelated, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0
    first, second = acc.jvp((y, doubled))
    assert float(first) == 23.0 and float(second) == 46.0
    assert acc.jvp(outside) is None


def test_a_tangent_of_the_wrong_shape_is_a_value_error():
    with pytest.raises(ValueError, match=r"expected \[2\], received \[3\]"):
        tf.autodiff.ForwardAccumulator(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="one tangent per primal"):
        tf.autodiff.ForwardAccumulator([tf.constant(1.0)], [])
