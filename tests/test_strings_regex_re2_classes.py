"""RE2 character-class syntax in ``tf.strings.regex_replace``/``regex_full_match`` (``[``, ``&``, ``~``, ``--``
are literals inside a class); expected values recorded from TensorFlow 2.21."""

import string

import ferroflow as tf

TEXT = ["hi, there! [ok] a&b~c", "x--y +,-"]


def test_punctuation_class_as_keras_text_examples_write_it():
    x = tf.constant(TEXT)
    out = tf.strings.regex_replace(x, f"([{string.punctuation}])", r" \1")
    assert out.numpy().tolist() == [b"hi , there !  [ok ] a &b ~c", b"x - -y  + , -"]


def test_leading_bracket_posix_class_and_dash_range():
    x = tf.constant(TEXT)
    assert tf.strings.regex_full_match(x, "[^]]*").numpy().tolist() == [False, True]
    assert tf.strings.regex_replace(x, "[[:alpha:]]+", "W").numpy().tolist() == [b"W, W! [W] W&W~W", b"W--W +,-"]
    assert tf.strings.regex_replace(x, "[+--]", "_").numpy().tolist() == [b"hi_ there! [ok] a&b~c", b"x__y ___"]


def test_text_vectorization_with_punctuation_standardizer():
    def standardize(s):
        return tf.strings.regex_replace(tf.strings.lower(s), f"([{string.punctuation}])", r" \1")

    layer = tf.keras.layers.TextVectorization(standardize=standardize, output_mode="int")
    layer.adapt(["Hello, world!", "hello world"])
    assert layer.get_vocabulary() == ["", "[UNK]", "world", "hello", ",", "!"]
