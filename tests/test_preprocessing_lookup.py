"""``StringLookup`` and ``IntegerLookup``: lookups, OOV buckets, masks, encodings, adapt order, vocabulary
files and configs, against outputs of Keras 3.15 (TensorFlow backend) computed on the inputs written here."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
VOCAB = ["a", "b", "c", "d"]
DATA = np.array([["a", "c", "d"], ["d", "z", "b"]])
IDF = [0.25, 0.75, 0.6, 0.4]
S, I = layers.StringLookup, layers.IntegerLookup  # noqa: E741

# (layer, input, Keras's output); every case also runs in tf.function (when it has a graph form) and Dataset.map
CASES = {
    "int": (lambda: S(vocabulary=VOCAB), DATA, [[1, 3, 4], [4, 0, 2]]),
    "mask": (lambda: S(vocabulary=VOCAB, mask_token=""), np.array([["a", "", "z"]]), [[2, 0, 1]]),
    "two_oov": (lambda: S(vocabulary=VOCAB, num_oov_indices=2), np.array([["a", "z", "zz", "hello", "x"]]),
                [[2, 1, 0, 0, 0]]),
    "no_oov": (lambda: S(vocabulary=VOCAB, num_oov_indices=0), np.array([["a", "d"]]), [[0, 3]]),
    "one_hot": (lambda: S(vocabulary=VOCAB, output_mode="one_hot"), np.array(["a", "b", "z"]),
                [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]),
    "multi_hot": (lambda: S(vocabulary=VOCAB, output_mode="multi_hot"), DATA, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
    "count": (lambda: S(vocabulary=VOCAB, output_mode="count"), np.array([["a", "a", "z", "z", "z"]]),
              [[3, 2, 0, 0, 0]]),
    "multi_hot_mask": (lambda: S(vocabulary=VOCAB, output_mode="multi_hot", mask_token=""),
                       np.array([["a", "", "z"]]), [[1, 1, 0, 0, 0]]),
    "padded": (lambda: S(vocabulary=VOCAB, output_mode="multi_hot", max_tokens=8, pad_to_max_tokens=True), DATA,
               [[0, 1, 0, 1, 1, 0, 0, 0], [1, 0, 1, 0, 1, 0, 0, 0]]),
    "tf_idf": (lambda: S(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=IDF), DATA,
               [[0.0, 0.25, 0.0, 0.6, 0.4], [0.5, 0.0, 0.75, 0.0, 0.4]]),
    "tf_idf_padded": (lambda: S(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=IDF, max_tokens=7,
                                pad_to_max_tokens=True), DATA,
                      [[0.0, 0.25, 0.0, 0.6, 0.4, 0.0, 0.0], [0.5, 0.0, 0.75, 0.0, 0.4, 0.0, 0.0]]),
    "invert": (lambda: S(vocabulary=VOCAB, invert=True), np.array([[1, 3, 4], [4, 0, 9]]),
               [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"[UNK]"]]),
    "invert_mask": (lambda: S(vocabulary=VOCAB, invert=True, mask_token="[M]"), np.array([[0, 1, 2, 5, 6]]),
                    [[b"[M]", b"[UNK]", b"a", b"d", b"[UNK]"]]),
    "scalar": (lambda: S(vocabulary=VOCAB), np.array("c"), 3),
    "rank1": (lambda: S(vocabulary=VOCAB), np.array(["c", "q"]), [3, 0]),
    "salted_oov": (lambda: S(vocabulary=VOCAB, num_oov_indices=3, salt=[1, 2]),
                   np.array([["a", "z", "zz", "hello", "x"]]), [[3, 2, 1, 1, 1]]),
    "integers": (lambda: I(vocabulary=[12, 36, 1138, 42]), np.array([[12, 1138, 42], [42, 1000, 36]]),
                 [[1, 3, 4], [4, 0, 2]]),
    "int_mask": (lambda: I(vocabulary=[12, 36, 1138, 42], mask_token=0), np.array([[12, 0, 7]]), [[2, 0, 1]]),
    "floormod_oov": (lambda: I(vocabulary=[12, 36], num_oov_indices=3), np.array([[12, 7, 8, 9, -5, 1000]]),
                     [[3, 1, 2, 0, 1, 1]]),
    "farmhash_oov": (lambda: I(vocabulary=[12, 36], num_oov_indices=3, oov_method="farmhash"),
                     np.array([[12, 7, 8, 9, -5, 1000]]), [[3, 1, 1, 2, 0, 2]]),
    "salted_int_oov": (lambda: I(vocabulary=[12, 36], num_oov_indices=3, oov_method="farmhash", salt=7),
                       np.array([[12, 7, 8, 9, -5, 1000]]), [[3, 1, 0, 1, 2, 0]]),
    "int_invert": (lambda: I(vocabulary=[12, 36, 1138, 42], invert=True), np.array([[1, 3, 0, 9]]),
                   [[12, 1138, -1, -1]]),
    "int_one_hot": (lambda: I(vocabulary=[12, 36], output_mode="one_hot"), np.array([12, 36, 5]),
                    [[0, 1, 0], [0, 0, 1], [1, 0, 0]]),
}  # fmt: skip

# Keras 3 writes a layer's dtype as its serialized DTypePolicy.
FLOAT32_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


def _check(out, want):
    if out.dtype == "float32":
        np.testing.assert_allclose(out, want, rtol=1e-6)
    else:
        assert np.asarray(out).tolist() == want


@pytest.mark.parametrize("case", sorted(CASES))
def test_lookup_outputs_match_keras(case):
    make, x, want = CASES[case]
    layer = make()
    out = layer(x)
    want_dtype = "string" if "invert" in case and "int" not in case else "float32" if "tf_idf" in case else "int64"
    assert out.dtype == want_dtype
    _check(out.numpy(), want)
    mapped = tf.data.Dataset.from_tensors(x).map(layer)
    assert mapped.element_spec.dtype == want_dtype
    _check(next(iter(mapped.as_numpy_iterator())), want)
    # hashed OOV buckets compute in Python: a host call inside the traced function
    _check(tf.function(lambda t: layer(t))(tf.constant(x)).numpy(), want)


def test_missing_tokens_without_oov_indices_raise_eagerly_and_in_graphs():
    layer = S(vocabulary=VOCAB, num_oov_indices=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"found OOV values \['z'\]"):
        layer(np.array([["a", "z"]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_oov_indices=1"):
        tf.function(lambda t: layer(t))(tf.constant([["a", "z"]]))


def test_adapt_orders_by_frequency_then_by_token_descending():
    layer = S()
    layer.adapt(np.array([["x", "y", "x"], ["y", "z", "x"], ["w", "w", "a"]]))
    assert layer.get_vocabulary() == ["[UNK]", "x", "y", "w", "z", "a"]
    capped = S(max_tokens=4, mask_token="")
    capped.adapt(["b", "a", "c", "a", "c", "d", "", "[UNK]", "[UNK]", "[UNK]"])  # special tokens are not learned
    assert capped.get_vocabulary() == ["", "[UNK]", "c", "a"]
    assert capped.get_vocabulary(include_special_tokens=False) == ["c", "a"]
    assert capped.vocabulary_size() == 4
    assert capped(np.array(["a", "b", "c", "d", ""])).numpy().tolist() == [3, 1, 2, 1, 0]
    ints = I()
    ints.adapt(np.array([[5, 3, 5], [3, 9, 3], [7, -1, 8]]))
    assert ints.get_vocabulary() == [-1, 3, 5, 9, 8, 7]
    assert all(type(v) is int for v in ints.get_vocabulary())
    counted = I(output_mode="count", max_tokens=6, pad_to_max_tokens=True)
    counted.adapt(np.array([[3, 3, 9], [9, 9, 4]]))
    assert counted.get_vocabulary() == [-1, 9, 3, 4]
    assert counted(np.array([[3, 9, 9, 100]])).numpy().tolist() == [[1, 2, 1, 0, 0, 0]]
    two_oov = S(max_tokens=3, num_oov_indices=2, output_mode="multi_hot")
    two_oov.adapt(["a", "b"])
    assert two_oov.get_vocabulary() == ["[UNK]", "[UNK]", "b"]


def test_adapt_tf_idf_weights_match_keras():
    layer = S(output_mode="tf_idf")
    docs = [["x y x".split(), "y z z".split()], ["x w x".split(), "w w w".split()]]
    layer.adapt(tf.data.Dataset.from_tensor_slices(docs))  # two batches of two documents
    assert layer.get_vocabulary() == ["[UNK]", "x", "w", "z", "y"]
    want = [0.9101265072822571, 0.8472978472709656, 0.8472978472709656, 1.0986123085021973, 0.8472978472709656]
    np.testing.assert_allclose(layer.idf_weights.numpy(), want, rtol=1e-6)
    out = layer(np.array([["x", "x", "z", "q"]]))
    np.testing.assert_allclose(out.numpy(), [[0.9101265, 1.6945957, 0.0, 1.0986123, 0.0]], rtol=1e-6)
    flat = S(output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True)
    flat.adapt(np.array(["x", "y", "x", "z"]))  # a flat array: one token per document
    np.testing.assert_allclose(
        flat.idf_weights.numpy(), [1.014840841293335, 0.8472978472709656, 1.0986123, 1.0986123, 0.0, 0.0], rtol=1e-6
    )
    special = S(output_mode="tf_idf")
    special.set_vocabulary(["[UNK]", "a", "b"], idf_weights=[0.1, 0.2, 0.3])  # weights for the OOV index too
    np.testing.assert_allclose(special.idf_weights.numpy(), [0.1, 0.2, 0.3])


def test_realistic_batch_against_a_dict_lookup():
    rng = np.random.default_rng(3)
    vocab = [f"word{i}" for i in range(2500)]  # more than one block of graph comparisons
    batch = np.array([[f"word{j}" for j in row] for row in rng.integers(0, 3000, (32, 20))])
    layer = S(vocabulary=vocab, mask_token="")
    index = {w: i + 2 for i, w in enumerate(vocab)}
    want = np.vectorize(lambda w: index.get(w, 1))(batch)
    np.testing.assert_array_equal(layer(batch).numpy(), want)
    np.testing.assert_array_equal(tf.function(lambda t: layer(t))(tf.constant(batch)).numpy(), want)
    ds = tf.data.Dataset.from_tensor_slices(batch).batch(8).map(layer)  # looked up in Python there
    np.testing.assert_array_equal(np.concatenate(list(ds.as_numpy_iterator())), want)
    ints = I(vocabulary=list(range(0, 6000, 2)))
    numbers = rng.integers(0, 6000, (32, 20))
    want_ints = np.where(numbers % 2 == 0, numbers // 2 + 1, 0)
    np.testing.assert_array_equal(ints(numbers).numpy(), want_ints)
    np.testing.assert_array_equal(tf.function(lambda t: ints(t))(tf.constant(numbers)).numpy(), want_ints)
    back = S(vocabulary=vocab, mask_token="", invert=True)(want).numpy()
    np.testing.assert_array_equal(back.astype(str), np.where(want == 1, "[UNK]", batch))


def test_ragged_input_and_symbolic_model():
    ragged = tf.RaggedTensor.from_row_splits(tf.constant(["a", "b", "z"]), [0, 2, 3])
    assert S(vocabulary=VOCAB)(ragged).to_list() == [[1, 2], [0]]
    assert S(vocabulary=VOCAB, output_mode="count")(ragged).numpy().tolist() == [[0, 1, 1, 0, 0], [1, 0, 0, 0, 0]]
    inputs = tf.keras.Input(shape=(3,), dtype="string")
    index = S(vocabulary=VOCAB)(inputs)
    assert tuple(index.shape) == (None, 3) and index.dtype == "int64"
    multi = S(vocabulary=VOCAB, output_mode="multi_hot")(inputs)
    assert tuple(multi.shape) == (None, 5)
    embedded = layers.GlobalAveragePooling1D()(layers.Embedding(5, 4)(index))
    model = tf.keras.Model(inputs, layers.Dense(1)(embedded))
    eager = model(tf.constant(DATA)).numpy()
    assert eager.shape == (2, 1)
    np.testing.assert_allclose(tf.function(lambda t: model(t))(tf.constant(DATA)).numpy(), eager, rtol=1e-6)
    assert S(vocabulary=VOCAB, output_mode="one_hot").compute_output_shape((None, 1)) == (None, 5)
    assert S(vocabulary=VOCAB, output_mode="one_hot").compute_output_shape((None, 3)) == (None, 3, 5)
    assert S(vocabulary=VOCAB, output_mode="count").compute_output_shape((None, 3)) == (None, 5)


def test_vocabulary_files_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"earth\nwind\r\nand fire\nwater\n")
    layer = S(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "earth", "wind", "and fire", "water"]
    assert layer(np.array(["earth", "wind", "and fire", "", "water", "x"])).numpy().tolist() == [1, 2, 3, 0, 4, 0]
    assert layer.get_config()["vocabulary"] is None and layer.vocabulary_size() == 5
    (tmp_path / "ints.txt").write_text("7\n3\n11\n")
    ints = I(vocabulary=str(tmp_path / "ints.txt"), mask_token=0)
    assert ints.get_vocabulary() == [0, -1, 7, 3, 11]
    assert ints(np.array([7, 11, 0, 5])).numpy().tolist() == [2, 4, 0, 1]
    (tmp_path / "special.txt").write_text("[UNK]\nb\na\n")  # a file's lines are all tokens
    assert S(vocabulary=str(tmp_path / "special.txt")).get_vocabulary() == ["[UNK]", "[UNK]", "b", "a"]
    (tmp_path / "dup.txt").write_text("a\nb\na\n")
    with pytest.raises(tf.errors.FailedPreconditionError, match="different value for same key"):
        S(vocabulary=str(tmp_path / "dup.txt"))
    (tmp_path / "gap.txt").write_text("a\n\nb\n")
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty line"):
        S(vocabulary=str(tmp_path / "gap.txt"))
    with pytest.raises(ValueError, match="does not exist"):
        S(vocabulary=str(tmp_path / "nope.txt"))
    with pytest.raises(ValueError, match="does not support loading a vocabulary from file"):
        S(output_mode="tf_idf").set_vocabulary(str(path), idf_weights=[1.0])
    swapped = S(vocabulary=["a", "b"])
    swapped.set_vocabulary(["x", "y", "z"])
    assert swapped.get_vocabulary() == ["[UNK]", "x", "y", "z"]
    assert swapped.get_config()["vocabulary"] == ["a", "b"] and swapped.get_config()["vocabulary_size"] == 4
    assert S(vocabulary=["[UNK]", "a", "b"]).get_vocabulary() == ["[UNK]", "a", "b"]
    assert S(vocabulary=["", "[UNK]", "a", "b"], mask_token="").get_vocabulary() == ["", "[UNK]", "a", "b"]
    assert S(vocabulary=["a", "[UNK]", "b"]).get_vocabulary() == ["[UNK]", "a", "[UNK]", "b"]
    assert S(mask_token="").get_vocabulary() == ["", "[UNK]"]


def test_configs_round_trip():
    config = S(vocabulary=VOCAB, name="sl").get_config()
    assert config == {
        "name": "sl", "trainable": True, "dtype": FLOAT32_POLICY, "invert": False, "max_tokens": None,
        "num_oov_indices": 1, "oov_token": "[UNK]", "mask_token": None, "output_mode": "int", "sparse": False,
        "pad_to_max_tokens": False, "idf_weights": None, "vocabulary": VOCAB, "vocabulary_size": 5,
        "oov_method": "floormod", "salt": None, "encoding": "utf-8",
    }  # fmt: skip
    clone = S.from_config(config)
    assert clone.get_vocabulary() == ["[UNK]"] + VOCAB
    assert I(vocabulary=[5, 7], name="il").get_config() == {
        "name": "il", "trainable": True, "dtype": FLOAT32_POLICY, "invert": False, "max_tokens": None,
        "num_oov_indices": 1, "oov_token": -1, "mask_token": None, "output_mode": "int", "sparse": False,
        "pad_to_max_tokens": False, "vocabulary_dtype": "int64", "idf_weights": None, "vocabulary": [5, 7],
        "vocabulary_size": 3, "oov_method": "floormod", "salt": None,
    }  # fmt: skip
    tfidf = S(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=IDF, salt=3, num_oov_indices=2)
    rebuilt = layers.deserialize(layers.serialize(tfidf))
    assert rebuilt.salt == [3, 3]
    np.testing.assert_allclose(rebuilt(DATA).numpy(), tfidf(DATA).numpy())


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: S(vocabulary=["a", "b", "a"]), ValueError, r"repeated term.*\['a'\]"),
        (lambda: S(vocabulary=["a", "", "b"], mask_token=""), ValueError, "reserved mask token"),
        (lambda: S(vocabulary=["a", "[UNK]", "b"], invert=True), ValueError, "reserved OOV token"),
        (lambda: S(vocabulary=["a", "b", "c"], max_tokens=3), ValueError, "larger than the maximum vocab size"),
        (lambda: S(vocabulary=[]), ValueError, "Cannot set an empty vocabulary"),
        (lambda: S(max_tokens=1), ValueError, "must be greater than 1"),
        (lambda: S(pad_to_max_tokens=True), ValueError, "must set `max_tokens`"),
        (lambda: S(num_oov_indices=-1), ValueError, "greater than or equal to 0"),
        (lambda: S(output_mode="foo"), ValueError, "Unknown value for `output_mode` argument of StringLookup"),
        (lambda: S(invert=True, output_mode="count"), ValueError, "must be `'int'` when `invert`"),
        (lambda: S(sparse=True), ValueError, "`sparse` may only be true"),
        (lambda: S(vocabulary=VOCAB, idf_weights=[1, 2, 3, 4]), ValueError, "should only be set if"),
        (lambda: S(vocabulary=VOCAB, output_mode="tf_idf"), ValueError, "`idf_weights` argument must also be"),
        (lambda: S(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1, 2]), ValueError, "same length"),
        (lambda: S(output_mode="multi_hot")(np.array([["a"]])), RuntimeError, "must set the layer's vocabulary"),
        (lambda: S()(np.array(["a"])), tf.errors.FailedPreconditionError, "Table not initialized"),
        (lambda: S(vocabulary=VOCAB).adapt(["a"]), ValueError, "after setting a static vocabulary"),
        (lambda: S(vocabulary=VOCAB, output_mode="multi_hot").set_vocabulary(["a"]), RuntimeError, "cannot be changed"),
        (lambda: I(salt=3), ValueError, "`salt` can only be used when `oov_method='farmhash'`"),
        (lambda: I(oov_method="x"), ValueError, "Unknown value for `oov_method` argument of IntegerLookup"),
        (lambda: I(vocabulary_dtype="int32"), ValueError, "Only `vocabulary_dtype='int64'`"),
        (lambda: I(max_tokens=1), ValueError, "it must be greater than 1"),
        (lambda: S(vocabulary=VOCAB)(np.array([1, 2])), TypeError, "expects string inputs"),
        (lambda: I(vocabulary=[1])(np.array(["a"])), TypeError, "expects integer inputs"),
    ],
)
def test_bad_arguments_and_states(make, error, message):
    with pytest.raises(error, match=message):
        make()
