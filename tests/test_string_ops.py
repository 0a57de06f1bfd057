"""``tf.strings``: each op against the values TensorFlow 2.21 gives for the same inputs."""

import numpy as np
import pytest

import ferroflow as tf


def _b(values):
    return [v.encode() if isinstance(v, str) else v for v in values]


CASES = [
    # (call, expected flat values)
    (lambda: tf.strings.length(["héllo", ""], unit="UTF8_CHAR"), [5, 0]),
    (lambda: tf.strings.length(["héllo", ""]), [6, 0]),
    (lambda: tf.strings.lower(["HÉllo"]), [b"h\xc3\x89llo"]),
    (lambda: tf.strings.lower(["HÉllo"], encoding="utf-8"), ["héllo".encode()]),
    (lambda: tf.strings.upper(["abc", "x1"]), [b"ABC", b"X1"]),
    (lambda: tf.strings.strip([" \t a b \n", "c"]), [b"a b", b"c"]),
    (lambda: tf.strings.join(["a", tf.constant(["x", "y"])], separator="/"), [b"a/x", b"a/y"]),
    (lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator="-"), [b"a-b", b"c-d"]),
    (lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]]), [b"abcd"]),
    (lambda: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=0), [b"ac", b"bd"]),
    (lambda: tf.strings.regex_replace(["hello world"], r"(\w+) (\w+)", r"\2 \1"), [b"world hello"]),
    (lambda: tf.strings.regex_replace(["aaa"], "a", "b", replace_global=False), [b"baa"]),
    (lambda: tf.strings.regex_replace(["cost 5"], r"\d", "$"), [b"cost $"]),
    (lambda: tf.strings.regex_full_match(["abc", "abcd"], "a.c"), [True, False]),
    (lambda: tf.strings.substr(["hello", "world"], [1, -3], [3, 10]), [b"ell", b"rld"]),
    (lambda: tf.strings.substr(["héllo"], 1, 2, unit="UTF8_CHAR"), ["él".encode()]),
    (lambda: tf.strings.to_number([" 1.5", "1e3", "inf"]), [1.5, 1000.0, np.inf]),
    (lambda: tf.strings.to_number(["-12", "7"], out_type=tf.int64), [-12, 7]),
    (
        lambda: tf.strings.as_string([1.5, -2.25, 1e-7, 123456789.0]),
        [b"1.500000", b"-2.250000", b"0.000000", b"123456792.000000"],
    ),
    (
        lambda: tf.strings.as_string([1.5, -2.25, 1e-7, 123456789.0], shortest=True),
        [b"1.5", b"-2.25", b"1e-07", b"1.23457e+08"],
    ),
    (
        lambda: tf.strings.as_string([1.5, -2.25, 1e-7, 123456789.0], scientific=True),
        [b"1.500000e+00", b"-2.250000e+00", b"1.000000e-07", b"1.234568e+08"],
    ),
    (lambda: tf.strings.as_string([1.5, -2.25], precision=2, width=8, fill="0"), [b"00001.50", b"-0002.25"]),
    (lambda: tf.strings.as_string([3, -42], width=5), [b"    3", b"  -42"]),
    (lambda: tf.strings.as_string([True, False]), [b"true", b"false"]),
    (lambda: tf.strings.split("a b"), [b"a", b"b"]),
    (lambda: tf.io.decode_raw(tf.constant([b"\x01\x00\x02\x00"]), tf.int16), [1, 2]),
    (lambda: tf.strings.unicode_split("héllo", "UTF-8"), [b"h", "é".encode(), b"l", b"l", b"o"]),
    (lambda: tf.strings.unicode_encode([104, 105], "UTF-8"), [b"hi"]),
]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_string_op_matches_tensorflow(index):
    call, expected = CASES[index]
    out = np.asarray(call().numpy()).reshape(-1)
    if out.dtype == object:
        assert list(out) == _b(expected)
    else:
        np.testing.assert_array_equal(out, np.asarray(expected))


RAGGED = [
    (lambda: tf.strings.split(tf.constant(["", "a,,b", " a  b "]), ","), [[b""], [b"a", b"", b"b"], [b" a  b "]]),
    (lambda: tf.strings.split(tf.constant(["", "a,,b", " a  b "])), [[], [b"a,,b"], [b"a", b"b"]]),
    (lambda: tf.strings.split(tf.constant(["a b c d"]), maxsplit=2), [[b"a", b"b", b"c d"]]),
    (lambda: tf.strings.split(tf.constant(["a,b,c,d"]), ",", maxsplit=2), [[b"a", b"b", b"c,d"]]),
    (lambda: tf.strings.split(tf.constant([["a b"], ["c"]])), [[[b"a", b"b"]], [[b"c"]]]),
    (
        lambda: tf.strings.unicode_decode([b"h\xffi", "héllo".encode()], "UTF-8"),
        [[104, 65533, 105], [104, 233, 108, 108, 111]],
    ),
    (lambda: tf.strings.unicode_decode([b"h\xffi"], "UTF-8", errors="ignore"), [[104, 105]]),
    (lambda: tf.strings.bytes_split(["ab", "c"]), [[b"a", b"b"], [b"c"]]),
]


