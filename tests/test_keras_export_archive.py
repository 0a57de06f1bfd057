"""``keras.export.ExportArchive``: endpoints over tracked models, written as a SavedModel and restored by
``tf.saved_model.load`` as attributes and signatures. Expected values and messages recorded with TensorFlow
2.21 and Keras 3.15."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from ferroflow.keras import layers

X = np.arange(6, dtype="float32").reshape(2, 3)
SPEC = tf.TensorSpec(shape=(None, 3), dtype=tf.float32)


def _model():
    inp = keras.Input((3,), name="x")
    return keras.Model(inp, layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros", name="d")(inp))


def test_endpoints_are_restored_as_functions_and_signatures(tmp_path):
    model = _model()
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        name="call_me",
        fn=lambda x: model(x, training=False) * 2,
        input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")],
    )
    archive.add_endpoint(name="serve", fn=model.call, input_signature=[SPEC])
    archive.write_out(str(tmp_path / "a"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "a"))
    # TF: call_me -> [[6, 6], [24, 24]], serve -> [[3, 3], [12, 12]]
    np.testing.assert_array_equal(reloaded.call_me(X).numpy(), [[6.0, 6.0], [24.0, 24.0]])
    np.testing.assert_array_equal(reloaded.serve(X).numpy(), [[3.0, 3.0], [12.0, 12.0]])
    # TF: the endpoints are signatures too, and the first one is serving_default.
    assert sorted(reloaded.signatures) == ["call_me", "serve", "serving_default"]
    out = reloaded.signatures["serving_default"](x=tf.constant(X))
    assert list(out) == ["output_0"]
    np.testing.assert_array_equal(out["output_0"].numpy(), [[6.0, 6.0], [24.0, 24.0]])
    assert len(reloaded.variables) == 2


def test_track_and_add_endpoint_and_variable_collection(tmp_path):
    model = _model()
    archive = keras.export.ExportArchive()
    archive.track_and_add_endpoint("infer", model, input_signature=[SPEC])
    archive.add_variable_collection("my_vars", model.weights)
    archive.write_out(tmp_path / "a", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "a"))
    np.testing.assert_array_equal(reloaded.infer(X).numpy(), [[3.0, 3.0], [12.0, 12.0]])
    assert sorted(reloaded.signatures) == ["infer", "serving_default"]
    np.testing.assert_array_equal(reloaded.my_vars[0].numpy(), np.ones((3, 2), "float32"))
    np.testing.assert_array_equal(reloaded.my_vars[1].numpy(), np.zeros(2, "float32"))


def test_a_tf_function_with_an_input_signature_needs_none(tmp_path):
    model = _model()
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", tf.function(lambda x: model(x) + 1.0, input_signature=[SPEC]))
    archive.write_out(tmp_path / "a", verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "a"))
    np.testing.assert_array_equal(reloaded.serve(X).numpy(), [[4.0, 4.0], [13.0, 13.0]])


def test_errors_match_keras():
    model = _model()
    archive = keras.export.ExportArchive()
    with pytest.raises(ValueError, match=r"^No endpoints have been set yet\. Call add_endpoint\(\)\.$"):
        archive.write_out("/nonexistent/never_written")
    with pytest.raises(ValueError, match="Expected a Keras `Layer` or `Model` or a TensorFlow `Trackable`"):
        archive.track(3)
    with pytest.raises(ValueError, match="^The layer provided has not yet been built. It must be built before export"):
        archive.track(layers.Dense(2))
    archive.track(model)
    archive.add_endpoint("serve", model.call, input_signature=[SPEC])
    with pytest.raises(ValueError, match="^Endpoint name 'serve' is already taken.$"):
        archive.add_endpoint("serve", model.call, input_signature=[SPEC])
    with pytest.raises(ValueError, match="you must provide an `input_signature` argument"):
        archive.add_endpoint("other", model.call)


def test_the_archive_lists_the_tracked_variables():
    model = _model()
    archive = keras.export.ExportArchive()
    archive.track(model)
    assert len(archive.variables) == 2 and len(archive.trainable_variables) == 2
    assert archive.non_trainable_variables == []
    assert "ExportArchive" in dir(keras.export) and "export" in dir(keras)
