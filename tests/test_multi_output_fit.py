"""Models with several outputs: compile with per-output losses/metrics, fit/evaluate with list, dict and dataset
targets (Keras 3's log names and orders, checked against Keras 3 / TF 2.21), numerics against NumPy."""

import re

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers


def _model(dict_outputs=False):
    # The functional API guide's shape of model: one trunk, a regression head and a classification head.
    inp = keras.Input((4,), name="inp")
    h = layers.Dense(8, activation="relu")(inp)
    o1 = layers.Dense(1, name="priority")(h)
    o2 = layers.Dense(3, activation="softmax", name="department")(h)
    return keras.Model(inp, {"priority": o1, "department": o2} if dict_outputs else [o1, o2])


def _data(n=16):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    y1 = rng.normal(size=(n, 1)).astype("float32")
    y2 = rng.integers(0, 3, size=(n,))
    return x, y1, y2


def _np_losses(m, x, y1, y2, sw=None):
    p1, p2 = m.predict(x, verbose=0)
    se = ((p1 - y1) ** 2).mean(axis=1)
    ce = -np.log(np.clip(p2[np.arange(len(y2)), y2], 1e-7, 1.0))
    w = np.ones(len(x)) if sw is None else sw
    return float((se * w).mean()), float(ce.mean()), p1, p2


def test_list_losses_weights_and_metrics_numerics():
    m = _model()
    x, y1, y2 = _data()
    m.compile(
        "sgd", loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[1.0, 0.2], metrics=[["mae"], ["accuracy"]]
    )
    l1, l2, p1, p2 = _np_losses(m, x, y1, y2)
    logs = m.test_on_batch(x, [y1, y2], return_dict=True)
    assert logs["priority_loss"] == pytest.approx(l1, rel=1e-5)
    assert logs["department_loss"] == pytest.approx(l2, rel=1e-5)
    assert logs["loss"] == pytest.approx(l1 + 0.2 * l2, rel=1e-5)
    assert logs["priority_mae"] == pytest.approx(float(np.abs(p1 - y1).mean()), rel=1e-5)
    assert logs["department_accuracy"] == pytest.approx(float((p2.argmax(1) == y2).mean()))
    # Keras 3's list order: loss, output losses in output order, then the metrics sorted by name.
    values = m.evaluate(x, [y1, y2], verbose=0)
    expected = [logs[k] for k in ["loss", "priority_loss", "department_loss", "department_accuracy", "priority_mae"]]
    np.testing.assert_allclose(values, expected, rtol=1e-5)


def test_train_on_batch_one_gradient_of_weighted_sum():
    x, y1, y2 = _data()
    m = _model()
    m.compile(keras.optimizers.SGD(0.1), loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[2.0, 0.5])
    before = [w.copy() for w in m.get_weights()]
    m.train_on_batch(x, [y1, y2])
    after = m.get_weights()
    # The same update by hand: gradient of 2*mse + 0.5*ce with a tape.
    m.set_weights(before)
    with tf.GradientTape() as tape:
        p1, p2 = m(x, training=True)
        total = 2.0 * keras.losses.MeanSquaredError()(y1, p1) + 0.5 * keras.losses.SparseCategoricalCrossentropy()(
            y2, p2
        )
    grads = tape.gradient(total, m.trainable_weights)
    for w0, g, w1 in zip(before, grads, after):
        np.testing.assert_allclose(w0 - 0.1 * g.numpy(), w1, rtol=1e-4, atol=1e-6)


def test_history_keys_dict_forms_and_validation():
    x, y1, y2 = _data()
    m = _model()
    m.compile(
        "sgd",
        loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
        metrics={"priority": ["mae"], "department": ["accuracy"]},
    )
    h = m.fit(x, {"priority": y1, "department": y2}, epochs=2, verbose=0, validation_split=0.25)
    assert sorted(h.history) == [
        "department_accuracy",
        "department_loss",
        "loss",
        "priority_loss",
        "priority_mae",
        "val_department_accuracy",
        "val_department_loss",
        "val_loss",
        "val_priority_loss",
        "val_priority_mae",
    ]
    assert len(h.history["loss"]) == 2


def test_flat_metric_list_one_per_output_and_single_loss_for_all():
    x, y1, y2 = _data()
    m = _model()
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"], metrics=["mae", "accuracy"])
    assert sorted(m.fit(x, [y1, y2], verbose=0).history) == [
        "department_accuracy",
        "department_loss",
        "loss",
        "priority_loss",
        "priority_mae",
    ]
    m.compile("sgd", loss="mse")  # as Keras 3: a compile without metrics keeps the earlier compile's
    logs = m.evaluate(x, [y1, y1], verbose=0, return_dict=True)
    assert sorted(logs) == ["department_accuracy", "department_loss", "loss", "priority_loss", "priority_mae"]
    assert logs["loss"] == pytest.approx(logs["priority_loss"] + logs["department_loss"], rel=1e-5)


def test_none_loss_and_sample_weights():
    x, y1, y2 = _data()
    m = _model()
    sw = np.arange(16).astype("float32")
    m.compile("sgd", loss={"priority": "mse", "department": None}, weighted_metrics={"priority": ["mae"]})
    logs = m.test_on_batch(x, {"priority": y1, "department": y2}, sample_weight={"priority": sw}, return_dict=True)
    l1, _, p1, _ = _np_losses(m, x, y1, y2, sw)
    assert sorted(logs) == ["loss", "priority_mae"]
    assert logs["loss"] == pytest.approx(l1, rel=1e-5)
    mae = float((np.abs(p1 - y1).mean(1) * sw).sum() / sw.sum())
    assert logs["priority_mae"] == pytest.approx(mae, rel=1e-5)
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"])
    l1, l2, _, _ = _np_losses(m, x, y1, y2, sw)
    logs = m.test_on_batch(x, [y1, y2], sample_weight=[sw, None], return_dict=True)
    assert logs["priority_loss"] == pytest.approx(l1, rel=1e-5)
    assert logs["department_loss"] == pytest.approx(l2, rel=1e-5)


