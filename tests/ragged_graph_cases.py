"""Ragged tensor cases shared by tests/test_ragged_graph*.py (run with ferroflow) and
tests/data/make_ragged_graph_refs.py (run with TensorFlow 2.21, which wrote tests/ragged_graph_refs.py).

Each case builder takes the ``tf`` module, so the same code runs under both libraries.
"""


def show(tf, v):
    """A result as nested Python lists (dicts and tuples walked), for comparing libraries."""
    if isinstance(v, tf.RaggedTensor):
        return v.to_list()
    if isinstance(v, dict):
        return {k: show(tf, x) for k, x in v.items()}
    if isinstance(v, (tuple, list)):
        return [show(tf, x) for x in v]
    return v.numpy().tolist()


def floats(tf):
    return tf.ragged.constant([[1.5, 2.0, -3.0], [4.0], [], [5.0, 6.5]])


def nested(tf):
    return tf.ragged.constant([[[1, 2], [3]], [[4], [], [5, 6]], []])


def op_cases(tf):
    """Ops on ``floats(tf)`` (a [4, None] float32 ragged tensor)."""
    return {
        "row_lengths": lambda x: x.row_lengths(),
        "value_rowids": lambda x: x.value_rowids(),
        "nrows": lambda x: x.nrows(),
        "bounding_shape": lambda x: x.bounding_shape(),
        "to_tensor": lambda x: x.to_tensor(),
        "to_tensor_default": lambda x: x.to_tensor(default_value=-1.0),
        "to_tensor_shape_pad": lambda x: x.to_tensor(shape=[5, 2]),
        "to_tensor_shape_cut": lambda x: x.to_tensor(default_value=9.0, shape=[2, None]),
        "sum_rows": lambda x: tf.reduce_sum(x, axis=1),
        "mean_rows": lambda x: tf.reduce_mean(x, axis=1),
        "max_rows": lambda x: tf.reduce_max(x, axis=-1),
        "min_cols": lambda x: tf.reduce_min(x, axis=0),
        "mean_cols": lambda x: tf.reduce_mean(x, axis=0),
        "sum_all": lambda x: tf.reduce_sum(x),
        "row": lambda x: x[1],
        "last_row": lambda x: x[-1],
        "rows": lambda x: x[1:3],
        "every_other": lambda x: x[::2],
        "within": lambda x: x[:, 1:],
        "within_end": lambda x: x[:, :-1],
        "gather": lambda x: tf.gather(x, [3, 0, 0]),
        "gather_2d": lambda x: tf.gather(x, [[1, 0], [3, 2]]),
        "concat_rows": lambda x: tf.concat([x, x[:2]], axis=0),
        "concat_within": lambda x: tf.concat([x, x * 10.0], axis=1),
        "reverse_within": lambda x: tf.reverse(x, [1]),
        "map_flat_values": lambda x: tf.ragged.map_flat_values(tf.math.square, x),
        "boolean_mask": lambda x: tf.ragged.boolean_mask(x, x > 1.7),
        "boolean_mask_rows": lambda x: tf.ragged.boolean_mask(x, tf.constant([True, False, True, True])),
        "scaled": lambda x: x * tf.constant([[1.0], [2.0], [3.0], [4.0]]) + 1.0,
    }


def nested_cases(tf):
    """Ops on ``nested(tf)`` (a [3, None, None] int32 ragged tensor)."""
    return {
        "to_tensor": lambda x: x.to_tensor(),
        "to_tensor_shape": lambda x: x.to_tensor(shape=[2, 2, 1]),
        "merge_inner": lambda x: x.merge_dims(1, 2),
        "merge_all": lambda x: x.merge_dims(0, -1),
        "bounding_shape": lambda x: x.bounding_shape(),
        "row_lengths_inner": lambda x: x.row_lengths(axis=2),
        "sum_inner": lambda x: tf.reduce_sum(x, axis=2),
        "sum_rows": lambda x: tf.reduce_sum(x, axis=1),
        "mean_rows": lambda x: tf.reduce_mean(x, axis=1),
        "max_cols": lambda x: tf.reduce_max(x, axis=0),
        "mean_per_row": lambda x: tf.reduce_mean(x, axis=[1, 2]),
        "row": lambda x: x[1],
        "within": lambda x: x[:, 1:],
        "gather": lambda x: tf.gather(x, [2, 0]),
    }


TEXT = ["The cat sat.", "", "héllo  wörld", "a b c d"]
VOCAB = ["the", "cat", "sat", "a", "b"]


