"""CTC loss over a number of frames known only when the graph runs (a speech model's ``Input((None,
features))``): ``tf.nn.ctc_loss`` and ``keras.backend.ctc_batch_cost`` traced with logits of shape
``[None, batch, classes]`` run their recursions as ``scan`` loops. Checked against TensorFlow 2.21's values,
the unrolled (static) path, finite differences and a Keras ``fit`` on sequences of two lengths."""

import numpy as np

import ferroflow as tf

LABELS = np.array([[1, 2, 2, 5], [3, 1, 0, 0], [4, 4, 2, 0]], np.int32)
LABEL_LENGTH = np.array([4, 2, 3], np.int32)
LOGIT_LENGTH = np.array([8, 6, 7], np.int32)
# TensorFlow 2.21 on the inputs below (the same as tests/test_ctc_dynamic_label_width.py's).
TF_LOSS = [9.79178524017334, 7.4805402755737305, 8.759993553161621]

UNKNOWN_FRAMES = [
    tf.TensorSpec([None, None], tf.int32),
    tf.TensorSpec([None, None, 6], tf.float32),
    tf.TensorSpec([None], tf.int32),
    tf.TensorSpec([None], tf.int32),
]


def _logits(frames: int = 8, dtype=np.float32) -> np.ndarray:
    return np.random.default_rng(7).normal(size=(8, 3, 6)).round(3).astype(dtype)[:frames]


@tf.function(input_signature=UNKNOWN_FRAMES)
def _loss(labels, logits, label_length, logit_length):
    return tf.nn.ctc_loss(labels, logits, label_length, logit_length)


def test_unknown_frames_match_tensorflow_and_one_trace_serves_every_length():
    np.testing.assert_allclose(_loss(LABELS, _logits(), LABEL_LENGTH, LOGIT_LENGTH).numpy(), TF_LOSS, rtol=1e-5)
    # Six frames of the same logits, every sequence cut to six: the unrolled path's values.
    short = _loss(LABELS, _logits(6), LABEL_LENGTH, np.array([6, 6, 6], np.int32)).numpy()
    eager = tf.nn.ctc_loss(LABELS, _logits(6), LABEL_LENGTH, [6, 6, 6]).numpy()
    np.testing.assert_allclose(short, eager, rtol=1e-6)
    # One frame: no step of either loop runs.
    one = _loss(LABELS[:, :1], _logits(1), np.ones(3, np.int32), np.ones(3, np.int32)).numpy()
    np.testing.assert_allclose(one, tf.nn.ctc_loss(LABELS[:, :1], _logits(1), [1, 1, 1], [1, 1, 1]).numpy(), rtol=1e-6)
    assert _loss.experimental_get_tracing_count() == 1


def test_unknown_frames_gradient_matches_the_unrolled_one_and_finite_differences():
    weights = [1.0, -0.5, 2.0]
    spec = [tf.TensorSpec([None, 3, 6], tf.float64)]

    @tf.function(input_signature=spec)
    def loss_and_grad(logits):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            loss = tf.reduce_sum(tf.nn.ctc_loss(LABELS, logits, LABEL_LENGTH, LOGIT_LENGTH) * weights)
        return loss, tape.gradient(loss, logits)

    x = _logits(dtype=np.float64)
    _, grad = loss_and_grad(x)
    grad = grad.numpy()
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        unrolled = tf.reduce_sum(tf.nn.ctc_loss(LABELS, xt, LABEL_LENGTH, LOGIT_LENGTH) * weights)
    np.testing.assert_allclose(grad, tape.gradient(unrolled, xt).numpy(), atol=1e-10)
    assert np.all(grad[6:, 1] == 0) and np.all(grad[7:, 2] == 0)  # frames past each sequence's end
    eps = 1e-6
    for index in [(0, 0, 0), (1, 1, 2), (2, 1, 3), (3, 2, 4), (5, 0, 5), (6, 2, 2), (7, 0, 0)]:
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric = (loss_and_grad(up)[0].numpy() - loss_and_grad(down)[0].numpy()) / (2 * eps)
        np.testing.assert_allclose(grad[index], numeric, atol=1e-6)


def test_fit_a_speech_style_model_with_ctc_batch_cost_on_inputs_of_unknown_length():
    # Keras's "CTC ASR" example's loss: the input length from the predictions' run-time shape.
    def ctc_loss(y_true, y_pred):
        batch = tf.cast(tf.shape(y_true)[0], "int64")
        input_length = tf.cast(tf.shape(y_pred)[1], "int64") * tf.ones((batch, 1), "int64")
        label_length = tf.cast(tf.shape(y_true)[1], "int64") * tf.ones((batch, 1), "int64")
        return tf.keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)

    inputs = tf.keras.Input((None, 12))
    x = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(16, return_sequences=True))(inputs)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(6, activation="softmax")(x))
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss=ctc_loss)
    rng = np.random.default_rng(0)
    labels = rng.integers(1, 5, (16, 3))
    # The target is readable from the input: each label's one-hot spread over its stretch of frames.
    def batch(frames):
        x = np.zeros((16, frames, 12), np.float32)
        for i, row in enumerate(labels):
            for j, label in enumerate(row):
                x[i, j * frames // 3 : (j + 1) * frames // 3, label] = 1.0
        return x + rng.normal(scale=0.1, size=x.shape).astype(np.float32)

    data = tf.data.Dataset.from_tensor_slices((batch(18), labels)).batch(8)
    data = data.concatenate(tf.data.Dataset.from_tensor_slices((batch(27), labels)).batch(8))
    first = model.evaluate(data, verbose=0)
    model.fit(data, epochs=25, verbose=0)
    last = model.evaluate(data, verbose=0)
    assert np.isfinite(first) and last < 0.5 * first, (first, last)
