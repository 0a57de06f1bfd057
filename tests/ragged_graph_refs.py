"""TensorFlow 2.21's results for tests/ragged_graph_cases.py, written by
tests/data/make_ragged_graph_refs.py (then ruff format)."""

nan = float("nan")

OPS = {
    "boolean_mask": [[2.0], [4.0], [], [5.0, 6.5]],
    "boolean_mask_rows": [[1.5, 2.0, -3.0], [], [5.0, 6.5]],
    "bounding_shape": [4, 3],
    "concat_rows": [[1.5, 2.0, -3.0], [4.0], [], [5.0, 6.5], [1.5, 2.0, -3.0], [4.0]],
    "concat_within": [[1.5, 2.0, -3.0, 15.0, 20.0, -30.0], [4.0, 40.0], [], [5.0, 6.5, 50.0, 65.0]],
    "every_other": [[1.5, 2.0, -3.0], []],
    "gather": [[5.0, 6.5], [1.5, 2.0, -3.0], [1.5, 2.0, -3.0]],
    "gather_2d": [[[4.0], [1.5, 2.0, -3.0]], [[5.0, 6.5], []]],
    "last_row": [5.0, 6.5],
    "map_flat_values": [[2.25, 4.0, 9.0], [16.0], [], [25.0, 42.25]],
    "max_rows": [2.0, 4.0, -3.4028234663852886e38, 6.5],
    "mean_cols": [3.5, 4.25, -3.0],
    "mean_rows": [0.1666666716337204, 4.0, nan, 5.75],
    "min_cols": [1.5, 2.0, -3.0],
    "nrows": 4,
    "reverse_within": [[-3.0, 2.0, 1.5], [4.0], [], [6.5, 5.0]],
    "row": [4.0],
    "row_lengths": [3, 1, 0, 2],
    "rows": [[4.0], []],
    "scaled": [[2.5, 3.0, -2.0], [9.0], [], [21.0, 27.0]],
    "sum_all": 16.0,
    "sum_rows": [0.5, 4.0, 0.0, 11.5],
    "to_tensor": [[1.5, 2.0, -3.0], [4.0, 0.0, 0.0], [0.0, 0.0, 0.0], [5.0, 6.5, 0.0]],
    "to_tensor_default": [[1.5, 2.0, -3.0], [4.0, -1.0, -1.0], [-1.0, -1.0, -1.0], [5.0, 6.5, -1.0]],
    "to_tensor_shape_cut": [[1.5, 2.0, -3.0], [4.0, 9.0, 9.0]],
    "to_tensor_shape_pad": [[1.5, 2.0], [4.0, 0.0], [0.0, 0.0], [5.0, 6.5], [0.0, 0.0]],
    "value_rowids": [0, 0, 0, 1, 3, 3],
    "within": [[2.0, -3.0], [], [], [6.5]],
    "within_end": [[1.5, 2.0], [], [], [5.0]],
}

NESTED = {
    "bounding_shape": [3, 3, 2],
    "gather": [[], [[1, 2], [3]]],
    "max_cols": [[4, 2], [3], [5, 6]],
    "mean_per_row": [2.0, 5.0, nan],
    "mean_rows": [[2.0, 2.0], [4.5, 6.0], []],
    "merge_all": [1, 2, 3, 4, 5, 6],
    "merge_inner": [[1, 2, 3], [4, 5, 6], []],
    "row": [[4], [], [5, 6]],
    "row_lengths_inner": [[2, 1], [1, 0, 2], []],
    "sum_inner": [[3, 3], [4, 0, 11], []],
    "sum_rows": [[4, 2], [9, 6], []],
    "to_tensor": [[[1, 2], [3, 0], [0, 0]], [[4, 0], [0, 0], [5, 6]], [[0, 0], [0, 0], [0, 0]]],
    "to_tensor_shape": [[[1], [3]], [[4], [0]]],
    "within": [[[3]], [[], [5, 6]], []],
}

