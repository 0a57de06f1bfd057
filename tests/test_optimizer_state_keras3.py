"""Optimizer state in Keras 3's ``.keras`` layout for the optimizers whose variables Keras orders its own way:
Adam with amsgrad and weight averaging, AdamW with a learning-rate schedule, RMSprop with momentum and
centering, Ftrl, SGD with averaging, Adagrad with a schedule. Files Keras 3 wrote
(tests/data/keras3/optimizer_*.keras, made once by tests/data/make_keras3_optimizers.py) resume in ferroflow
to Keras's numbers; ferroflow trains the same models to the same numbers and writes the state once, in
``model.weights.h5``, in Keras's order, and its files resume identically."""

import io
import os
import zipfile

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.optimizers._keras_order import keras_variables

h5py = pytest.importorskip("h5py")

DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
EXPECTED = np.load(os.path.join(DATA, "optimizers.npz"))
NAMES = ["adam_amsgrad_ema", "adamw_schedule", "rmsprop_centered", "ftrl", "sgd_ema", "adagrad_schedule"]
opts = tf.keras.optimizers


def _optimizer(name):
    return {
        "adam_amsgrad_ema": lambda: opts.Adam(
            0.05, amsgrad=True, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=5
        ),
        "adamw_schedule": lambda: opts.AdamW(opts.schedules.ExponentialDecay(0.05, 3, 0.5), amsgrad=True),
        "rmsprop_centered": lambda: opts.RMSprop(0.01, momentum=0.5, centered=True),
        "ftrl": lambda: opts.Ftrl(0.1),
        "sgd_ema": lambda: opts.SGD(0.1, momentum=0.9, use_ema=True),
        "adagrad_schedule": lambda: opts.Adagrad(opts.schedules.PiecewiseConstantDecay([2, 4], [0.1, 0.05, 0.01])),
    }[name]()


def _fit(model, epochs):
    model.fit(EXPECTED["x"], EXPECTED["y"], epochs=epochs, batch_size=4, shuffle=False, verbose=0)


def _keras_numbers(name):
    weights = [EXPECTED[f"{name}/w{i}"] for i in range(4)]
    count = len([k for k in EXPECTED.files if k.startswith(f"{name}/o")])
    return weights, [EXPECTED[f"{name}/o{i}"] for i in range(count)]


def _assert_keras_numbers(model, name):
    weights, state = _keras_numbers(name)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    ordered = keras_variables(model.optimizer)
    assert len(ordered) == len(state)
    assert int(ordered[0].numpy()) == int(state[0]) == 9  # iterations: 3 epochs of 3 batches
    for got, want in zip(ordered[1:], state[1:]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_a_keras_file_resumes_to_keras_numbers(name):
    model = tf.keras.models.load_model(os.path.join(DATA, f"optimizer_{name}.keras"))
    assert model.optimizer.get_config()["use_ema"] == name.endswith("ema")
    assert int(model.optimizer.iterations.numpy()) == 6
    _fit(model, 1)
    _assert_keras_numbers(model, name)


def _model(name):
    model = tf.keras.Sequential(
        [tf.keras.Input((3,)), tf.keras.layers.Dense(4, "tanh"), tf.keras.layers.Dense(2)], name=name
    )
    model.set_weights([EXPECTED[f"w0/{i}"] for i in range(4)])
    model.compile(optimizer=_optimizer(name), loss="mse")
    return model


@pytest.mark.parametrize("name", NAMES)
def test_ferroflow_writes_the_state_once_in_keras_order_and_resumes_identically(name, tmp_path):
    model = _model(name)
    _fit(model, 2)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["config.json", "ferroflow_config.json", "metadata.json", "model.weights.h5"]
        h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    with h5:
        stored = [h5["optimizer/vars"][str(i)][()] for i in range(len(h5["optimizer/vars"]))]
    ordered = keras_variables(model.optimizer)
    assert len(stored) == len(ordered) == len(_keras_numbers(name)[1])  # Keras's count: schedules hold no rate
    for array, variable in zip(stored, ordered):
        np.testing.assert_array_equal(array, variable.numpy())
    again = tf.keras.models.load_model(path)
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    _fit(model, 1)
    _fit(again, 1)
    for a, b in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    _assert_keras_numbers(model, name)  # and the training itself matches Keras's


def test_keras_order_of_each_optimizer_by_slot_names():
    a, b = tf.Variable(np.zeros(2), name="a"), tf.Variable(np.zeros(3), name="b")

    def order(optimizer):
        optimizer.build([a, b])
        assert list(map(id, keras_variables(optimizer))) == list(map(id, optimizer.variables))
        return [v.name.replace("_0_", "_") for v in optimizer.variables]  # Keras 3.15: "a_0_velocity" (of "a:0")

    rms = order(opts.RMSprop(momentum=0.5, centered=True))  # three separate lists, as Keras creates them
    assert rms[2:] == ["a_velocity", "b_velocity", "a_momentum", "b_momentum"] + [
        "a_average_gradient",
        "b_average_gradient",
    ]
    assert order(opts.Ftrl())[2:] == ["a_accumulator", "a_linear", "b_accumulator", "b_linear"]
    scheduled = order(opts.Adam(opts.schedules.InverseTimeDecay(0.1, 10, 0.5)))
    assert scheduled[0] == "iteration" and scheduled[1:] == ["a_momentum", "a_velocity", "b_momentum", "b_velocity"]
    assert order(opts.SGD(momentum=0.9, use_ema=True))[2:] == ["a_average", "b_average", "a_momentum", "b_momentum"]


def test_save_own_variables_uses_keras_order_and_loads_back():
    v = tf.Variable(np.ones(3))
    opt = opts.Adam(0.1, amsgrad=True)
    for _ in range(2):
        opt.apply([tf.constant(np.arange(3.0))], [v])
    store = {}
    opt.save_own_variables(store)
    np.testing.assert_array_equal(store["3"], opt._velocities[0].numpy())  # (momentum, velocity) per variable
    other = opts.Adam(0.1, amsgrad=True)
    other.build([tf.Variable(np.ones(3))])
    other.load_own_variables(store)
    for x, y in zip(other.variables, opt.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_untrained_and_optimizer_less_saves_load(tmp_path):
    model = _model("adam_amsgrad_ema")  # compiled, never trained: the optimizer holds its step and rate only
    model.save(tmp_path / "fresh.keras")
    again = tf.keras.models.load_model(tmp_path / "fresh.keras")
    assert int(again.optimizer.iterations.numpy()) == 0
    _fit(again, 2)  # two fits as Keras ran them: each ends on the averages
    _fit(again, 1)
    _assert_keras_numbers(again, "adam_amsgrad_ema")
    _fit(model, 2)
    model.save(tmp_path / "bare.keras", include_optimizer=False)
    with zipfile.ZipFile(tmp_path / "bare.keras") as zf, h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as h5:
        assert "optimizer" not in h5
    bare = tf.keras.models.load_model(tmp_path / "bare.keras")
    assert int(bare.optimizer.iterations.numpy()) == 0
    for a, b in zip(bare.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
