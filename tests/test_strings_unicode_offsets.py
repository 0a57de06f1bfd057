"""tf.strings.unicode_decode_with_offsets / unicode_split_with_offsets / unicode_transcode / unicode_script:
TensorFlow 2.21's results, a Python reference on random bytes, eager and in tf.function."""

import codecs

import numpy as np
import pytest

import ferroflow as tf

S = [
    b"",
    b"abc",
    b"\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x8e\x89x",
    b"\xff",
    b"a\xe2\x82",
    b"a\xe2\x82b",
    b"\xc0\x80",
    b"\xed\xa0\x80z",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82\xac\x80\x80",
    b"\x01\x7f\x1b",
]
# TensorFlow 2.21: unicode_decode_with_offsets(S, "UTF-8").
CODES = [
    [], [97, 98, 99], [233, 28450, 127881, 120], [65533], [97, 65533], [97, 65533, 98], [65533, 65533],
    [65533, 65533, 65533, 122], [65533, 65533, 65533, 65533], [8364, 65533, 65533], [1, 127, 27],
]  # fmt: skip
OFFSETS = [
    [],
    [0, 1, 2],
    [0, 2, 5, 9],
    [0],
    [0, 1],
    [0, 1, 3],
    [0, 1],
    [0, 1, 2, 3],
    [0, 1, 2, 3],
    [0, 3, 4],
    [0, 1, 2],
]

_errors = []
codecs.register_error("ferroflow_test_record", lambda e: (_errors.append((e.start, e.end)) or "\ufffd", e.end))


def reference(data: bytes, errors="replace"):
    """Code points and byte offsets of UTF-8 ``data`` as Python's decoder splits it (maximal subparts)."""
    _errors.clear()
    text = data.decode("utf-8", "ferroflow_test_record")
    bad = dict(_errors)
    codes, offsets, pos = [], [], 0
    for ch in text:
        if ch == "\ufffd" and pos in bad:
            if errors == "replace":
                codes.append(0xFFFD)
                offsets.append(pos)
            pos = bad[pos]
            continue
        codes.append(ord(ch))
        offsets.append(pos)
        pos += len(ch.encode("utf-8"))
    return codes, offsets


def test_decode_with_offsets_matches_tensorflow():
    codes, offsets = tf.strings.unicode_decode_with_offsets(S, "UTF-8")
    assert codes.to_list() == CODES and offsets.to_list() == OFFSETS
    assert codes.dtype == tf.int32 and offsets.dtype == tf.int64
    c, o = tf.strings.unicode_decode_with_offsets(S, "UTF-8", errors="ignore")
    assert c.to_list()[4:6] == [[97], [97, 98]] and o.to_list()[4:6] == [[0], [0, 3]]
    c, _ = tf.strings.unicode_decode_with_offsets(S[-1], "UTF-8", replace_control_characters=True)
    assert c.numpy().tolist() == [65533, 127, 65533]
    c, o = tf.strings.unicode_decode_with_offsets(S[2], "utf-8")
    assert c.numpy().tolist() == CODES[2] and o.numpy().tolist() == OFFSETS[2]


def test_decode_random_bytes_against_python():
    rng = np.random.default_rng(0)
    pieces = [b"a", b"\xc3\xa9", b"\xe6\xbc\xa2", b"\xf0\x9f\x8e\x89", b"\x80", b"\xe2\x82", b"\xf4\x90", b"\xff"]
    strings = [b"".join(rng.choice(pieces, size=rng.integers(0, 12))) for _ in range(300)]
    for errors in ("replace", "ignore"):
        codes, offsets = tf.strings.unicode_decode_with_offsets(strings, "UTF-8", errors=errors)
        want = [reference(s, errors) for s in strings]
        assert codes.to_list() == [w[0] for w in want]
        assert offsets.to_list() == [w[1] for w in want]


