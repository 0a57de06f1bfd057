"""tf.strings.ngrams and tf.strings.unsorted_segment_join: TensorFlow 2.21's results and Python references,
dense and ragged, eager and in tf.function."""

import numpy as np
import pytest

import ferroflow as tf


def values(x):
    return x.to_list() if isinstance(x, tf.RaggedTensor) else x.numpy().tolist()


def ngram_reference(row, widths, sep=" ", pad=None, padding_width=None, preserve=False):
    """TensorFlow's StringNGrams rules for one row of Python strings."""
    left, right = (pad if isinstance(pad, tuple) else (pad, pad)) if pad is not None else ("", "")
    out = []
    for w in widths:
        p = 0 if pad is None else (w - 1 if padding_width is None else min(padding_width, w - 1))
        padded = [left] * p + row + [right] * p
        out += [sep.join(padded[k : k + w]) for k in range(max(0, len(padded) - w + 1))]
    if preserve and not out and row:
        p = 0 if pad is None else padding_width
        out = [sep.join([left] * p + row + [right] * p)]
    return [s.encode() for s in out]


def test_tensorflow_examples():
    # TensorFlow 2.21's results for these calls.
    assert values(tf.strings.ngrams(["a", "b", "c", "d"], 2)) == [b"a b", b"b c", b"c d"]
    assert values(tf.strings.ngrams(tf.constant([["a", "b", "c"], ["d", "e", "f"]]), (1, 3))) == [
        [b"a", b"b", b"c", b"a b c"],
        [b"d", b"e", b"f", b"d e f"],
    ]
    rt = tf.ragged.constant([["a", "b", "c"], ["d"], []])
    assert values(tf.strings.ngrams(rt, 2, preserve_short_sequences=True)) == [[b"a b", b"b c"], [b"d"], []]
    assert values(tf.strings.ngrams(rt, 3, pad_values=("<s>", "</s>"))) == [
        [b"<s> <s> a", b"<s> a b", b"a b c", b"b c </s>", b"c </s> </s>"],
        [b"<s> <s> d", b"<s> d </s>", b"d </s> </s>"],
        [b"<s> <s> </s>", b"<s> </s> </s>"],
    ]
    assert values(tf.strings.ngrams(rt, 3, pad_values="P", padding_width=1)) == [
        [b"P a b", b"a b c", b"b c P"],
        [b"P d P"],
        [],
    ]
    assert values(tf.strings.ngrams(["a", "b"], 2, pad_values="P", padding_width=3)) == [b"P a", b"a b", b"b P"]
    assert values(tf.strings.ngrams(["a", "b"], 3)) == []
    assert values(tf.strings.ngrams(["a", "b"], 3, preserve_short_sequences=True)) == [b"a b"]
    nested = tf.ragged.constant([[["a", "b"], ["c"]], [["d", "e", "f"]]])
    assert values(tf.strings.ngrams(nested, 2)) == [[[b"a b"], []], [[b"d e", b"e f"]]]


@pytest.mark.parametrize(
    "widths,kwargs",
    [
        ((2,), {}),
        ((1, 2, 3), {"separator": "_"}),
        ((3,), {"pad_values": ("<", ">")}),
        ((2, 4), {"pad_values": "#", "padding_width": 2, "preserve_short_sequences": True}),
        ((5,), {"preserve_short_sequences": True}),
    ],
)
def test_random_ragged_and_dense_against_reference(widths, kwargs):
    rng = np.random.default_rng(len(widths))
    words = np.array([f"w{i}" for i in range(30)], dtype=object)
    rows = [list(rng.choice(words, size=rng.integers(0, 7))) for _ in range(40)]
    pad, pw = kwargs.get("pad_values"), kwargs.get("padding_width")
    sep, preserve = kwargs.get("separator", " "), kwargs.get("preserve_short_sequences", False)
    got = tf.strings.ngrams(tf.ragged.constant(rows, dtype=tf.string), widths, **kwargs)
    assert got.to_list() == [ngram_reference(r, widths, sep, pad, pw, preserve) for r in rows]
    dense = rng.choice(words, size=(8, 16, 6))
    want = [[ngram_reference(list(r), widths, sep, pad, pw, preserve) for r in m] for m in dense]
    np.testing.assert_array_equal(tf.strings.ngrams(tf.constant(dense), widths, **kwargs).numpy(), want)
    fn = tf.function(lambda x: tf.strings.ngrams(x, widths, **kwargs))
    np.testing.assert_array_equal(fn(tf.constant(dense)).numpy(), want)