def string_cases(tf):
    """String ops with ragged results on a batch of ``TEXT``."""

    def table():
        init = tf.lookup.KeyValueTensorInitializer(VOCAB, tf.range(5, dtype=tf.int64))
        return tf.lookup.StaticVocabularyTable(init, 2)

    def split(x):
        return tf.strings.split(x)

    return {
        "split": split,
        "split_sep": lambda x: tf.strings.split(x, sep=" "),
        "split_maxsplit": lambda x: tf.strings.split(x, maxsplit=1),
        "split_to_tensor": lambda x: split(x).to_tensor(),
        "split_to_tensor_shape": lambda x: split(x).to_tensor(default_value="<pad>", shape=[None, 3]),
        "unicode_split": lambda x: tf.strings.unicode_split(x, "UTF-8"),
        "unicode_decode": lambda x: tf.strings.unicode_decode(x, "UTF-8"),
        "bytes_split": lambda x: tf.strings.bytes_split(x[:2]),
        "chars_of_words": lambda x: tf.strings.unicode_split(split(x), "UTF-8"),
        "bigrams": lambda x: tf.strings.ngrams(split(x), 2),
        "ngrams_padded": lambda x: tf.strings.ngrams(
            split(x), [1, 3], separator="_", pad_values=("<s>", "</s>"), padding_width=1
        ),
        "ngrams_preserve": lambda x: tf.strings.ngrams(split(x), 3, preserve_short_sequences=True),
        "reduce_join": lambda x: tf.strings.reduce_join(split(x), axis=-1, separator="|"),
        "encode": lambda x: tf.strings.unicode_encode(tf.strings.unicode_decode(x, "UTF-8"), "UTF-8"),
        "lower_length": lambda x: tf.strings.length(tf.strings.lower(split(x)), unit="UTF8_CHAR"),
        "hash": lambda x: tf.strings.to_hash_bucket_fast(split(x), 100),
        "lookup": lambda x: table().lookup(split(tf.strings.regex_replace(tf.strings.lower(x), "[.]", ""))),
        "string_lookup": lambda x: tf.keras.layers.StringLookup(vocabulary=VOCAB)(split(tf.strings.lower(x))),
        "word_lengths_max": lambda x: tf.reduce_max(tf.strings.length(split(x)), axis=1),
    }


TEXTS = ["The cat sat on the mat.", "A dog!", "", "the  quick brown fox", "héllo wörld", "cat"]
LABELS = [0, 1, 0, 1, 0, 1]
WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog"]


def pipelines(tf):
    """``tf.data`` pipelines that tokenize a text dataset as the "Load text" tutorial and the tf.data and
    ragged tensor guides do, each a function making the dataset."""

    def source():
        return tf.data.Dataset.from_tensor_slices((TEXTS, LABELS))

    def standardize(text):
        return tf.strings.regex_replace(tf.strings.lower(text), "[^a-zéö ]", "")

    def table():
        init = tf.lookup.KeyValueTensorInitializer(WORDS, tf.range(len(WORDS), dtype=tf.int64))
        return tf.lookup.StaticVocabularyTable(init, num_oov_buckets=1)

    def ids(text):
        return table().lookup(tf.strings.split(standardize(text)))

    def slices():
        return tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3], [], [4, 5, 6], [7]]))

    def tokens(t, label):
        return tf.strings.split(t), label

    def lengths(t, label):
        words = tf.strings.split(t)
        return {"n": words.row_lengths(), "longest": words.bounding_shape()[1]}

    def transform_lengths(features):  # the ragged tensor guide's Dataset example
        return {
            "mean_length": tf.math.reduce_mean(features["lengths"]),
            "length_ranges": tf.ragged.range(features["lengths"]),
        }

    return {
        "guide_lengths": lambda: tf.data.Dataset.from_tensor_slices(
            {"lengths": tf.ragged.constant([[1, 2], [3], [4, 5, 6], []])}
        ).map(transform_lengths),
        "split_batches": lambda: source().batch(4).map(tokens),
        "lookup_ids": lambda: (
            source()
            .batch(4)
            .map(lambda t, label: (tf.strings.split(standardize(t)), label))
            .map(lambda tok, label: (table().lookup(tok), label))
        ),
        "padded_ids": lambda: source().batch(4).map(lambda t, label: (ids(t).to_tensor(), label)),
        "fixed_length": lambda: source().batch(4).map(lambda t, label: (ids(t).to_tensor(0, shape=[None, 3]), label)),
        "unbatched_tokens": lambda: source().batch(4).map(tokens).unbatch(),
        "split_then_batch": lambda: source().map(tokens).ragged_batch(4),
        "chars": lambda: source().batch(3).map(lambda t, label: tf.strings.unicode_split(t, "UTF-8")),
        "bigrams": lambda: (
            source().batch(3).map(lambda t, label: tf.strings.ngrams(tf.strings.split(standardize(t)), 2))
        ),
        "lengths": lambda: source().batch(3).map(lengths),
        "filter": lambda: (
            source()
            .batch(2)
            .map(lambda t, label: tf.strings.split(t))
            .filter(lambda tok: tf.reduce_sum(tok.row_lengths()) > 2)
        ),
        "slices_batch": lambda: slices().batch(2),
        "slices_rows": lambda: tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1], [2, 3]], [], [[4]]])),
        "rebatched": lambda: slices().batch(2).unbatch().batch(3),
        "map_ragged_in": lambda: (
            slices().batch(2).map(lambda x: (tf.reduce_sum(x, axis=1), x * 2, tf.concat([x, x[:, :1]], axis=1)))
        ),
    }
