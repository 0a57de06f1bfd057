"""``tf.saved_model.save`` / ``load`` round trips: Keras models (also through ``keras.models.load_model``) and
``tf.Module``s with ``tf.function`` methods; variables restored bit for bit, assets copied, the directory still
the one ``Model.export`` writes (graph.json for the serving signature) and ``Model.export`` directories loading."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.models.export import SUPPORTED_OPS


def _mlp():
    inputs = tf.keras.Input((4,), name="feats")
    hidden = tf.keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    hidden = tf.keras.layers.Dropout(0.2)(hidden)
    outputs = tf.keras.layers.Dense(3, activation="softmax", name="probs")(hidden)
    return tf.keras.Model(inputs, outputs)


@pytest.fixture(scope="module")
def trained_mlp():
    tf.keras.utils.set_random_seed(7)
    rng = np.random.RandomState(0)
    x = rng.rand(256, 4).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > x[:, 2] + 0.5).astype(np.int64) + (x[:, 3] > 0.7)
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    return model, x


def test_keras_mlp_round_trip_predictions_equal(trained_mlp, tmp_path):
    model, x = trained_mlp
    tf.saved_model.save(model, tmp_path / "mlp")
    loaded = tf.saved_model.load(str(tmp_path / "mlp"))
    serve = loaded.signatures["serving_default"]
    # As TensorFlow 2.21 names a Keras 3 model's signature: one input "inputs", outputs "output_0".
    assert list(serve.structured_input_signature[1]) == ["inputs"]
    assert serve.structured_input_signature[1]["inputs"].shape.as_list() == [None, 4]
    assert list(serve.structured_outputs) == ["output_0"]
    expected = model.predict(x, verbose=0)
    np.testing.assert_array_equal(serve(inputs=x)["output_0"].numpy(), expected)
    np.testing.assert_array_equal(serve(x[:1])["output_0"].numpy(), expected[:1])
    assert [v.name for v in loaded.variables] == [v.name for v in model.weights]
    assert len(loaded.trainable_variables) == 4
    for restored, original in zip(loaded.variables, model.weights):
        np.testing.assert_array_equal(restored.numpy(), original.numpy())


def test_keras_load_model_opens_the_directory(trained_mlp, tmp_path):
    model, x = trained_mlp
    tf.saved_model.save(model, tmp_path / "mlp")
    reloaded = tf.keras.models.load_model(tmp_path / "mlp")
    assert isinstance(reloaded, tf.keras.Model)
    assert [layer.name for layer in reloaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert reloaded.loss == "sparse_categorical_crossentropy"  # compiled from the saved compile config
    reloaded.fit(x[:64], np.zeros(64), epochs=1, verbose=0)  # and trainable again


def test_keras_cnn_and_multi_io_models(tmp_path):
    tf.keras.utils.set_random_seed(1)
    cnn = tf.keras.Sequential(
        [
            tf.keras.Input((28, 28, 16)),
            tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10),
        ]
    )
    x = np.random.RandomState(2).rand(32, 28, 28, 16).astype(np.float32)
    tf.saved_model.save(cnn, tmp_path / "cnn")
    out = tf.saved_model.load(tmp_path / "cnn").signatures["serving_default"](inputs=x)["output_0"]
    np.testing.assert_allclose(out.numpy(), cnn.predict(x, verbose=0), rtol=1e-6, atol=1e-6)

    a, b = tf.keras.Input((4,), name="a"), tf.keras.Input((2,), name="b")
    joined = tf.keras.layers.Concatenate()([a, b])
    two = tf.keras.Model([a, b], [tf.keras.layers.Dense(3)(joined), tf.keras.layers.Dense(1)(joined)])
    tf.saved_model.save(two, tmp_path / "two")
    serve = tf.saved_model.load(tmp_path / "two").signatures["serving_default"]
    assert sorted(serve.structured_input_signature[1]) == ["inputs", "inputs_1"]
    xa, xb = np.ones((5, 4), np.float32), np.full((5, 2), 2.0, np.float32)
    got = serve(inputs=xa, inputs_1=xb)
    want = two.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(got["output_0"].numpy(), want[0], rtol=1e-6)
    np.testing.assert_allclose(got["output_1"].numpy(), want[1], rtol=1e-6)


class Scorer(tf.Module):
    """Two tf.functions: one with an input_signature (the serving signature), one traced by calls."""

    def __init__(self, vocab_path):
        super().__init__()
        self.w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 7.0, name="w")
        self.b = tf.Variable([0.5, -0.25], name="b", trainable=False)
        self.calls = tf.Variable(0, name="calls", trainable=False)
        self.vocab = tf.saved_model.Asset(vocab_path)
        self.layers = [tf.Variable(1.0, name="scale")]

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def predict(self, x):
        self.calls.assign_add(1)
        return tf.nn.softmax(tf.matmul(x, self.w) + self.b) * self.layers[0]

    @tf.function
    def combine(self, x, y, scale=2.0):
        return {"sum": x + y * scale, "diff": x - y}


@pytest.fixture()
def scorer(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("alpha\nbeta\ngamma\n")
    module = Scorer(str(vocab))
    module.combine(tf.ones((2,)), tf.ones((2,)))
    module.combine(tf.ones((2,)), tf.ones((2,)), scale=3.0)
    tf.saved_model.save(module, tmp_path / "scorer")
    return module, tmp_path / "scorer"


def test_module_with_two_functions_round_trip(scorer):
    module, path = scorer
    loaded = tf.saved_model.load(path)
    assert list(loaded.signatures) == ["serving_default"]  # the one function with an input_signature
    x = np.random.RandomState(3).rand(32, 3).astype(np.float32)
    want = module.predict(x).numpy()
    np.testing.assert_array_equal(loaded.signatures["serving_default"](x=x)["output_0"].numpy(), want)
    np.testing.assert_array_equal(loaded.predict(x).numpy(), want)
    ones = tf.ones((2,))
    got = loaded.combine(ones, ones)
    assert sorted(got) == ["diff", "sum"]
    np.testing.assert_array_equal(got["sum"].numpy(), [3.0, 3.0])
    np.testing.assert_array_equal(loaded.combine(ones, y=ones, scale=3.0)["sum"].numpy(), [4.0, 4.0])
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        loaded.combine(ones, ones, scale=5.0)  # never traced with that Python value
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        loaded.predict(np.ones((1, 4), np.float32))
    # Inside a tf.function too, and the variable write in predict still happens.
    before = int(loaded.calls.numpy())
    wrapped = tf.function(lambda t: loaded.predict(t) * 2.0)
    np.testing.assert_allclose(wrapped(x).numpy(), want * 2.0, rtol=1e-6)
    assert int(loaded.calls.numpy()) == before + 1


def test_module_variables_exact_and_trackable(scorer, tmp_path):
    module, path = scorer
    loaded = tf.saved_model.load(path)
    assert {v.name for v in loaded.variables} == {"w:0", "b:0", "calls:0", "scale:0"}
    assert {v.name for v in loaded.trainable_variables} == {"w:0", "scale:0"}
    for name in ("w", "b", "calls"):
        original, restored = getattr(module, name), getattr(loaded, name)
        assert restored.dtype == original.dtype and restored.trainable == original.trainable
        assert original.numpy().tobytes() == restored.numpy().tobytes()
    assert loaded.layers[0].numpy() == 1.0
    # The restored functions read the restored variables: assigning changes what they compute.
    loaded.layers[0].assign(0.5)
    x = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(loaded.predict(x).numpy(), module.predict(x).numpy() * 0.5, rtol=1e-6)
    # Gradients flow to them, and tf.train.Checkpoint tracks the loaded object.
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(loaded.predict(x))
    grads = tape.gradient(loss, loaded.trainable_variables)
    assert all(g is not None for g in grads)
    tf.train.Checkpoint(model=loaded).save(str(tmp_path / "ckpt" / "c"))


def test_bit_exact_special_values(tmp_path):
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4028235e38, 1 / 3], np.float32)
    module = tf.Module()
    module.v = tf.Variable(special)
    module.d = tf.Variable(np.array([np.pi, -1e-310], np.float64))
    module.i = tf.Variable(np.array([2**62, -1], np.int64))
    tf.saved_model.save(module, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    for name in ("v", "d", "i"):
        assert getattr(loaded, name).numpy().tobytes() == getattr(module, name).numpy().tobytes()


def test_assets_are_copied_and_resolved(scorer, tmp_path):
    module, path = scorer
    assert (path / "assets" / "vocab.txt").read_text() == "alpha\nbeta\ngamma\n"
    os.remove(tmp_path / "vocab.txt")  # the loaded asset does not need the original
    loaded = tf.saved_model.load(path)
    asset_path = loaded.vocab.asset_path.numpy().decode()
    assert asset_path == str((path / "assets" / "vocab.txt").resolve())
    assert open(asset_path).read().split() == ["alpha", "beta", "gamma"]


def test_signatures_argument_dict_and_concrete_functions(scorer, tmp_path):
    module, _ = scorer
    concrete = module.combine.get_concrete_function(
        tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)
    )
    tf.saved_model.save(module, tmp_path / "m", signatures={"serving_default": module.predict, "combine": concrete})
    loaded = tf.saved_model.load(tmp_path / "m")
    assert sorted(loaded.signatures) == ["combine", "serving_default"]
    got = loaded.signatures["combine"](x=np.ones(5, np.float32), y=np.ones(5, np.float32))
    assert sorted(got) == ["diff", "sum"] and got["sum"].numpy().tolist() == [3.0] * 5
    with pytest.raises(ValueError, match="has no input_signature"):
        tf.saved_model.save(module, tmp_path / "bad", signatures=module.combine)
    with pytest.raises(ValueError, match="Expected a TensorFlow function"):
        tf.saved_model.save(module, tmp_path / "bad", signatures={"s": lambda x: x})


def test_graph_json_stays_the_rust_loaders_format(trained_mlp, tmp_path):
    """graph.json keeps graph version 1 and the ops, placeholders, order and weights the Rust loader reads."""
    model, _ = trained_mlp
    tf.saved_model.save(model, tmp_path / "mlp")
    doc = json.loads((tmp_path / "mlp" / "graph.json").read_text())
    assert (doc["format"], doc["version"]) == ("ferroflow-saved-model", 1)
    for i, node in enumerate(doc["nodes"]):
        assert node["op"] in SUPPORTED_OPS | {"placeholder", "const"}
        assert all(j < i for j in node["inputs"])
        if node["op"] == "const":
            array = np.load(tmp_path / "mlp" / "weights" / (node["attrs"]["weight"] + ".npy"))
            assert str(array.dtype) == node["dtype"] and list(array.shape) == node["shape"]
    assert all(doc["nodes"][e["node"]]["op"] == "placeholder" for e in doc["inputs"])
    manifest = json.loads((tmp_path / "mlp" / "saved_model.json").read_text())
    assert manifest["version"] == 2 and manifest["signatures"] == {"serving_default": "graph.json"}


def test_model_export_directories_still_load(trained_mlp, tmp_path):
    """Directory version 1 (Model.export, no manifest) loads as one serving signature."""
    model, x = trained_mlp
    model.export(tmp_path / "exported", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "exported")
    # As Keras 3's export, one output is named output_0 and the input after its keras.Input.
    out = loaded.signatures["serving_default"](feats=x)["output_0"]
    np.testing.assert_array_equal(out.numpy(), model.predict(x, verbose=0))
    assert len(loaded.variables) == 4
    with pytest.raises(ValueError, match="written by Model.export"):
        tf.keras.models.load_model(tmp_path / "exported")
    assert tf.saved_model.contains_saved_model(tmp_path / "exported")
    assert not tf.saved_model.contains_saved_model(tmp_path)


def test_save_replaces_a_saved_model_but_no_other_directory(tmp_path):
    module = tf.Module()
    module.v = tf.Variable(1.0)
    tf.saved_model.save(module, tmp_path / "m")
    module.v.assign(2.0)
    tf.saved_model.save(module, tmp_path / "m")
    assert tf.saved_model.load(tmp_path / "m").v.numpy() == 2.0
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="does not hold a SavedModel"):
        tf.saved_model.save(module, tmp_path / "notes")
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"
    assert not any(p.name.startswith(".saved_model-") for p in tmp_path.iterdir())


def test_call_method_is_restored(tmp_path):
    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.s = tf.Variable(3.0, name="s")

        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def __call__(self, x):
            return x * self.s

    tf.saved_model.save(Scale(), tmp_path / "scale")
    loaded = tf.saved_model.load(tmp_path / "scale")
    x = np.array([[1.0, -2.0]], np.float32)
    assert loaded(x).numpy().tolist() == [[3.0, -6.0]]
    assert loaded.signatures["serving_default"](x=x)["output_0"].numpy().tolist() == [[3.0, -6.0]]
    tf.saved_model.save(tf.Module(), tmp_path / "plain")
    with pytest.raises(TypeError, match="not callable"):
        tf.saved_model.load(tmp_path / "plain")(x)
