"""``compile(run_eagerly=True)``, ``model.run_eagerly`` and overridden train/test/predict steps.

Eager steps must give the compiled path's losses, metrics and weights; Python side effects in ``call`` and in
an overridden step must happen once per batch when running eagerly.
"""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


def _mlp():
    return keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")]
    )


def _convnet():
    return keras.Sequential(
        [
            keras.Input((6, 6, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def _data(shape):
    rng = np.random.default_rng(0)
    return rng.normal(size=(40,) + shape).astype("float32"), rng.integers(0, 3, 40)


def _run_everything(make, shape, run_eagerly):
    tf.keras.utils.set_random_seed(7)
    model = make()
    model.compile(
        keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"], run_eagerly=run_eagerly
    )
    assert model.run_eagerly is run_eagerly
    x, y = _data(shape)
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False, validation_split=0.25)
    out = {"history": history.history}
    out["evaluate"] = model.evaluate(x, y, batch_size=16, verbose=0)
    out["predict"] = model.predict(x, batch_size=16, verbose=0)
    out["train_on_batch"] = model.train_on_batch(x[:10], y[:10])
    out["test_on_batch"] = model.test_on_batch(x[:10], y[:10], return_dict=True)
    out["predict_on_batch"] = model.predict_on_batch(x[:5])
    out["metrics"] = [float(v) for v in model.get_metrics_result().values()]
    out["weights"] = [w.numpy() for w in model.weights]
    return out


@pytest.mark.parametrize("make, shape", [(_mlp, (4,)), (_convnet, (6, 6, 1))], ids=["mlp", "convnet"])
def test_eager_steps_match_the_compiled_steps(make, shape):
    compiled = _run_everything(make, shape, False)
    eager = _run_everything(make, shape, True)
    assert compiled["history"].keys() == eager["history"].keys() == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for key, values in compiled["history"].items():
        np.testing.assert_allclose(values, eager["history"][key], rtol=1e-5, atol=1e-6)
    for key in ("evaluate", "predict", "train_on_batch", "predict_on_batch", "metrics"):
        np.testing.assert_allclose(compiled[key], eager[key], rtol=1e-5, atol=1e-6)
    for key, value in compiled["test_on_batch"].items():
        np.testing.assert_allclose(value, eager["test_on_batch"][key], rtol=1e-5, atol=1e-6)
    for a, b in zip(compiled["weights"], eager["weights"]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # Training moved the weights: the comparison above is not of two untouched models.
    tf.keras.utils.set_random_seed(7)
    fresh = [w.numpy() for w in make().weights]
    assert any(not np.allclose(a, b) for a, b in zip(fresh, eager["weights"]))


class _Printing(keras.Model):
    """A subclassed model whose ``call`` has a Python side effect."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.calls = []

    def call(self, x):
        print("call with batch of", x.shape[0])
        self.calls.append(x.shape[0])
        return self.dense(x)


def _regression():
    x = (np.arange(20, dtype="float32").reshape(10, 2) / 10.0).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


def test_call_runs_every_batch_only_when_eager(capsys):
    x, y = _regression()
    model = _Printing()
    model.compile("sgd", "mse")
    assert model.run_eagerly is False
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    traced = len(model.calls)
    assert traced <= 2  # traced into the compiled step, not run per batch
    model.calls.clear()
    model.run_eagerly = True  # the setter takes effect on the next fit
    assert model.run_eagerly is True
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert model.calls == [1, 4, 4, 2, 4, 4, 2]  # a first sample resolves the metrics, then every batch
    assert capsys.readouterr().out.count("call with batch of 4") >= 4
    model.calls.clear()
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.predict(x, batch_size=4, verbose=0)
    assert model.calls[-6:] == [4, 4, 2, 4, 4, 2]


def test_run_functions_eagerly_forces_eager_steps():
    x, y = _regression()
    model = _Printing()
    model.compile("sgd", "mse")
    tf.config.run_functions_eagerly(True)
    try:
        assert model.run_eagerly is False  # as in Keras, the property keeps its own value
        model.fit(x, y, batch_size=5, epochs=1, verbose=0)
        assert model.calls[-2:] == [5, 5]
    finally:
        tf.config.run_functions_eagerly(False)
    model.calls.clear()
    model.fit(x, y, batch_size=5, epochs=3, verbose=0)
    assert len(model.calls) <= 2


class _NumpyStep(keras.Model):
    """A ``train_step`` that needs eager tensors: ``.numpy()`` and a Python ``if`` on a tensor's value."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.step_losses = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        if loss > 0:
            self.step_losses.append(float(loss.numpy()))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_custom_train_step_with_numpy_runs_every_step_when_eager():
    x, y = _regression()
    model = _NumpyStep()
    model.compile("sgd", "mse", run_eagerly=True)
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(model.step_losses) == 6  # 3 batches x 2 epochs
    assert list(history.history) == ["loss"]
    # The epoch's loss is the loss tracker's mean over the epoch's batches (reset each epoch).
    np.testing.assert_allclose(history.history["loss"][1], np.mean(model.step_losses[3:]), rtol=1e-6)


def test_custom_train_step_with_numpy_fails_when_traced():
    x, y = _regression()
    model = _NumpyStep()
    model.compile("sgd", "mse")
    with pytest.raises(TypeError, match="compile the model with run_eagerly=True"):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert model.step_losses == []
    tf.config.run_functions_eagerly(True)
    try:
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(model.step_losses) == 3


class _TracedStep(keras.Model):
    """A ``train_step`` written for ``tf.function``: traced, not run in Python, per batch."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.traces = 0

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.traces += 1
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - self(x, training=True)))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_custom_train_step_runs_each_batch(run_eagerly):
    x, y = _regression()
    model = _TracedStep()
    model.compile(keras.optimizers.SGD(0.1), run_eagerly=run_eagerly)
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False)
    if run_eagerly:
        assert model.traces == 9
    else:
        assert model.traces <= 2  # one trace per input shape family (the short last batch may add one)
    assert int(model.optimizer.iterations.numpy()) == 9
    # The logs are the last batch's returned values: the loss of that batch, before its update.
    w, b = model.dense.kernel.numpy(), model.dense.bias.numpy()
    assert np.isfinite(history.history["loss"]).all()
    assert history.history["loss"][-1] < history.history["loss"][0]
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(pred, x @ w + b, rtol=1e-5, atol=1e-6)


class _Steps(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def test_step(self, data):
        x, y = data
        self.seen.append(("test", int(x.numpy().shape[0])))
        return super().test_step(data)

    def predict_step(self, data):
        self.seen.append(("predict", int(data.numpy().shape[0])))
        return {"doubled": 2.0 * self(data)}


def test_custom_test_and_predict_steps_when_eager():
    x, y = _regression()
    model = _Steps()
    model.compile("sgd", "mse", metrics=["mae"], run_eagerly=True)
    logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    assert model.seen == [("test", 4), ("test", 4), ("test", 2)]
    pred = x @ model.dense.kernel.numpy() + model.dense.bias.numpy()
    np.testing.assert_allclose(logs["loss"], np.mean((pred - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(logs["mae"], np.mean(np.abs(pred - y)), rtol=1e-5)
    model.seen.clear()
    out = model.predict(x, batch_size=4, verbose=0)
    assert model.seen == [("predict", 4), ("predict", 4), ("predict", 2)]
    assert list(out) == ["doubled"]
    np.testing.assert_allclose(out["doubled"], 2 * pred, rtol=1e-5, atol=1e-6)


def test_eager_fit_on_a_dataset_matches_the_compiled_fit():
    x, y = _data((4,))
    results = []
    for run_eagerly in (False, True):
        tf.keras.utils.set_random_seed(3)
        model = _mlp()
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"], run_eagerly=run_eagerly)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
        history = model.fit(ds, epochs=2, verbose=0, shuffle=False)
        results.append((history.history, [w.numpy() for w in model.weights]))
    for key, values in results[0][0].items():
        np.testing.assert_allclose(values, results[1][0][key], rtol=1e-5, atol=1e-6)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_eager_fit_calls_batch_callbacks_and_stops():
    x, y = _data((4,))
    model = _mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=True)
    batches = []

    def on_batch_end(batch, logs):
        batches.append((batch, logs["loss"]))
        if batch == 1:
            model.stop_training = True

    model.fit(
        x,
        y,
        batch_size=8,
        epochs=3,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_train_batch_end=on_batch_end)],
    )
    assert [b for b, _ in batches] == [0, 1]
    assert int(model.optimizer.iterations.numpy()) == 2


def test_eager_steps_scale_the_loss_as_the_compiled_step():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 4)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")
    results = []
    for run_eagerly in (False, True):
        tf.keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
        model.compile(keras.optimizers.SGD(0.05, loss_scale_factor=8.0), "mse", run_eagerly=run_eagerly)
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        results.append((history.history["loss"], [w.numpy() for w in model.weights]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
