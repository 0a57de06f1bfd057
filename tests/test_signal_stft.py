"""``tf.signal.frame``, ``overlap_and_add``, ``stft`` and ``inverse_stft`` against TensorFlow 2.21's values
(float32 and float64, eagerly and in ``tf.function``), their gradients against finite differences (float64),
reconstruction, unknown sizes in graphs, TensorFlow's errors for bad arguments, and the spectrograms of
TensorFlow's Simple audio recognition tutorial feeding a small Conv2D model through ``fit``."""

import numpy as np
import pytest

import ferroflow as tf
from complex_gradcheck import crandn, finite_difference, real_loss, tape_gradient, weights_for
from gradcheck import check_gradient
from signal_cases import check_case, load, spectrogram, tone

CASES, INPUTS, EXPECTED = load("stft.npz")
RNG = np.random.default_rng(11)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("key,fn,args", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(key, fn, args, dtype):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/{dtype}"], dtype)


@pytest.mark.parametrize("key,fn,args", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow_in_tf_function(key, fn, args):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/float32"], "float32", traced=True)


def test_frame_examples_and_shapes():
    x = tf.constant(np.arange(10.0))
    np.testing.assert_array_equal(tf.signal.frame(x, 3, 2).numpy(), [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]])
    padded = tf.signal.frame(x, 3, 2, pad_end=True, pad_value=-1.0).numpy()
    np.testing.assert_array_equal(padded[-1], [8, 9, -1])
    audio = tf.zeros([3, 9152])
    assert tf.signal.frame(audio, 512, 180).shape == (3, 49, 512)
    assert tf.signal.frame(audio, 512, 180, pad_end=True).shape == (3, 51, 512)
    ints = tf.signal.frame(tf.range(10), 3, 2, pad_end=True, pad_value=-1)
    assert ints.dtype == tf.int32 and ints.numpy()[-1].tolist() == [8, 9, -1]
    assert tf.signal.frame(x, 20, 1).shape == (0, 20)
    assert tf.signal.frame(x, 20, 3, pad_end=True).shape == (4, 20)
    assert tf.signal.frame(x, 0, 1).shape == (11, 0)
    assert tf.signal.overlap_and_add(tf.ones([0, 4]), 2).shape == (2,)


@pytest.mark.parametrize("pad_end", [False, True])
def test_frame_of_unknown_length_in_graph(pad_end):
    x = RNG.standard_normal((2, 23))

    @tf.function(input_signature=[tf.TensorSpec([2, None], tf.float64)])
    def f(s):
        out = tf.signal.frame(s, 5, 3, pad_end=pad_end, pad_value=7.0)
        assert out.shape.as_list() == [2, None, 5]
        return out

    want = tf.signal.frame(tf.constant(x), 5, 3, pad_end=pad_end, pad_value=7.0).numpy()
    np.testing.assert_array_equal(f(tf.constant(x)).numpy(), want)
    np.testing.assert_array_equal(f(tf.constant(x[:, :4])).numpy().shape, (2, 2 if pad_end else 0, 5))


def test_stft_and_inverse_with_unknown_batch_in_graph():
    x = RNG.standard_normal((3, 200))

    @tf.function(input_signature=[tf.TensorSpec([None, 200], tf.float32)])
    def roundtrip(s):
        spec = tf.signal.stft(s, 64, 16)
        assert spec.shape.as_list() == [None, 9, 33]
        window = tf.signal.inverse_stft_window_fn(16)
        return tf.signal.inverse_stft(spec, 64, 16, window_fn=window)

    got = roundtrip(tf.constant(x, tf.float32)).numpy()
    assert got.shape == (3, 192)
    # Samples covered by four overlapping frames are reconstructed exactly.
    np.testing.assert_allclose(got[:, 48:144], x[:, 48:144], atol=1e-5)


def test_stft_and_inverse_of_unknown_length_in_graph():
    x = RNG.standard_normal(1000)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float64)])
    def roundtrip(s):
        spec = tf.signal.stft(s, 400, 160)
        assert spec.shape.as_list() == [None, 257]
        back = tf.signal.inverse_stft(spec, 400, 160, window_fn=tf.signal.inverse_stft_window_fn(160))
        assert back.shape.as_list() == [None]
        return back

    back = roundtrip(tf.constant(x)).numpy()
    assert back.shape == (880,)
    np.testing.assert_allclose(back[240:640], x[240:640], atol=1e-12)
    assert roundtrip(tf.constant(x[:700])).shape == (560,)  # two frames


@pytest.mark.parametrize("window", [tf.signal.hann_window, tf.signal.hamming_window, tf.signal.vorbis_window])
def test_inverse_stft_reconstructs_the_signal(window):
    x = RNG.standard_normal((2, 1000))
    spec = tf.signal.stft(tf.constant(x), 400, 160, window_fn=window)
    back = tf.signal.inverse_stft(
        spec, 400, 160, window_fn=tf.signal.inverse_stft_window_fn(160, forward_window_fn=window)
    ).numpy()
    assert back.dtype == np.float64 and back.shape == (2, 880)
    # Samples 240 .. 639 lie under every frame that overlaps them (frames 0 .. 3): reconstructed exactly.
    np.testing.assert_allclose(back[:, 240:640], x[:, 240:640], atol=1e-12)


def test_frame_gradient():
    x = RNG.standard_normal((2, 9))
    check_gradient(lambda s: tf.signal.frame(s, 4, 2), x)
    check_gradient(lambda s: tf.signal.frame(s, 4, 3, pad_end=True, pad_value=2.0), x)
    check_gradient(lambda s: tf.signal.frame(s, 2, 1, axis=0), x)


