"""``history.history`` key order after ``fit``: Keras 3's callback list sorts an epoch's logs by name,
validation logs among the others, and callbacks add keys after that in their own order (History runs last).
Expected orders recorded from tensorflow-cpu 2.21 (Keras 3.15)."""

import numpy as np

import ferroflow as tf

X = np.random.RandomState(0).rand(8, 3).astype("float32")
Y = (X.sum(1, keepdims=True) > 1.5).astype("float32")
BASE = ["accuracy", "loss", "mae", "val_accuracy", "val_loss", "val_mae"]


def _model(metrics=("accuracy", "mae"), **kwargs):
    m = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer="sgd", loss="binary_crossentropy", metrics=list(metrics), **kwargs)
    return m


class _AddsLogs(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["zzz"] = 1.0
        logs["aaa"] = 2.0


def _plateau():
    return tf.keras.callbacks.ReduceLROnPlateau(patience=0, min_delta=10)


def test_validation_data_and_split():
    assert list(_model().fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y)).history) == BASE
    assert list(_model().fit(X, Y, epochs=1, verbose=0, validation_split=0.25).history) == BASE
    assert list(_model(run_eagerly=True).fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y)).history) == BASE


def test_callbacks_add_keys_after_in_their_order():
    h = _model().fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y), callbacks=[_AddsLogs()])
    assert list(h.history) == BASE + ["zzz", "aaa"]
    h = _model().fit(X, Y, epochs=2, verbose=0, validation_data=(X, Y), callbacks=[_plateau()])
    assert list(h.history) == BASE + ["learning_rate"]
    assert h.history["learning_rate"] == [0.009999999776482582, 0.009999999776482582]
    h = _model().fit(X, Y, epochs=2, verbose=0, validation_data=(X, Y), callbacks=[_AddsLogs(), _plateau()])
    assert list(h.history) == BASE + ["zzz", "aaa", "learning_rate"]
    scheduler = tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr)
    h = _model().fit(X, Y, epochs=2, verbose=0, validation_data=(X, Y), callbacks=[scheduler, _AddsLogs()])
    assert list(h.history) == BASE + ["learning_rate", "zzz", "aaa"]
    plateau = tf.keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0)
    h = _model().fit(X, Y, epochs=2, verbose=0, callbacks=[plateau])
    assert list(h.history) == ["accuracy", "loss", "mae", "learning_rate"]


def test_more_metrics_and_weighted_metrics():
    auc = tf.keras.metrics.AUC(name="auc")
    h = _model(["mae", "accuracy", auc]).fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    assert list(h.history) == ["accuracy", "auc", "loss", "mae", "val_accuracy", "val_auc", "val_loss", "val_mae"]
    h = _model([]).fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    assert list(h.history) == ["loss", "val_loss"]
    h = _model(weighted_metrics=["mse"]).fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    assert list(h.history) == ["accuracy", "loss", "mae", "mse", "val_accuracy", "val_loss", "val_mae", "val_mse"]
    h = _model().fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y), validation_freq=2)
    assert list(h.history) == BASE
    assert [len(h.history[k]) for k in BASE] == [3, 3, 3, 1, 1, 1]


def _two_outputs(first):
    i = tf.keras.Input((3,), name="in")
    o1 = tf.keras.layers.Dense(1, name=first, activation="sigmoid")(i)
    o2 = tf.keras.layers.Dense(1, name="b")(i)
    m = tf.keras.Model(i, [o1, o2])
    m.compile("sgd", loss=["binary_crossentropy", "mse"], metrics=[["accuracy"], ["mae"]])
    return m


def test_multi_output_keys_sort_with_the_validation_keys():
    h = _two_outputs("a").fit(X, [Y, Y], epochs=1, verbose=0, validation_data=(X, [Y, Y]))
    assert list(h.history) == [
        "a_accuracy", "a_loss", "b_loss", "b_mae", "loss",
        "val_a_accuracy", "val_a_loss", "val_b_loss", "val_b_mae", "val_loss",
    ]  # fmt: skip
    # An output named after "val_": its keys come after the validation keys, as sorting puts them.
    h = _two_outputs("z").fit(X, [Y, Y], epochs=1, verbose=0, validation_data=(X, [Y, Y]))
    assert list(h.history) == [
        "b_loss", "b_mae", "loss", "val_b_loss", "val_b_mae", "val_loss",
        "val_z_accuracy", "val_z_loss", "z_accuracy", "z_loss",
    ]  # fmt: skip


class _OwnSteps(tf.keras.Model):
    def train_step(self, data):
        return {"zeta": 1.0, "alpha": 2.0, "mid": 3.0}

    def test_step(self, data):
        return {"zz": 1.0, "aa": 2.0}


class _NestedSteps(tf.keras.Model):
    def train_step(self, data):
        return {"loss": 1.0, "compile_metrics": {"mae": 2.0, "acc": 3.0}}

    def test_step(self, data):
        return {"zz": 1.0, "aa": 2.0}


def test_overridden_steps():
    i = tf.keras.Input((3,))
    m = _OwnSteps(i, tf.keras.layers.Dense(1)(i))
    m.compile("sgd", "mse")
    h = m.fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y))
    assert list(h.history) == ["alpha", "mid", "val_aa", "val_zz", "zeta"]
    i = tf.keras.Input((3,))
    m = _NestedSteps(i, tf.keras.layers.Dense(1)(i))
    m.compile("sgd", "mse")
    seen = []
    cb = tf.keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(list(logs)))
    h = m.fit(X, Y, epochs=1, verbose=0, batch_size=8, validation_data=(X, Y), callbacks=[cb])
    # A nested dict is merged where its key sorts (compile_metrics before loss), its own keys sorted.
    assert list(h.history) == ["acc", "mae", "loss", "val_aa", "val_zz"]
    assert seen == [["acc", "mae", "loss"]]


def test_returned_dicts_are_sorted():
    m = _model(["mae", "accuracy"])
    assert list(m.evaluate(X, Y, verbose=0, return_dict=True)) == ["accuracy", "loss", "mae"]
    assert list(m.train_on_batch(X, Y, return_dict=True)) == ["accuracy", "loss", "mae"]
    assert list(m.test_on_batch(X, Y, return_dict=True)) == ["accuracy", "loss", "mae"]
    m = _two_outputs("z")
    want = ["b_loss", "b_mae", "loss", "z_accuracy", "z_loss"]
    assert list(m.evaluate(X, [Y, Y], verbose=0, return_dict=True)) == want
    assert list(m.train_on_batch(X, [Y, Y], return_dict=True)) == want
    assert m.metrics_names == ["loss", "compile_metrics", "z_loss", "b_loss"]
