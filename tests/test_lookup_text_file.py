"""``tf.lookup.TextFileInitializer``: tables from text files, with TensorFlow's parsing rules and errors.

Expected tables and messages were produced by TensorFlow 2.21 on the files written here.
"""

import pytest

import ferroflow as tf

TI = tf.lookup.TextFileIndex
ELP = b"emerson 10\nlake 20\npalmer 30"


@pytest.fixture
def write(tmp_path):
    count = [0]

    def write(content):
        count[0] += 1
        path = tmp_path / f"f{count[0]}.txt"
        path.write_bytes(content)
        return str(path)

    return write


def table(path, key_dtype, key_index, value_dtype, value_index, default=-1, **kwargs):
    init = tf.lookup.TextFileInitializer(path, key_dtype, key_index, value_dtype, value_index, **kwargs)
    return tf.lookup.StaticHashTable(init, default)


def pairs(t):
    keys, values = t.export()
    return sorted(zip(keys.numpy().tolist(), values.numpy().tolist()))


def test_the_documented_examples(write):
    path = write(ELP)
    t = table(path, tf.string, 0, tf.int64, 1, delimiter=" ")
    assert t.lookup(tf.constant(["palmer", "lake", "tarkus"])).numpy().tolist() == [30, 20, -1]
    t = table(path, tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert int(t.lookup(tf.constant("palmer 30"))) == 2 and int(t.size()) == 3
    vocab = write(b"emerson\nlake\npalmer\ncrimnson")
    init = tf.lookup.TextFileInitializer(vocab, tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    ids = tf.lookup.StaticVocabularyTable(init, 3).lookup(
        tf.constant(["palmer", "crimnson", "king", "tarkus", "black", "moon"])
    )
    assert ids.numpy().tolist() == [2, 3, 5, 6, 6, 4]


def test_offsets_vocab_size_and_columns(write):
    path = write(ELP)
    t = table(path, tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, value_index_offset=5)
    assert pairs(t) == [(b"emerson 10", 5), (b"lake 20", 6), (b"palmer 30", 7)]
    t = table(path, tf.string, 0, tf.int64, 1, delimiter=" ", value_index_offset=5)  # columns are not offset
    assert pairs(t) == [(b"emerson", 10), (b"lake", 20), (b"palmer", 30)]
    t = table(write(b"a\nb\n"), tf.int64, TI.LINE_NUMBER, tf.string, TI.WHOLE_LINE, "?", value_index_offset=3)
    assert pairs(t) == [(3, b"a"), (4, b"b")]  # the offset moves line numbers used as keys too
    t = table(path, tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, vocab_size=2)
    assert pairs(t) == [(b"emerson 10", 0), (b"lake 20", 1)]
    t = table(write(b"a\nb\n\n"), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, vocab_size=2)
    assert pairs(t) == [(b"a", 0), (b"b", 1)]  # lines past vocab_size are not read
    t = table(write(b"x\ty\tz\nq\tw\te\n"), tf.string, 2, tf.string, 0, "?")
    assert pairs(t) == [(b"e", b"q"), (b"z", b"x")]
    t = table(write(b"a  1\n"), tf.string, 0, tf.string, 2, "?", delimiter=" ")  # empty columns count
    assert pairs(t) == [(b"a", b"1")]


def test_line_endings_and_text(write):
    t = table(write(b"a\r\nb\r\n"), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert pairs(t) == [(b"a", 0), (b"b", 1)]
    t = table(write(b"a\nb"), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert pairs(t) == [(b"a", 0), (b"b", 1)]
    t = table(write(b"a\rb\n"), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert pairs(t) == [(b"a\rb", 0)]
    t = table(write("héllo\nwörld\n".encode()), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert t.lookup(tf.constant(["wörld"])).numpy().tolist() == [1]


def test_numbers_in_the_file(write):
    t = table(write(b" 5\n-7\n+3\n8 \n"), tf.int64, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    assert pairs(t) == [(-7, 1), (3, 2), (5, 0), (8, 3)]
    t = table(write(b"5\n7\n"), tf.int64, TI.LINE_NUMBER, tf.int64, TI.WHOLE_LINE)
    assert pairs(t) == [(0, 5), (1, 7)]
    t = table(write(b"a,nan\nb, 2.5\nc,1e400\nd,-inf\ne,0x1p3\n"), tf.string, 0, tf.float32, 1, -1.0, delimiter=",")
    got = dict(pairs(t))
    assert got[b"b"] == 2.5 and got[b"c"] == float("inf") and got[b"d"] == float("-inf") and got[b"e"] == 8.0
    assert got[b"a"] != got[b"a"]  # nan
    t = table(write(b"3\n4\n"), tf.int64, TI.LINE_NUMBER, tf.string, TI.WHOLE_LINE, "UNK")
    assert t.lookup(tf.constant([1, 7], tf.int64)).numpy().tolist() == [b"4", b"UNK"]
    t = table(write(b"a 1\na 1\n"), tf.string, 0, tf.int64, 1, delimiter=" ")
    assert int(t.size()) == 1


def test_integer_vocabulary_with_buckets(write):
    init = tf.lookup.TextFileInitializer(write(b"10\n20\n"), tf.int64, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)
    ids = tf.lookup.StaticVocabularyTable(init, 3).lookup(tf.constant([20, 10, 5, 7, 123456], tf.int64))
    assert ids.numpy().tolist() == [1, 0, 3, 3, 4]


def test_filename_as_tensor_and_path(write, tmp_path):
    path = write(ELP)
    assert int(table(tf.constant(path), tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER).size()) == 3
    assert int(table(tmp_path / "f1.txt", tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER).size()) == 3


def test_lookup_in_a_dataset_map(write):
    t = table(write(ELP), tf.string, 0, tf.int64, 1, delimiter=" ")
    ds = tf.data.Dataset.from_tensor_slices(["lake", "x", "palmer"]).map(t.lookup)
    assert [int(v) for v in ds.as_numpy_iterator()] == [20, -1, 30]


@pytest.mark.parametrize(
    "content, args, error, message",
    [
        (ELP, (tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {"vocab_size": 5}),
         tf.errors.InvalidArgumentError, "Invalid vocab_size in {path}: expected 5 but got 3"),
        (ELP, (tf.string, 0, tf.int64, 2, -1, {"delimiter": " "}), tf.errors.InvalidArgumentError,
         "Invalid number of columns in {path} line 0 (emerson 10) : expected at least 3 got 2"),
        (ELP, (tf.string, 1, tf.int64, 0, -1, {"delimiter": " "}), tf.errors.InvalidArgumentError,
         "Field emerson in line 0 is not a valid int64."),
        (b"a\r\nb\n\nc\n", (tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}),
         tf.errors.InvalidArgumentError, "Invalid content in {path}: empty line found at position 6."),
        (b"abc\nde\n\nb\n", (tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}),
         tf.errors.InvalidArgumentError, "Invalid content in {path}: empty line found at position 8."),
        (b"a\nb\na\n", (tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}),
         tf.errors.FailedPreconditionError,
         "HashTable has different value for same key. Key a has 0 and trying to add value 2"),
        (b"a::1\n", (tf.string, 0, tf.int64, 1, -1, {"delimiter": "::"}), tf.errors.InvalidArgumentError,
         "delimiter should be only 1 char"),
        (b"5\nx\n", (tf.int64, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}), tf.errors.InvalidArgumentError,
         "Field x in line 1 is not a valid int64."),
        (b"0x10\n", (tf.int64, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}), tf.errors.InvalidArgumentError,
         "Field 0x10 in line 0 is not a valid int64."),
        (b"1.5\n", (tf.int64, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}), tf.errors.InvalidArgumentError,
         "Field 1.5 in line 0 is not a valid int64."),
        (b"a 3000000000\n", (tf.string, 0, tf.int32, 1, -1, {"delimiter": " "}), tf.errors.InvalidArgumentError,
         "Field 3000000000 in line 0 is not a valid int32."),
        (b"a,1.5x\n", (tf.string, 0, tf.float32, 1, -1.0, {"delimiter": ","}), tf.errors.InvalidArgumentError,
         "Field 1.5x in line 0 is not a valid float."),
        (b"a,x\n", (tf.string, 0, tf.float64, 1, -1.0, {"delimiter": ","}), tf.errors.InvalidArgumentError,
         "Field x in line 0 is not a valid double."),
        (b"a,1\n", (tf.string, 0, tf.bool, 1, False, {"delimiter": ","}), tf.errors.InvalidArgumentError,
         "Data type bool not supported."),
        (b"", (tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER, -1, {}), tf.errors.OutOfRangeError,
         "Read less bytes than requested"),
    ],
)  # fmt: skip
def test_file_errors(write, content, args, error, message):
    path = write(content)
    key_dtype, key_index, value_dtype, value_index, default, kwargs = args
    with pytest.raises(error) as e:
        table(path, key_dtype, key_index, value_dtype, value_index, default, **kwargs)
    assert message.format(path=path) in str(e.value)


def test_a_missing_file(tmp_path):
    path = str(tmp_path / "nope.txt")
    with pytest.raises(tf.errors.NotFoundError, match="nope.txt; No such file or directory"):
        table(path, tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER)


def test_argument_errors(write):
    path = write(ELP)
    init = tf.lookup.TextFileInitializer
    cases = [
        (("", tf.string, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER),
         "`filename` argument required for tf.lookup.TextFileInitializer"),
        ((path, tf.int32, TI.LINE_NUMBER, tf.string, TI.WHOLE_LINE),
         "`key_dtype` must be int64 if `key_index` is -1, received: <dtype: 'int32'>"),
        ((path, tf.float32, TI.WHOLE_LINE, tf.int64, TI.LINE_NUMBER),
         "`key_dtype` should be either integer or string for `key_index` -2, received: <dtype: 'float32'>"),
        ((path, tf.string, -3, tf.int64, TI.LINE_NUMBER), "`key_index` should be >= -2, received: -3."),
        ((path, tf.string, 0, tf.int64, -3), "`value_index` should be >= -2, received: -3"),
        ((path, tf.string, 0, tf.int32, TI.LINE_NUMBER),
         "`value_dtype` must be int64 for `value_index` -1, received: <dtype: 'int32'>"),
        ((path, tf.string, 0, tf.float32, TI.WHOLE_LINE),
         "`value_dtype` should be either integer or string for `value_index` -2, received: <dtype: 'float32'>"),
    ]  # fmt: skip
    for args, message in cases:
        with pytest.raises(ValueError) as e:
            init(*args)
        assert str(e.value) == message
    with pytest.raises(ValueError, match="`vocab_size` should be > 0, received: 0"):
        init(path, tf.string, 0, tf.int64, TI.LINE_NUMBER, vocab_size=0)
    i = init(path, tf.string, 0, tf.int64, 1)
    assert (i.key_dtype, i.value_dtype) == (tf.string, tf.int64)
