"""``interleave``/``flat_map`` functions that build datasets from the element (file readers, ``range``,
``from_tensors``) and use tensors of an enclosing tf.function, and loops over ``window``'s dataset elements in
tf.function. Expected values are TensorFlow 2.21's results for the same code."""

import pytest

import ferroflow as tf


@pytest.fixture
def files(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"f{i}.csv"
        p.write_text("header\n" + "".join(f"{i},{j}\n" for j in range(i + 2)))
        paths.append(str(p))
    return paths


def _joined(ds):
    out = tf.constant("")
    for x in ds:
        out = tf.strings.join([out, x], separator="|")
    return out


def test_eager_text_lines_interleave(files):
    ds = tf.data.Dataset.from_tensor_slices(files).interleave(
        lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE
    )
    assert list(ds.as_numpy_iterator()) == [b"0,0", b"1,0", b"2,0", b"0,1", b"1,1", b"2,1", b"1,2", b"2,2", b"2,3"]


def test_eager_range_and_from_tensors_of_element():
    ds = tf.data.Dataset.range(1, 4).interleave(lambda x: tf.data.Dataset.range(x), cycle_length=2)
    assert list(ds.as_numpy_iterator()) == [0, 0, 1, 0, 1, 2]
    ds = tf.data.Dataset.range(1, 4).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2
    )
    assert list(ds.as_numpy_iterator()) == [1, 2, 2, 3, 3, 3]


def test_text_lines_in_function(files):
    @tf.function
    def f(names):
        ds = tf.data.Dataset.from_tensor_slices(names).interleave(
            lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE
        )
        return _joined(ds)

    assert f(tf.constant(files)).numpy() == b"|0,0|1,0|2,0|0,1|1,1|2,1|1,2|2,2|2,3"
    assert f(tf.constant(files[:2])).numpy() == b"|0,0|1,0|0,1|1,1|1,2"


def test_text_lines_skip_closes_over_argument(files):
    @tf.function
    def f(k):
        ds = tf.data.Dataset.from_tensor_slices(files).interleave(
            lambda f: tf.data.TextLineDataset(f).skip(k), cycle_length=4
        )
        return _joined(ds)

    assert f(tf.constant(1, tf.int64)).numpy() == b"|0,0|1,0|2,0|0,1|1,1|2,1|1,2|2,2|2,3"
    assert f(tf.constant(2, tf.int64)).numpy() == b"|0,1|1,1|2,1|1,2|2,2|2,3"


def test_outer_dataset_counted_in_function(files):
    ds_out = tf.data.Dataset.from_tensor_slices(files)

    @tf.function
    def f(k):
        ds = ds_out.interleave(lambda f: tf.data.TextLineDataset(f).skip(k), cycle_length=2, block_length=1)
        return ds.reduce(tf.constant(0), lambda a, b: a + 1)

    assert int(f(tf.constant(1, tf.int64))) == 9
    assert int(f(tf.constant(0, tf.int64))) == 12


def test_map_capture_and_take_of_argument(files):
    @tf.function
    def f(suffix, k):
        ds = tf.data.Dataset.from_tensor_slices(files).interleave(
            lambda f: tf.data.TextLineDataset(f).skip(1).take(k).map(lambda line: tf.strings.join([line, suffix])),
            cycle_length=2,
            block_length=2,
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        return _joined(ds)

    assert f(tf.constant("!"), tf.constant(2, tf.int64)).numpy() == b"|0,0!|0,1!|1,0!|1,1!|2,0!|2,1!"
    assert f(tf.constant("?"), tf.constant(1, tf.int64)).numpy() == b"|0,0?|1,0?|2,0?"


def test_shuffle_of_argument_in_interleave(files):
    @tf.function
    def f(n):
        ds = tf.data.Dataset.from_tensor_slices(files).interleave(
            lambda f: tf.data.TextLineDataset(f).skip(1).shuffle(n).take(1), cycle_length=3
        )
        return ds.reduce(tf.constant(0), lambda a, b: a + 1)

    assert int(f(tf.constant(4, tf.int64))) == 3


def test_range_of_element_and_argument():
    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(1, 4).interleave(lambda x: tf.data.Dataset.range(x + n), cycle_length=2)
        s = tf.constant(0, tf.int64)
        for x in ds:
            s = s * 3 + x
        return s

    assert int(f(tf.constant(1, tf.int64))) == 1152
    assert int(f(tf.constant(2, tf.int64))) == 32863


def test_from_tensors_repeat_of_argument():
    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.from_tensors(x * n).repeat(n))
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a * 5 + b)

    assert int(f(tf.constant(2, tf.int64))) == 324
    assert int(f(tf.constant(3, tf.int64))) == 11811


def test_from_tensors_repeat_batch_of_argument():
    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(1, 4).interleave(
            lambda x: tf.data.Dataset.from_tensors(x).repeat(x + n).batch(2), cycle_length=3
        )
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 7 + tf.reduce_sum(b)
        return s

    assert int(f(tf.constant(0, tf.int64))) == 584
    assert int(f(tf.constant(1, tf.int64))) == 6488