def test_split_with_offsets_and_shapes():
    chars, offsets = tf.strings.unicode_split_with_offsets(S[2], "UTF-8")
    assert chars.numpy().tolist() == [b"\xc3\xa9", b"\xe6\xbc\xa2", b"\xf0\x9f\x8e\x89", b"x"]
    assert offsets.numpy().tolist() == [0, 2, 5, 9]
    chars, offsets = tf.strings.unicode_split_with_offsets([b"a\xffb", b"\xe2\x82"], "UTF-8")
    assert chars.to_list() == [[b"a", b"\xef\xbf\xbd", b"b"], [b"\xef\xbf\xbd"]]
    assert offsets.to_list() == [[0, 1, 2], [0]]
    chars, offsets = tf.strings.unicode_split_with_offsets([[b"ab"], [b"c"]], "UTF-8")
    assert chars.to_list() == [[[b"a", b"b"]], [[b"c"]]] and offsets.to_list() == [[[0, 1]], [[0]]]


def test_other_input_encodings():
    # TensorFlow 2.21's results.
    c, o = tf.strings.unicode_decode_with_offsets(
        [b"\xd8\x00\x00a", b"\xdc\x00", b"\x00a\x00", b"\xd8\x3c\xdf\x89\xd8\x3c"], "UTF-16-BE"
    )
    assert c.to_list() == [[65533, 97], [65533], [97, 65533], [127881, 65533]]
    assert o.to_list() == [[0, 2], [0], [0, 2], [0, 4]]
    c, o = tf.strings.unicode_decode_with_offsets(
        [b"\x00\x11\x00\x00", b"\x00\x00\xd8\x00", b"\x00\x00\x00a\x00\x00"], "UTF-32-BE"
    )
    assert c.to_list() == [[65533], [65533], [97, 65533]] and o.to_list() == [[0], [0], [0, 4]]
    c, _ = tf.strings.unicode_decode_with_offsets([b"\x00a", b"a\x00"], "UTF-16-LE")
    assert c.to_list() == [[24832], [97]]
    c, _ = tf.strings.unicode_decode_with_offsets([b"caf\xe9\x80"], "US-ASCII")
    assert c.to_list() == [[99, 97, 102, 65533, 65533]]
    c, _ = tf.strings.unicode_decode_with_offsets([b"caf\xe9\x80"], "ISO-8859-1")
    assert c.to_list() == [[99, 97, 102, 233, 128]]


def test_transcode_matches_tensorflow():
    assert tf.strings.unicode_transcode(S, "UTF-8", "UTF-16-BE").numpy().tolist()[2:6] == [
        b'\x00\xe9o"\xd8<\xdf\x89\x00x',
        b"\xff\xfd",
        b"\x00a\xff\xfd",
        b"\x00a\xff\xfd\x00b",
    ]
    assert tf.strings.unicode_transcode(S, "UTF-8", "UTF-8", replacement_char=63).numpy().tolist()[6:9] == [
        b"??",
        b"???z",
        b"????",
    ]
    got = tf.strings.unicode_transcode([b"\x00a\xd8\x3c\xdf\x89", b"\xd8\x00"], "UTF-16-BE", "UTF-8")
    assert got.numpy().tolist() == [b"a\xf0\x9f\x8e\x89", b"\xef\xbf\xbd"]
    got = tf.strings.unicode_transcode([b"\x00\x00\x00a\x00\x01\xf3\x89"], "UTF-32-BE", "UTF-8")
    assert got.numpy().tolist() == [b"a\xf0\x9f\x8e\x89"]
    assert tf.strings.unicode_transcode(b"caf\xe9", "ISO-8859-1", "UTF-8").numpy() == b"caf\xc3\xa9"
    assert tf.strings.unicode_transcode(b"\xef\xbf\xbd\xff", "UTF-8", "UTF-8", errors="ignore").numpy() == (
        b"\xef\xbf\xbd"
    )
    assert tf.strings.unicode_transcode(b"a\x01", "UTF-8", "UTF-8", replace_control_characters=True).numpy() == (
        b"a\xef\xbf\xbd"
    )


