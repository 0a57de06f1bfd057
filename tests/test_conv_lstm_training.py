"""Training the ConvLSTM layers: gradients against central finite differences in float64 (inputs, every
weight, the initial state; with a mask, go_backwards and a sequence of unknown length in tf.function), a
realistic ConvLSTM2D (batch 8, 10 steps, 16x16x3 -> 16 filters) whose loss falls under model.fit eagerly and
compiled and in a tf.function train step, and Keras's next-frame prediction example on moving squares."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient, numeric_gradient

L = tf.keras.layers
RNG = np.random.default_rng(11)
MASK = np.array([[True, True, False, True], [True, False, True, False]])


def _concat(outputs):
    return tf.concat([tf.reshape(o, [-1]) for o in tf.nest.flatten(outputs)], 0)


def _small(**kwargs):
    layer = L.ConvLSTM2D(2, (2, 3), padding="same", return_sequences=True, return_state=True, dtype="float64", **kwargs)
    x = RNG.standard_normal((2, 4, 3, 4, 2))
    layer(x)
    # weights of a moderate size, so that every gate works away from saturation
    layer.set_weights([RNG.uniform(-0.5, 0.5, w.shape) for w in layer.get_weights()])
    return layer, x


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gradient_wrt_inputs(masked, go_backwards):
    layer, x = _small(go_backwards=go_backwards)
    kwargs = {"mask": tf.constant(MASK)} if masked else {}
    check_gradient(lambda t: _concat(layer(t, **kwargs)), x, rtol=1e-6, atol=1e-9)


def test_gradient_wrt_every_weight_eager_traced_and_unknown_length():
    layer, x = _small()
    mask = tf.constant(MASK)
    w = RNG.standard_normal(_concat(layer(x, mask=mask)).shape)

    def loss(seq):
        return tf.reduce_sum(_concat(layer(seq, mask=mask)) * w)

    with tf.GradientTape() as tape:
        value = loss(tf.constant(x))
    grads = tape.gradient(value, layer.trainable_weights)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 3, 4, 2], tf.float64)])
    def while_loop_grads(seq):  # the time axis unknown while tracing: the RNN runs a while loop
        with tf.GradientTape() as tape:
            value = loss(seq)
        return tape.gradient(value, layer.trainable_weights)

    assert len(grads) == 3
    for var, got, got_loop in zip(layer.trainable_weights, grads, while_loop_grads(x)):
        start = var.numpy()

        def at(v, var=var):
            var.assign(v)
            return float(loss(tf.constant(x)).numpy())

        want = numeric_gradient(at, start.copy())
        var.assign(start)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-9, err_msg=var.name)
        np.testing.assert_allclose(got_loop.numpy(), got.numpy(), rtol=1e-9, atol=1e-12, err_msg=var.name)


def test_gradient_wrt_initial_state_1d_and_3d():
    layer = L.ConvLSTM1D(2, 3, strides=2, return_state=True, dtype="float64")
    x = RNG.standard_normal((2, 3, 7, 2))
    layer(x)
    h0, c0 = RNG.standard_normal((2, 2, 3, 2))
    check_gradient(lambda h: _concat(layer(x, initial_state=[h, c0])), h0, rtol=1e-6, atol=1e-9)
    check_gradient(lambda c: _concat(layer(x, initial_state=[h0, c])), c0, rtol=1e-6, atol=1e-9)
    cube = L.ConvLSTM3D(1, 2, dtype="float64")
    check_gradient(lambda t: cube(t), RNG.standard_normal((1, 2, 3, 3, 2, 1)), rtol=1e-6, atol=1e-9)


def _realistic_model():
    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential(
        [
            tf.keras.Input((10, 16, 16, 3)),
            L.ConvLSTM2D(16, 3, padding="same"),
            L.GlobalAveragePooling2D(),
            L.Dense(4),
        ]
    )


def _realistic_data():
    # each movie has a per-channel brightness the targets are a linear function of
    rng = np.random.default_rng(0)
    offset = rng.standard_normal((16, 3)).astype("float32")
    x = rng.standard_normal((16, 10, 16, 16, 3)).astype("float32") + offset[:, None, None, None, :]
    y = offset @ rng.standard_normal((3, 4)).astype("float32")
    return x, y


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_realistic_conv_lstm_fits_and_its_loss_falls(run_eagerly):
    x, y = _realistic_data()
    model = _realistic_model()
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse", run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0], losses
    assert model.predict(x[:8], verbose=0).shape == (8, 4)


def test_realistic_conv_lstm_train_step_in_tf_function():
    x, y = _realistic_data()
    model = _realistic_model()
    optimizer = tf.keras.optimizers.SGD(0.05)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))
        return loss

    losses = [float(train_step(x[:8], y[:8])) for _ in range(5)]
    assert losses[-1] < losses[0], losses


def generate_movies(n_samples=12, n_frames=6, size=16, seed=0):
    """Keras's classic conv_lstm example data: squares of 1-2 pixels' half-width moving in straight lines."""
    rng = np.random.default_rng(seed)
    noisy = np.zeros((n_samples, n_frames, size, size, 1), dtype=np.float32)
    shifted = np.zeros_like(noisy)
    for i in range(n_samples):
        for _ in range(rng.integers(2, 4)):
            xstart, ystart = rng.integers(3, size - 3, 2)
            dx, dy = rng.integers(-1, 2, 2)
            w = rng.integers(1, 3)
            for t in range(n_frames):
                x_t, y_t = xstart + dx * t, ystart + dy * t
                noisy[i, t, max(x_t - w, 0) : x_t + w, max(y_t - w, 0) : y_t + w, 0] += 1
                x_n, y_n = x_t + dx, y_t + dy
                shifted[i, t, max(x_n - w, 0) : x_n + w, max(y_n - w, 0) : y_n + w, 0] += 1
    return np.minimum(noisy, 1.0), np.minimum(shifted, 1.0)


def test_next_frame_prediction_example():
    # keras.io's "Next-Frame Video Prediction with Convolutional LSTMs", at a tiny size, with only the
    # import changed: a sequence of unknown length, ConvLSTM2D + BatchNormalization stack, Conv3D head.
    keras, layers = tf.keras, tf.keras.layers
    x_train, y_train = generate_movies()
    x_val, y_val = generate_movies(4, seed=1)
    inp = layers.Input(shape=(None, *x_train.shape[2:]))
    x = layers.ConvLSTM2D(filters=8, kernel_size=(5, 5), padding="same", return_sequences=True, activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same", return_sequences=True, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(1, 1), padding="same", return_sequences=True, activation="relu")(x)
    x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
    model = keras.models.Model(inp, x)
    model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
    early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10)
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=5)
    history = model.fit(
        x_train,
        y_train,
        batch_size=4,
        epochs=1,
        validation_data=(x_val, y_val),
        callbacks=[early_stopping, reduce_lr],
        verbose=0,
    )
    assert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["val_loss"][0])
    # the example then predicts frame after frame, feeding each prediction back: lengths 3, 4, 5
    frames = x_val[0, :3]
    for _ in range(3):
        new_prediction = model.predict(np.expand_dims(frames, axis=0), verbose=0)
        assert new_prediction.shape == (1, len(frames), 16, 16, 1)
        frames = np.concatenate((frames, np.squeeze(new_prediction, axis=0)[-1:]), axis=0)
    assert frames.shape == (6, 16, 16, 1) and np.all((frames >= 0) & (frames <= 1))
