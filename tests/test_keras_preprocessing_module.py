"""``keras.preprocessing``: the legacy module the masking guide imports ``pad_sequences`` from. Its names are
the ``keras.utils`` objects; ``make_sampling_table`` is checked against Keras 3's values (TF 2.21)."""

import numpy as np

import ferroflow as tf


def test_sequence_pad_sequences_is_the_utils_function() -> None:
    seq = tf.keras.preprocessing.sequence
    assert seq.pad_sequences is tf.keras.utils.pad_sequences
    out = seq.pad_sequences([[711, 632, 71], [73, 8, 3215, 55, 927]], padding="post")
    np.testing.assert_array_equal(out, [[711, 632, 71, 0, 0], [73, 8, 3215, 55, 927]])
    out = seq.pad_sequences([[1, 2, 3], [4]], maxlen=2, truncating="pre", value=9)
    np.testing.assert_array_equal(out, [[2, 3], [9, 4]])
    assert out.dtype == np.int32


def test_make_sampling_table_matches_keras() -> None:
    table = tf.keras.preprocessing.sequence.make_sampling_table(6, sampling_factor=1e-3)
    expected = [0.0315224788, 0.0315224788, 0.0547597269, 0.074155641, 0.0912816746, 0.1068434504]
    np.testing.assert_allclose(table, expected, rtol=1e-8)
    # Zipf frequencies fall with rank, so the keep probability rises and is capped at 1
    big = tf.keras.preprocessing.sequence.make_sampling_table(10000, sampling_factor=0.1)
    assert np.all(np.diff(big[1:]) >= 0) and big.max() == 1.0


def test_image_and_dataset_helpers_are_the_utils_ones() -> None:
    pre = tf.keras.preprocessing
    assert pre.image.img_to_array is tf.keras.utils.img_to_array
    assert pre.image.array_to_img is tf.keras.utils.array_to_img
    assert pre.timeseries_dataset_from_array is tf.keras.utils.timeseries_dataset_from_array
    assert pre.text_dataset_from_directory is tf.keras.utils.text_dataset_from_directory
    assert pre.image_dataset_from_directory is tf.keras.utils.image_dataset_from_directory
    assert set(dir(pre)) == {
        "image",
        "image_dataset_from_directory",
        "sequence",
        "text_dataset_from_directory",
        "timeseries_dataset_from_array",
    }
    assert set(dir(pre.sequence)) == {"make_sampling_table", "pad_sequences"}
