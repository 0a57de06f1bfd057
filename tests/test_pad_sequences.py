"""``keras.utils.pad_sequences``: Keras 3.15's documented examples and edge cases, and a NumPy reference."""

import numpy as np
import pytest

import ferroflow as tf

pad_sequences = tf.keras.utils.pad_sequences
SEQUENCES = [[1], [2, 3], [4, 5, 6]]


def test_documented_examples():
    out = pad_sequences(SEQUENCES)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2), [[0, 1], [2, 3], [5, 6]])
    cut_end = pad_sequences(SEQUENCES, maxlen=2, padding="post", truncating="post", value=-1)
    np.testing.assert_array_equal(cut_end, [[1, -1], [2, 3], [4, 5]])


def test_dtypes_strings_samples_and_empty_sequences():
    floats = pad_sequences([[1.5, 2.5], [3.5]], dtype="float32")
    assert floats.dtype == np.float32
    np.testing.assert_array_equal(floats, [[1.5, 2.5], [0.0, 3.5]])
    words = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<p>")
    assert words.tolist() == [["a", "b"], ["<p>", "c"]]
    np.testing.assert_array_equal(pad_sequences([[], [1, 2]]), [[0, 0], [1, 2]])
    vectors = pad_sequences([[[1, 2], [3, 4]], [[5, 6]]])
    assert vectors.shape == (2, 2, 2)
    np.testing.assert_array_equal(vectors, [[[1, 2], [3, 4]], [[0, 0], [5, 6]]])
    arrays = pad_sequences([np.arange(3), np.arange(5)], maxlen=4)
    np.testing.assert_array_equal(arrays, [[0, 0, 1, 2], [1, 2, 3, 4]])


def test_realistic_batch_against_numpy():
    rng = np.random.default_rng(4)
    seqs = [rng.integers(1, 1000, rng.integers(0, 300)).tolist() for _ in range(32)]
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            out = pad_sequences(seqs, maxlen=200, padding=padding, truncating=truncating)
            want = np.zeros((32, 200), np.int32)
            for i, s in enumerate(seqs):
                kept = s[-200:] if truncating == "pre" else s[:200]
                if kept:
                    if padding == "pre":
                        want[i, 200 - len(kept) :] = kept
                    else:
                        want[i, : len(kept)] = kept
            np.testing.assert_array_equal(out, want)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: pad_sequences([["a", "b"], ["c"]], value="<p>"), "is not compatible with `value`'s type"),
        (lambda: pad_sequences([[1, 2, 3]], maxlen=2, truncating="x"), 'Truncating type "x" not understood'),
        (lambda: pad_sequences([[1, 2, 3]], maxlen=4, padding="x"), 'Padding type "x" not understood'),
        (lambda: pad_sequences([[[1, 2], [3, 4]], [[5, 6, 7]]]), "is different from expected shape"),
        (lambda: pad_sequences([1, 2]), "must be a list of iterables"),
        (lambda: pad_sequences(5), "must be iterable"),
    ],
)
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
