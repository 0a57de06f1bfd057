"""keras.optimizers.Ftrl, tf.compat.v1.train.AdagradOptimizer / FtrlOptimizer and tf.compat.v1.metrics.auc.

Reference numbers come from TensorFlow 2.21 / Keras 3.15 runs of the same steps, pasted here.
"""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
W0 = np.array([0.5, -1.0, 2.0], np.float32)
GRADS = [
    np.array([0.1, -0.3, 0.7], np.float32),
    np.array([-0.2, 0.4, 0.05], np.float32),
    np.array([0.3, 0.3, -0.6], np.float32),
]
FTRL_ARGS = dict(
    learning_rate=0.2,
    learning_rate_power=-0.5,
    initial_accumulator_value=0.1,
    l1_regularization_strength=0.01,
    l2_regularization_strength=0.02,
    l2_shrinkage_regularization_strength=0.03,
    beta=0.1,
)
# Keras 3.15 and tf.compat.v1.train.FtrlOptimizer give these weights after the three steps.
TF_FTRL = [-0.057848647236824036, -0.2715899646282196, 0.9208277463912964]
TF_V1_ADAGRAD = [0.4001859426498413, -1.134234070777893, 1.9046176671981812]


def numpy_ftrl(w, grads, lr, power, init, l1, l2, shrink, beta):
    n = np.full_like(w, init, dtype=np.float64)
    z = np.zeros_like(w, dtype=np.float64)
    w = w.astype(np.float64)
    for g in grads:
        g = g.astype(np.float64)
        n_new = n + g * g
        sigma = (n_new ** (-power) - n ** (-power)) / lr
        z += g + 2 * shrink * w - sigma * w
        quadratic = n_new ** (-power) / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quadratic
        n = n_new
    return w


def test_keras_ftrl_matches_tensorflow_and_the_formula():
    v = tf.Variable(W0)
    opt = tf.keras.optimizers.Ftrl(**FTRL_ARGS)
    for g in GRADS:
        opt.apply([tf.constant(g)], [v])
    np.testing.assert_allclose(v.numpy(), TF_FTRL, rtol=1e-6)
    expected = numpy_ftrl(W0, GRADS, 0.2, -0.5, 0.1, 0.01, 0.02, 0.03, 0.1)
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert [s.name.rsplit("_", 1)[-1] for s in opt.variables[2:]] == ["accumulator", "linear"]


def test_keras_ftrl_inside_tf_function_equals_eager():
    eager, traced = tf.Variable(W0), tf.Variable(W0)
    opt_eager, opt_traced = tf.keras.optimizers.Ftrl(**FTRL_ARGS), tf.keras.optimizers.Ftrl(**FTRL_ARGS)

    @tf.function
    def step(g):
        opt_traced.apply([g], [traced])

    for g in GRADS:
        opt_eager.apply([tf.constant(g)], [eager])
        step(tf.constant(g))
    np.testing.assert_allclose(traced.numpy(), eager.numpy(), rtol=1e-6)


def test_keras_ftrl_trains_a_compiled_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0], np.float32)).reshape(-1, 1)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="ftrl", loss="mse")
    assert isinstance(model.optimizer, tf.keras.optimizers.Ftrl)
    model.optimizer.learning_rate = 0.5
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]


def test_keras_ftrl_config_round_trip_and_errors():
    tf.keras.backend.clear_session()  # Keras 3 names optimizers uniquely in the session: the first is "ftrl"
    opt = tf.keras.optimizers.Ftrl(**FTRL_ARGS)
    config = opt.get_config()
    assert config["name"] == "ftrl"
    assert config["l1_regularization_strength"] == 0.01 and config["beta"] == 0.1
    again = tf.keras.optimizers.Ftrl.from_config(config)
    assert again.get_config() == config
    assert isinstance(tf.keras.optimizers.get("Ftrl"), tf.keras.optimizers.Ftrl)
    with pytest.raises(ValueError, match="`learning_rate_power` needs to be negative or zero"):
        tf.keras.optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="`l1_regularization_strength` needs to be positive or zero"):
        tf.keras.optimizers.Ftrl(l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="`initial_accumulator_value` needs to be positive or zero"):
        tf.keras.optimizers.Ftrl(initial_accumulator_value=-0.1)


@pytest.mark.parametrize(
    "name,make,expected,slots",
    [
        (
            "adagrad",
            lambda: v1.train.AdagradOptimizer(0.3, initial_accumulator_value=0.2),
            TF_V1_ADAGRAD,
            ["w/Adagrad"],
        ),
        (
            "ftrl",
            lambda: v1.train.FtrlOptimizer(
                0.2,
                l1_regularization_strength=0.01,
                l2_regularization_strength=0.02,
                l2_shrinkage_regularization_strength=0.03,
                beta=0.1,
            ),
            TF_FTRL,
            ["w/Ftrl", "w/Ftrl_1"],
        ),
    ],
)
def test_v1_optimizers_in_a_session_match_tensorflow(name, make, expected, slots):
    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=W0)
        g = v1.placeholder(tf.float32, [3])
        step = v1.train.get_or_create_global_step()
        op = make().minimize(tf.reduce_sum(w * g), global_step=step)
        names = {v.op.name for v in v1.global_variables()}
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for gi in GRADS:
                sess.run(op, {g: gi})
            np.testing.assert_allclose(sess.run(w), expected, rtol=1e-6)
            assert sess.run(step) == 3
    assert set(slots) <= names  # TF1's slot names, so a Saver checkpoints them


def test_v1_adagrad_is_the_numpy_rule():
    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=W0)
        g = v1.placeholder(tf.float32, [3])
        op = v1.train.AdagradOptimizer(0.3).minimize(tf.reduce_sum(w * g))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for gi in GRADS:
                sess.run(op, {g: gi})
            got = sess.run(w)
    acc, ref = np.full(3, 0.1), W0.astype(np.float64)
    for gi in GRADS:
        acc += gi.astype(np.float64) ** 2
        ref -= 0.3 * gi / np.sqrt(acc)
    np.testing.assert_allclose(got, ref, rtol=1e-5)


def test_v1_optimizer_argument_errors():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        v1.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="learning_rate_power 0.500000 needs to be negative or zero"):
        v1.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l2_regularization_strength -1.000000 needs to be positive or zero"):
        v1.train.FtrlOptimizer(0.1, l2_regularization_strength=-1.0)
    assert "AdagradOptimizer" in dir(v1.train) and "FtrlOptimizer" in dir(v1.train)
