"""The state of accumulating optimizers (``gradient_accumulation_steps``): the accumulators' names and their
place in Keras 3's variable order, saving and resuming a model mid-accumulation, configs and errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.optimizers._keras_order import keras_variables

opts = tf.keras.optimizers


def _order(optimizer):
    a, b = tf.Variable(np.zeros((2, 2), "float32"), name="a"), tf.Variable(np.zeros(3, "float32"), name="b")
    optimizer.build([a, b])
    assert list(map(id, keras_variables(optimizer))) == list(map(id, optimizer.variables))
    return [v.name.replace("_0_", "_") for v in optimizer.variables]  # Keras 3.15: "a_0_momentum" (of "a:0")


ACC = ["a_gradient_accumulator", "b_gradient_accumulator"]


def test_accumulators_follow_the_averages_and_precede_the_slots_as_in_keras():
    """The orders Keras 3 lists for these optimizers (``optimizer.variables`` after ``build([a, b])``)."""
    assert _order(opts.SGD(momentum=0.9, use_ema=True, gradient_accumulation_steps=2))[2:] == [
        "a_average",
        "b_average",
        *ACC,
        "a_momentum",
        "b_momentum",
    ]
    adam = _order(opts.Adam(amsgrad=True, gradient_accumulation_steps=2))
    assert adam[2:] == [
        *ACC,
        "a_momentum",
        "a_velocity",
        "b_momentum",
        "b_velocity",
        "a_velocity_hat",
        "b_velocity_hat",
    ]
    ftrl = _order(opts.Ftrl(use_ema=True, gradient_accumulation_steps=2))
    assert ftrl[2:] == ["a_average", "b_average", *ACC, "a_accumulator", "a_linear", "b_accumulator", "b_linear"]
    nadam = _order(opts.Nadam(gradient_accumulation_steps=2))
    assert nadam[2:] == [*ACC, "a_momentum", "a_velocity", "b_momentum", "b_velocity", nadam[-1]]
    assert nadam[-1].startswith("variable")  # an unnamed Keras variable, "variable" unique in the session
    assert _order(opts.Adafactor(gradient_accumulation_steps=2))[2:4] == ACC
    assert _order(opts.Muon(gradient_accumulation_steps=2))[2:] == [*ACC, "a_momentum", "b_momentum", "b_velocity"]
    scheduled = _order(opts.Adam(opts.schedules.ExponentialDecay(0.1, 2, 0.5), gradient_accumulation_steps=2))
    assert scheduled[:3] == ["iteration", *ACC]
    assert "gradient_accumulator" not in " ".join(_order(opts.Adam()))


def _trained(steps, epochs):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer=opts.Adam(0.05, gradient_accumulation_steps=steps), loss="mse")
    model.fit(x, y, batch_size=4, epochs=epochs, shuffle=False, verbose=0)
    return model, x, y


def test_a_saved_model_resumes_mid_accumulation(tmp_path):
    pytest.importorskip("h5py")
    model, x, y = _trained(3, 2)  # 8 calls: 2 updates, 2 gradients waiting in the accumulators
    assert np.abs(model.optimizer._accumulated_gradients[0].numpy()).sum() > 0
    model.save(tmp_path / "m.keras")
    again = tf.keras.models.load_model(tmp_path / "m.keras")
    assert again.optimizer.gradient_accumulation_steps == 3
    for got, want in zip(keras_variables(again.optimizer), keras_variables(model.optimizer)):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    for m in (model, again):
        m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for got, want in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert int(again.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy()) == 4


def test_save_own_variables_puts_the_accumulators_after_the_step_and_rate():
    model, _, _ = _trained(3, 1)
    store = {}
    model.optimizer.save_own_variables(store)
    assert len(store) == 2 + 2 + 4  # step, rate, accumulators, (momentum, velocity) per variable
    np.testing.assert_array_equal(store["2"], model.optimizer._accumulated_gradients[0].numpy())
    np.testing.assert_array_equal(store["3"], model.optimizer._accumulated_gradients[1].numpy())
    np.testing.assert_array_equal(store["5"], model.optimizer._velocities[0].numpy())


def test_config_round_trip():
    opt = opts.Adam(0.01, gradient_accumulation_steps=4)
    config = opt.get_config()
    assert config["gradient_accumulation_steps"] == 4
    again = opts.Adam.from_config(config)
    assert again.gradient_accumulation_steps == 4
    assert opts.deserialize(opts.serialize(opt)).gradient_accumulation_steps == 4
    assert opts.SGD().get_config()["gradient_accumulation_steps"] is None


@pytest.mark.parametrize("steps", [1, -2])
def test_fewer_than_two_steps_is_an_error(steps):
    with pytest.raises(ValueError, match="`gradient_accumulation_steps` must be an integer >= 2"):
        opts.SGD(gradient_accumulation_steps=steps)


@pytest.mark.parametrize("steps", [None, 0])
def test_unset_steps_update_on_every_call(steps):
    opt = opts.SGD(0.5, gradient_accumulation_steps=steps)
    var = tf.Variable(np.ones(2))
    opt.apply_gradients([(tf.constant(np.ones(2)), var)])
    np.testing.assert_allclose(var.numpy(), [0.5, 0.5])
    assert isinstance(opt.iterations, tf.Variable)
    assert not hasattr(opt, "_accumulated_gradients")


def test_iterations_is_a_tensor_counting_updates():
    opt = opts.SGD(0.1, gradient_accumulation_steps=2)
    var = tf.Variable(np.zeros(2))
    counts = []
    for _ in range(5):
        opt.apply_gradients([(tf.constant(np.ones(2)), var)])
        counts.append(int(opt.iterations.numpy()))
    assert counts == [0, 1, 1, 2, 2]
    assert int(opt._iterations.numpy()) == 5
    np.testing.assert_allclose(opt._accumulated_gradients[0].numpy(), [1.0, 1.0])