@pytest.mark.parametrize("as_dict", [False, True])
def test_dataset_targets(as_dict):
    x, y1, y2 = _data()
    m = _model()
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"], metrics=[None, ["accuracy"]])
    y = {"priority": y1, "department": y2} if as_dict else (y1, y2)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    h = m.fit(ds, epochs=1, verbose=0, shuffle=False)
    assert sorted(h.history) == ["department_accuracy", "department_loss", "loss", "priority_loss"]
    ev = m.evaluate(ds, verbose=0, return_dict=True)
    arr = m.evaluate(x, [y1, y2], verbose=0, batch_size=4, return_dict=True)
    for k in arr:
        assert ev[k] == pytest.approx(arr[k], rel=1e-5)


def test_dict_outputs_model_and_run_eagerly():
    x, y1, y2 = _data()
    m = _model(dict_outputs=True)
    m.compile(
        "sgd",
        loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
        metrics={"department": "accuracy"},
    )
    graph_logs = m.evaluate(x, {"priority": y1, "department": y2}, verbose=0, return_dict=True)
    m.compile(
        "sgd",
        loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
        metrics={"department": "accuracy"},
        run_eagerly=True,
    )
    eager_logs = m.evaluate(x, {"priority": y1, "department": y2}, verbose=0, return_dict=True)
    assert sorted(graph_logs) == ["department_accuracy", "department_loss", "loss", "priority_loss"]
    for k in graph_logs:
        assert eager_logs[k] == pytest.approx(graph_logs[k], rel=1e-5)
    h = m.fit(x, {"priority": y1, "department": y2}, verbose=0)
    assert sorted(h.history) == sorted(graph_logs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(loss=["mse", "mse", "mse"]), "one entry per model output"),
        (dict(loss=["mse", "mse"], loss_weights=[1.0]), "loss_weights"),
        (dict(loss="mse", metrics=["mae"]), "Invalid `metrics`"),
        (dict(loss="mse", metrics={"foo": ["mae"]}), "Invalid `metrics`"),
    ],
)
def test_bad_compile_arguments(kwargs, match):
    m = _model()
    with pytest.raises(ValueError, match=match):
        m.compile("sgd", **kwargs)


@pytest.mark.parametrize("loss", [{"prio": "mse", "priority": "mse", "department": "mse"}, {"priority": "mse"}])
def test_loss_dict_not_keyed_by_the_outputs_fails_at_fit(loss):
    """As Keras 3: compile accepts a loss dict whose keys are not the output names; fit, evaluate and
    train_on_batch raise its ValueError, and a later compile with a full loss works."""
    m = _model()
    m.compile("sgd", loss=loss)
    assert m.metrics_names == ["loss"]
    x, y1 = np.zeros((4, 4), "float32"), np.zeros((4, 1), "float32")
    y = {"priority": y1, "department": np.zeros((4, 3), "float32")}
    message = re.escape(f"Expected keys ['priority', 'department'] in loss dict, but found loss.keys()={list(loss)}")
    for call in (lambda: m.fit(x, y, verbose=0), lambda: m.evaluate(x, y, verbose=0), lambda: m.train_on_batch(x, y)):
        with pytest.raises(ValueError, match=message):
            call()
    m.compile("sgd", loss={"priority": "mse", "department": "mse"})
    assert sorted(m.fit(x, y, verbose=0).history) == ["department_loss", "loss", "priority_loss"]


@pytest.mark.parametrize(
    "y, match",
    [
        (lambda y1: [y1], "one entry per model output"),
        (lambda y1: (y1, y1, y1), "one entry per model output"),
        (lambda y1: {"priority": y1}, "Expected keys"),
        (lambda y1: {"a": y1, "b": y1}, "Expected keys"),
        (lambda y1: y1, "different structures"),
    ],
)
def test_bad_targets(y, match):
    x, y1, _ = _data()
    m = _model()
    m.compile("sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match=match):
        m.fit(x, y(y1), verbose=0)


def test_metrics_names_follow_keras_3():
    """Keras 3's ``model.metrics``: the loss tracker, one ``compile_metrics`` container when compile got
    metrics, then the output loss trackers once a batch built them (values checked against Keras 3)."""
    m = _model()
    assert m.metrics_names == []
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
    assert m.metrics_names == ["loss", "compile_metrics"]
    with pytest.raises(ValueError, match="not yet been built"):
        m.metrics[1].result()
    x, y1, y2 = _data()
    m.fit(x, [y1, y2], verbose=0)
    assert m.metrics_names == ["loss", "compile_metrics", "priority_loss", "department_loss"]
    logs = m.evaluate(x, [y1, y2], verbose=0, return_dict=True)
    assert sorted(m.metrics[1].result()) == ["department_accuracy", "priority_mae"]
    assert {k: float(v) for k, v in m.get_metrics_result().items()} == pytest.approx(logs)
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"])  # keeps the metrics, as Keras 3 does
    assert m.metrics_names == ["loss", "compile_metrics"]
    m.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"], metrics=[])
    assert m.metrics_names == ["loss", "compile_metrics"]
    single = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    single.compile("sgd", "mse")
    single.fit(x, y1, verbose=0)
    assert single.metrics_names == ["loss"]
