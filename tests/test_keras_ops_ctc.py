"""keras.ops.ctc_loss and keras.ops.ctc_decode (greedy, beam search, another blank), against the values
Keras 3.15 (TensorFlow backend) gives for the same inputs; and a CTC loss added by a layer in a model."""

import numpy as np

from ferroflow import keras

ops = keras.ops
LOGITS = np.random.default_rng(0).normal(size=(2, 6, 4)).astype("float32")


def test_ctc_loss():
    target = np.array([[1, 2, 0], [3, 3, 1]], "int32")
    loss = ops.ctc_loss(target, LOGITS, np.array([2, 3]), np.array([6, 5]))
    np.testing.assert_allclose(np.asarray(loss), [6.590159893035889, 4.741209983825684], rtol=1e-5)


def test_greedy_decode():
    d, s = ops.ctc_decode(LOGITS, np.array([6, 5]))
    assert np.asarray(d).tolist() == [[[2, 3, 1, 3, 1, -1], [1, 3, 1, -1, -1, -1]]]
    np.testing.assert_allclose(np.asarray(s), [[-4.175930023193359], [-4.671870231628418]], rtol=1e-5)
    d, s = ops.ctc_decode(LOGITS, np.array([6, 6]), merge_repeated=False, mask_index=3)
    assert np.asarray(d).tolist() == [[[2, 2, 1, 1, -1, -1], [0, 1, 1, 1, -1, -1]]]
    np.testing.assert_allclose(np.asarray(s), [[-4.175930023193359], [-6.632120132446289]], rtol=1e-5)


def test_beam_search_decode():
    d, s = ops.ctc_decode(LOGITS, np.array([6, 5]), strategy="beam_search", beam_width=4, top_paths=2)
    assert np.asarray(d).tolist() == [
        [[2, 3, 1, -1, -1, -1], [1, 3, 1, -1, -1, -1]],
        [[2, 3, 1, 3, 1, -1], [1, 3, 2, -1, -1, -1]],
    ]
    np.testing.assert_allclose(
        np.asarray(s),
        [[-2.9673900604248047, -3.5351099967956543], [-2.593980073928833, -2.7620298862457275]],
        rtol=1e-5,
    )


class _CTCLayer(keras.layers.Layer):
    def call(self, y_true, y_pred):
        batch = ops.shape(y_pred)[0]
        input_length = ops.cast(ops.full((batch,), ops.shape(y_pred)[1]), "int32")
        label_length = ops.cast(ops.full((batch,), ops.shape(y_true)[1]), "int32")
        self.add_loss(ops.mean(ops.ctc_loss(y_true, y_pred, label_length, input_length)))
        return y_pred


def test_loss_added_by_a_layer_trains():
    images = keras.Input((6, 4), name="image")
    labels = keras.Input((2,), name="label", dtype="int32")
    logits = keras.layers.Dense(4)(images)
    out = _CTCLayer()(labels, logits)
    model = keras.Model([images, labels], out)
    model.compile("adam")
    x = {"image": LOGITS, "label": np.array([[1, 2], [3, 1]], "int32")}
    history = model.fit(x, epochs=2, batch_size=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
