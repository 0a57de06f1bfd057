"""fit / evaluate / predict fed by tf.data.Dataset pipelines, with Keras 3's epoch and step rules."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ferroflow as tf

data = pytest.importorskip("ferroflow.data")
keras = tf.keras
RNG = np.random.default_rng(0)
X = RNG.random((10, 4)).astype("float32")
Y = RNG.integers(0, 3, 10)


def classifier() -> keras.Model:
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit_quietly(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(*args, verbose=0, **kwargs)


def steps_taken(model) -> int:
    return int(model.optimizer.iterations.numpy())


def assert_same_weights(a: keras.Model, b: keras.Model) -> None:
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def test_dataset_fit_matches_arrays():
    reference = classifier()
    h1 = reference.fit(X, Y, batch_size=3, epochs=3, shuffle=False, verbose=0)
    model = classifier()
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(3)
    h2 = fit_quietly(model, ds, epochs=3)
    assert_same_weights(reference, model)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-6)
    assert h2.params["steps"] == 4


def test_dataset_with_sample_weights_and_class_weight():
    sw = np.linspace(0.5, 2.0, 10).astype("float32")
    a, b = classifier(), classifier()
    a.fit(X, Y, sample_weight=sw, batch_size=5, shuffle=False, verbose=0)
    fit_quietly(b, tf.data.Dataset.from_tensor_slices((X, Y, sw)).batch(5))
    assert_same_weights(a, b)
    weights = {0: 2.0, 1: 1.0, 2: 0.25}
    a, b = classifier(), classifier()
    a.fit(X, Y, class_weight=weights, batch_size=5, shuffle=False, verbose=0)
    fit_quietly(b, tf.data.Dataset.from_tensor_slices((X, Y)).batch(5), class_weight=weights)
    assert_same_weights(a, b)


def test_steps_per_epoch_continues_across_epochs_and_restarts_at_the_end():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(1)  # 10 batches
    model = classifier()
    seen = []

    class Steps(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(steps_taken(self.model))

    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(ds, steps_per_epoch=4, epochs=4, callbacks=[Steps()], verbose=0, shuffle=False)
    assert seen == [4, 8, 10, 14]  # as Keras 3: epoch 3 ends with the data, epoch 4 starts it afresh


def test_repeated_dataset_needs_steps_per_epoch():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(3).repeat()
    with pytest.raises(ValueError, match="infinite"):
        fit_quietly(classifier(), ds)
    model = classifier()
    history = fit_quietly(model, ds, steps_per_epoch=5, epochs=3)
    assert len(history.history["loss"]) == 3 and steps_taken(model) == 15


def test_unknown_cardinality_restarts_each_epoch_with_a_warning():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).filter(lambda x, y: y >= 0).batch(3)
    model = classifier()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(ds, epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2 and steps_taken(model) == 8
    assert history.params["steps"] is None


def test_validation_evaluate_and_predict_on_datasets():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)
    model = classifier()
    history = fit_quietly(model, ds, epochs=2, validation_data=ds)
    assert len(history.history["val_loss"]) == 2
    expected = model.evaluate(X, Y, batch_size=4, verbose=0)
    np.testing.assert_allclose(model.evaluate(ds, verbose=0), expected, rtol=1e-6)
    assert history.history["val_loss"][-1] == pytest.approx(expected[0], rel=1e-6)
    np.testing.assert_allclose(
        model.evaluate(ds, steps=1, verbose=0), model.evaluate(X[:4], Y[:4], verbose=0), rtol=1e-6
    )
    preds = model.predict(X, verbose=0)
    np.testing.assert_allclose(
        model.predict(tf.data.Dataset.from_tensor_slices(X).batch(3), verbose=0), preds, rtol=1e-6
    )
    np.testing.assert_allclose(model.predict(ds, verbose=0), preds, rtol=1e-6)
    history = classifier().fit(X, Y, epochs=2, validation_data=ds, validation_steps=1, verbose=0)
    assert len(history.history["val_accuracy"]) == 2


def test_mapped_shuffled_and_dict_datasets_train():
    ds = (
        tf.data.Dataset.from_tensor_slices((X, Y))
        .shuffle(10, seed=0)
        .map(lambda x, y: (x * 2.0, y))
        .batch(4)
        .prefetch(2)
    )
    history = fit_quietly(classifier(), ds, epochs=2)
    assert np.isfinite(history.history["loss"]).all()
    inputs = keras.Input((4,), name="features")
    model = keras.Model({"features": inputs}, keras.layers.Dense(3, activation="softmax")(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy")
    by_name = tf.data.Dataset.from_tensor_slices(({"features": X}, Y)).batch(5)
    assert len(fit_quietly(model, by_name).history["loss"]) == 1


def test_dataset_ignores_batch_size_and_rejects_y_and_validation_split():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(3)
    with pytest.warns(UserWarning, match="shuffle=True` was passed"):  # batch_size ignored, as in Keras 3
        assert len(classifier().fit(ds, batch_size=64, epochs=2, verbose=0).history["loss"]) == 2
    with pytest.raises(ValueError, match="`y` should not be passed"):
        classifier().fit(ds, Y, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        classifier().fit(ds, validation_split=0.5, verbose=0)
    with pytest.warns(UserWarning, match="shuffle=True` was passed, but will be ignored"):
        classifier().fit(ds, verbose=0)


@pytest.mark.parametrize("image_dtype", ["float64", "float32", "uint8"])
def test_dataset_of_numpy_dtypes_trains_as_the_same_arrays(image_dtype):
    # Batches reach the step as arrays of the model's dtypes, cast as array-fed fit casts (float64 images to
    # float32, uint8 labels and images to int32), and the pipeline's arrays are left as they were.
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (40, 4)).astype("uint8")
    x = images if image_dtype == "uint8" else (images / 255.0).astype(image_dtype)
    labels = rng.integers(0, 3, 40).astype("uint8")
    kept = (x.copy(), labels.copy())
    slices = tf.data.Dataset.from_tensor_slices((x, labels))
    seen = []  # a callback acting before each batch makes every batch run on its own

    class BeforeEachBatch(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(batch)

    for ds, batch_size, rows, callbacks in (
        (slices.batch(8), 8, 40, []),
        (tf.data.Dataset.from_tensors((x, labels)), 40, 40, []),
        (slices.batch(16, drop_remainder=True).prefetch(tf.data.AUTOTUNE), 16, 32, []),
        (slices.batch(8).prefetch(2), 8, 40, [BeforeEachBatch()]),
    ):
        reference, model = classifier(), classifier()
        h1 = reference.fit(x[:rows], labels[:rows], batch_size=batch_size, epochs=2, shuffle=False, verbose=0)
        h2 = fit_quietly(model, ds, epochs=2, callbacks=callbacks)
        assert_same_weights(reference, model)
        np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-6)
        np.testing.assert_allclose(h1.history["accuracy"], h2.history["accuracy"], rtol=1e-6)
        np.testing.assert_array_equal(x, kept[0])
        np.testing.assert_array_equal(labels, kept[1])
        assert x.dtype == kept[0].dtype and labels.dtype == np.uint8
    assert seen == [0, 1, 2, 3, 4] * 2
