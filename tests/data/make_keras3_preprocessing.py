"""Writes small Keras-3-made models whose preprocessing layers hold state (run once, with Keras 3 on TensorFlow,
which the string layers need):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_preprocessing.py   # keras>=3.15, tensorflow, h5py

``keras3/preprocessing_state.keras``: four inputs (words, integer ids, texts, numbers) through adapted and
given-vocabulary StringLookup / IntegerLookup (int, tf_idf, multi_hot, invert; one vocabulary read from a file),
TextVectorization (tf_idf with bigrams, characters, count with a given vocabulary), Normalization (adapted per
feature and over everything, given and inverted), Discretization, Hashing and CategoryEncoding; one output each.
``keras3/preprocessing_text.keras``: a text classifier (TextVectorization -> Embedding ->
GlobalAveragePooling1D -> Dense) adapted and trained for a few epochs. Each ``.npz`` holds the inputs and
Keras's outputs; tests/test_preprocessing_saving.py checks that ferroflow loads the state and computes the same.
"""

import os
import tempfile

import keras
import numpy as np
from keras import layers as L
from make_keras3_convnet import deflate

keras.utils.set_random_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")
rng = np.random.default_rng(0)

WORDS = np.array([["cat"], ["dog"], ["dog"], ["bird"], ["cat"], ["cat"], ["fish"], ["Cat"]])
IDS = np.array([[1, 2, 3], [2, 3, 3], [5, 5, 1], [0, 7, 2]], "int64")
TEXTS = np.array([["The cat sat."], ["the dog ran fast"], ["A cat, a dog!"], ["birds fly"], ["the end"]])
NUMS = rng.normal(2.0, 3.0, size=(16, 3)).astype("float32")


def state_model() -> keras.Model:
    words = keras.Input((1,), dtype="string", name="words")
    ids = keras.Input((3,), dtype="int64", name="ids")
    texts = keras.Input((1,), dtype="string", name="texts")
    nums = keras.Input((3,), name="nums")
    with tempfile.TemporaryDirectory() as folder:
        vocab_file = os.path.join(folder, "vocab.txt")
        with open(vocab_file, "w") as f:
            f.write("dog\nfish\ncat\n")
        from_file = L.StringLookup(vocabulary=vocab_file, name="from_file")  # kept as an asset, not the path
    adapted = L.StringLookup(num_oov_indices=2, name="adapted")
    adapted.adapt(WORDS)
    words_idf = L.StringLookup(output_mode="tf_idf", name="words_idf")
    words_idf.adapt(WORDS)
    masked = L.IntegerLookup(mask_token=0, name="masked")
    masked.adapt(IDS)
    ids_idf = L.IntegerLookup(output_mode="tf_idf", name="ids_idf")
    ids_idf.adapt(IDS)
    given = L.IntegerLookup(vocabulary=[5, 7, 9], output_mode="multi_hot", name="given")
    inverse = L.IntegerLookup(invert=True, name="inverse")
    inverse.adapt(IDS * 10)
    bigrams = L.TextVectorization(max_tokens=12, ngrams=2, output_mode="tf_idf", name="bigrams")
    bigrams.adapt(TEXTS)
    chars = L.TextVectorization(split="character", standardize="lower", output_sequence_length=6, name="chars")
    chars.adapt(TEXTS)
    counts = L.TextVectorization(vocabulary=["the", "cat", "dog"], output_mode="count", name="counts")
    per_feature = L.Normalization(name="per_feature")
    per_feature.adapt(NUMS)
    overall = L.Normalization(axis=None, name="overall")
    overall.adapt(NUMS)
    inverted = L.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 1.0, 0.25], invert=True, name="inverted")
    buckets = L.Discretization(num_bins=4, name="buckets")
    buckets.adapt(NUMS)
    outputs = [
        adapted(words),
        from_file(words),
        words_idf(words),
        masked(ids),
        ids_idf(ids),
        given(ids),
        inverse(ids),
        bigrams(texts),
        chars(texts),
        counts(texts),
        per_feature(nums),
        overall(nums),
        inverted(nums),
        buckets(nums),
        L.Hashing(num_bins=5, salt=7, name="hashed")(words),
        L.CategoryEncoding(num_tokens=8, output_mode="count", name="categories")(ids),
    ]
    return keras.Model([words, ids, texts, nums], outputs, name="preprocessing_state")


CORPUS = [
    ("a wonderful film, I loved it", 1),
    ("great acting and a great story", 1),
    ("loved the music, wonderful", 1),
    ("a fine and moving story", 1),
    ("terrible film, I hated it", 0),
    ("boring story and bad acting", 0),
    ("hated the music, terrible", 0),
    ("a dull and boring film", 0),
]


def text_model() -> tuple:
    texts = np.array([[t] for t, _ in CORPUS])
    labels = np.array([y for _, y in CORPUS], "float32")
    vectorize = L.TextVectorization(max_tokens=30, output_sequence_length=8, name="vectorize")
    vectorize.adapt(texts)
    inputs = keras.Input((1,), dtype="string", name="text")
    x = L.Embedding(30, 8, name="embed")(vectorize(inputs))
    x = L.GlobalAveragePooling1D(name="pool")(x)
    model = keras.Model(inputs, L.Dense(1, activation="sigmoid", name="out")(x), name="preprocessing_text")
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    import tensorflow as tf  # Keras's fit reads strings from a tf.data pipeline

    model.fit(tf.data.Dataset.from_tensor_slices((texts, labels)).batch(4), epochs=5, verbose=0)
    return model, texts


def main() -> None:
    model = state_model()
    x = [WORDS, IDS[[0, 1, 2, 3, 0, 1, 2, 3]], TEXTS[[0, 1, 2, 3, 4, 0, 1, 2]], NUMS[:8]]
    ys = [np.asarray(y) for y in model(x)]
    model.save(f"{OUT}/preprocessing_state.keras")
    deflate(f"{OUT}/preprocessing_state.keras")
    arrays = {f"x{i}": v for i, v in enumerate(x)}
    np.savez_compressed(f"{OUT}/preprocessing_state.npz", **arrays, **{f"y{i}": y for i, y in enumerate(ys)})

    model, texts = text_model()
    queries = np.concatenate([texts, [["a wonderful story"], ["terrible and boring"], ["unknown words here"]]])
    y = np.asarray(model(queries))
    model.save(f"{OUT}/preprocessing_text.keras")
    deflate(f"{OUT}/preprocessing_text.keras")
    np.savez_compressed(f"{OUT}/preprocessing_text.npz", x=queries, y=y)


if __name__ == "__main__":
    main()
