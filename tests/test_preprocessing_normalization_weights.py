"""``keras.layers.Normalization`` without given ``mean``/``variance`` holds Keras 3's three non-trainable weights
(``mean``, ``variance``, ``count``): counted by ``count_params``, set by ``adapt``, ``set_weights`` and weight
files, and read by the layer's call (also inside a compiled function)."""

import numpy as np

import ferroflow as tf

L = tf.keras.layers


def test_weights_as_keras3():
    layer = L.Normalization(axis=3, name="normalization")
    layer.build((None, 8, 8, 3))
    # Keras 3: [('normalization/mean', (3,), 'float32', False), ('normalization/variance', (3,), 'float32', False),
    #           ('normalization/count', (), 'int64', False)]
    assert [(w.path, tuple(w.shape), w.dtype.name, w.trainable) for w in layer.weights] == [
        ("normalization/mean", (3,), "float32", False),
        ("normalization/variance", (3,), "float32", False),
        ("normalization/count", (), "int64", False),
    ]
    assert layer.count_params() == 7 and not layer.trainable_weights
    given = L.Normalization(axis=-1, mean=[1.0, 2.0], variance=[4.0, 9.0])
    given.build((None, 2))
    assert given.weights == []


def test_adapt_and_set_weights_drive_the_call():
    x = np.random.default_rng(0).normal(3.0, 2.0, (64, 4)).astype(np.float32)
    layer = L.Normalization()
    layer.adapt(x)
    np.testing.assert_allclose(layer.weights[0].numpy(), x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(layer(x).numpy(), (x - x.mean(0)) / x.std(0), rtol=1e-4, atol=1e-5)
    inputs = tf.keras.Input((4,))
    model = tf.keras.Model(inputs, L.Normalization()(inputs))
    assert model.count_params() == 9
    model.set_weights([np.full(4, 1.0, np.float32), np.full(4, 4.0, np.float32), np.asarray(5, np.int64)])
    np.testing.assert_allclose(model.predict(x, verbose=0), (x - 1.0) / 2.0, rtol=1e-6)
    np.testing.assert_allclose(tf.function(model)(x).numpy(), (x - 1.0) / 2.0, rtol=1e-6)
    np.testing.assert_allclose(model.layers[1].mean, np.ones((1, 4)))
