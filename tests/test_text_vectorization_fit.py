"""Models that contain a splitting ``TextVectorization`` go through ``fit``/``evaluate``/``predict``: the split,
lookup and padding run as one host call per batch inside the compiled step. Token ids and encodings are the ones
Keras 3.15 (TensorFlow backend) returned from ``Model.predict`` on the same corpus; the flows are those of
TensorFlow's "Basic text classification" tutorial and Keras's "Text classification from scratch" example."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers

CORPUS = ["The cat sat.", "The DOG sat, the cat ran!", "a dog", "cat cat cat"]
QUERY = np.array(["the cat and the dog", "Sat? ran.", ""])
POSITIVE = ["good great movie", "great acting loved it", "wonderful film good", "loved the story"]
NEGATIVE = ["bad awful movie", "terrible acting hated it", "boring film bad", "hated the story"]
TEXTS = np.array([(POSITIVE if i % 2 == 0 else NEGATIVE)[(i // 2) % 4] for i in range(32)])
LABELS = np.array([1.0 - i % 2 for i in range(32)], dtype="float32")


@keras.saving.register_keras_serializable(package="tv_fit")
def strip_marks(x):
    return tf.strings.regex_replace(tf.strings.lower(x), "[.,!?]", "")


@keras.saving.register_keras_serializable(package="tv_fit")
def split_on_a(x):
    return tf.strings.split(x, sep="a")


VOCAB = ["", "[UNK]", "cat", "the", "sat", "dog", "ran", "a"]
BAG = ["[UNK]", "cat", "the", "sat", "dog", "ran"]
# name: (layer arguments, vocabulary, Model.predict(QUERY[:, None]) in Keras)
CASES = {
    "int": (dict(max_tokens=8, output_sequence_length=4), VOCAB, [[3, 2, 1, 3], [4, 6, 0, 0], [0, 0, 0, 0]]),
    "int_longest": (dict(max_tokens=8), VOCAB, [[3, 2, 1, 3, 5], [4, 6, 0, 0, 0], [0, 0, 0, 0, 0]]),
    "multi_hot": (dict(max_tokens=6, output_mode="multi_hot"), BAG, [[1, 1, 1, 0, 1, 0], [0, 0, 0, 1, 0, 1], [0] * 6]),
    "count_bigrams": (
        dict(max_tokens=10, output_mode="count", ngrams=2),
        ["[UNK]", "cat", "the", "the cat", "sat", "dog", "cat cat", "the dog", "sat the", "ran"],
        [[3, 1, 2, 1, 0, 1, 0, 1, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 0, 1], [0] * 10],
    ),
    "tf_idf": (
        dict(max_tokens=6, output_mode="tf_idf"),
        BAG,
        [[0.866731, 0.693147, 1.694596, 0, 0.847298, 0], [0, 0, 0, 0.847298, 0, 1.098612], [0] * 6],
    ),
    "character": (
        dict(max_tokens=8, split="character", output_sequence_length=5, standardize="lower"),
        ["", "[UNK]", "t", " ", "a", "c", "h", "e"],
        [[2, 6, 7, 3, 5], [1, 4, 2, 1, 3], [0] * 5],
    ),
    "callables": (
        dict(max_tokens=8, standardize=strip_marks, split=split_on_a, output_sequence_length=3),
        ["", "[UNK]", "t c", "t", "the dog s", "the c", "t the c", "t s"],
        [[5, 1, 1], [1, 1, 1], [0, 0, 0]],
    ),
    "bigrams_only": (
        dict(max_tokens=8, ngrams=(2,), output_sequence_length=3),
        ["", "[UNK]", "the cat", "cat cat", "the dog", "sat the", "dog sat", "cat sat"],
        [[2, 1, 1], [1, 0, 0], [0, 0, 0]],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_predict_matches_keras(case):
    kwargs, vocab, want = CASES[case]
    tv = layers.TextVectorization(**kwargs)
    tv.adapt(CORPUS)
    assert tv.get_vocabulary() == vocab
    inputs = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(inputs, tv(inputs))
    rtol = 1e-6 if case == "tf_idf" else 0
    for x in (QUERY[:, None], QUERY, tf.constant(QUERY), list(QUERY)):  # (batch, 1) or (batch,) strings
        np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(tf.function(lambda s: tv(s))(tf.constant(QUERY)).numpy(), want, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(tv(QUERY).numpy(), want, rtol=rtol, atol=rtol)


def _classifier(tv, **embedding):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(1,), dtype="string"),
            tv,
            layers.Embedding(20, 8, **embedding),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


def test_text_classifier_on_raw_strings_fits_evaluates_and_predicts():
    tv = layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    tv.adapt(TEXTS)
    model = _classifier(tv)
    history = model.fit(TEXTS, LABELS, batch_size=8, epochs=3, verbose=0).history
    assert history["loss"][-1] < history["loss"][0] < 0.8
    loss, accuracy = model.evaluate(TEXTS, LABELS, verbose=0)
    assert accuracy == 1.0 and loss < history["loss"][0]
    dataset = tf.data.Dataset.from_tensor_slices((TEXTS, LABELS)).batch(32)
    model.fit(dataset, epochs=1, verbose=0)
    loss_ds, accuracy_ds = model.evaluate(dataset, verbose=0)
    np.testing.assert_allclose([loss_ds, accuracy_ds], model.evaluate(TEXTS[:, None], LABELS, verbose=0), rtol=1e-5)
    probe = np.array(["good great movie", "boring film bad", "words never seen"])
    eager = model(tf.constant(probe)).numpy()
    np.testing.assert_allclose(model.predict(probe, verbose=0), eager, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(probe[:, None], batch_size=2, verbose=0), eager, rtol=1e-5, atol=1e-6)
    assert eager[0, 0] > 0 > eager[1, 0]


def test_export_model_as_in_the_basic_text_classification_tutorial(tmp_path):
    vectorize_layer = layers.TextVectorization(max_tokens=20, output_mode="int", output_sequence_length=6)
    vectorize_layer.adapt(tf.data.Dataset.from_tensor_slices(TEXTS).batch(8))
    raw_ds = tf.data.Dataset.from_tensor_slices((TEXTS, LABELS)).batch(8)
    train_ds = raw_ds.map(lambda text, label: (vectorize_layer(tf.expand_dims(text, -1)), label))
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [layers.Embedding(20, 8), layers.Dropout(0.2), layers.GlobalAveragePooling1D(), layers.Dense(1)]
    )
    model.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(0.05),
        metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)],
    )
    model.fit(train_ds, epochs=3, verbose=0)
    export_model = keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
    export_model.compile(
        loss=keras.losses.BinaryCrossentropy(from_logits=False), optimizer="adam", metrics=["accuracy"]
    )
    loss, accuracy = export_model.evaluate(raw_ds, verbose=0)
    int_loss, int_accuracy = model.evaluate(train_ds, verbose=0)
    assert accuracy == int_accuracy == 1.0
    np.testing.assert_allclose(loss, int_loss, rtol=1e-4)
    examples = np.array(["loved the great acting", "hated the boring movie", "terrible"])
    probs = export_model.predict(examples, verbose=0)
    logits = model.predict(vectorize_layer(examples).numpy(), verbose=0)
    np.testing.assert_allclose(probs, 1 / (1 + np.exp(-logits)), rtol=1e-5)
    assert probs[0, 0] > 0.5 > probs[1, 0]
    export_model.save(tmp_path / "export.keras")
    again = keras.models.load_model(tmp_path / "export.keras")
    np.testing.assert_allclose(again.predict(examples, verbose=0), probs, rtol=1e-6)


@pytest.mark.parametrize("mode", ["multi_hot", "count", "tf_idf"])
def test_bag_of_words_models_train_on_raw_strings(mode):
    tv = layers.TextVectorization(max_tokens=12, output_mode=mode, ngrams=2)
    tv.adapt(TEXTS)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), tv, layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    history = model.fit(TEXTS, LABELS, batch_size=8, epochs=3, verbose=0).history["loss"]
    assert history[-1] < history[0]
    probe = np.array(["good great movie", "boring film bad"])
    np.testing.assert_allclose(model.predict(probe, verbose=0), model(tf.constant(probe)).numpy(), rtol=1e-5)


def test_unpadded_sequences_are_padded_per_batch_and_masked():
    tv = layers.TextVectorization(max_tokens=20)  # no output_sequence_length: each batch to its longest string
    tv.adapt(TEXTS)
    model = _classifier(tv, mask_zero=True)
    model.fit(TEXTS, LABELS, batch_size=5, epochs=1, verbose=0)
    probe = np.array(["good", "terrible acting hated it", "the story", "wonderful film good"])
    eager = model(tf.constant(probe)).numpy()
    np.testing.assert_allclose(model.predict(probe, batch_size=1, verbose=0), eager, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(probe, batch_size=3, verbose=0), eager, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [dict(output_sequence_length=5), dict(standardize=strip_marks, split=split_on_a)])
def test_saved_keras_file_predicts_the_same(tmp_path, kwargs):
    tv = layers.TextVectorization(max_tokens=20, **kwargs)
    tv.adapt(TEXTS)
    model = _classifier(tv, mask_zero=True)
    model.fit(TEXTS, LABELS, batch_size=8, epochs=1, verbose=0)
    model.save(tmp_path / "text.keras")
    loaded = keras.models.load_model(tmp_path / "text.keras")
    assert loaded.layers[0].get_vocabulary() == tv.get_vocabulary()
    assert loaded.layers[0].get_config() == tv.get_config()
    probe = np.array(["good great movie", "hated the story!", "unknown"])
    np.testing.assert_allclose(loaded.predict(probe, verbose=0), model.predict(probe, verbose=0), rtol=1e-6)
    loss = model.evaluate(TEXTS, LABELS, verbose=0)
    np.testing.assert_allclose(loaded.evaluate(TEXTS, LABELS, verbose=0), loss, rtol=1e-5)


def test_callables_are_saved_by_their_registered_names():
    tv = layers.TextVectorization(standardize=strip_marks, split=split_on_a, vocabulary=["x"])
    config = tv.get_config()
    assert config["standardize"] == {
        "module": "builtins", "class_name": "function", "config": "tv_fit>strip_marks", "registered_name": "function"
    }  # fmt: skip
    assert config["split"]["config"] == "tv_fit>split_on_a"
    clone = layers.TextVectorization.from_config(config)
    assert clone._standardize is strip_marks and clone._split is split_on_a

    def shout(x):
        return tf.strings.upper(x)

    local = layers.TextVectorization(standardize=shout, vocabulary=["x"]).get_config()
    assert local["standardize"]["config"] == "shout"
    with pytest.raises(TypeError, match="Could not locate function 'shout'"):
        layers.TextVectorization.from_config(local)
    assert layers.TextVectorization.from_config(local, custom_objects={"shout": shout})._standardize is shout


def test_ragged_output_in_a_traced_function_and_a_dataset():
    tv = layers.TextVectorization(vocabulary=["a", "b"], ragged=True)
    assert tv(np.array(["a b", "b"])).to_list() == [[2, 3], [3]]
    assert tf.function(lambda s: tv(s))(tf.constant(["a b", "c", ""])).to_list() == [[2, 3], [1], []]
    batches = tf.data.Dataset.from_tensor_slices(["a b", "c", ""]).batch(2).map(tv)
    assert [r.to_list() for r in batches] == [[[2, 3], [1]], [[]]]