STRINGS = {
    "bigrams": [[b"The cat", b"cat sat."], [], [b"h\xc3\xa9llo w\xc3\xb6rld"], [b"a b", b"b c", b"c d"]],
    "bytes_split": [[b"T", b"h", b"e", b" ", b"c", b"a", b"t", b" ", b"s", b"a", b"t", b"."], []],
    "chars_of_words": [
        [[b"T", b"h", b"e"], [b"c", b"a", b"t"], [b"s", b"a", b"t", b"."]],
        [],
        [[b"h", b"\xc3\xa9", b"l", b"l", b"o"], [b"w", b"\xc3\xb6", b"r", b"l", b"d"]],
        [[b"a"], [b"b"], [b"c"], [b"d"]],
    ],
    "encode": [b"The cat sat.", b"", b"h\xc3\xa9llo  w\xc3\xb6rld", b"a b c d"],
    "hash": [[1, 96, 70], [], [51, 42], [39, 22, 72, 65]],
    "lookup": [[0, 1, 2], [], [6, 5], [3, 4, 5, 6]],
    "lower_length": [[3, 3, 4], [], [5, 5], [1, 1, 1, 1]],
    "ngrams_padded": [
        [b"The", b"cat", b"sat.", b"<s>_The_cat", b"The_cat_sat.", b"cat_sat._</s>"],
        [],
        [b"h\xc3\xa9llo", b"w\xc3\xb6rld", b"<s>_h\xc3\xa9llo_w\xc3\xb6rld", b"h\xc3\xa9llo_w\xc3\xb6rld_</s>"],
        [b"a", b"b", b"c", b"d", b"<s>_a_b", b"a_b_c", b"b_c_d", b"c_d_</s>"],
    ],
    "ngrams_preserve": [[b"The cat sat."], [], [b"h\xc3\xa9llo w\xc3\xb6rld"], [b"a b c", b"b c d"]],
    "reduce_join": [b"The|cat|sat.", b"", b"h\xc3\xa9llo|w\xc3\xb6rld", b"a|b|c|d"],
    "split": [[b"The", b"cat", b"sat."], [], [b"h\xc3\xa9llo", b"w\xc3\xb6rld"], [b"a", b"b", b"c", b"d"]],
    "split_maxsplit": [[b"The", b"cat sat."], [], [b"h\xc3\xa9llo", b"w\xc3\xb6rld"], [b"a", b"b c d"]],
    "split_sep": [[b"The", b"cat", b"sat."], [b""], [b"h\xc3\xa9llo", b"", b"w\xc3\xb6rld"], [b"a", b"b", b"c", b"d"]],
    "split_to_tensor": [
        [b"The", b"cat", b"sat.", b""],
        [b"", b"", b"", b""],
        [b"h\xc3\xa9llo", b"w\xc3\xb6rld", b"", b""],
        [b"a", b"b", b"c", b"d"],
    ],
    "split_to_tensor_shape": [
        [b"The", b"cat", b"sat."],
        [b"<pad>", b"<pad>", b"<pad>"],
        [b"h\xc3\xa9llo", b"w\xc3\xb6rld", b"<pad>"],
        [b"a", b"b", b"c"],
    ],
    "string_lookup": [[1, 2, 0], [], [0, 0], [4, 5, 0, 0]],
    "unicode_decode": [
        [84, 104, 101, 32, 99, 97, 116, 32, 115, 97, 116, 46],
        [],
        [104, 233, 108, 108, 111, 32, 32, 119, 246, 114, 108, 100],
        [97, 32, 98, 32, 99, 32, 100],
    ],
    "unicode_split": [
        [b"T", b"h", b"e", b" ", b"c", b"a", b"t", b" ", b"s", b"a", b"t", b"."],
        [],
        [b"h", b"\xc3\xa9", b"l", b"l", b"o", b" ", b" ", b"w", b"\xc3\xb6", b"r", b"l", b"d"],
        [b"a", b" ", b"b", b" ", b"c", b" ", b"d"],
    ],
    "word_lengths_max": [4, -2147483648, 6, 1],
}

SPECS = {
    "bigrams": "RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64)",
    "chars": "RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64)",
    "filter": "RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64)",
    "fixed_length": "(TensorSpec(shape=(None, 3), dtype=tf.int64, name=None), TensorSpec(shape=(None,), "
    "dtype=tf.int32, name=None))",
    "guide_lengths": "{'mean_length': TensorSpec(shape=(), dtype=tf.int32, name=None), 'length_ranges': "
    "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)}",
    "lengths": "{'n': TensorSpec(shape=(None,), dtype=tf.int64, name=None), 'longest': TensorSpec(shape=(), "
    "dtype=tf.int64, name=None)}",
    "lookup_ids": "(RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64), TensorSpec(shape=(None,), "
    "dtype=tf.int32, name=None))",
    "map_ragged_in": "(TensorSpec(shape=(None,), dtype=tf.int32, name=None), RaggedTensorSpec(TensorShape([None, "
    "None]), tf.int32, 1, tf.int64), RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, "
    "tf.int64))",
    "padded_ids": "(TensorSpec(shape=(None, None), dtype=tf.int64, name=None), TensorSpec(shape=(None,), "
    "dtype=tf.int32, name=None))",
    "rebatched": "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)",
    "slices_batch": "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)",
    "slices_rows": "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)",
    "split_batches": "(RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64), TensorSpec(shape=(None,), "
    "dtype=tf.int32, name=None))",
    "split_then_batch": "(RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64), "
    "TensorSpec(shape=(None,), dtype=tf.int32, name=None))",
    "unbatched_tokens": "(RaggedTensorSpec(TensorShape([None]), tf.string, 0, tf.int64), TensorSpec(shape=(), "
    "dtype=tf.int32, name=None))",
}