def test_dense_of_unknown_length_in_tf_function():
    fn = tf.function(
        lambda x: tf.strings.ngrams(x, (2, 5), pad_values="P", padding_width=1, preserve_short_sequences=True),
        input_signature=[tf.TensorSpec([None, None], tf.string)],
    )
    data = np.array([["a", "b", "c"], ["d", "e", "f"]], dtype=object)
    want = [ngram_reference(list(r), (2, 5), " ", "P", 1, True) for r in data]
    assert fn(tf.constant(data)).numpy().tolist() == want


def test_ngrams_errors():
    with pytest.raises(ValueError, match="Data must have rank>0"):
        tf.strings.ngrams(tf.constant("abc"), 2)
    with pytest.raises(ValueError, match="All ngram_widths must be greater than 0. Got 0"):
        tf.strings.ngrams(["a"], 0)
    with pytest.raises(TypeError, match="pad_values must be a string"):
        tf.strings.ngrams(["a"], 2, pad_values=1)
    with pytest.raises(ValueError, match="padding_width must be greater than 0"):
        tf.strings.ngrams(["a"], 2, pad_values="x", padding_width=0)
    with pytest.raises(ValueError, match="pad_values must be provided"):
        tf.strings.ngrams(["a"], 2, padding_width=1)
    with pytest.raises(ValueError, match="requested dtype string"):
        tf.strings.ngrams(tf.constant([1, 2]), 2)


def segment_join_reference(inputs, ids, n, sep):
    flat_ids = ids.reshape(-1)
    pieces = inputs.reshape((flat_ids.size,) + inputs.shape[ids.ndim :])
    out = np.empty((n,) + pieces.shape[1:], dtype=object)
    for idx in np.ndindex(out.shape):
        s, inner = idx[0], idx[1:]
        out[idx] = sep.join(str(pieces[(i,) + inner]) for i in range(flat_ids.size) if flat_ids[i] == s).encode()
    return out


def test_unsorted_segment_join():
    # TensorFlow 2.21's results.
    got = tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [1, 0, 1, 3], 4, separator=",")
    assert got.numpy().tolist() == [b"b", b"a,c", b"", b"d"]
    got = tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"], ["e", "f"]], [1, 0, 1], 2, separator=",")
    assert got.numpy().tolist() == [[b"c", b"d"], [b"a,e", b"b,f"]]
    got = tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"]], [[0, 1], [1, 1]], 2, separator="-")
    assert got.numpy().tolist() == [b"a", b"b-c-d"]
    rng = np.random.default_rng(3)
    inputs = np.array([f"s{i}" for i in range(600)], dtype=object).reshape(100, 2, 3)
    ids = rng.integers(0, 40, size=(100, 2))
    want = segment_join_reference(inputs, ids, 40, "|")
    np.testing.assert_array_equal(tf.strings.unsorted_segment_join(inputs, ids, 40, separator="|").numpy(), want)
    fn = tf.function(lambda x, i, n: tf.strings.unsorted_segment_join(x, i, n, separator="|"))
    np.testing.assert_array_equal(fn(tf.constant(inputs), tf.constant(ids), tf.constant(40)).numpy(), want)


def test_unsorted_segment_join_errors():
    bad = "segment_ids are not allowed to exceed num_segments or to have negative values"
    with pytest.raises(tf.errors.InvalidArgumentError, match=bad):
        tf.strings.unsorted_segment_join(["a", "b", "c"], [-1, 0, 0], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=bad):
        tf.function(lambda x, i: tf.strings.unsorted_segment_join(x, i, 2))(
            tf.constant(["a", "b"]), tf.constant([1, 2])
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Segment dimension is 3"):
        tf.strings.unsorted_segment_join(["a", "b"], [0, 1, 1], 2)
    with pytest.raises(TypeError, match="string inputs"):
        tf.strings.unsorted_segment_join([1, 2], [0, 1], 2)
