"""tf.io formats beside Examples: serialized tensors (TensorFlow's bytes), CSV decoding and datasets,
read_file / write_file / decode_raw and tf.io.gfile."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf

DATA = os.path.join(os.path.dirname(__file__), "data", "records")
GOLDEN = json.load(open(os.path.join(DATA, "golden.json")))

TENSORS = {
    "f32": np.array([[1.5, -2.0], [0.0, 3.25]], np.float32),
    "i64": np.array([1, -2, 3], np.int64),
    "str": np.array([b"a", b"", b"xyz"], dtype=object),
    "bool": np.array([True, False]),
    "u8": np.arange(5, dtype=np.uint8),
    "scalar": np.int32(7),
    "empty": np.zeros([0, 3], np.float32),
}


@pytest.mark.parametrize("name", sorted(TENSORS))
def test_serialize_tensor_writes_tensorflow_bytes_and_parses_back(name):
    value = TENSORS[name]
    t = tf.constant(value) if name != "str" else tf.constant([b"a", b"", b"xyz"])
    data = tf.io.serialize_tensor(t)
    assert data.dtype == tf.string and data.shape == ()
    assert data.numpy() == bytes.fromhex(GOLDEN["tensors"][name])
    back = tf.io.parse_tensor(bytes.fromhex(GOLDEN["tensors"][name]), t.dtype)
    assert back.shape == t.shape
    np.testing.assert_array_equal(back.numpy(), t.numpy())


def test_parse_tensor_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
        tf.io.parse_tensor(bytes.fromhex(GOLDEN["tensors"]["f32"]), tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.parse_tensor(b"\xff\xff", tf.float32)


def test_decode_csv_columns_defaults_and_quotes():
    records = ['1,2.5,"a,b"', ",,plain", '3,"4",""""']
    a, b, c = tf.io.decode_csv(records, [[0], [1.0], ["dflt"]])
    np.testing.assert_array_equal(a.numpy(), [1, 0, 3])
    assert a.dtype == tf.int32 and b.dtype == tf.float32
    np.testing.assert_allclose(b.numpy(), [2.5, 1.0, 4.0])
    assert list(c.numpy()) == [b"a,b", b"plain", b'"']
    x, y = tf.io.decode_csv(["1|x|9"], [tf.int64, tf.string], field_delim="|", select_cols=[0, 2])
    assert x.numpy().tolist() == [1] and y.numpy().tolist() == [b"9"]
    (na,) = tf.io.decode_csv(["NA"], [[5.0]], na_value="NA")
    assert na.numpy().tolist() == [5.0]


def test_decode_csv_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 2 fields but have 3 in record 0"):
        tf.io.decode_csv(["1,2,3"], [[0], [0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 is required but missing in record 0"):
        tf.io.decode_csv(["1,"], [[0], tf.int32])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 0 in record 1 is not a valid int32: x"):
        tf.io.decode_csv(["1", "x"], [[0]])


def test_decode_csv_in_a_traced_map(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2.0\n3,4.5\n")
    ds = tf.data.TextLineDataset(str(path)).skip(1).map(lambda line: tf.io.decode_csv(line, [[0], [0.0]]))
    assert [(int(a), float(b)) for a, b in ds.as_numpy_iterator()] == [(1, 2.0), (3, 4.5)]


def test_csv_dataset(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("id,name,score\n1,ann,0.5\n2,,1.5\n")
    ds = tf.data.experimental.CsvDataset(str(path), [tf.int64, ["none"], [0.0]], header=True)
    assert ds.element_spec[0] == tf.TensorSpec((), tf.int64)
    assert list(ds.as_numpy_iterator()) == [(1, b"ann", 0.5), (2, b"none", 1.5)]
    sel = tf.data.experimental.CsvDataset(str(path), [[0.0]], header=True, select_cols=[2])
    assert [float(s[0]) for s in sel.as_numpy_iterator()] == [0.5, 1.5]


def test_make_csv_dataset(tmp_path):
    path = tmp_path / "train.csv"
    rows = "\n".join(f"{i},{i * 0.5},{'ab'[i % 2]},{i % 2}" for i in range(10))
    path.write_text("n,x,s,label\n" + rows + "\n")
    ds = tf.data.experimental.make_csv_dataset(str(path), batch_size=4, label_name="label", num_epochs=1, shuffle=False)
    batches = list(ds)
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    features, label = batches[0]
    assert list(features) == ["n", "x", "s"]
    assert features["n"].dtype == tf.int32 and features["x"].dtype == tf.float32 and features["s"].dtype == tf.string
    np.testing.assert_array_equal(features["n"].numpy(), [0, 1, 2, 3])
    np.testing.assert_array_equal(label.numpy(), [0, 1, 0, 1])
    shuffled = tf.data.experimental.make_csv_dataset(str(path), 10, num_epochs=2, shuffle_seed=1)
    firsts = [sorted(b["n"].numpy().tolist()) for b in shuffled]
    assert firsts == [list(range(10))] * 2


def test_read_write_file_and_decode_raw(tmp_path):
    path = str(tmp_path / "sub" / "blob.bin")
    tf.io.write_file(path, tf.constant(b"\x01\x00\x02\x00"))
    assert not [n for n in os.listdir(tmp_path / "sub") if n.startswith(".tmp")]
    data = tf.io.read_file(path)
    assert data.numpy() == b"\x01\x00\x02\x00"
    np.testing.assert_array_equal(tf.io.decode_raw(data, tf.int16).numpy(), [1, 2])
    np.testing.assert_array_equal(tf.io.decode_raw(data, tf.int16, little_endian=False).numpy(), [256, 512])
    padded = tf.io.decode_raw(tf.constant([b"\x01", b"\x02\x03\x04"]), tf.uint8, fixed_length=2)
    np.testing.assert_array_equal(padded.numpy(), [[1, 0], [2, 3]])


def test_gfile(tmp_path):
    d = str(tmp_path / "a" / "b")
    tf.io.gfile.makedirs(d)
    assert tf.io.gfile.exists(d) and tf.io.gfile.isdir(d)
    with tf.io.gfile.GFile(os.path.join(d, "x.txt"), "w") as f:
        f.write("hello")
    with tf.io.gfile.GFile(os.path.join(d, "x.txt")) as f:
        assert f.read() == "hello"
    assert tf.io.gfile.glob(str(tmp_path / "a" / "*" / "*.txt")) == [os.path.join(d, "x.txt")]
    assert tf.io.gfile.listdir(d) == ["x.txt"]
    assert "gfile" in dir(tf.io) and "parse_example" in dir(tf.io) and "np" not in dir(tf.io)


def test_an_empty_csv_record_has_no_fields():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 1 fields but have 0 in record 0"):
        tf.io.decode_csv([""], [[1]])
