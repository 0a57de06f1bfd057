"""``tf.strings.unicode_encode`` in its three encodings and error modes, ``unicode_script`` of ragged code
points, and the ``unit`` attribute's check in ``length``/``substr``: expected values as TensorFlow 2.21 returns
them for the same calls."""

from __future__ import annotations

import pytest

import ferroflow as tf

S = tf.strings


def test_encodings_of_a_row() -> None:
    assert S.unicode_encode([128522, 65], "UTF-16-BE").numpy() == b"\xd8=\xde\n\x00A"
    assert S.unicode_encode([128522, 65], "UTF-32-BE").numpy() == b"\x00\x01\xf6\n\x00\x00\x00A"
    assert S.unicode_encode([0x1F600, 0x10FFFF, 0], "UTF-8").numpy() == b"\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\x00"


def test_invalid_code_points_replaced_dropped_or_refused() -> None:
    assert S.unicode_encode([104, 0x110000, -5, 0xD800], "UTF-8").numpy() == b"h" + b"\xef\xbf\xbd" * 3
    assert S.unicode_encode([104, 0x110000], "UTF-8", errors="ignore").numpy() == b"h"
    got = S.unicode_encode([[65, -1], [0xD800, 66]], "UTF-16-BE", replacement_char=63)
    assert got.numpy().tolist() == [b"\x00A\x00?", b"\x00?\x00B"]
    got = S.unicode_encode([[[65, -1]], [[0xD800, 66]]], "UTF-32-BE", errors="ignore")
    assert got.shape == (2, 1) and got.numpy().tolist() == [[b"\x00\x00\x00A"], [b"\x00\x00\x00B"]]
    assert S.unicode_encode([65, -1], "UTF-8", replacement_char=0xD800).numpy() == b"A\xef\xbf\xbd"
    assert S.unicode_encode([[65, 66]], "UTF-8", errors="strict").numpy().tolist() == [b"AB"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Code point is out of range for Unicode, or is a sur"):
        S.unicode_encode([[65, 0xDC00]], "UTF-8", errors="strict")


def test_ragged_rows_and_empty_rows() -> None:
    rt = tf.ragged.constant([[65, -1], [], [0x1F600]])
    assert S.unicode_encode(rt, "UTF-16-BE", errors="ignore").numpy().tolist() == [b"\x00A", b"", b"\xd8=\xde\x00"]
    assert S.unicode_encode(tf.zeros([2, 0], tf.int32), "UTF-16-BE").numpy().tolist() == [b"", b""]
    nested = S.unicode_encode(tf.ragged.constant([[[65], [1041, 3]], [[0x3042]]]), "UTF-8")
    assert nested.to_list() == [[b"A", b"\xd0\x91\x03"], [b"\xe3\x81\x82"]]


def test_in_a_function() -> None:
    @tf.function
    def encode(codes):
        return S.unicode_encode(codes, "UTF-16-BE", replacement_char=63)

    assert encode(tf.constant([[128522, -1]])).numpy().tolist() == [b"\xd8=\xde\n\x00?"]


def test_bad_arguments() -> None:
    allowed = '"UTF-8", "UTF-16-BE", "UTF-32-BE"'
    for encoding in ("utf-8", "UTF8", "latin1"):
        with pytest.raises(tf.errors.InvalidArgumentError, match=f'of "{encoding}" is not in .* {allowed}'):
            S.unicode_encode([65], encoding)
    with pytest.raises(tf.errors.InvalidArgumentError, match="replacement_char out of unicode codepoint range"):
        S.unicode_encode([65], "UTF-8", replacement_char=-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'errors' of \"foo\""):
        S.unicode_encode([65], "UTF-8", errors="foo")
    with pytest.raises(ValueError, match="input_tensor's rank must be at least 1"):
        S.unicode_encode(65, "UTF-8")
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor but is a int64 tensor"):
        S.unicode_encode(tf.constant([65], tf.int64), "UTF-8")


def test_unicode_script_of_ragged_code_points() -> None:
    assert S.unicode_script(tf.ragged.constant([[65, 1041], [0x3042]])).to_list() == [[25, 8], [20]]
    got = S.unicode_script(tf.ragged.constant([[[65], [1041, 3]], [[0x3042]]]))
    assert got.to_list() == [[[25], [8, 0]], [[20]]]


def test_unit_must_be_byte_or_utf8_char() -> None:
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'unit' of \"UTF16_CHAR\" is not in the list"):
        S.length(["héllo"], unit="UTF16_CHAR")
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'unit' of \"CHAR\" is not in the list"):
        S.substr(["héllo"], pos=1, len=1, unit="CHAR")
