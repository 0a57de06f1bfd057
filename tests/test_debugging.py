"""tf.debugging: check_numerics, enable_check_numerics (eager and in fit) and how its errors name the layer."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


@pytest.fixture
def numerics_on():
    tf.debugging.enable_check_numerics()
    try:
        yield
    finally:
        tf.debugging.disable_check_numerics()


def _nan_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense"),
                              keras.layers.Dense(2, name="dense_1")], name="sequential")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    kernel, bias = model.layers[1].get_weights()
    kernel[1, 0] = np.nan
    model.layers[1].set_weights([kernel, bias])
    return model


def _data():
    rng = np.random.RandomState(0)
    return rng.rand(32, 4).astype("float32"), rng.rand(32, 2).astype("float32")


def test_check_numerics_raises_with_the_message():
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad logits : Tensor had Inf values"):
        tf.debugging.check_numerics(tf.constant([1.0, np.inf]), "bad logits")
    with pytest.raises(tf.errors.InvalidArgumentError, match="weights look wrong : Tensor had NaN values"):
        tf.debugging.assert_all_finite(tf.constant([np.nan, 1.0], dtype="float64"), "weights look wrong")
    x = tf.constant([[1.0, -2.5]])
    np.testing.assert_array_equal(tf.debugging.check_numerics(x, "fine").numpy(), x.numpy())
    with pytest.raises(TypeError, match="floating-point"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "ints")


def test_check_numerics_in_a_function_and_its_gradient():
    @tf.function
    def f(x):
        return tf.reduce_sum(tf.debugging.check_numerics(x * 2.0, "doubled") ** 2)

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), 20.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="doubled : Tensor had Inf values"):
        f(tf.constant([1.0, np.inf]))
    v = tf.Variable([1.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.debugging.check_numerics(v, "v") ** 2)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0, 6.0])  # identity backward


def test_training_with_checks_names_the_op_layer_and_batch():
    x, y = _data()
    model = _nan_model()  # before the checks are on: assigning a NaN is itself an op that would be caught
    tf.debugging.enable_check_numerics()
    try:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    finally:
        tf.debugging.disable_check_numerics()
    text = str(info.value)
    # The first node whose output holds the NaN: the read of dense_1's kernel, or dense_1's MatMul.
    assert "'sequential/dense_1/" in text
    assert "NaN" in text
    assert "layer 'dense_1'" in text
    assert "batch 0" in text and "epoch 1" in text


def test_training_without_checks_gives_nan_loss():
    x, y = _data()
    model = _nan_model()
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert np.isnan(history.history["loss"][0])


def test_eager_op_with_checks_names_the_op(numerics_on):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Log"):
        tf.math.log(tf.constant([0.0, 1.0]))  # -inf from finite inputs
    np.testing.assert_allclose(tf.math.log(tf.constant([1.0])).numpy(), [0.0])


def test_disable_turns_checks_off():
    tf.debugging.enable_check_numerics()
    assert tf.debugging.is_check_numerics_enabled()
    tf.debugging.disable_check_numerics()
    assert not tf.debugging.is_check_numerics_enabled()
    out = tf.math.log(tf.constant([0.0]))
    assert np.isneginf(out.numpy()[0])


def test_training_errors_get_the_layer_and_epoch_added():
    from ferroflow.debugging import annotate_training_error, layer_of

    model = _nan_model()
    native = ("batch 3: check_numerics: MatMul 'sequential/dense_1/MatMul' produced NaN in its output; "
              "input 1 ('sequential/dense_1/dense_1/kernel/Read') already contained NaN")
    out = annotate_training_error(tf.errors.InvalidArgumentError(native), model, 4)
    assert isinstance(out, tf.errors.InvalidArgumentError)
    assert str(out).startswith(native)  # the native text is kept as it is
    assert "layer 'dense_1' of model 'sequential'" in str(out) and "epoch 5" in str(out)
    read = ("batch 0: check_numerics: ReadVariableOp 'sequential/dense_1/dense_1/kernel/Read' produced NaN in its "
            "output; all its inputs were finite, so this op produced it")
    assert "already held the value before this step" in str(annotate_training_error(
        tf.errors.InvalidArgumentError(read), model, 0))
    assert annotate_training_error(tf.errors.InvalidArgumentError("shapes differ"), model, 0) is None
    assert annotate_training_error(RuntimeError("x"), model, 0) is None
    names = {"dense", "dense_1"}
    assert layer_of("gradients/sequential/dense_1/MatMul_grad/MatMul", names) == "dense_1"
    assert layer_of("sequential/dense/dense/kernel/Read", names) == "dense"
    assert layer_of("SGD/ResourceApplyGradientDescent", names) is None


def test_training_with_checks_names_the_op_that_overflows():
    x, y = _data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense"),
                              keras.layers.Dense(2, name="dense_1")], name="sequential")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    kernel, bias = model.layers[0].get_weights()
    model.layers[0].set_weights([np.full_like(kernel, 1e30), bias])  # finite, but x @ kernel overflows
    tf.debugging.enable_check_numerics()
    try:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            model.fit(x * 1e10, y, batch_size=8, epochs=1, verbose=0)
    finally:
        tf.debugging.disable_check_numerics()
    text = str(info.value)
    assert "MatMul 'sequential/dense/MatMul' produced Inf" in text
    assert "inputs were finite" in text and "layer 'dense' of model 'sequential'" in text