ELEMENTS = {
    "bigrams": [
        [[b"the cat", b"cat sat", b"sat on", b"on the", b"the mat"], [b"a dog"], []],
        [[b"the quick", b"quick brown", b"brown fox"], [b"h\xc3\xa9llo w\xc3\xb6rld"], []],
    ],
    "chars": [
        [
            [
                b"T",
                b"h",
                b"e",
                b" ",
                b"c",
                b"a",
                b"t",
                b" ",
                b"s",
                b"a",
                b"t",
                b" ",
                b"o",
                b"n",
                b" ",
                b"t",
                b"h",
                b"e",
                b" ",
                b"m",
                b"a",
                b"t",
                b".",
            ],
            [b"A", b" ", b"d", b"o", b"g", b"!"],
            [],
        ],
        [
            [
                b"t",
                b"h",
                b"e",
                b" ",
                b" ",
                b"q",
                b"u",
                b"i",
                b"c",
                b"k",
                b" ",
                b"b",
                b"r",
                b"o",
                b"w",
                b"n",
                b" ",
                b"f",
                b"o",
                b"x",
            ],
            [b"h", b"\xc3\xa9", b"l", b"l", b"o", b" ", b"w", b"\xc3\xb6", b"r", b"l", b"d"],
            [b"c", b"a", b"t"],
        ],
    ],
    "filter": [
        [[b"The", b"cat", b"sat", b"on", b"the", b"mat."], [b"A", b"dog!"]],
        [[], [b"the", b"quick", b"brown", b"fox"]],
        [[b"h\xc3\xa9llo", b"w\xc3\xb6rld"], [b"cat"]],
    ],
    "fixed_length": [[[[0, 1, 2], [5, 6, 0], [0, 0, 0], [0, 7, 7]], [0, 1, 0, 1]], [[[7, 7, 0], [1, 0, 0]], [0, 1]]],
    "guide_lengths": [
        {"length_ranges": [[0], [0, 1]], "mean_length": 1},
        {"length_ranges": [[0, 1, 2]], "mean_length": 3},
        {"length_ranges": [[0, 1, 2, 3], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5]], "mean_length": 5},
        {"length_ranges": [], "mean_length": 0},
    ],
    "lengths": [{"longest": 6, "n": [6, 2, 0]}, {"longest": 4, "n": [4, 2, 1]}],
    "lookup_ids": [[[[0, 1, 2, 3, 0, 4], [5, 6], [], [0, 7, 7, 7]], [0, 1, 0, 1]], [[[7, 7], [1]], [0, 1]]],
    "map_ragged_in": [
        [[3, 3], [[2, 4], [6]], [[1, 2, 1], [3, 3]]],
        [[0, 15], [[], [8, 10, 12]], [[], [4, 5, 6, 4]]],
        [[7], [[14]], [[7, 7]]],
    ],
    "padded_ids": [
        [[[0, 1, 2, 3, 0, 4], [5, 6, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 7, 7, 7, 0, 0]], [0, 1, 0, 1]],
        [[[7, 7], [1, 0]], [0, 1]],
    ],
    "rebatched": [[[1, 2], [3], []], [[4, 5, 6], [7]]],
    "slices_batch": [[[1, 2], [3]], [[], [4, 5, 6]], [[7]]],
    "slices_rows": [[[1], [2, 3]], [], [[4]]],
    "split_batches": [
        [
            [
                [b"The", b"cat", b"sat", b"on", b"the", b"mat."],
                [b"A", b"dog!"],
                [],
                [b"the", b"quick", b"brown", b"fox"],
            ],
            [0, 1, 0, 1],
        ],
        [[[b"h\xc3\xa9llo", b"w\xc3\xb6rld"], [b"cat"]], [0, 1]],
    ],
    "split_then_batch": [
        [
            [
                [b"The", b"cat", b"sat", b"on", b"the", b"mat."],
                [b"A", b"dog!"],
                [],
                [b"the", b"quick", b"brown", b"fox"],
            ],
            [0, 1, 0, 1],
        ],
        [[[b"h\xc3\xa9llo", b"w\xc3\xb6rld"], [b"cat"]], [0, 1]],
    ],
    "unbatched_tokens": [
        [[b"The", b"cat", b"sat", b"on", b"the", b"mat."], 0],
        [[b"A", b"dog!"], 1],
        [[], 0],
        [[b"the", b"quick", b"brown", b"fox"], 1],
        [[b"h\xc3\xa9llo", b"w\xc3\xb6rld"], 0],
        [[b"cat"], 1],
    ],
}
