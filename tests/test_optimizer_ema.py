"""Weight averaging of the Keras optimizers (``use_ema``): the averages against Keras's formula written out in
NumPy, eagerly, inside ``tf.function`` and in a compiled ``fit`` (whose end copies the averages onto the
weights), the overwrite every ``ema_overwrite_frequency`` steps, the variables' order, configs and errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.optimizers._keras_order import keras_variables

RNG = np.random.default_rng(5)
W0 = RNG.standard_normal((3, 4))
GRADS = [RNG.standard_normal((3, 4)) for _ in range(7)]


def numpy_sgd_ema(lr, momentum, frequency=None):
    """Keras's steps: the update, then ``average = m * average + (1 - m) * w`` with ``m = 0`` on the first
    step, then the copy onto ``w`` when ``(step + 1) % frequency == 0``; returns (w, average) after each."""
    w, average, out = W0.copy(), np.zeros_like(W0), []
    lr = float(np.float32(lr))  # the learning rate is a float32 variable
    for step, g in enumerate(GRADS):
        w = w - lr * g
        m = momentum if step else 0.0
        average = m * average + (1 - m) * w
        if frequency and (step + 1) % frequency == 0:
            w = average.copy()
        out.append((w.copy(), average.copy()))
    return out


@pytest.mark.parametrize("frequency", [None, 3])
def test_averages_follow_keras_formula_eagerly_and_in_tf_function(frequency):
    want = numpy_sgd_ema(0.1, 0.8, frequency)
    eager, traced = tf.Variable(W0), tf.Variable(W0)
    opt_eager = tf.keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=frequency)
    opt_traced = tf.keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=frequency)
    step = tf.function(lambda g: opt_traced.apply([g], [traced]))
    for g, (w, average) in zip(GRADS, want):
        opt_eager.apply([tf.constant(g)], [eager])
        step(tf.constant(g))
        for var, opt in [(eager, opt_eager), (traced, opt_traced)]:
            np.testing.assert_allclose(var.numpy(), w, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(opt._model_variables_moving_average[0].numpy(), average, rtol=1e-12)
    assert int(opt_traced.iterations.numpy()) == len(GRADS)
    opt_eager.finalize_variable_values([eager])
    np.testing.assert_allclose(eager.numpy(), want[-1][1], rtol=1e-12)


def test_compiled_fit_trains_with_averages_and_ends_on_them():
    """Linear regression with SGD: NumPy's steps (MSE gradients of each batch of 8), the averages and, as
    Keras's fit ends, the weights set to the averages."""
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 6)), rng.random((32, 1))
    w, b, avg_w, avg_b = np.ones((6, 1)), np.zeros(1), None, None
    for step in range(8):  # 2 epochs of 4 batches, in order
        xb, yb = x[(step % 4) * 8 : (step % 4 + 1) * 8], y[(step % 4) * 8 : (step % 4 + 1) * 8]
        error = 2 * (xb @ w + b - yb) / len(xb)
        w, b = w - 0.05 * (xb.T @ error), b - 0.05 * error.sum(0)
        m = 0.5 if step else 0.0
        avg_w = w if avg_w is None else m * avg_w + (1 - m) * w
        avg_b = b if avg_b is None else m * avg_b + (1 - m) * b
    model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(tf.keras.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.5), "mse")
    model.fit(x.astype("float32"), y.astype("float32"), batch_size=8, epochs=2, shuffle=False, verbose=0)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(kernel, avg_w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias, avg_b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(avg_w, w, atol=1e-4)  # the averages are not the last weights
    assert int(model.optimizer.iterations.numpy()) == 8


def test_the_averages_come_first_and_keras_orders_the_slots_per_variable():
    a, b = tf.Variable(np.zeros((2, 3)), name="a"), tf.Variable(np.zeros(3), name="b")
    opt = tf.keras.optimizers.Adam(amsgrad=True, use_ema=True)
    opt.build([a, b])
    assert list(map(id, keras_variables(opt))) == list(map(id, opt.variables))
    # Keras 3.15: the averages, then (momentum, velocity) of each variable in turn, then the velocity_hats
    assert [v.name for v in opt.variables] == [
        "iteration", "learning_rate", "a_0_average", "b_0_average", "a_0_momentum", "a_0_velocity",
        "b_0_momentum", "b_0_velocity", "a_0_velocity_hat", "b_0_velocity_hat",
    ]  # fmt: skip


def test_configs_round_trip_and_bad_arguments_are_keras_errors():
    opt = tf.keras.optimizers.AdamW(use_ema=True, ema_momentum=0.95, ema_overwrite_frequency=10)
    config = opt.get_config()
    assert (config["use_ema"], config["ema_momentum"], config["ema_overwrite_frequency"]) == (True, 0.95, 10)
    assert tf.keras.optimizers.AdamW.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`ema_momentum` must be in the range \[0, 1\]. Received: ema_momentum=1.5"):
        tf.keras.optimizers.SGD(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="`ema_overwrite_frequency` must be an integer >= 1 or None"):
        tf.keras.optimizers.RMSprop(use_ema=True, ema_overwrite_frequency=0.5)
    tf.keras.optimizers.SGD(use_ema=False, ema_momentum=1.5)  # checked only when averaging, as in Keras
    opt = tf.keras.optimizers.SGD(use_ema=True)
    opt.build([tf.Variable(np.zeros(2))])
    with pytest.raises(ValueError, match=r"length of model variables \(2\) to override does not match"):
        opt.finalize_variable_values([tf.Variable(np.zeros(2)), tf.Variable(np.zeros(2))])
