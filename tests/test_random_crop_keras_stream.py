"""``RandomCrop`` lands where Keras 3 (TensorFlow backend) lands with the same seed: the positions Keras drew
call after call (recorded below from ``keras.layers.RandomCrop(h, w, seed=s)(x, training=True)``), eagerly,
inside ``tf.function``, in a ``tf.data`` map and in ``fit``'s compiled step, and the Philox numbers under them
(``tf.random.stateless_uniform((), seed)``, recorded from TensorFlow)."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.ops._philox import stateless_uniform_scalars

layers = tf.keras.layers

# seed, image (H, W), window (h, w): Keras 3.15's (top, left) on the first 8 training calls
KERAS_POSITIONS = [
    (42, (12, 14), (5, 6), [(2, 4), (7, 0), (7, 0), (4, 5), (6, 7), (2, 6), (4, 1), (7, 0)]),
    (1234567, (40, 33), (3, 4), [(26, 4), (18, 4), (23, 16), (27, 1), (6, 11), (20, 10), (37, 29), (29, 12)]),
    (987654321, (9, 300), (2, 1), [(4, 181), (5, 50), (6, 75), (1, 105), (4, 209), (0, 104), (2, 258), (3, 287)]),
    # a seed above 2**31 - 2: Keras reduces the generator's state modulo 2**31 - 2 before drawing
    (3000000000, (20, 20), (4, 4), [(13, 12), (16, 11), (5, 12), (5, 6), (16, 16), (3, 2), (3, 11), (3, 15)]),
]


def _positions(outputs, width):
    """(top, left) from the first pixel of crops of an image whose pixels hold their own index."""
    return [(int(v) // width, int(v) % width) for v in outputs]


@pytest.mark.parametrize("seed,size,window,want", KERAS_POSITIONS)
def test_positions_follow_keras_stream_eagerly_and_in_tf_function(seed, size, window, want):
    x = np.arange(size[0] * size[1], dtype="float32").reshape(1, *size, 1)
    crop = layers.RandomCrop(*window, seed=seed)
    eager = []
    for i in range(8):
        eager.append(crop(x, training=True).numpy()[0, 0, 0, 0])
        if i == 3:  # inference calls draw nothing: the stream goes on where it was
            np.testing.assert_array_equal(crop(x, training=False).numpy(), x)
    assert _positions(eager, size[1]) == want
    traced = layers.RandomCrop(*window, seed=seed)
    step = tf.function(lambda t: traced(t, training=True))
    assert _positions([step(tf.constant(x)).numpy()[0, 0, 0, 0] for _ in range(8)], size[1]) == want


def test_channels_first_unbatched_and_batched_inputs_share_the_stream():
    seed, (H, W), (h, w), want = KERAS_POSITIONS[0]
    image = np.arange(H * W, dtype="float32").reshape(H, W)
    batch = np.stack([image, image + 1000.0])[:, None]  # (2, 1, H, W), channels first
    crop = layers.RandomCrop(h, w, seed=seed, data_format="channels_first")
    for top, left in want[:4]:
        out = crop(batch, training=True).numpy()
        np.testing.assert_array_equal(out, batch[:, :, top : top + h, left : left + w])  # one window per batch
    single = layers.RandomCrop(h, w, seed=seed)
    for top, left in want[:4]:
        np.testing.assert_array_equal(single(image[..., None]).numpy()[..., 0], image[top : top + h, left : left + w])


def test_a_data_pipeline_draws_per_batch_from_the_same_stream():
    seed, (H, W), (h, w), want = KERAS_POSITIONS[0]
    images = np.arange(4 * H * W, dtype="float32").reshape(4, H, W, 1)
    crop = layers.RandomCrop(h, w, seed=seed)
    ds = tf.data.Dataset.from_tensor_slices(images).batch(2).map(lambda b: crop(b, training=True))
    firsts = [b.numpy()[:, 0, 0, 0] for b in ds]
    for (top, left), got, start in zip(want, firsts, (0, 2)):
        np.testing.assert_array_equal(got, images[start : start + 2, top, left, 0])


def test_fit_trains_on_keras_crops():
    """A Sequential of RandomCrop(5, 6, seed=3), Flatten and Dense(1), fitted 2 epochs of 4 batches with
    SGD(0.05) from the same weights, ends on Keras 3's weights: every batch was cut where Keras cut it."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 8, 9, 1)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")
    kernel = (rng.normal(size=(30, 1)) * 0.1).astype("float32")
    model = tf.keras.Sequential(
        [tf.keras.Input((8, 9, 1)), layers.RandomCrop(5, 6, seed=3), layers.Flatten(), layers.Dense(1)]
    )
    model.set_weights([kernel, np.zeros(1, "float32")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    keras_kernel = [
        -0.0088978, 0.1853145, 0.3077423, 0.0597176, 0.0924374, 0.0447269, -0.0190908, -0.0054736, 0.007796,
        0.0944113, 0.062403, -0.0247357, 0.0707539, 0.2453732, 0.002357, 0.1539712, -0.1487989, 0.2811546,
        0.055492, -0.0913503, 0.1418741, 0.0119347, 0.04419, -0.139123, -0.0224099, 0.0240456, 0.0080841,
        0.0714989, -0.1216112, -0.1981118,
    ]  # fmt: skip
    np.testing.assert_allclose(model.get_weights()[0][:, 0], keras_kernel, atol=5e-7)
    np.testing.assert_allclose(model.get_weights()[1], [-0.045747656], rtol=1e-6)
    np.testing.assert_array_equal(model.layers[0]._seed_state.numpy(), [3, 16])  # 8 calls, 2 draws each


def test_philox_scalars_are_tensorflows():
    seeds = np.array([[42, 0], [42, 1], [7, 3], [2147483645, 2147483645]])
    want = np.array([0.2824331521987915, 0.5280030965805054, 0.9818005561828613, 0.18683481216430664], "float32")
    np.testing.assert_array_equal(stateless_uniform_scalars(seeds).numpy(), want)  # NumPy path (known seeds)
    traced = tf.function(lambda s: stateless_uniform_scalars(s))(tf.constant(seeds))  # graph ops
    np.testing.assert_array_equal(traced.numpy(), want)


def test_seed_state_is_not_a_weight_and_config_keeps_the_seed():
    crop = layers.RandomCrop(3, 3, seed=11)
    crop(np.zeros((1, 6, 6, 1), "float32"))
    assert crop.weights == [] and crop.get_config()["seed"] == 11
    drawn = layers.RandomCrop(3, 3)  # as Keras: a random seed, reported so the layer can be rebuilt
    assert isinstance(drawn.get_config()["seed"], int) and 1 <= drawn.get_config()["seed"] <= 10**9
    again = layers.RandomCrop.from_config(drawn.get_config())
    x = np.arange(100, dtype="float32").reshape(1, 10, 10, 1)
    np.testing.assert_array_equal(again(x).numpy(), drawn(x).numpy())
    with pytest.raises(ValueError, match="`seed` must be an integer"):
        layers.RandomCrop(3, 3, seed="7")
