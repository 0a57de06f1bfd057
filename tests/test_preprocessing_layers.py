"""Image preprocessing layers: values against NumPy, training-only randomness, adapt, configs."""

import numpy as np

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(5)


def test_rescaling_resizing_center_crop():
    x = RNG.integers(0, 256, (2, 8, 6, 3)).astype("uint8")
    np.testing.assert_allclose(layers.Rescaling(1 / 255.0)(x).numpy(), x / 255.0, rtol=1e-6)
    np.testing.assert_allclose(layers.Rescaling(2.0, offset=-1.0)(x).numpy(), x * 2.0 - 1.0, rtol=1e-6)
    resized = layers.Resizing(4, 3)(x)
    np.testing.assert_allclose(resized.numpy(), tf.image.resize(x.astype("float32"), [4, 3]).numpy(), rtol=1e-6)
    cropped = layers.Resizing(4, 4, crop_to_aspect_ratio=True)(x)  # the centred 6x6 window, then 4x4
    want = tf.image.resize(x[:, 1:7].astype("float32"), [4, 4]).numpy()
    np.testing.assert_allclose(cropped.numpy(), want, rtol=1e-6)
    np.testing.assert_array_equal(layers.CenterCrop(4, 2)(x).numpy(), x[:, 2:6, 2:4].astype("float32"))
    grown = layers.CenterCrop(10, 10)(x)
    assert grown.shape == (2, 10, 10, 3)
    assert layers.Resizing(5, 7).compute_output_shape((None, 8, 6, 3)) == (None, 5, 7, 3)


def test_normalization_adapt_and_invert():
    data = RNG.standard_normal((100, 4)).astype("float32") * [1, 2, 3, 4] + [5, 6, 7, 8]
    norm = layers.Normalization()
    norm.adapt(data)
    out = norm(data).numpy()
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(0), 1, rtol=1e-4)
    back = layers.Normalization(mean=data.mean(0), variance=data.var(0), invert=True)(out)
    np.testing.assert_allclose(back.numpy(), data, rtol=1e-4, atol=1e-4)
    images = RNG.random((10, 5, 5, 3)).astype("float32")
    per_channel = layers.Normalization(axis=-1)
    per_channel.adapt(tf.data.Dataset.from_tensor_slices(images).batch(4))
    np.testing.assert_allclose(per_channel(images).numpy().mean(axis=(0, 1, 2)), 0, atol=1e-5)
    # never adapted: Keras 3 builds it with mean 0 and variance 1 (the identity), as a saved model reloads it
    np.testing.assert_array_equal(layers.Normalization()(data).numpy(), data.astype("float32"))


def test_random_flip_and_contrast_only_while_training():
    x = RNG.random((64, 4, 5, 3)).astype("float32") * 255
    flip = layers.RandomFlip("horizontal", seed=1)
    np.testing.assert_array_equal(flip(x, training=False).numpy(), x)
    y = flip(x, training=True).numpy()
    same = [np.array_equal(y[i], x[i]) for i in range(64)]
    mirrored = [np.array_equal(y[i], x[i, :, ::-1]) for i in range(64)]
    assert all(a or b for a, b in zip(same, mirrored)) and 10 < sum(mirrored) < 54  # per image, about half
    both = layers.RandomFlip(seed=2)(x, training=True).numpy()
    kinds = {
        (np.array_equal(both[i], x[i]), np.array_equal(both[i], x[i, ::-1]), np.array_equal(both[i], x[i, :, ::-1]))
        for i in range(64)
    }
    assert len(kinds) >= 3
    contrast = layers.RandomContrast(0.5, seed=3)
    np.testing.assert_array_equal(contrast(x, training=False).numpy(), x)
    c = contrast(x, training=True).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    factors = ((c - mean) / (x - mean))[:, 0, 0, 0]
    unclipped = (c > 0) & (c < 255)
    assert np.all(unclipped.reshape(64, -1).any(axis=1))
    # Keras 3: one number f draws contrast factors in [1, 1 + f].
    assert np.all((factors > 1.0 - 1e-3) & (factors < 1.5 + 1e-3))
    assert c.min() >= 0 and c.max() <= 255


def test_augmentation_in_a_model_runs_in_fit_and_not_in_predict():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 1)),
            layers.RandomFlip("horizontal", seed=4),
            layers.Rescaling(1 / 255.0),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    x = RNG.integers(0, 256, (32, 8, 8, 1)).astype("float32")
    model.fit(x, RNG.integers(0, 2, 32), epochs=1, verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(x, verbose=0))
    for layer in [
        layers.Rescaling(0.5, 1.0),
        layers.Resizing(3, 4),
        layers.CenterCrop(2, 2),
        layers.RandomFlip("vertical"),
    ]:
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