def test_transcode_valid_text_against_python_and_in_graph():
    rng = np.random.default_rng(1)
    alphabet = ["a", "Z", "é", "ß", "漢", "字", "🎉", "𝔘", "\u2028", "\x00"]
    texts = ["".join(rng.choice(alphabet, size=rng.integers(0, 20))) for _ in range(64)]
    data = np.array([t.encode("utf-8") for t in texts], dtype=object).reshape(8, 8)
    for out, codec in [("UTF-16-BE", "utf-16-be"), ("UTF-32-BE", "utf-32-be"), ("UTF-8", "utf-8")]:
        want = np.array([t.encode(codec) for t in texts], dtype=object).reshape(8, 8)
        np.testing.assert_array_equal(tf.strings.unicode_transcode(data, "UTF-8", out).numpy(), want)
        fn = tf.function(lambda s, out=out: tf.strings.unicode_transcode(s, "UTF-8", out))
        np.testing.assert_array_equal(fn(tf.constant(data)).numpy(), want)
        back = tf.strings.unicode_transcode(want, out, "UTF-8").numpy()
        np.testing.assert_array_equal(back, data)


def test_decode_inside_tf_function():
    fn = tf.function(lambda s: tf.strings.unicode_decode_with_offsets(s, "UTF-8"))
    codes, offsets = fn(tf.constant(S))
    assert codes.to_list() == CODES and offsets.to_list() == OFFSETS
    scalar = tf.function(lambda s: tf.strings.unicode_split_with_offsets(s, "UTF-8"))(tf.constant(S[2]))
    assert scalar[1].numpy().tolist() == [0, 2, 5, 9]


def test_decode_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting on input string"):
        tf.strings.unicode_decode_with_offsets(S, "UTF-8", errors="strict")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting on input string"):
        tf.function(lambda s: tf.strings.unicode_transcode(s, "UTF-8", "UTF-8", errors="strict"))(tf.constant(S))
    with pytest.raises(tf.errors.InvalidArgumentError, match="list of allowed values"):
        tf.strings.unicode_decode_with_offsets(S, "UTF-8", errors="bogus")
    with pytest.raises(tf.errors.InvalidArgumentError, match="replacement_char out of unicode codepoint range"):
        tf.strings.unicode_decode_with_offsets(S, "UTF-8", replacement_char=-1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not create converter for input encoding: bogus"):
        tf.strings.unicode_transcode(S, "bogus", "UTF-8")
    with pytest.raises(tf.errors.InvalidArgumentError, match="'output_encoding' of \"latin1\""):
        tf.strings.unicode_transcode(S, "UTF-8", "latin1")


def test_unicode_script_matches_tensorflow():
    cps = [
        0, 9, 0x41, 0x7F, 0xA0, 0x391, 0x410, 0x5D0, 0x627, 0x905, 0x9A0, 0xE01, 0x10A0, 0x3042, 0x30A2, 0x4E00,
        0xAC00, 0x1F600, 0x20000, 0x10FFFF, 0xE0001, 0x1F1E6, 0x2028, 0xFEFF, 0x1D400, 0x16A0, 0x1800, 0x0F40,
    ]  # fmt: skip
    want = [0, 0, 25, 0, 0, 14, 8, 19, 2, 10, 4, 38, 12, 20, 22, 17, 18, 0, 17, 103, 0, 0, 0, 0, 0, 32, 27, 39]
    got = tf.strings.unicode_script(cps)
    assert got.dtype == tf.int32 and got.numpy().tolist() == want
    assert tf.strings.unicode_script([-1, 0x110000, 0x300]).numpy().tolist() == [-1, -1, 1]
    fn = tf.function(tf.strings.unicode_script)
    assert fn(tf.constant(np.array(cps, np.int32).reshape(4, 7))).numpy().ravel().tolist() == want
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor"):
        tf.strings.unicode_script(tf.constant([1], tf.int64))


def test_unicode_decode_ignore_and_control_characters():
    # TensorFlow 2.21: dropped sequences leave each string's own characters; controls below U+0020 replaced.
    got = tf.strings.unicode_decode(S, "UTF-8", errors="ignore").to_list()
    assert got[3:6] == [[], [97], [97, 98]] and got[-1] == [1, 127, 27]
    got = tf.strings.unicode_decode(S[-1:], "UTF-8", replace_control_characters=True).to_list()
    assert got == [[65533, 127, 65533]]
    assert tf.strings.unicode_decode([b"\x00a\xd8\x3c\xdf\x89"], "UTF-16-BE").to_list() == [[97, 127881]]
