"""Training with a CTC loss whose label Input has shape ``(None,)``, as Keras's OCR and speech examples build
it: a ``CTCLayer`` adds ``keras.ops.ctc_loss`` or ``tf.keras.backend.ctc_batch_cost`` to the model."""

import numpy as np

import ferroflow as tf

keras = tf.keras

FRAMES, FEATURES, CLASSES = 10, 4, 5


class _CTCLayer(keras.layers.Layer):
    """Adds the per-sample CTC loss of its labels and logits, and passes the logits on."""

    def __init__(self, use_batch_cost: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.use_batch_cost = use_batch_cost

    def call(self, y_true, y_pred):
        ops = keras.ops
        batch = ops.shape(y_true)[0]
        if self.use_batch_cost:
            # The OCR example's form: softmax outputs, blank the last class, every label as wide as the input.
            input_length = ops.cast(ops.shape(y_pred)[1], "int64") * ops.ones((batch, 1), "int64")
            label_length = ops.cast(ops.shape(y_true)[1], "int64") * ops.ones((batch, 1), "int64")
            loss = keras.backend.ctc_batch_cost(y_true, ops.softmax(y_pred), input_length, label_length)
        else:
            labels = ops.cast(y_true, "int32")
            label_length = ops.sum(ops.cast(ops.not_equal(labels, 0), "int32"), axis=-1)
            logit_length = ops.full((batch,), ops.shape(y_pred)[1], "int32")
            loss = ops.ctc_loss(labels, y_pred, label_length, logit_length, mask_index=0)
        self.add_loss(ops.mean(loss))
        return y_pred


def _model(use_batch_cost: bool) -> keras.Model:
    keras.utils.set_random_seed(3)
    features = keras.Input(shape=(FRAMES, FEATURES), name="features")
    labels = keras.Input(shape=(None,), dtype="int32", name="label")
    hidden = keras.layers.Dense(16, activation="tanh")(features)
    logits = keras.layers.Dense(CLASSES)(hidden)
    out = _CTCLayer(use_batch_cost)(labels, logits)
    model = keras.Model([features, labels], out)
    model.compile(optimizer=keras.optimizers.Adam(0.05))
    return model


def _data(low: int, high: int):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(32, FRAMES, FEATURES)).astype(np.float32)
    y = rng.integers(low, high, size=(32, 3)).astype(np.int32)
    y[::2, 2] = 0  # every other label is two long, padded with the blank
    return x, y


def _eager_reference(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """The mean loss from eager logits and statically shaped labels."""
    logits = keras.Model(model.inputs[0], model.layers[-2].output)(x)
    length = (y != 0).sum(-1).astype(np.int32)
    loss = tf.nn.ctc_loss(y, logits, length, np.full(len(y), FRAMES, np.int32), logits_time_major=False)
    return float(np.mean(loss.numpy()))


def test_fit_keras_ops_ctc_loss_with_label_input_of_unknown_width():
    x, y = _data(1, CLASSES)
    model = _model(use_batch_cost=False)
    assert tuple(model.inputs[1].shape) == (None, None)
    before = model.evaluate([x, y], verbose=0, batch_size=32)
    np.testing.assert_allclose(before, _eager_reference(model, x, y), rtol=1e-5)
    history = model.fit([x, y], epochs=8, batch_size=8, verbose=0, shuffle=False).history["loss"]
    assert np.all(np.isfinite(history)) and history[-1] < 0.8 * history[0]
    after = model.evaluate([x, y], verbose=0, batch_size=32)
    np.testing.assert_allclose(after, _eager_reference(model, x, y), rtol=1e-5)
    # Wider padding of the same labels through the same trained model: the same loss.
    wider = np.concatenate([y, np.zeros((32, 4), np.int32)], axis=1)
    np.testing.assert_allclose(model.evaluate([x, wider], verbose=0, batch_size=32), after, rtol=1e-5)


def test_fit_ctc_batch_cost_with_label_input_of_unknown_width():
    x, y = _data(0, CLASSES - 1)
    y[::2, 2] = 1  # ctc_batch_cost counts the whole row; the blank is the last class
    model = _model(use_batch_cost=True)
    logits = keras.Model(model.inputs[0], model.layers[-2].output)(x)
    log_probs = tf.math.log(tf.nn.softmax(logits) + keras.backend.epsilon())
    expected = tf.nn.ctc_loss(
        y, log_probs, np.full(32, 3), np.full(32, FRAMES), logits_time_major=False, blank_index=-1
    )
    before = model.evaluate([x, y], verbose=0, batch_size=32)
    np.testing.assert_allclose(before, np.mean(expected.numpy()), rtol=1e-5)
    history = model.fit([x, y], epochs=8, batch_size=8, verbose=0, shuffle=False).history["loss"]
    assert np.all(np.isfinite(history)) and history[-1] < 0.8 * history[0]
