"""``model.load_weights`` of a ``.weights.h5`` file restores a compiled model's optimizer state (step count,
learning rate, slots) when the optimizer is built, as Keras 3 does, and warns and leaves it when it is not;
``load_model`` of a ``.keras`` file restores it too. Expected values recorded from tensorflow-cpu 2.21."""

import warnings

import numpy as np
import pytest

import ferroflow as tf

pytest.importorskip("h5py")

X = np.arange(12, dtype="float32").reshape(4, 3) / 10
Y = np.ones((4, 1), "float32")


def _model(compile=True, lr=0.05, optimizer=None):
    m = tf.keras.Sequential(
        [
            tf.keras.Input((3,)),
            tf.keras.layers.Dense(2, kernel_initializer="ones"),
            tf.keras.layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    if compile:
        m.compile(optimizer=optimizer or tf.keras.optimizers.Adam(lr), loss="mse")
    return m


def _state(model):
    return [np.asarray(v.numpy()) for v in model.optimizer.variables]


@pytest.fixture
def trained(tmp_path):
    m = _model()
    m.fit(X, Y, epochs=2, verbose=0, batch_size=2, shuffle=False)
    path = str(tmp_path / "w.weights.h5")
    m.save_weights(path)
    return m, path


def test_trained_state(trained):
    m, _ = trained
    assert m.optimizer.iterations.numpy() == 4
    # The first kernel's Adam momentum, as TensorFlow computes it.
    momentum = [np.asarray(v.numpy()) for v in m.optimizer.variables if "kernel_momentum" in v.name]
    np.testing.assert_allclose(momentum[0][:, 0], [0.82558, 0.93126, 1.03695], atol=2e-5)


def test_built_optimizer_is_restored(trained):
    m, path = trained
    t = _model(lr=0.5)
    t.optimizer.build(t.trainable_variables)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t.load_weights(path)
    assert t.optimizer.iterations.numpy() == 4
    assert float(t.optimizer.learning_rate.numpy()) == 0.05000000074505806  # the file's learning rate
    for got, want in zip(_state(t), _state(m)):
        np.testing.assert_array_equal(got, want)


def test_training_continues_as_the_original(trained):
    m, path = trained
    t = _model()
    t.optimizer.build(t.trainable_variables)
    t.load_weights(path)
    t.fit(X, Y, epochs=1, verbose=0, batch_size=2, shuffle=False)
    m.fit(X, Y, epochs=1, verbose=0, batch_size=2, shuffle=False)
    want = [0.77233, 0.77251, 0.77267]
    np.testing.assert_allclose(m.layers[0].kernel.numpy()[:, 0], want, atol=2e-5)
    np.testing.assert_allclose(t.layers[0].kernel.numpy()[:, 0], want, atol=2e-5)


def test_trained_optimizer_is_restored(trained):
    _, path = trained
    t = _model()
    t.fit(X[:2], Y[:2], epochs=1, verbose=0)
    t.load_weights(path)
    assert t.optimizer.iterations.numpy() == 4


def test_unbuilt_optimizer_warns_and_stays(trained):
    _, path = trained
    t = _model()
    with pytest.warns(UserWarning, match=r"because it has 2 variables whereas the saved optimizer has 10 variables"):
        t.load_weights(path)
    assert not t.optimizer.built and t.optimizer.iterations.numpy() == 0
    np.testing.assert_allclose(
        t.layers[0].kernel.numpy()[:, 0], [0.840147, 0.839854, 0.839626], atol=2e-5
    )  # the weights do load


def test_other_optimizer_warns_and_stays(trained):
    _, path = trained
    t = _model(optimizer=tf.keras.optimizers.SGD(0.2, momentum=0.9))
    t.optimizer.build(t.trainable_variables)
    with pytest.warns(UserWarning, match=r"because it has 6 variables whereas the saved optimizer has 10 variables"):
        t.load_weights(path)
    assert t.optimizer.iterations.numpy() == 0
    assert float(t.optimizer.learning_rate.numpy()) == 0.20000000298023224


def test_uncompiled_model_loads_silently(trained):
    _, path = trained
    t = _model(compile=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t.load_weights(path)


def test_file_without_optimizer_warns(tmp_path):
    path = str(tmp_path / "u.weights.h5")
    _model(compile=False).save_weights(path)
    t = _model()
    t.optimizer.build(t.trainable_variables)
    with pytest.warns(UserWarning, match=r"because it has 10 variables whereas the saved optimizer has 0 variables"):
        t.load_weights(path)


def test_keras_archive_restores_the_optimizer(trained, tmp_path):
    m, _ = trained
    path = str(tmp_path / "m.keras")
    m.save(path)
    back = tf.keras.models.load_model(path)
    assert back.optimizer.built and back.optimizer.iterations.numpy() == 4
    for got, want in zip(_state(back), _state(m)):
        np.testing.assert_array_equal(got, want)
