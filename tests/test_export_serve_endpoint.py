"""``tf.saved_model.load`` of a ``Model.export`` directory restores Keras's ``serve`` endpoint: it takes and
returns the model's own structures (a tensor, a list, a dict). Expected values recorded with TensorFlow 2.21 and
Keras 3.15 (``model.export(path)``, then ``tf.saved_model.load(path).serve(...)``)."""

import json

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from ferroflow.keras import layers

X = np.arange(6, dtype="float32").reshape(2, 3)


def _dense_model():
    inp = keras.Input((3,), name="x")
    out = layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros", name="d")(inp)
    return keras.Model(inp, out)


def _two_in_two_out(kind):
    a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
    o1 = layers.Dense(1, kernel_initializer="ones", name="o1")(layers.Concatenate()([a, b]))
    o2 = layers.Dense(2, kernel_initializer="ones", name="o2")(b)
    if kind == "dict":
        return keras.Model({"a": a, "b": b}, {"p": o1, "q": o2})
    return keras.Model([a, b], [o1, o2])


def test_serve_returns_a_tensor_for_a_single_output(tmp_path):
    _dense_model().export(tmp_path / "m", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "m"))
    y = reloaded.serve(X)
    assert isinstance(y, tf.Tensor)
    np.testing.assert_array_equal(y.numpy(), [[3.0, 3.0], [12.0, 12.0]])  # TF: the same tf.Tensor
    np.testing.assert_array_equal(reloaded.serve(args_0=X).numpy(), y.numpy())  # TF's parameter name
    np.testing.assert_array_equal(reloaded.serve(tf.constant(X)).numpy(), y.numpy())
    assert "serve" in dir(reloaded)
    # The signature is still there, and agrees.
    (out,) = reloaded.signatures["serving_default"](tf.constant(X)).values()
    np.testing.assert_array_equal(out.numpy(), y.numpy())


def test_serve_casts_numpy_arrays_to_the_signature_dtype_as_tensorflow(tmp_path):
    _dense_model().export(tmp_path / "m", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "m"))
    y = reloaded.serve(X.astype("float64"))  # TF: float32 result, [[3, 3], [12, 12]]
    assert y.dtype == tf.float32
    np.testing.assert_array_equal(y.numpy(), [[3.0, 3.0], [12.0, 12.0]])


def test_serve_refuses_a_float64_tensor_and_a_wrong_shape(tmp_path):
    _dense_model().export(tmp_path / "m", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "m"))
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        reloaded.serve(tf.constant(X, tf.float64))
    with pytest.raises(ValueError, match=r"shape=\(None, 3\)"):
        reloaded.serve(np.zeros((2, 4), "float32"))


def test_serve_takes_and_returns_dicts(tmp_path):
    _two_in_two_out("dict").export(tmp_path / "m", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "m"))
    out = reloaded.serve({"a": np.ones((1, 2), "float32"), "b": np.ones((1, 3), "float32")})
    # TF: {'p': [[5.]], 'q': [[3., 3.]]}
    assert sorted(out) == ["p", "q"]
    np.testing.assert_array_equal(out["p"].numpy(), [[5.0]])
    np.testing.assert_array_equal(out["q"].numpy(), [[3.0, 3.0]])


def test_serve_takes_and_returns_lists(tmp_path):
    _two_in_two_out("list").export(tmp_path / "m", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "m"))
    out = reloaded.serve([np.ones((1, 2), "float32"), np.ones((1, 3), "float32")])
    # TF: a list of two tensors, [[5.]] and [[3., 3.]]
    assert isinstance(out, list) and len(out) == 2
    np.testing.assert_array_equal(out[0].numpy(), [[5.0]])
    np.testing.assert_array_equal(out[1].numpy(), [[3.0, 3.0]])


def test_an_export_without_the_structure_entry_serves_flat_structures(tmp_path):
    # A directory exported before graph.json recorded structures: one tensor, or a list of them.
    _two_in_two_out("list").export(tmp_path / "m", verbose=False)
    path = tmp_path / "m" / "graph.json"
    doc = json.loads(path.read_text())
    assert doc["structure"]["inputs"] == {"list": [{"tensor": 0}, {"tensor": 1}]}
    del doc["structure"]
    path.write_text(json.dumps(doc))
    out = tf.saved_model.load(str(tmp_path / "m")).serve([np.ones((1, 2), "float32"), np.ones((1, 3), "float32")])
    np.testing.assert_array_equal(out[0].numpy(), [[5.0]])
    np.testing.assert_array_equal(out[1].numpy(), [[3.0, 3.0]])


def test_serving_signature_names_are_keras3s(tmp_path):
    # Recorded with Keras 3.15 on TensorFlow 2.21: the serving_default signature names its outputs output_0,
    # output_1, ... (one output too), or by a dict's keys. (Its inputs are named `input` here, where Keras
    # names them after the model's Input tensors.)
    feat = keras.Input((3,), name="feat")
    a, b = layers.Dense(2, name="a")(feat), layers.Dense(1, name="b")(feat)
    cases = [
        (keras.Model(feat, a), ["output_0"]),
        (keras.Model(feat, [a, b]), ["output_0", "output_1"]),
        (keras.Model(feat, {"y": b, "x": a}), ["x", "y"]),
    ]
    for i, (model, outputs) in enumerate(cases):
        model.export(tmp_path / str(i), verbose=False)
        signature = tf.saved_model.load(tmp_path / str(i)).signatures["serving_default"]
        assert sorted(signature.structured_outputs) == outputs
        got = signature(tf.constant(X))
        for name, tensor in zip(outputs, tf.nest.flatten(model(X))):
            np.testing.assert_allclose(got[name].numpy(), tensor.numpy(), rtol=1e-6)