def test_overlap_and_add_gradient():
    frames = RNG.standard_normal((2, 4, 6))
    for step in (1, 2, 4, 6, 8):
        check_gradient(lambda f, step=step: tf.signal.overlap_and_add(f, step), frames)


@pytest.mark.parametrize("kwargs", [{}, {"fft_length": 12, "pad_end": True}, {"window_fn": None, "fft_length": 20}])
def test_stft_gradient(kwargs):
    x = RNG.standard_normal((2, 40))
    w = weights_for(tuple(tf.signal.stft(tf.constant(x), 16, 6, **kwargs).shape))
    f = lambda s: real_loss(tf.signal.stft(s, 16, 6, **kwargs), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [x])[0], finite_difference(f, [x], 0), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("frame_length,fft_length,inverse_window", [(16, 16, False), (16, 12, True), (10, 16, True)])
def test_inverse_stft_gradient(frame_length, fft_length, inverse_window):
    z = crandn(2, 5, fft_length // 2 + 1)
    window = tf.signal.inverse_stft_window_fn(6) if inverse_window else tf.signal.hann_window
    w = weights_for((2, 4 * 6 + frame_length))
    f = lambda s: real_loss(tf.signal.inverse_stft(s, frame_length, 6, fft_length, window_fn=window), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [z])[0], finite_difference(f, [z], 0), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: tf.signal.frame(tf.constant(1.0), 2, 1), ValueError),
        (lambda: tf.signal.frame(tf.range(10.0), [2], 1), ValueError),
        (lambda: tf.signal.frame(tf.range(10.0), 2, 0), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.frame(tf.range(10.0), -2, 1), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.frame(tf.range(10.0), 2, 1, axis=5), IndexError),
        (lambda: tf.signal.frame(tf.range(10.0), 3, 2, pad_end=True, pad_value=[0.0]), ValueError),
        (lambda: tf.signal.overlap_and_add(tf.range(10.0), 2), ValueError),
        (lambda: tf.signal.overlap_and_add(tf.ones([3, 4]), 2.0), ValueError),
        (lambda: tf.signal.overlap_and_add(tf.ones([3, 4]), [2]), ValueError),
        (lambda: tf.signal.overlap_and_add(tf.ones([3, 4]), 0), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.stft(tf.constant(1.0), 4, 2), ValueError),
        (lambda: tf.signal.stft(tf.range(10), 4, 2), ValueError),
        (lambda: tf.signal.stft(tf.complex(tf.ones([10]), tf.ones([10])), 4, 2), ValueError),
        (lambda: tf.signal.stft(tf.range(10), 4, 2, window_fn=None), ValueError),
        (lambda: tf.signal.stft(tf.range(10.0), [4], 2), ValueError),
        (lambda: tf.signal.inverse_stft(tf.ones([10], tf.complex64), 4, 2), ValueError),
        (lambda: tf.signal.inverse_stft(tf.ones([3, 3]), 4, 2), ValueError),
        (lambda: tf.signal.inverse_stft(tf.ones([3, 3], tf.complex64), 4, 2, fft_length=[4]), ValueError),
    ],
)
def test_errors_as_tensorflow(call, error):
    with pytest.raises(error):
        call()


def test_stft_default_fft_length_is_enclosing_power_of_two():
    x = tf.zeros([1000])
    assert tf.signal.stft(x, 400, 160).shape == (4, 257)
    assert tf.signal.stft(x, 256, 128).shape == (6, 129)
    assert tf.signal.stft(x, 255, 128).shape == (6, 129)
    assert tf.signal.stft(x, 16, 8, fft_length=10).shape == (124, 6)


def _waveforms(n):
    """Synthetic one-second clips of two classes (a low and a high tone, with noise)."""
    rng = np.random.default_rng(0)
    t = np.arange(16000) / 16000.0
    labels = np.arange(n) % 2
    waves = [
        0.5 * np.sin(2 * np.pi * (300 + 1200 * y) * t + rng.uniform(0, 6)) + 0.05 * rng.standard_normal(16000)
        for y in labels
    ]
    return np.asarray(waves, np.float32), labels.astype(np.int64)


def test_audio_tutorial_spectrograms_train_a_conv2d_model():
    """TensorFlow's Simple audio recognition tutorial: spectrograms by ``get_spectrogram`` in a ``tf.data``
    map, a Conv2D model adapted, compiled and fitted on them."""
    one = spectrogram(tf.constant(tone(), tf.float32))
    assert one.shape == (124, 129, 1) and one.dtype == tf.float32
    waves, labels = _waveforms(16)
    ds = tf.data.Dataset.from_tensor_slices((waves, labels)).batch(8)
    spec_ds = ds.map(lambda audio, label: (spectrogram(audio), label), num_parallel_calls=tf.data.AUTOTUNE)
    first, _ = next(iter(spec_ds))
    assert first.shape == (8, 124, 129, 1)
    np.testing.assert_allclose(first.numpy(), spectrogram(tf.constant(waves[:8])).numpy(), rtol=1e-6, atol=1e-5)

    layers = tf.keras.layers
    norm_layer = layers.Normalization()
    norm_layer.adapt(data=spec_ds.map(map_func=lambda spec, label: spec))
    model = tf.keras.models.Sequential(
        [
            layers.Input(shape=(124, 129, 1)),
            layers.Resizing(32, 32),
            norm_layer,
            layers.Conv2D(8, 3, activation="relu"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(2),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    before = [w.numpy().copy() for w in model.trainable_weights]
    history = model.fit(spec_ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(a, w.numpy()) for a, w in zip(before, model.trainable_weights))
    assert model.predict(spec_ds, verbose=0).shape == (16, 2)
