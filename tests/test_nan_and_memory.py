"""NaN/Inf in training data and resident memory over repeated calls.

NaN data must train without crashing, ``TerminateOnNaN`` must stop at the first bad batch, and a thousand
``predict`` calls or twenty ``fit`` calls on one model must not grow memory (checked in a fresh process).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ferroflow as tf


def _model():
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
    model.compile(tf.keras.optimizers.SGD(0.01), "mse")
    return model


def _data(bad_row=None, value=np.nan):
    rng = np.random.RandomState(0)
    x, y = rng.rand(40, 4).astype("float32"), rng.rand(40, 3).astype("float32")
    if bad_row is not None:
        x[bad_row] = value
    return x, y


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_training_on_non_finite_data_does_not_crash(value):
    model = _model()
    x, y = _data(bad_row=13, value=value)
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert not np.isfinite(history.history["loss"][-1])
    assert model.predict(x[:2], verbose=0).shape == (2, 3)


def test_terminate_on_nan_stops_at_the_first_bad_batch(capsys):
    model = _model()
    x, y = _data(bad_row=13)  # row 13 is in batch 3 (batches of 4, no shuffling)
    seen = []
    record = tf.keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    history = model.fit(x, y, batch_size=4, epochs=5, shuffle=False, verbose=0,
                        callbacks=[tf.keras.callbacks.TerminateOnNaN(), record])
    assert seen == [0, 1, 2, 3]
    assert int(model.optimizer.iterations.numpy()) == 4
    assert history.epoch == [0] and len(history.history["loss"]) == 1
    assert np.isnan(history.history["loss"][0])
    assert "Batch 3: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_lets_clean_data_train_every_epoch():
    model = _model()
    x, y = _data()
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
    assert history.epoch == [0, 1, 2] and np.isfinite(history.history["loss"]).all()


_MEMORY_CHILD = textwrap.dedent("""
    import json, os
    import numpy as np
    import ferroflow as tf

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    rng = np.random.RandomState(0)
    x, y = rng.rand(512, 64).astype("float32"), rng.randint(0, 10, 512)
    model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(128, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    small = x[:32]
    for _ in range(100):  # warm-up: plans, allocator pools, lazily imported modules
        model.predict(small, verbose=0)
    for _ in range(3):
        model.fit(x, y, batch_size=32, verbose=0)
    start = rss()
    for _ in range(1000):
        model.predict(small, verbose=0)
    after_predict = rss()
    for _ in range(20):
        model.fit(x, y, batch_size=32, verbose=0)
    after_fit = rss()
    print("RESULT " + json.dumps({"predict": after_predict - start, "fit": after_fit - after_predict}))
""")


def test_repeated_predict_and_fit_do_not_grow_memory():
    proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [s for s in proc.stdout.splitlines() if s.startswith("RESULT ")][0]
    growth = json.loads(line[len("RESULT "):])
    assert growth["predict"] < 10 * 2**20, growth
    assert growth["fit"] < 10 * 2**20, growth
