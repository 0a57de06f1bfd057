"""``tf.print``: TensorFlow's text for tensors, eagerly and on every call of a ``tf.function``."""

import io
import sys

import pytest

import ferroflow as tf


def printed(fn, *args):
    stream = io.StringIO()
    fn(stream, *args)
    return stream.getvalue()


def test_eager_print_formats_like_tensorflow():
    out = printed(lambda s: tf.print("x:", tf.constant([1, 2, 3]), 7, output_stream=s))
    assert out == "x: [1 2 3] 7\n"
    out = printed(lambda s: tf.print(tf.constant([[1.5, 2.0], [3.0, 4.25]]), output_stream=s))
    assert out == "[[1.5 2]\n [3 4.25]]\n"
    out = printed(lambda s: tf.print(tf.range(10), output_stream=s))
    assert out == "[0 1 2 ... 7 8 9]\n"
    out = printed(lambda s: tf.print(tf.range(10), summarize=-1, sep=",", end="!", output_stream=s))
    assert out == "[0 1 2 3 4 5 6 7 8 9]!"
    out = printed(lambda s: tf.print({"a": tf.constant(1.0)}, output_stream=s))
    assert out == "{a: 1}\n"


def test_print_inside_a_function_prints_on_every_call():
    stream = io.StringIO()

    @tf.function
    def f(x):
        tf.print("value", x * 2, output_stream=stream)
        return x + 1

    f(tf.constant(1))
    f(tf.constant(5))
    assert stream.getvalue() == "value 2\nvalue 10\n"


def test_print_to_a_file_and_errors(tmp_path, capsys):
    path = tmp_path / "log.txt"
    tf.print("hello", tf.constant(3), output_stream=f"file://{path}")
    assert path.read_text() == "hello 3\n"
    tf.print(tf.constant([True, False]), output_stream=sys.stdout)
    assert capsys.readouterr().out == "[1 0]\n"
    with pytest.raises(ValueError, match="file://"):
        tf.print(1, output_stream="stdout")
    g = tf.Graph()
    with g.as_default():
        op = tf.print("twice", tf.constant(1.0) * 2, output_stream=sys.stdout)  # TF1: an op a session runs
        assert capsys.readouterr().out == ""
        with tf.compat.v1.Session() as sess:
            assert sess.run(op) is None
    assert capsys.readouterr().out == "twice 2\n"
