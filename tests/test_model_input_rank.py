"""Functional and Sequential models take inputs whose rank differs from their ``Input`` by a last axis of size 1,
as Keras 3's do (``(batch,)`` for ``Input(shape=(1,))``, ``(batch, n, 1)`` for ``Input(shape=(n,))``); the
shapes accepted and refused are the ones Keras 3.15 accepts and refuses."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers


def _dense_model(sequential):
    keras.utils.set_random_seed(0)
    if sequential:
        return keras.Sequential([keras.Input((1,)), layers.Dense(2)])
    inputs = keras.Input((1,))
    return keras.Model(inputs, layers.Dense(2)(inputs))


@pytest.mark.parametrize("sequential", [True, False])
def test_missing_last_axis_of_one_is_added(sequential):
    model = _dense_model(sequential)
    x = np.arange(4, dtype="float32")
    want = x[:, None] @ model.layers[-1].kernel.numpy() + model.layers[-1].bias.numpy()
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x[:, None, None], verbose=0), want, rtol=1e-6)  # (4, 1, 1) squeezed
    model.compile(optimizer="sgd", loss="mse")
    loss = model.evaluate(x, np.zeros((4, 2)), verbose=0)
    np.testing.assert_allclose(loss, np.mean(want**2), rtol=1e-5)
    assert model.fit(x, np.zeros((4, 2)), epochs=1, verbose=0).history["loss"][0] == pytest.approx(loss, rel=1e-5)


def test_extra_last_axis_of_one_is_removed_and_other_ranks_are_refused():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    x = np.arange(12, dtype="float32").reshape(4, 3)
    np.testing.assert_allclose(model(x[..., None]).numpy(), model(x).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match=r"expected ndim=2, found ndim=3. Full shape received: \(4, 3, 2\)"):
        model(np.zeros((4, 3, 2), "float32"))
    with pytest.raises(ValueError, match=r"expected ndim=2, found ndim=1"):
        model.predict(np.zeros(4, "float32"), verbose=0)
    with pytest.raises(ValueError, match=r"expected shape=\(None, 3\), found shape=\(4, 1\)"):
        model(np.zeros((4, 1), "float32"))
    column = keras.Input((2, 1))
    flat = keras.Model(column, layers.Flatten()(column))
    assert tuple(flat(np.ones((4, 2), "float32")).shape) == (4, 2)
    assert tuple(flat(np.ones((4, 2, 1, 1), "float32")).shape) == (4, 2)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=1"):
        flat(np.ones(4, "float32"))


def test_several_inputs_are_adjusted_one_by_one():
    a, b = keras.Input((1,)), keras.Input((2,))
    model = keras.Model([a, b], layers.Concatenate()([a, b]))
    out = model.predict([np.ones(3, "float32"), np.zeros((3, 2), "float32")], verbose=0)
    np.testing.assert_array_equal(out, [[1, 0, 0]] * 3)
    model.compile(loss="mse")
    assert model.evaluate([np.ones(3), np.zeros((3, 2))], np.zeros((3, 3)), verbose=0) == pytest.approx(1 / 3)


def test_string_input_of_one_column_takes_a_vector_of_strings():
    inputs = keras.Input((1,), dtype="string")
    lookup = layers.StringLookup(vocabulary=["a", "b"])
    model = keras.Model(inputs, lookup(inputs))
    np.testing.assert_array_equal(model.predict(np.array(["b", "a", "z"]), verbose=0), [[2], [1], [0]])
    np.testing.assert_array_equal(model(tf.constant(["b"])).numpy(), [[2]])
