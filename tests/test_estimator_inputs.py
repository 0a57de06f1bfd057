"""tf.compat.v1.estimator.inputs: numpy_input_fn and pandas_input_fn (pandas optional)."""

import sys
import types

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
inputs = v1.estimator.inputs


def run_all(input_fn):
    """Every batch the input function gives in one graph and session, until the input ends."""
    out = []
    with tf.Graph().as_default():
        element = input_fn()
        with v1.Session() as sess:
            while True:
                try:
                    out.append(sess.run(element))
                except tf.errors.OutOfRangeError:
                    return out


def test_numpy_input_fn_batches_epochs_in_order():
    x = {"a": np.arange(10, dtype=np.float32), "b": np.arange(10, 20, dtype=np.int64)}
    y = np.arange(100, 110, dtype=np.int64)
    batches = run_all(inputs.numpy_input_fn(x, y, batch_size=4, num_epochs=2, shuffle=False))
    assert [len(labels) for _, labels in batches] == [4, 4, 4, 4, 4]  # 20 rows, batches span the epochs
    labels = np.concatenate([labels for _, labels in batches])
    np.testing.assert_array_equal(labels, np.concatenate([y, y]))
    np.testing.assert_array_equal(np.concatenate([f["b"] for f, _ in batches]) + 90, labels)
    assert batches[0][0]["a"].dtype == np.float32


def test_numpy_input_fn_shuffles_within_epochs_and_takes_arrays():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    batches = run_all(inputs.numpy_input_fn(x, batch_size=4, num_epochs=1, shuffle=True))
    rows = np.concatenate(batches)
    assert isinstance(batches[0], np.ndarray) and [len(b) for b in batches] == [4, 2]
    np.testing.assert_array_equal(np.sort(rows[:, 0]), x[:, 0])
    ys = {"p": np.arange(6.0), "q": np.arange(6.0) * 2}
    (features, labels), *_ = run_all(inputs.numpy_input_fn({"x": x}, ys, batch_size=6, shuffle=False))
    np.testing.assert_array_equal(labels["q"], 2 * labels["p"])


def test_numpy_input_fn_errors():
    x = {"a": np.zeros(4)}
    with pytest.raises(ValueError, match="shuffle must be provided and explicitly set as boolean"):
        inputs.numpy_input_fn(x)
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        inputs.numpy_input_fn(x, np.zeros(3), shuffle=False)
    with pytest.raises(ValueError, match="duplicate keys are found in both x and y"):
        inputs.numpy_input_fn(x, {"a": np.zeros(4)}, shuffle=False)
    with pytest.raises(ValueError, match="x cannot be an empty dict"):
        inputs.numpy_input_fn({}, shuffle=False)
    with pytest.raises(TypeError, match="x must be a dict or array; got str"):
        inputs.numpy_input_fn("abc", shuffle=False)


def test_numpy_input_fn_trains_and_evaluates_an_estimator(tmp_path):
    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, (200, 1)).astype(np.float32)
    y = (3 * x[:, 0] - 1).astype(np.float32)
    reg = tf.estimator.LinearRegressor([tf.feature_column.numeric_column("x")], model_dir=str(tmp_path))
    reg.train(inputs.numpy_input_fn({"x": x}, y, batch_size=20, num_epochs=None, shuffle=True), steps=300)
    result = reg.evaluate(inputs.numpy_input_fn({"x": x}, y, batch_size=50, shuffle=False))
    assert result["average_loss"] < 1e-3  # the evaluation stopped after one epoch, 4 batches
    preds = list(reg.predict(inputs.numpy_input_fn({"x": x[:5]}, batch_size=2, shuffle=False)))
    np.testing.assert_allclose([p["predictions"][0] for p in preds], y[:5], atol=0.05)


def test_pandas_input_fn_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match="pandas_input_fn should not be called without pandas installed"):
        inputs.pandas_input_fn(object(), shuffle=False)
    with pytest.raises(TypeError):  # TensorFlow's exception type for this case
        inputs.pandas_input_fn(object(), shuffle=False)


class _Series:
    def __init__(self, values, index):
        self.values, self.index = np.asarray(values), np.asarray(index)


class _DataFrame:
    def __init__(self, columns, index=None):
        self._data = dict(columns)
        self.columns = list(columns)
        self.index = np.arange(len(next(iter(columns.values())))) if index is None else np.asarray(index)

    def __getitem__(self, key):
        return _Series(self._data[key], self.index)

    def __contains__(self, key):
        return key in self._data


def test_pandas_input_fn_on_a_dataframe(monkeypatch):
    fake = types.ModuleType("pandas")
    fake.DataFrame, fake.Series = _DataFrame, _Series
    monkeypatch.setitem(sys.modules, "pandas", fake)
    frame = _DataFrame({"a": np.arange(5.0), "b": np.arange(5) * 10})
    target = _Series(np.arange(5) + 100, np.arange(5))
    batches = run_all(inputs.pandas_input_fn(frame, target, batch_size=3, shuffle=False))
    (features, labels), (features2, labels2) = batches
    np.testing.assert_array_equal(features["b"], [0, 10, 20])
    np.testing.assert_array_equal(np.concatenate([labels, labels2]), np.arange(5) + 100)
    with pytest.raises(ValueError, match="Index for x and y are mismatched"):
        inputs.pandas_input_fn(frame, _Series(np.zeros(5), np.arange(1, 6)), shuffle=False)
    with pytest.raises(ValueError, match="Cannot use name a for target column"):
        inputs.pandas_input_fn(frame, target, shuffle=False, target_column="a")
    with pytest.raises(ValueError, match="shuffle must be provided"):
        inputs.pandas_input_fn(frame, target)
