"""Bad arguments to layer constructors, optimizers and ``compile``: a ``ValueError``/``TypeError`` that lists the
valid choices or names the bad value."""

import numpy as np
import pytest

import ferroflow as tf


@pytest.mark.parametrize("units", [0, -3, 2.5, None, "3"])
def test_dense_units(units):
    with pytest.raises(ValueError, match=rf"expected a positive integer. Received: units={units}"):
        tf.keras.layers.Dense(units)


@pytest.mark.parametrize("rate", [1.5, -0.1, float("nan"), "x"])
def test_dropout_rate(rate):
    with pytest.raises(ValueError, match=r"Expected a float value between 0 and 1. Received: rate="):
        tf.keras.layers.Dropout(rate)


@pytest.mark.parametrize("shape, found", [((-3,), "-3"), ("abc", "'abc'"), (3.5, "3.5"), ((2, "a"), "'a'")])
def test_input_shape(shape, found):
    with pytest.raises(ValueError, match=rf"Cannot convert .*{found}.* to a shape"):
        tf.keras.Input(shape)


@pytest.mark.parametrize("target", [(-2,), ("a",), (-1, -1)])
def test_reshape_target(target):
    with pytest.raises(ValueError, match="target_shape"):
        tf.keras.layers.Reshape(target)


def test_reshape_size_mismatch_names_both_sizes():
    with pytest.raises(ValueError, match=r"input_shape = \[20\], output_shape = \[7\]"):
        tf.keras.layers.Reshape((7,))(np.zeros((2, 20), "float32"))


@pytest.mark.parametrize("kwargs, words", [
    ({"learning_rate": -1.0}, "non-negative finite number. Received: -1.0"),
    ({"learning_rate": float("nan")}, "non-negative finite number. Received: nan"),
    ({"learning_rate": "fast"}, "Received instead: learning_rate='fast'"),
    ({"momentum": 2.0}, r"between \[0, 1\]. Received: momentum=2.0"),
    ({"clipnorm": -1.0}, "clipnorm=-1.0"),
])
def test_optimizer_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        tf.keras.optimizers.SGD(**kwargs)


def _model():
    return tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])


def test_unknown_optimizer_lists_valid_names():
    names = (
        r"\['adadelta', 'adafactor', 'adagrad', 'adam', 'adamax', 'adamw', 'ftrl', 'lamb', 'lion', "
        r"'lossscaleoptimizer', 'muon', 'nadam', 'rmsprop', 'schedulefreeadamw', 'sgd'\]"
    )
    with pytest.raises(ValueError, match=r"'adamm'. Expected one of " + names):
        _model().compile("adamm", "mse")


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match=r"loss identifier: 'msee'. Expected one of: .*MeanSquaredError.*"):
        _model().compile("adam", "msee")


def test_unknown_metric_lists_valid_names():
    with pytest.raises(ValueError, match=r"metric identifier: 'acuracy'. Expected one of: .*Accuracy.*"):
        _model().compile("adam", "mse", metrics=["acuracy"])


def test_a_metric_that_is_not_a_name_object_or_function_is_refused():
    with pytest.raises(ValueError, match=r"metric identifier: 3\. Expected a metric name"):
        _model().compile("adam", "mse", metrics=[3])


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"identifier: 'relux'. Expected one of \[.*'relu'.*'sigmoid'"):
        tf.keras.layers.Dense(3, activation="relux")


def test_unknown_initializer_lists_valid_names():
    with pytest.raises(ValueError, match=r"initializer identifier: 'foo'. Expected one of \[.*'GlorotUniform'"):
        tf.keras.layers.Dense(3, kernel_initializer="foo")


@pytest.mark.parametrize("kwargs, error, words", [
    ({"optimizer": 3, "loss": "mse"}, ValueError, "optimizer identifier: 3"),
    ({"optimizer": "adam", "loss": 3}, ValueError, "loss identifier: 3"),
    ({"optimizer": "adam", "loss": "mse", "metrics": "accuracy"}, TypeError, "metrics='accuracy' of type str"),
])
def test_compile_argument_types(kwargs, error, words):
    with pytest.raises(error, match=words):
        _model().compile(**kwargs)


def test_verbose_out_of_range():
    model = _model()
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r'`verbose` must be "auto", 0, 1 or 2. Received: verbose=5'):
        model.fit(np.zeros((2, 4)), np.zeros((2, 2)), verbose=5)


def test_loss_rank_mismatch_names_both_shapes():
    model = _model()
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=r"target.shape=\(None,\), output.shape=\(None, 2\)"):
        model.fit(np.zeros((2, 4)), np.zeros(2), verbose=0)


def test_regression_target_shape_mismatch_names_both_shapes():
    model = _model()
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"\(None, 5\) and \(None, 2\) cannot be broadcast"):
        model.fit(np.zeros((2, 4)), np.zeros((2, 5)), verbose=0)
