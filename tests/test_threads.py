"""One model used from several Python threads: concurrent ``predict`` calls agree with single-threaded ones, and
a second ``fit`` while one is running raises a clear error instead of corrupting the model."""

import threading

import numpy as np

import ferroflow as tf


def _model(name="threads"):
    model = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(32, activation="relu"),
                                 tf.keras.layers.Dense(4)], name=name)
    model.compile(tf.keras.optimizers.SGD(0.01), "mse")
    return model


def test_concurrent_predict_matches_single_threaded():
    model = _model()
    inputs = [np.random.RandomState(i).rand(50 + 7 * i, 16).astype("float32") for i in range(8)]
    expected = [model.predict(x, batch_size=16, verbose=0) for x in inputs]
    results: dict = {}
    errors: list = []

    def work(i):
        try:
            results[i] = [model.predict(inputs[i], batch_size=16, verbose=0) for _ in range(10)]
        except Exception as e:  # reported below, with the thread's index
            errors.append((i, repr(e)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for i, outs in results.items():
        for out in outs:
            np.testing.assert_array_equal(out, expected[i])
    assert len(results) == 8


def test_second_fit_from_another_thread_is_refused_while_training():
    model = _model("busy")
    rng = np.random.RandomState(0)
    x, y = rng.rand(64, 16).astype("float32"), rng.rand(64, 4).astype("float32")
    seen: dict = {}
    started, release = threading.Event(), threading.Event()

    class Hold(tf.keras.callbacks.Callback):
        """Keeps the first fit inside its epoch until the second thread has tried its own fit."""

        def on_epoch_begin(self, epoch, logs=None):
            started.set()
            release.wait(30)

    def second():
        started.wait(30)
        try:
            model.fit(x, y, verbose=0)
            seen["error"] = None
        except RuntimeError as e:
            seen["error"] = str(e)
        finally:
            release.set()

    t = threading.Thread(target=second)
    t.start()
    weights_before = model.get_weights()
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[Hold()])
    t.join()
    assert "Model 'busy' is already being trained" in seen["error"]
    assert int(model.optimizer.iterations.numpy()) == 8  # only the first fit's 8 steps ran
    assert np.isfinite(history.history["loss"][0])
    assert not np.array_equal(model.get_weights()[0], weights_before[0])
    model.fit(x, y, verbose=0)  # free again once the first fit returned
    assert int(model.optimizer.iterations.numpy()) == 10


def test_fit_inside_a_fit_callback_is_refused():
    model = _model("nested")
    x, y = np.zeros((8, 16), "float32"), np.zeros((8, 4), "float32")
    seen: list = []

    class Nested(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            try:
                self.model.fit(x, y, verbose=0)
            except RuntimeError as e:
                seen.append(str(e))

    model.fit(x, y, verbose=0, callbacks=[Nested()])
    assert len(seen) == 1 and "already being trained or evaluated" in seen[0]
