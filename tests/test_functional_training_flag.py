"""The training flag of layers in a functional model, as Keras 3 resolves it.

A layer called with ``training=`` while the model is built keeps that flag when the model is called with
``training=None``; a model called with ``training=True/False`` (and fit, evaluate, predict, which do so)
overrides it for every layer, nested models included.
"""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers

X = np.ones((32, 16), "float32")


def _dropout_model(training):
    """Identity Dense (so fit has weights to train) then Dropout(0.5) called with ``training``."""
    inputs = keras.Input((16,))
    hidden = layers.Dense(16, kernel_initializer="identity", use_bias=False)(inputs)
    model = keras.Model(inputs, layers.Dropout(0.5)(hidden, training=training))
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(0.0))
    return model


def _dropped(out) -> bool:
    """Whether dropout ran: on ones, kept entries are 2 and dropped ones 0 (else all stay 1)."""
    out = np.asarray(out)
    if np.array_equal(out, X):
        return False
    assert set(np.unique(out)) <= {0.0, 2.0}
    return True


@pytest.mark.parametrize("built_with", [True, False])
def test_the_model_flag_overrides_the_one_given_at_build(built_with):
    model = _dropout_model(built_with)
    assert _dropped(model(X)) is built_with  # training=None: the flag given at build stays
    assert _dropped(model(X, training=True)) is True
    assert _dropped(model(X, training=False)) is False
    assert _dropped(model.predict(X, verbose=0)) is False
    assert _dropped(model.predict_on_batch(X)) is False


@pytest.mark.parametrize("built_with", [True, False])
def test_fit_trains_and_evaluate_infers_whatever_the_built_flag(built_with):
    model = _dropout_model(built_with)
    # MSE against the ones: dropout gives 0 or 2, an error of exactly 1 per entry; inference gives 0.
    history = model.fit(X, X, batch_size=32, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(1.0)
    assert float(np.ravel(model.train_on_batch(X, X))[0]) == pytest.approx(1.0)
    assert model.evaluate(X, X, verbose=0) == pytest.approx(0.0)
    assert float(np.ravel(model.test_on_batch(X, X))[0]) == pytest.approx(0.0)


def test_the_flag_reaches_a_nested_model_called_with_its_own():
    inner_in = keras.Input((16,))
    inner = keras.Model(inner_in, layers.Dropout(0.5)(inner_in))
    outer_in = keras.Input((16,))
    frozen = keras.Model(outer_in, inner(outer_in, training=False))
    active = keras.Model(outer_in, inner(outer_in, training=True))
    assert _dropped(frozen(X)) is False
    assert _dropped(frozen(X, training=True)) is True
    assert _dropped(active(X)) is True
    assert _dropped(active(X, training=False)) is False

    @tf.function
    def traced(x):
        return frozen(x, training=True), active(x, training=False)

    on, off = traced(tf.constant(X))
    assert _dropped(on) is True and _dropped(off) is False


@pytest.mark.parametrize("base_trainable", [True, False])
def test_batch_norm_built_with_training_false_under_fit(base_trainable):
    """The transfer-learning pattern ``base(x, training=False)``: fit overrides the flag, so a trainable
    base updates its moving statistics; a frozen one (trainable=False) runs in inference mode anyway."""
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((32, 4)) * 3 + 5).astype("float32")
    y = rng.standard_normal((32, 1)).astype("float32")
    base_in = keras.Input((4,))
    bn = layers.BatchNormalization()
    base = keras.Model(base_in, bn(base_in))
    base.trainable = base_trainable
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(1)(base(inputs, training=False)))
    model.compile(loss="mse", optimizer="sgd")
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    want = 0.01 * x.mean(axis=0) if base_trainable else np.zeros(4)  # momentum 0.99, one step from 0
    np.testing.assert_allclose(np.asarray(bn.moving_mean), want, rtol=1e-4, atol=1e-6)
