"""Keras masks: carried on tensors as ``_keras_mask``, passed as ``mask=`` to layers that take it, passed
through by layers that support masking, in eager calls, functional and Sequential models, and honoured by
losses and metrics in ``fit``/``evaluate``."""

import warnings

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(5)


def _ids(batch=32, length=20, vocab=100):
    ids = RNG.integers(1, vocab, size=(batch, length))
    lengths = RNG.integers(1, length + 1, size=batch)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    return ids, np.arange(length)[None, :] < lengths[:, None]


class Recorder(L.Layer):
    """Records the mask its call received."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seen = "never called"

    def call(self, inputs, mask=None):
        self.seen = mask
        return inputs * 2.0


class Blind(L.Layer):
    def call(self, inputs):
        return inputs + 1.0


def test_defaults_follow_keras():
    assert not L.Layer().supports_masking
    assert L.Dense(3).supports_masking and L.Dropout(0.5).supports_masking and L.Activation("relu").supports_masking
    assert not L.Flatten().supports_masking and not L.Conv1D(2, 3).supports_masking

    class OwnMask(L.Layer):
        def compute_mask(self, inputs, previous_mask=None):
            return None

    assert OwnMask().supports_masking  # defining compute_mask means supporting masks, as in Keras 3
    layer = L.Layer()
    layer.supports_masking = True
    mask = tf.constant([True, False])
    assert layer.compute_mask(tf.zeros((2, 3)), mask) is mask


def test_eager_calls_pass_and_propagate_the_mask():
    ids, want = _ids()
    x = L.Embedding(100, 64, mask_zero=True)(ids)
    rec = Recorder()
    y = rec(x)
    np.testing.assert_array_equal(rec.seen.numpy(), want)
    np.testing.assert_array_equal(y._keras_mask.numpy(), want)
    z = L.Dense(8)(L.Dropout(0.1)(y))
    np.testing.assert_array_equal(z._keras_mask.numpy(), want)
    explicit = np.ones((32, 20), bool)
    rec(x, mask=explicit)
    assert rec.seen is explicit  # an explicit mask wins


def test_a_layer_without_mask_support_drops_it_with_a_warning():
    ids, _ = _ids()
    x = L.Embedding(100, 4, mask_zero=True)(ids)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = Blind()(x)
    assert getattr(y, "_keras_mask", None) is None
    assert any("does not support masking" in str(w.message) for w in caught)


def test_functional_model_carries_masks():
    ids, want = _ids()
    inputs = tf.keras.Input((20,), dtype="int32")
    x = L.Embedding(100, 64, mask_zero=True)(inputs)
    assert x._keras_mask.shape == (None, 20) and x._keras_mask.dtype == tf.bool
    rec = Recorder()
    y = L.Dense(16)(rec(x))
    assert y._keras_mask.shape == (None, 20)
    model = tf.keras.Model(inputs, y)
    out = model(ids)
    np.testing.assert_array_equal(rec.seen.numpy(), want)
    np.testing.assert_array_equal(out._keras_mask.numpy(), want)

    @tf.function
    def traced(t):
        return model(t)._keras_mask

    np.testing.assert_array_equal(traced(tf.constant(ids)).numpy(), want)


def test_mask_given_to_a_model_call_reaches_its_layers():
    rec = Recorder()
    inputs = tf.keras.Input((20, 8))
    model = tf.keras.Model(inputs, rec(inputs))
    x = RNG.standard_normal((32, 20, 8)).astype("float32")
    _, want = _ids()
    with pytest.warns(UserWarning, match="does not support masking"):  # as Keras: a model keeps no input mask
        out = model(tf.constant(x), mask=tf.constant(want))
    np.testing.assert_array_equal(out._keras_mask.numpy(), want)  # its layers' masks ride on the output
    np.testing.assert_array_equal(rec.seen.numpy(), want)
    rec2 = Recorder()
    seq = tf.keras.Sequential([tf.keras.Input((20, 8)), rec2])
    with pytest.warns(UserWarning, match="does not support masking"):
        seq(tf.constant(x), mask=tf.constant(want))
    np.testing.assert_array_equal(rec2.seen.numpy(), want)


def test_sequential_carries_masks():
    ids, want = _ids()
    rec = Recorder()
    model = tf.keras.Sequential([tf.keras.Input((20,), dtype="int32"), L.Embedding(100, 8, mask_zero=True), rec])
    out = model(ids)
    np.testing.assert_array_equal(rec.seen.numpy(), want)
    np.testing.assert_array_equal(out._keras_mask.numpy(), want)


def test_masked_global_average_pooling():
    ids, want = _ids()
    emb = L.Embedding(100, 64, mask_zero=True)
    pooled = L.GlobalAveragePooling1D()(emb(ids))
    table = emb.embeddings.numpy()
    ref = np.stack([table[ids[i, want[i]]].mean(0) for i in range(32)])
    np.testing.assert_allclose(pooled.numpy(), ref, rtol=1e-5, atol=1e-6)
    assert getattr(pooled, "_keras_mask", None) is None  # the steps are gone
    x = RNG.standard_normal((4, 5, 3)).astype("float32")
    np.testing.assert_allclose(L.GlobalAveragePooling1D()(x).numpy(), x.mean(1), rtol=1e-6)


def test_merge_masks():
    a = RNG.standard_normal((2, 4, 3)).astype("float32")
    ma = tf.constant([[True, True, False, False], [True, False, False, False]])
    mb = tf.constant([[True, False, True, False], [False, False, False, True]])
    x, y = tf.constant(a), tf.constant(a)
    x._keras_mask, y._keras_mask = ma, mb
    np.testing.assert_array_equal(L.Add()([x, y])._keras_mask.numpy(), ma.numpy() | mb.numpy())
    z = tf.constant(a)
    assert getattr(L.Add()([x, z]), "_keras_mask", None) is None  # Keras: every input needs a mask
    cat = L.Concatenate(axis=1)([x, z])
    np.testing.assert_array_equal(cat._keras_mask.numpy(), np.concatenate([ma.numpy(), np.ones((2, 4), bool)], 1))
    with pytest.raises(ValueError, match="same length"):
        L.Add().compute_mask([x, y], [ma])


def test_loss_and_metrics_in_fit_leave_masked_steps_out():
    tf.keras.utils.set_random_seed(2)
    ids, mask = _ids(64, 12, 30)
    labels = RNG.integers(0, 5, size=(64, 12))
    model = tf.keras.Sequential(
        [tf.keras.Input((12,), dtype="int32"), L.Embedding(30, 16, mask_zero=True), L.Dense(5, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.evaluate(ids, labels, batch_size=64, verbose=0)
    probs = model.predict(ids, verbose=0)
    nll = -np.log(np.take_along_axis(probs, labels[..., None], -1)[..., 0])
    assert loss == pytest.approx((nll * mask).sum() / mask.sum(), rel=1e-5)
    assert acc == pytest.approx(((probs.argmax(-1) == labels) & mask).sum() / mask.sum(), rel=1e-6)
    # eager: the loss object reads the prediction's mask as well
    y_pred = model(ids)
    eager = tf.keras.losses.SparseCategoricalCrossentropy()(labels, y_pred)
    assert float(eager) == pytest.approx(loss, rel=1e-5)
    history = model.fit(ids, labels, batch_size=16, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_softmax_layer_replaces_masked_entries_as_keras():
    x = RNG.standard_normal((32, 20, 20)).astype("float32")
    mask = RNG.random((32, 20, 20)) > 0.3
    mask[0, 0] = False  # a row with nothing kept is uniform, as in Keras
    want = np.where(mask, x, -1e9)
    want = np.exp(want - want.max(-1, keepdims=True))
    want /= want.sum(-1, keepdims=True)
    np.testing.assert_allclose(L.Softmax()(x, mask=mask).numpy(), want, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(L.Softmax()(x, mask=mask.astype("float32")).numpy(), want, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(L.Softmax()(x, mask=mask).numpy()[0, 0], np.full(20, 0.05), rtol=1e-6)
