"""Stateful preprocessing layers in Keras 3's ``.keras`` format: Keras-written files load with their vocabularies,
IDF weights and adapted statistics (fixtures from tests/data/make_keras3_preprocessing.py), and ferroflow writes
the same layout (assets/<layer path>/vocabulary.txt, named ``idf_weights`` variables, Normalization's vars 0-2).
Round trips within ferroflow are in test_preprocessing_saving_roundtrip.py."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
STATE = os.path.join(DATA, "preprocessing_state.keras")
TEXT = os.path.join(DATA, "preprocessing_text.keras")


def _npz(name):
    with np.load(os.path.join(DATA, name)) as data:
        return {k: data[k] for k in data.files}


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _h5(path):
    return h5py.File(io.BytesIO(_members(path)["model.weights.h5"]), "r")


def test_keras_written_preprocessing_layers_compute_as_keras():
    data = _npz("preprocessing_state.npz")
    model = tf.keras.models.load_model(STATE)
    outputs = model([data["x0"], data["x1"], data["x2"], data["x3"]])
    assert len(outputs) == 16
    for i, out in enumerate(outputs):
        expected = data[f"y{i}"]
        out = np.asarray(out)
        assert out.dtype == expected.dtype, i
        np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6, err_msg=f"output {i}")


def test_keras_written_vocabularies_and_configs():
    model = tf.keras.models.load_model(STATE)
    get = model.get_layer
    assert get("adapted").get_vocabulary() == ["[UNK]", "[UNK]", "cat", "dog", "fish", "bird", "Cat"]
    assert get("from_file").get_vocabulary() == ["[UNK]", "dog", "fish", "cat"]  # the asset, not the lost file
    assert get("masked").get_vocabulary() == [0, -1, 3, 2, 5, 1, 7]
    assert get("inverse").get_vocabulary() == [-1, 30, 20, 50, 10, 70, 0]
    assert get("given").get_vocabulary() == [-1, 5, 7, 9]
    assert get("chars").get_vocabulary()[:4] == ["", "[UNK]", " ", "t"]
    assert get("bigrams").get_vocabulary()[:6] == ["[UNK]", "the", "dog", "cat", "a", "the end"]
    # Keras keeps an adapted vocabulary out of the config, a given one in it
    for name in ("adapted", "from_file", "masked", "bigrams", "chars"):
        assert get(name).get_config()["vocabulary"] is None, name
    assert get("given").get_config()["vocabulary"] == [5, 7, 9]
    assert get("counts").get_config()["vocabulary"] == ["the", "cat", "dog"]
    assert get("adapted").get_config()["vocabulary_size"] == 7
    # 8 documents; IDF = log(1 + N / (1 + document count)); the OOV entry holds their mean
    idf = np.log(1 + 8 / (1 + np.array([3, 2, 1, 1, 1], "float64")))  # cat, dog, fish, bird, Cat
    np.testing.assert_allclose(get("words_idf").idf_weights.numpy(), np.r_[idf.mean(), idf], rtol=1e-6)
    assert get("per_feature").get_config()["mean"] is None  # adapted: the statistics are variables
    assert get("inverted").get_config()["mean"] == [1.0, 2.0, 3.0]
    nums = _npz("preprocessing_state.npz")["x3"]
    full = np.random.default_rng(0).normal(2.0, 3.0, size=(16, 3)).astype("float32")  # the generator's NUMS
    np.testing.assert_array_equal(full[:8], nums)
    np.testing.assert_allclose(get("per_feature").mean.ravel(), full.astype("float64").mean(0), rtol=1e-5)
    np.testing.assert_allclose(get("overall").variance.ravel(), [full.astype("float64").var()], rtol=1e-5)
    assert len(get("buckets").get_config()["bin_boundaries"]) == 3


def test_keras_written_text_classifier_predicts_as_keras_and_resaves(tmp_path):
    data = _npz("preprocessing_text.npz")
    model = tf.keras.models.load_model(TEXT)
    np.testing.assert_allclose(model(data["x"]).numpy(), data["y"], rtol=1e-5, atol=1e-6)
    assert model.get_layer("vectorize").vocabulary_size() == 21
    model.save(tmp_path / "again.keras")
    again = tf.keras.models.load_model(tmp_path / "again.keras")
    np.testing.assert_array_equal(again(data["x"]).numpy(), model(data["x"]).numpy())


def test_ferroflow_writes_keras_layout_for_lookups(tmp_path):
    words = tf.keras.Input((1,), dtype="string")
    adapted = L.StringLookup(name="words")
    adapted.adapt(np.array(["b", "a", "b", "c", "b", "c"]))
    ids = tf.keras.Input((3,), dtype="int64")
    idf = L.IntegerLookup(output_mode="tf_idf", name="ids")
    idf.adapt(np.array([[1, 2, 3], [2, 3, 3], [5, 5, 1]]))
    given = L.StringLookup(vocabulary=["x", "y"], name="given")
    model = tf.keras.Model([words, ids], [adapted(words), idf(ids), given(words)])
    model.save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    # a vocabulary given at construction is in the config, not an asset (as Keras)
    assets = sorted(n for n in members if n.startswith("assets/"))
    assert assets == ["assets/layers/integer_lookup/vocabulary.txt", "assets/layers/string_lookup/vocabulary.txt"]
    assert members["assets/layers/string_lookup/vocabulary.txt"] == b"[UNK]\nb\nc\na"  # no final newline
    assert members["assets/layers/integer_lookup/vocabulary.txt"] == b"-1\n3\n5\n2\n1"
    with _h5(tmp_path / "m.keras") as h5:
        assert list(h5["layers/string_lookup/vars"].keys()) == []
        assert h5["layers/string_lookup/vars"].attrs["name"] == "words"
        stored = h5["layers/integer_lookup/vars/idf_weights"]
        assert stored.dtype == np.float32
        np.testing.assert_array_equal(stored[()], idf.idf_weights.numpy())
    config = json.loads(members["config.json"])
    by_name = {entry["name"]: entry for entry in config["config"]["layers"]}
    assert by_name["words"]["class_name"] == "StringLookup"
    assert by_name["words"]["config"]["vocabulary"] is None and by_name["words"]["config"]["vocabulary_size"] == 4
    assert by_name["given"]["config"]["vocabulary"] == ["x", "y"]
    assert by_name["ids"]["config"]["dtype"]["class_name"] == "DTypePolicy"


def test_ferroflow_writes_keras_layout_for_text_vectorization(tmp_path):
    texts = tf.keras.Input((1,), dtype="string")
    tv = L.TextVectorization(output_mode="tf_idf", ngrams=2, name="tv")
    tv.adapt(["The cat sat", "the dog ran fast", "a cat!"])
    model = tf.keras.Model(texts, tv(texts))
    model.save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    # Keras saves the vocabulary under the layer and under its lookup sub-layer
    vocab = "\n".join(tv.get_vocabulary()).encode()
    assert members["assets/layers/text_vectorization/vocabulary.txt"] == vocab
    assert members["assets/layers/text_vectorization/_lookup_layer/vocabulary.txt"] == vocab
    with _h5(tmp_path / "m.keras") as h5:
        for group in ("layers/text_vectorization/vars", "layers/text_vectorization/_lookup_layer/vars"):
            np.testing.assert_array_equal(h5[group]["idf_weights"][()], tv._lookup_layer.idf_weights.numpy())
    config = json.loads(members["config.json"])["config"]["layers"][1]["config"]
    assert config["split"] == "whitespace" and config["standardize"] == "lower_and_strip_punctuation"
    assert config["ngrams"] == 2 and config["vocabulary"] is None and config["vocabulary_size"] == 14


def test_ferroflow_writes_keras_layout_for_normalization_and_discretization(tmp_path):
    nums = tf.keras.Input((3,))
    norm = L.Normalization(name="norm")
    norm.adapt(np.arange(12.0).reshape(4, 3))
    given = L.Normalization(mean=1.0, variance=4.0, name="given")
    buckets = L.Discretization(num_bins=4, name="buckets")
    buckets.adapt(np.arange(12.0).reshape(4, 3))
    model = tf.keras.Model(nums, [norm(nums), given(nums), buckets(nums)])
    model.save(tmp_path / "m.keras")
    with _h5(tmp_path / "m.keras") as h5:
        stored = h5["layers/normalization/vars"]
        assert sorted(stored.keys()) == ["0", "1", "2"]
        np.testing.assert_array_equal(stored["0"][()], [4.5, 5.5, 6.5])
        np.testing.assert_array_equal(stored["1"][()], [11.25, 11.25, 11.25])
        assert stored["2"].shape == () and stored["2"].dtype == np.int64
        assert list(h5["layers/normalization_1/vars"].keys()) == []  # given: in the config
        assert list(h5["layers/discretization/vars"].keys()) == []
    layers = {e["name"]: e for e in json.loads(_members(tmp_path / "m.keras")["config.json"])["config"]["layers"]}
    assert layers["norm"]["config"]["mean"] is None and layers["given"]["config"]["mean"] == 1.0
    assert layers["buckets"]["config"]["bin_boundaries"] == [2.0, 5.0, 8.0]
    assert layers["buckets"]["config"]["dtype"] == "float32"  # Keras's Discretization keeps a plain dtype name


def test_hashing_and_category_encoding_hold_no_state(tmp_path):
    ids = tf.keras.Input((3,), dtype="int64")
    model = tf.keras.Model(ids, [L.Hashing(5, salt=3)(ids), L.CategoryEncoding(8, output_mode="count")(ids)])
    model.save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    assert not any(n.startswith("assets/") for n in members)
    with _h5(tmp_path / "m.keras") as h5:
        assert list(h5["layers/hashing/vars"].keys()) == list(h5["layers/category_encoding/vars"].keys()) == []
    x = np.array([[1, 2, 7], [0, 0, 3]])
    again = tf.keras.models.load_model(tmp_path / "m.keras")
    for a, b in zip(again(x), model(x)):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_corrupt_or_missing_assets_raise_naming_the_layer(tmp_path):
    member = "assets/layers/integer_lookup/vocabulary.txt"
    ids = tf.keras.Input((1,), dtype="int64")
    lookup = L.IntegerLookup(name="ids")
    lookup.adapt(np.array([4, 5, 5]))
    tf.keras.Model(ids, lookup(ids)).save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    for name, data in (("bad", b"-1\nfive"), ("missing", None)):
        with zipfile.ZipFile(tmp_path / f"{name}.keras", "w") as zf:
            for key, value in members.items():
                if key != member:
                    zf.writestr(key, value)
                elif data is not None:
                    zf.writestr(key, data)
        with pytest.raises(ValueError, match="'ids'"):
            tf.keras.models.load_model(tmp_path / f"{name}.keras")
