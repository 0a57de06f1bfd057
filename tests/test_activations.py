"""keras.activations: each function against NumPy's version of Keras's formula, eagerly and in a graph,
gradients against finite differences, and lookup by name."""

import math

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import activations, keras
from ferroflow.framework.graph import SymbolicTensor
from gradcheck import numeric_gradient

rng = np.random.default_rng(7)
_erfc = np.vectorize(math.erfc)


def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_softplus(x):
    return np.logaddexp(0.0, x)


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def np_keras_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    y = x * (x > threshold) if threshold != 0 else np.maximum(x, 0)
    if max_value is not None:
        y = np.clip(y, 0, max_value)
    return y - negative_slope * np.maximum(threshold - x, 0)


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# name -> (activation call, NumPy reference)
CASES = {
    "relu": (activations.relu, lambda x: np.maximum(x, 0)),
    "relu_leaky_capped_threshold": (
        lambda x: activations.relu(x, negative_slope=0.3, max_value=2.5, threshold=0.5),
        lambda x: np_keras_relu(x, 0.3, 2.5, 0.5),
    ),
    "relu_leaky": (lambda x: activations.relu(x, negative_slope=0.1), lambda x: np.where(x >= 0, x, 0.1 * x)),
    "relu_max6": (lambda x: activations.relu(x, max_value=6.0), lambda x: np.clip(x, 0, 6)),
    "leaky_relu": (activations.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    "relu6": (activations.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (activations.sigmoid, np_sigmoid),
    "softmax": (activations.softmax, np_softmax),
    "softmax_axis0": (lambda x: activations.softmax(x, axis=0), lambda x: np_softmax(x, axis=0)),
    "softmax_tuple_axis": (lambda x: activations.softmax(x, axis=(0, 1)), lambda x: np_softmax(x, axis=(0, 1))),
    "log_softmax": (activations.log_softmax, lambda x: np.log(np_softmax(x))),
    "log_softmax_tuple": (
        lambda x: activations.log_softmax(x, axis=(0, 1)),
        lambda x: np.log(np_softmax(x, axis=(0, 1))),
    ),
    "tanh": (activations.tanh, np.tanh),
    "elu": (activations.elu, np_elu),
    "elu_alpha": (lambda x: activations.elu(x, alpha=0.5), lambda x: np_elu(x, 0.5)),
    "selu": (activations.selu, lambda x: SELU_SCALE * np_elu(x, SELU_ALPHA)),
    "softplus": (activations.softplus, np_softplus),
    "softsign": (activations.softsign, lambda x: x / (np.abs(x) + 1)),
    "silu": (activations.silu, lambda x: x * np_sigmoid(x)),
    "gelu": (activations.gelu, lambda x: 0.5 * x * _erfc(-x / np.sqrt(2))),
    "gelu_approximate": (
        lambda x: activations.gelu(x, approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    "exponential": (activations.exponential, np.exp),
    "hard_sigmoid": (activations.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hard_silu": (activations.hard_silu, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "mish": (activations.mish, lambda x: x * np.tanh(np_softplus(x))),
    "log_sigmoid": (activations.log_sigmoid, lambda x: -np_softplus(-x)),
    "celu": (lambda x: activations.celu(x, alpha=2.0), lambda x: np.maximum(x, 0) + np.minimum(2 * np.expm1(x / 2), 0)),
    "hard_tanh": (activations.hard_tanh, lambda x: np.clip(x, -1, 1)),
}


def sample(dtype=np.float32):
    # Values spread over the kinks of every function (0, +-1, +-3, 6) without landing on them.
    return (rng.standard_normal((4, 6)) * 3.0 + 0.01).astype(dtype)


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_matches_numpy_formula_eagerly(name):
    fn, ref = CASES[name]
    x = sample()
    np.testing.assert_allclose(fn(tf.constant(x)).numpy(), ref(x.astype(np.float64)), rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_matches_numpy_formula_in_a_graph(name):
    fn, ref = CASES[name]
    x = sample(np.float64)
    seen = []

    def traced(inp):
        out = fn(inp)
        seen.append(isinstance(out, SymbolicTensor))
        return out

    y = tf.function(traced)(tf.constant(x))
    assert seen == [True]
    np.testing.assert_allclose(y.numpy(), ref(x), rtol=1e-7, atol=1e-9)


def test_linear_returns_its_input_and_numpy_inputs_are_accepted():
    x = tf.constant([1.0, -2.0])
    assert activations.linear(x) is x
    np.testing.assert_allclose(activations.relu(np.array([-1.0, 2.0])).numpy(), [0.0, 2.0])


def test_exact_gelu_is_accurate_in_both_tails():
    x = np.linspace(-9.0, 9.0, 3001)
    want = 0.5 * x * _erfc(-x / np.sqrt(2))
    got = activations.gelu(tf.constant(x)).numpy()
    assert np.max(np.abs(got - want)) < 1e-6
    # Relative accuracy too: the far lower tail is tiny but must not be swamped by approximation error.
    assert np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300)) < 1e-6


GRADIENT_CASES = [
    "gelu",
    "gelu_approximate",
    "mish",
    "elu",
    "selu",
    "softplus",
    "silu",
    "softmax",
    "log_softmax",
    "hard_sigmoid",
    "relu_leaky_capped_threshold",
    "log_sigmoid",
]


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_activation_gradient_matches_finite_differences(name):
    fn, _ = CASES[name]
    x0 = sample(np.float64)
    w = rng.standard_normal(x0.shape)

    def loss(v):
        return tf.reduce_sum(fn(v) * w)

    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = loss(x)
    got = tape.gradient(y, x).numpy()
    want = numeric_gradient(lambda v: float(loss(tf.constant(v))), x0)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_relu_rejects_negative_arguments():
    with pytest.raises(ValueError, match="negative_slope"):
        activations.relu(tf.constant([1.0]), negative_slope=-1.0)
    with pytest.raises(ValueError, match="max_value"):
        activations.relu(tf.constant([1.0]), max_value=-1.0)


@pytest.mark.parametrize(
    "name",
    "relu sigmoid softmax log_softmax tanh linear elu selu softplus softsign silu gelu exponential hard_sigmoid "
    "leaky_relu relu6 mish hard_silu log_sigmoid celu hard_tanh".split(),
)
def test_get_and_serialize_round_trip_by_name(name):
    fn = activations.get(name)
    assert fn.__name__ == name
    assert activations.serialize(fn) == name
    assert activations.deserialize(activations.serialize(fn)) is fn
    assert getattr(activations, name) is fn


def test_aliases_none_callables_and_config_dicts():
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.serialize(activations.swish) == "silu"
    assert activations.get(None) is activations.linear

    def custom(x):
        return x

    assert activations.get(custom) is custom
    keras_config = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "gelu",
        "registered_name": "gelu",
    }
    assert activations.get(keras_config) is activations.gelu
    assert keras.activations.relu is activations.relu


def test_unknown_name_raises_listing_valid_names():
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: 'rleu'") as info:
        activations.get("rleu")
    assert "relu" in str(info.value) and "softmax" in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(42)


def test_layer_config_dict_becomes_a_layer_activation():
    fn = activations.get({"class_name": "ReLU", "config": {"max_value": 1.0}})
    np.testing.assert_allclose(fn(tf.constant([-1.0, 0.5, 3.0])).numpy(), [0.0, 0.5, 1.0])


@pytest.mark.parametrize("approximate", [False, True])
def test_tf_nn_gelu_matches_the_formula_and_its_gradient(approximate):
    x = np.linspace(-6.0, 6.0, 301)
    if approximate:
        want = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    else:
        want = 0.5 * x * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x]))
    got = tf.nn.gelu(tf.constant(x), approximate=approximate).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-12)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.reduce_sum(tf.nn.gelu(xt, approximate=approximate))
    grad = tape.gradient(y, xt).numpy()
    want_grad = numeric_gradient(lambda v: tf.nn.gelu(tf.constant(v), approximate=approximate).numpy(), x)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-5, atol=1e-7)