def test_skip_and_batch_of_placeholder_in_v1_graph():
    with tf.Graph().as_default():
        k = tf.compat.v1.placeholder(tf.int64, [])
        ds = tf.data.Dataset.range(10).skip(k).batch(k)
        assert ds.element_spec == tf.TensorSpec([None], tf.int64)
        it = tf.compat.v1.data.make_initializable_iterator(ds)
        nx = it.get_next()
        got = []
        with tf.compat.v1.Session() as s:
            for v in (3, 4):
                s.run(it.initializer, feed_dict={k: v})
                out = []
                while True:
                    try:
                        out.append(s.run(nx).tolist())
                    except tf.errors.OutOfRangeError:
                        break
                got.append(out)
    assert got == [[[3, 4, 5], [6, 7, 8], [9]], [[4, 5, 6, 7], [8, 9]]]


def test_deferred_dataset_iterated_outside_its_function_is_an_error():
    kept = []

    @tf.function
    def f(k):
        kept.append(tf.data.Dataset.range(5).skip(k))
        return k

    f(tf.constant(1, tf.int64))
    with pytest.raises(TypeError, match="is out of scope and cannot be used here"):
        list(kept[0].as_numpy_iterator())


def test_from_generator_args_of_element_and_argument():
    def gen(x, n):
        for i in range(int(x)):
            yield i * int(n)

    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(1, 4).interleave(
            lambda x: tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64), args=(x, n)),
            cycle_length=2,
        )
        s = tf.constant(0, tf.int64)
        for v in ds:
            s = s * 10 + v
        return s

    assert int(f(tf.constant(1, tf.int64))) == 1012
    assert int(f(tf.constant(2, tf.int64))) == 2024


def test_shard_of_arguments():
    @tf.function
    def f(n, i):
        ds = tf.data.Dataset.range(10).shard(n, i)
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a * 10 + b)

    assert int(f(tf.constant(3, tf.int64), tf.constant(1, tf.int64))) == 147
    assert int(f(tf.constant(4, tf.int64), tf.constant(3, tf.int64))) == 37


def test_list_files_of_element_with_nested_interleave(tmp_path):
    dirs = []
    for d in range(2):
        p = tmp_path / f"d{d}"
        p.mkdir()
        dirs.append(str(p))
        for i in range(2):
            (p / f"f{i}.csv").write_text("h\n" + "".join(f"{d}{i}{j}\n" for j in range(i + 1)))

    @tf.function
    def f(dirs, k):
        ds = tf.data.Dataset.from_tensor_slices(dirs).interleave(
            lambda d: tf.data.Dataset.list_files(tf.strings.join([d, "/*.csv"]), shuffle=False).interleave(
                lambda fn: tf.data.TextLineDataset(fn).skip(k)
            ),
            cycle_length=2,
        )
        return _joined(ds)

    assert f(tf.constant(dirs), tf.constant(1, tf.int64)).numpy() == b"|000|100|010|110|011|111"
    assert f(tf.constant(dirs[1:]), tf.constant(0, tf.int64)).numpy() == b"|h|h|100|110|111"


def test_tfrecords_of_argument_and_iterator_next(tmp_path):
    paths = []
    for i in range(2):
        p = str(tmp_path / f"r{i}.tfrecord")
        with tf.io.TFRecordWriter(p) as w:
            for j in range(3):
                w.write(f"{i}-{j}".encode())
        paths.append(p)

    @tf.function
    def f(names):
        return _joined(tf.data.TFRecordDataset(names))

    assert f(tf.constant(paths)).numpy() == b"|0-0|0-1|0-2|1-0|1-1|1-2"
    assert f(tf.constant(paths[1:])).numpy() == b"|1-0|1-1|1-2"

    @tf.function
    def g(names, k):
        ds = tf.data.Dataset.from_tensor_slices(names).interleave(
            lambda f: tf.data.TFRecordDataset(f).take(k), cycle_length=2, num_parallel_calls=tf.data.AUTOTUNE
        )
        it = iter(ds)
        return tf.strings.join([next(it), next(it), next(it)], separator=",")

    assert g(tf.constant(paths), tf.constant(2, tf.int64)).numpy() == b"0-0,1-0,0-1"


def test_variable_in_inner_map_and_slices_of_element():
    v = tf.Variable(2, dtype=tf.int64)

    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(1, 4).interleave(
            lambda x: tf.data.Dataset.range(x + n).map(lambda y: y * v), cycle_length=2
        )
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a * 3 + b)

    assert int(f(tf.constant(0, tf.int64))) == 64
    v.assign(3)
    assert int(f(tf.constant(1, tf.int64))) == 3456

    @tf.function
    def g(k):
        ds = tf.data.Dataset.range(4).interleave(
            lambda x: tf.data.Dataset.from_tensor_slices(tf.range(x, x + k)), cycle_length=2, block_length=2
        )
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a * 4 + b)

    assert [int(g(tf.constant(v, tf.int64))) for v in (2, 3)] == [5824, 1489941]


def test_shuffle_of_argument_reshuffles_each_repetition():
    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(6).shuffle(n, seed=3).repeat(2)
        return ds.batch(12).get_single_element()

    a = f(tf.constant(6, tf.int64)).numpy().tolist()
    assert sorted(a[:6]) == sorted(a[6:]) == list(range(6))
    assert a[:6] != a[6:]
