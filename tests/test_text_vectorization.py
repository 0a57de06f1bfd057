"""``keras.layers.TextVectorization``: vocabulary order, standardize/split/ngrams, output modes and configs
against outputs of Keras 3.15 (TensorFlow backend) on the corpora written here; eager, in ``Dataset.map`` and
in a model trained on its output."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers
CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat, dog & bird: friends?", "the THE the end"]
WORDS = ["the", "dog", "cat", "sat", "on", "my", "mat", "homework", "friends", "end", "bird", "ate"]

# Keras 3 writes a layer's dtype as its serialized DTypePolicy.
FLOAT32_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


def test_adapt_and_int_output_match_keras():
    tv = layers.TextVectorization()
    tv.adapt(CORPUS)
    assert tv.get_vocabulary() == ["", "[UNK]"] + WORDS  # by count, ties by token descending
    assert tv.vocabulary_size() == 14
    out = tv(np.array(["the cat ate the bird", "unknown words here", ""]))
    assert out.dtype == "int64"
    assert out.numpy().tolist() == [[2, 4, 13, 2, 12], [1, 1, 1, 0, 0], [0, 0, 0, 0, 0]]
    assert tv(np.array([["the cat"], ["dog"]])).numpy().tolist() == [[2, 4], [3, 0]]
    assert tv("the cat").numpy().tolist() == [2, 4]
    capped = layers.TextVectorization(max_tokens=6, output_sequence_length=4)
    capped.adapt(tf.data.Dataset.from_tensor_slices(CORPUS).batch(2))
    assert capped.get_vocabulary() == ["", "[UNK]", "the", "dog", "cat", "sat"]
    assert capped(np.array(["the cat ate the bird on the mat", "dog"])).numpy().tolist() == [[2, 4, 1, 2], [3, 0, 0, 0]]
    given = layers.TextVectorization(vocabulary=["earth", "wind", "and", "fire"], output_sequence_length=6)
    out = given(np.array(["Earth, wind and fire!", "fire and water and earth and sky and sea"]))
    assert out.numpy().tolist() == [[2, 3, 4, 5, 0, 0], [5, 4, 1, 4, 2, 4]]
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]


def test_ngrams_standardize_and_split_options_match_keras():
    bigrams = layers.TextVectorization(ngrams=2, output_mode="multi_hot")
    bigrams.adapt(CORPUS)
    vocab = bigrams.get_vocabulary()
    assert vocab[:9] == ["[UNK]", "the", "the the", "dog", "cat", "the mat", "the end", "the dog", "the cat"]
    assert len(vocab) == 27 and vocab[-3:] == ["bird", "ate my", "ate"]
    out = bigrams(np.array(["the cat sat", "dog"])).numpy()
    assert out.dtype == np.int64
    assert np.flatnonzero(out[0]).tolist() == [1, 4, 8, 10, 21] and np.flatnonzero(out[1]).tolist() == [3]
    widths = layers.TextVectorization(ngrams=(1, 3), max_tokens=10)  # a tuple: exactly these widths
    widths.adapt(["a b c d", "a b c", "b c d"])
    assert widths.get_vocabulary() == ["", "[UNK]", "c", "b", "d", "b c d", "a b c", "a"]
    assert widths(np.array(["a b c d e"])).numpy().tolist() == [[7, 3, 2, 4, 1, 6, 5, 1]]
    chars = layers.TextVectorization(output_mode="tf_idf", standardize=None, split="character")
    chars.adapt(["abca", "bb", "cab"])
    assert chars.get_vocabulary() == ["[UNK]", "b", "a", "c"]
    np.testing.assert_allclose(
        chars(np.array(["aab", "zc"])).numpy(),
        [[0.0, 0.5596157908439636, 1.3862943649291992, 0.0], [0.6486367583274841, 0.0, 0.0, 0.6931471824645996]],
        rtol=1e-6,
    )
    whole = layers.TextVectorization(output_mode="count", split=None, standardize="lower")
    whole.adapt(["A b", "a B", "c"])
    assert whole.get_vocabulary() == ["[UNK]", "a b", "c"]
    assert whole(np.array(["a b", "A B", "x"])).numpy().tolist() == [1, 2, 0]  # a 1-D batch: one count vector
    assert whole(np.array([["a b"], ["x"]])).numpy().tolist() == [[0, 1, 0], [1, 0, 0]]
    custom = layers.TextVectorization(
        standardize=lambda x: tf.strings.regex_replace(x, "[0-9]", "#"), split=lambda x: tf.strings.split(x, sep="-")
    )
    custom.adapt(["a1-b2-a1", "c3-a1"])
    assert custom.get_vocabulary() == ["", "[UNK]", "a#", "c#", "b#"]
    punct = layers.TextVectorization(vocabulary=["x"], standardize="strip_punctuation")
    assert punct(np.array(["X!x,'x-x.x;(x) [x]\\x _x`x"])).numpy().tolist() == [[1, 1, 1]]
    ascii_lower = layers.TextVectorization()  # tf.strings.lower changes ASCII letters only
    ascii_lower.adapt(["Émile émile ÉMILE straße"])
    assert ascii_lower.get_vocabulary() == ["", "[UNK]", "Émile", "émile", "straße"]


def test_tf_idf_with_given_weights_and_ragged_output():
    tv = layers.TextVectorization(
        vocabulary=["a", "b"], output_mode="tf_idf", idf_weights=[0.5, 2.0], pad_to_max_tokens=True, max_tokens=5
    )
    np.testing.assert_allclose(tv(np.array(["a a b c", "b"])).numpy(), [[1.25, 1.0, 2.0, 0, 0], [0, 0, 2.0, 0, 0]])
    assert tv.get_vocabulary() == ["[UNK]", "a", "b"]
    ragged = layers.TextVectorization(ragged=True, vocabulary=["a", "b"], output_sequence_length=2)
    assert ragged(np.array(["a b a", "b", ""])).to_list() == [[2, 3], [3], []]


def test_dataset_map_tf_function_and_graph_split_none():
    tv = layers.TextVectorization(max_tokens=8, output_sequence_length=5)
    tv.adapt(tf.data.Dataset.from_tensor_slices(CORPUS).batch(2))
    eager = tv(np.array(CORPUS)).numpy()
    batched = tf.data.Dataset.from_tensor_slices((CORPUS, [0, 1, 0, 1])).batch(3).map(lambda x, y: (tv(x), y))
    assert batched.element_spec[0].shape.as_list() == [None, 5]
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batched.as_numpy_iterator()]), eager)
    single = tf.data.Dataset.from_tensor_slices(CORPUS).map(tv)  # one string per element: a 1-D sequence
    assert single.element_spec.shape.as_list() == [5]
    np.testing.assert_array_equal(np.stack(list(single.as_numpy_iterator())), eager)
    counts = layers.TextVectorization(output_mode="count")
    counts.adapt(CORPUS)
    mapped = tf.data.Dataset.from_tensor_slices(CORPUS).batch(2).map(lambda x: counts(tf.expand_dims(x, -1)))
    np.testing.assert_array_equal(np.concatenate(list(mapped.as_numpy_iterator())), counts(np.array(CORPUS)).numpy())
    # in a traced function the splitting runs as a host call
    np.testing.assert_array_equal(tf.function(lambda s: tv(s))(tf.constant(CORPUS)).numpy(), eager)
    # without splitting, the layer has a graph form (string ops and graph lookups)
    plain = layers.TextVectorization(split=None, vocabulary=["a b", "c"])
    x = np.array([["A B"], ["c!"], ["x"]])
    np.testing.assert_array_equal(tf.function(lambda s: plain(s))(tf.constant(x)).numpy(), [[2], [3], [1]])
    np.testing.assert_array_equal(plain(x).numpy(), [[2], [3], [1]])


def test_model_trains_on_vectorized_text_and_end_to_end_model():
    texts = ["good movie great fun", "bad film awful boring", "great great good", "boring bad bad"] * 8
    labels = np.array([1, 0, 1, 0] * 8, dtype="float32")
    tv = layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    tv.adapt(texts)
    ds = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(8).map(lambda x, y: (tv(x), y))
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(6,), dtype="int64"),
            layers.Embedding(20, 8),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(ds, epochs=4, verbose=0).history["loss"]
    assert history[-1] < history[0] < 1.0
    inputs = keras.Input(shape=(1,), dtype="string")
    vectors = tv(inputs)
    assert tuple(vectors.shape) == (None, 6) and vectors.dtype == "int64"
    end_to_end = keras.Model(inputs, model(vectors))
    probs = end_to_end(tf.constant([["great fun"], ["awful boring"]])).numpy()
    assert probs[0, 0] > 0.5 > probs[1, 0]


def test_config_shapes_and_errors():
    tv = layers.TextVectorization(max_tokens=6, output_sequence_length=4, name="tv")
    tv.adapt(CORPUS)
    config = tv.get_config()
    assert config == {
        "name": "tv", "trainable": True, "dtype": FLOAT32_POLICY, "max_tokens": 6,
        "standardize": "lower_and_strip_punctuation", "split": "whitespace", "ngrams": None, "output_mode": "int",
        "output_sequence_length": 4, "pad_to_max_tokens": False, "sparse": False, "ragged": False,
        "vocabulary": None, "idf_weights": None, "encoding": "utf-8", "vocabulary_size": 6,
    }  # fmt: skip
    given = layers.TextVectorization(vocabulary=WORDS, ngrams=2)
    clone = layers.TextVectorization.from_config({**given.get_config(), "ngrams": [1, 2]})
    assert clone.get_vocabulary() == given.get_vocabulary() and clone._ngrams == (1, 2)
    np.testing.assert_array_equal(clone(np.array(["the cat"])).numpy(), given(np.array(["the cat"])).numpy())
    assert layers.TextVectorization().get_config()["vocabulary_size"] == 2
    assert layers.TextVectorization(output_sequence_length=4).compute_output_shape((None,)) == (None, 4)
    assert layers.TextVectorization().compute_output_shape((None, 1)) == (None, None)
    multi = layers.TextVectorization(max_tokens=9, pad_to_max_tokens=True, output_mode="multi_hot")
    assert multi.compute_output_shape((None, 1)) == (None, 1, 9)  # Keras's shape rule, kept as it is
    assert layers.TextVectorization(max_tokens=9, pad_to_max_tokens=True, output_mode="multi_hot", split=None)(
        keras.Input(shape=())
    ).shape == (None, 9)  # Keras 3: a KerasTensor's shape is a tuple
    with pytest.raises(ValueError, match="Unknown value for `standardize`"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="Unknown value for `split`"):
        layers.TextVectorization(split="comma")
    with pytest.raises(ValueError, match="`ngrams` must be None, an integer, or a tuple"):
        layers.TextVectorization(ngrams=[1, 2])
    with pytest.raises(ValueError, match="must not be set if `output_mode` is not 'int'"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="must be either None or an integer"):
        layers.TextVectorization(output_sequence_length=2.5)
    with pytest.raises(ValueError, match="the input rank must be 1 or the last shape dimension must be 1"):
        layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="after setting a static vocabulary"):
        layers.TextVectorization(vocabulary=["a"]).adapt(["a b"])