@pytest.mark.parametrize("index", range(len(RAGGED)))
def test_ragged_string_op_matches_tensorflow(index):
    call, expected = RAGGED[index]
    out = call()
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == expected


def test_errors_name_what_was_wrong():
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not correctly convert string: 1.5"):
        tf.strings.to_number(["1.5"], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos 9 out of range for string b'hello'"):
        tf.strings.substr(["hello"], [9], [1])
    with pytest.raises(TypeError, match="expects a string tensor, received a tensor of dtype float32"):
        tf.strings.length([1.0])
    with pytest.raises(ValueError, match="Invalid pattern"):
        tf.strings.regex_replace(["a"], "(", "")
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a multiple of 4"):
        tf.io.decode_raw(tf.constant([b"abcde"]), tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="same size"):
        tf.io.decode_raw(tf.constant([b"ab", b"abcd"]), tf.uint8)
    with pytest.raises(tf.errors.NotFoundError, match="no/such/file"):
        tf.io.read_file("/no/such/file")


def test_string_ops_run_in_traced_functions():
    @tf.function(input_signature=[tf.TensorSpec([], tf.string)])
    def parse_line(line):
        fields = tf.strings.split(line, ",")
        return tf.strings.to_number(fields, tf.float32), tf.strings.upper(fields[0])

    numbers, first = parse_line(tf.constant("1.5,2,3e2"))
    np.testing.assert_allclose(numbers.numpy(), [1.5, 2.0, 300.0])
    assert first.numpy() == b"1.5"


def test_read_file_reads_bytes(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\xffabc")
    assert tf.io.read_file(str(path)).numpy() == b"\x00\xffabc"
    assert list(tf.io.read_file(tf.constant([str(path)] * 2)).numpy()) == [b"\x00\xffabc"] * 2


def test_dir_of_strings_is_the_public_api():
    names = [n for n in dir(tf.strings) if not n.startswith("_")]
    assert "split" in names and "to_number" in names
    assert not {"Any", "Optional", "np", "apply", "convert_to_tensor"} & set(names)


# Expected strings are TensorFlow 2.21's.
FORMATS = [
    ("t: {}, s", [tf.range(5)], {}, "t: [0 1 2 3 4], s"),
    ("{}", [tf.range(10)], {}, "[0 1 2 ... 7 8 9]"),
    ("{}", [tf.range(10)], {"summarize": 2}, "[0 1 ... 8 9]"),
    ("{}", [tf.range(10)], {"summarize": -1}, "[0 1 2 3 4 5 6 7 8 9]"),
    ("{}", [tf.constant([[1.5, 2.0], [3.0, 0.1234567]])], {}, "[[1.5 2]\n [3 0.123456702]]"),
    ("{} and {}", [tf.constant(True), tf.constant([True, False])], {}, "1 and [1 0]"),
    ("{}", [tf.constant(["a", "b"])], {}, '["a" "b"]'),
    ("x={}", [tf.constant(3.25)], {}, "x=3.25"),
    ("{}", [tf.constant([1.0 / 3], tf.float64)], {}, "[0.33333333333333331]"),
    ("<>", [tf.range(3)], {"placeholder": "<>"}, "[0 1 2]"),
]


@pytest.mark.parametrize("template,inputs,kwargs,expected", FORMATS)
def test_format_prints_tensors_as_tensorflow(template, inputs, kwargs, expected):
    got = tf.strings.format(template, inputs, **kwargs)
    assert got.dtype == tf.string and got.shape == ()
    assert got.numpy().decode() == expected


def test_format_in_graphs_and_its_errors():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.int32)])
    def describe(x):
        return tf.strings.format("rows {} of {}", (tf.shape(x)[0], x))

    assert describe(np.arange(6, dtype=np.int32).reshape(2, 3)).numpy() == b"rows 2 of [[0 1 2]\n [3 4 5]]"
    text = tf.reshape(tf.range(24), [2, 3, 4])
    want = "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]"
    assert tf.strings.format("{}", text).numpy().decode() == want
    with pytest.raises(ValueError, match="The template expects 2 tensors, but the inputs only has 1"):
        tf.strings.format("{} {}", [tf.range(2)])
    assert "format" in dir(tf.strings)
