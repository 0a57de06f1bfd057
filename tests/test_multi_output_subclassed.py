"""Subclassed models whose ``call`` returns several outputs (a list, tuple or dict): compile/fit/evaluate with
per-output losses, metrics, targets and weights, named as Keras 3 names them (checked against Keras 3.15 /
TF 2.21), numerics against NumPy."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers


class TwoHeads(keras.Model):
    """Two linear heads on the input: ``a`` (1 unit) and ``b`` (2 units)."""

    def __init__(self, returns="list"):
        super().__init__()
        self.a = layers.Dense(1)
        self.b = layers.Dense(2)
        self.returns = returns

    def call(self, x):
        if self.returns == "dict":
            return {"zz": self.a(x), "aa": self.b(x)}
        if self.returns == "tuple":
            return (self.a(x), self.b(x))
        return [self.a(x), self.b(x)]


class OneHead(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = layers.Dense(1)

    def call(self, x):
        return self.a(x)


def _data(n=16):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, rng.normal(size=(n, 1)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def _heads(m, x):
    (ka, ba), (kb, bb) = [[np.asarray(v.numpy(), "float64") for v in layer.weights] for layer in (m.a, m.b)]
    return ka, ba, kb, bb, x @ ka + ba, x @ kb + bb


def test_train_on_batch_per_output_losses_and_update_vs_numpy():
    x, y1, y2 = _data()
    m = TwoHeads()
    m.compile(keras.optimizers.SGD(0.1), loss=["mse", "mae"], loss_weights=[2.0, 0.5])
    m(x[:1])  # builds the heads so the starting weights can be read
    ka, ba, kb, bb, pa, pb = _heads(m, x)
    mse, mae = float(((pa - y1) ** 2).mean()), float(np.abs(pb - y2).mean())
    logs = m.train_on_batch(x, [y1, y2], return_dict=True)
    # Outputs without names: each output's loss is reported under its loss's name, as Keras 3 does.
    assert sorted(logs) == ["loss", "mae_loss", "mse_loss"]
    assert logs["mse_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["mae_loss"] == pytest.approx(mae, rel=1e-5)
    assert logs["loss"] == pytest.approx(2.0 * mse + 0.5 * mae, rel=1e-5)
    # One SGD step on the gradient of 2 * mse + 0.5 * mae.
    n = len(x)
    ga = 2.0 * 2.0 * (pa - y1) / (n * 1)
    gb = 0.5 * np.sign(pb - y2) / (n * 2)
    ka2, ba2, kb2, bb2, _, _ = _heads(m, x)
    np.testing.assert_allclose(ka2, ka - 0.1 * x.T @ ga, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ba2, ba - 0.1 * ga.sum(0), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(kb2, kb - 0.1 * x.T @ gb, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(bb2, bb - 0.1 * gb.sum(0), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_history_keys_and_metrics_list_outputs(run_eagerly):
    x, y1, y2 = _data()
    m = TwoHeads()
    m.compile("sgd", loss=["mse", "mae"], metrics=[["mae"], ["mae", "mse"]], run_eagerly=run_eagerly)
    h = m.fit(x, [y1, y2], epochs=2, batch_size=4, validation_split=0.25, verbose=0)
    # Keras 3's keys: metrics keep their own names, a repeated one gets a counter.
    base = ["loss", "mae", "mae_1", "mae_loss", "mse", "mse_loss"]
    assert sorted(h.history) == sorted(base + ["val_" + k for k in base])
    assert all(len(v) == 2 for v in h.history.values())
    _, _, _, _, pa, pb = _heads(m, x)
    logs = m.evaluate(x, [y1, y2], verbose=0, return_dict=True)
    assert logs["mse_loss"] == pytest.approx(float(((pa - y1) ** 2).mean()), rel=1e-5)
    assert logs["mae"] == pytest.approx(float(np.abs(pa - y1).mean()), rel=1e-5)
    assert logs["mae_1"] == pytest.approx(float(np.abs(pb - y2).mean()), rel=1e-5)
    assert logs["mse"] == pytest.approx(float(((pb - y2) ** 2).mean()), rel=1e-5)
    assert logs["mae_loss"] == pytest.approx(logs["mae_1"], rel=1e-6)


def test_tuple_outputs_one_loss_for_all_and_weighted_metrics():
    x, y1, y2 = _data()
    m = TwoHeads("tuple")
    m.compile("sgd", loss="mse", metrics=[["mae"], ["mae"]], weighted_metrics=[["mae"], None])
    m(x[:1])
    _, _, _, _, pa, pb = _heads(m, x)
    sw = np.linspace(0.5, 1.5, len(x)).astype("float32")
    logs = m.test_on_batch(x, (y1, y2), sample_weight=[sw, np.ones(len(x), "float32")], return_dict=True)
    # Both outputs' losses are named mse_loss: one key, the last output's value (as Keras 3).
    assert sorted(logs) == ["loss", "mae", "mae_1", "mse_loss", "weighted_mae"]
    se_a, se_b = ((pa - y1) ** 2).mean(1), ((pb - y2) ** 2).mean(1)
    assert logs["mse_loss"] == pytest.approx(float(se_b.mean()), rel=1e-5)
    assert logs["loss"] == pytest.approx(float((se_a * sw).mean() + se_b.mean()), rel=1e-5)
    ae_a = np.abs(pa - y1).mean(1)
    assert logs["mae"] == pytest.approx(float(ae_a.mean()), rel=1e-5)
    assert logs["weighted_mae"] == pytest.approx(float((ae_a * sw).sum() / sw.sum()), rel=1e-5)


def test_dict_outputs_dict_losses_and_targets():
    x, y1, y2 = _data()
    m = TwoHeads("dict")
    m.compile("sgd", loss={"zz": "mse", "aa": "mae"}, loss_weights={"zz": 2.0, "aa": 1.0}, metrics={"zz": ["mae"]})
    h = m.fit(x, {"zz": y1, "aa": y2}, epochs=2, batch_size=8, verbose=0)
    assert sorted(h.history) == ["aa_loss", "loss", "zz_loss", "zz_mae"]
    _, _, _, _, pa, pb = _heads(m, x)
    mse, mae = float(((pa - y1) ** 2).mean()), float(np.abs(pb - y2).mean())
    logs = m.evaluate(x, {"zz": y1, "aa": y2}, verbose=0, return_dict=True)
    assert logs["zz_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["aa_loss"] == pytest.approx(mae, rel=1e-5)
    assert logs["loss"] == pytest.approx(2.0 * mse + mae, rel=1e-5)
    assert logs["zz_mae"] == pytest.approx(float(np.abs(pa - y1).mean()), rel=1e-5)
    # A list of targets follows the flat (sorted-key) order: aa, zz.
    assert m.evaluate(x, [y2, y1], verbose=0, return_dict=True)["loss"] == pytest.approx(logs["loss"], rel=1e-6)


def test_dict_outputs_list_loss_in_sorted_order_and_partial_loss_dict():
    x, y1, y2 = _data()
    m = TwoHeads("dict")
    m.compile("sgd", loss=["mse", "mae"])  # aa: mse, zz: mae
    m(x[:1])
    _, _, _, _, pa, pb = _heads(m, x)
    logs = m.test_on_batch(x, {"zz": y1, "aa": y2}, return_dict=True)
    assert logs["aa_loss"] == pytest.approx(float(((pb - y2) ** 2).mean()), rel=1e-5)
    assert logs["zz_loss"] == pytest.approx(float(np.abs(pa - y1).mean()), rel=1e-5)
    m2 = TwoHeads("dict")
    m2.compile("sgd", loss={"zz": "mse"})  # one output without a loss: only `loss` is reported
    logs = m2.test_on_batch(x, {"zz": y1, "aa": y2}, return_dict=True)
    assert list(logs) == ["loss"]


def test_dataset_targets_and_validation_data():
    x, y1, y2 = _data()
    m = TwoHeads("dict")
    m.compile("sgd", loss={"zz": "mse", "aa": "mae"})
    ds = tf.data.Dataset.from_tensor_slices((x, {"zz": y1, "aa": y2})).batch(4)
    h = m.fit(ds, epochs=2, validation_data=ds, verbose=0)
    assert sorted(h.history) == ["aa_loss", "loss", "val_aa_loss", "val_loss", "val_zz_loss", "zz_loss"]
    m2 = TwoHeads()
    m2.compile("sgd", loss=["mse", "mae"])
    h2 = m2.fit(tf.data.Dataset.from_tensor_slices((x, (y1, y2))).batch(4), epochs=1, verbose=0)
    assert sorted(h2.history) == ["loss", "mae_loss", "mse_loss"]
    _, _, _, _, pa, pb = _heads(m2, x)
    logs = m2.evaluate(x, [y1, y2], verbose=0, return_dict=True)
    assert logs["mse_loss"] == pytest.approx(float(((pa - y1) ** 2).mean()), rel=1e-5)


def test_recompile_resolves_again():
    x, y1, y2 = _data()
    m = TwoHeads()
    m.compile("sgd", loss=["mse", "mae"])
    m.fit(x, [y1, y2], verbose=0)
    m.compile("sgd", loss=["mae", "mae"], metrics=[["mse"], None])
    assert sorted(m.fit(x, [y1, y2], verbose=0).history) == ["loss", "mae_loss", "mse"]


def test_errors():
    x, y1, y2 = _data()
    m = TwoHeads()
    m.compile("sgd", loss=["mse", "mae"])
    with pytest.raises(ValueError, match="different structures"):
        m.fit(x, y1, verbose=0)  # one target for two outputs
    with pytest.raises(TypeError, match="without names"):
        m.fit(x, {"a": y1, "b": y2}, verbose=0)  # list outputs take no dict of targets
    m = TwoHeads()
    m.compile("sgd", loss={"a": "mse", "b": "mae"})
    with pytest.raises(TypeError, match="without names"):
        m.fit(x, [y1, y2], verbose=0)
    m = TwoHeads()
    m.compile("sgd", loss=["mse", "mae", "mse"])
    with pytest.raises(KeyError, match=r"path: \(2,\)"):
        m.fit(x, [y1, y2], verbose=0)
    m = TwoHeads("dict")
    m.compile("sgd", loss={"zz": "mse", "bad": "mae"})
    with pytest.raises(KeyError, match="'bad'"):
        m.fit(x, {"zz": y1, "aa": y2}, verbose=0)
    m = TwoHeads()
    m.compile("sgd", loss=["mse", "mae"], metrics=["mae"])  # not one entry per output
    with pytest.raises(ValueError, match="Invalid `metrics`"):
        m.fit(x, [y1, y2], verbose=0)
    m = OneHead()
    m.compile("sgd", loss=["mse", "mae"])  # two losses for one output
    with pytest.raises(ValueError, match="single output"):
        m.fit(x, y1, verbose=0)


def test_single_output_subclassed_model_unchanged():
    x, y1, _ = _data()
    m = OneHead()
    m.compile("sgd", loss="mse", metrics=["mae"])
    h = m.fit(x, y1, epochs=1, verbose=0)
    assert sorted(h.history) == ["loss", "mae"]
    p = np.asarray(m.predict(x, verbose=0), "float64")
    assert m.evaluate(x, y1, verbose=0)[0] == pytest.approx(float(((p - y1) ** 2).mean()), rel=1e-5)


class OverriddenStep(TwoHeads):
    """The customizing-fit guide's step: compute_loss, apply the gradients, compute_metrics."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
        return self.compute_metrics(x, y, y_pred)


def test_overridden_train_step_gets_targets_as_list():
    x, y1, y2 = _data()
    m = OverriddenStep()
    m.compile("sgd", loss=["mse", "mae"], metrics=[["mae"], None])
    m(x[:1])
    _, _, _, _, pa, pb = _heads(m, x)
    mse, mae = float(((pa - y1) ** 2).mean()), float(np.abs(pb - y2).mean())
    h = m.fit(x, [y1, y2], batch_size=len(x), epochs=1, verbose=0).history
    assert h["mse_loss"][0] == pytest.approx(mse, rel=1e-5)
    assert h["mae_loss"][0] == pytest.approx(mae, rel=1e-5)
    assert h["loss"][0] == pytest.approx(mse + mae, rel=1e-5)
    assert h["mae"][0] == pytest.approx(float(np.abs(pa - y1).mean()), rel=1e-5)
