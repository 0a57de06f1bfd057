"""tf.data's row path: in-memory slices shuffled, repeated, cut and batched as row numbers give exactly the
batches of the element path (stacking one element at a time), and both follow the shuffle algorithm."""

import random

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.data import rows

D = tf.data.Dataset
N = 23  # rows in the test arrays: not a multiple of any batch size used


def arrays(n=N):
    rng = np.random.default_rng(5)
    return {
        "x": rng.standard_normal((n, 3, 2)).astype(np.float32),
        "s": np.array([f"w{i}" for i in range(n)]),
        "i": np.arange(n, dtype=np.int64) * 7,
    }


def nested(a):
    return ({"pixels": a["x"], "word": a["s"]}, (a["i"], a["x"][:, 0, 0]))


def run(make, passes=2, fast=True):
    """The flat batches of ``passes`` iterations over one dataset ``make()`` builds."""
    saved = rows.ENABLED
    rows.ENABLED = fast
    try:
        ds = make()
        return [[tuple(flat) for flat in ds._iterator()] for _ in range(passes)], ds
    finally:
        rows.ENABLED = saved


def assert_same(make, passes=2):
    fast, ds = run(make, passes, fast=True)
    assert isinstance(ds._iterator(), rows.RowBatchIterator), "the row path was not taken"
    slow, _ = run(make, passes, fast=False)
    assert len(fast) == len(slow) and fast[0], "nothing to compare"
    for got, want in zip(fast, slow):
        assert len(got) == len(want)
        for g_batch, w_batch in zip(got, want):
            for g, w in zip(g_batch, w_batch):
                assert g.dtype == w.dtype and g.shape == w.shape and g.flags.c_contiguous
                np.testing.assert_array_equal(g, w)
    return fast


@pytest.mark.parametrize("seed", [0, 3, 11])
@pytest.mark.parametrize("buffer", [1, 5, N - 1, N, N + 4, 1000])
@pytest.mark.parametrize("reshuffle", [True, False])
def test_shuffle_repeat_batch_matches_the_element_path(seed, buffer, reshuffle):
    a = arrays()

    def make():
        ds = D.from_tensor_slices(nested(a)).shuffle(buffer, seed=seed, reshuffle_each_iteration=reshuffle)
        return ds.repeat(3).batch(4)

    got = assert_same(make)
    epochs = [np.concatenate([b[2] for b in p]) for p in got]  # the int component (flat order): row * 7
    assert sorted(epochs[0].tolist()) == sorted((np.tile(np.arange(N), 3) * 7).tolist())
    if buffer > 1:
        assert (epochs[0] == epochs[1]).all() != reshuffle


@pytest.mark.parametrize("count", [1, 2, 5])
@pytest.mark.parametrize("size,drop", [(4, False), (4, True), (5, True), (23, False), (30, False), (30, True)])
def test_repeat_counts_and_remainders(count, size, drop):
    a = arrays()

    def make():
        return D.from_tensor_slices(nested(a)).shuffle(8, seed=2).repeat(count).batch(size, drop_remainder=drop)

    if drop and size > N * count:  # not one full batch: nothing on either path
        assert run(make, fast=True)[0] == run(make, fast=False)[0] == [[], []]
        return
    got = assert_same(make)
    assert sum(len(b[0]) for b in got[0]) == (N * count // size * size if drop else N * count)


def test_shuffle_after_repeat_and_infinite_repeat():
    a = arrays()
    assert_same(lambda: D.from_tensor_slices(a).repeat(4).shuffle(10, seed=1).batch(6))
    assert_same(lambda: D.from_tensor_slices(a).shuffle(10, seed=1).repeat().take(40).batch(6))
    assert_same(lambda: D.from_tensor_slices(a).shuffle(9, seed=4).repeat(2).shuffle(5, seed=8).batch(3))


def test_take_skip_shard_and_pass_throughs():
    a = arrays()
    opts = tf.data.Options()
    chains = [
        lambda d: d.take(17),
        lambda d: d.take(-1),
        lambda d: d.skip(5),
        lambda d: d.skip(30).repeat(1).take(3).repeat(2),
        lambda d: d.shard(3, 1),
        lambda d: d.shuffle(6, seed=0).shard(2, 0).repeat(2).skip(3).prefetch(2).with_options(opts),
        lambda d: d.repeat(3).shuffle(7, seed=3).take(50).skip(2).shard(4, 3),
    ]
    for chain in chains[:3] + chains[4:]:
        assert_same(lambda chain=chain: chain(D.from_tensor_slices(nested(a))).batch(4))
    # every element skipped: no batch on either path
    for fast in (True, False):
        assert run(lambda: chains[3](D.from_tensor_slices(a)).batch(2), fast=fast)[0] == [[], []]


def test_string_and_int_only_components_and_a_single_vector():
    words = np.array([b"a", b"bb", b"ccc", b"d", b"ee"] * 3)
    assert_same(lambda: D.from_tensor_slices(words).shuffle(4, seed=9).repeat(2).batch(4))
    assert_same(lambda: D.from_tensor_slices((np.arange(15), words)).shuffle(16, seed=1).batch(4))
    got = run(lambda: D.from_tensor_slices(words).shuffle(4, seed=9).batch(4))[0][0]
    assert got[0][0].dtype == object and got[0][0].shape == (4,) and isinstance(got[0][0][0], bytes)


def test_global_seed_only():
    a = arrays()

    def make():
        tf.random.set_seed(42)
        return D.from_tensor_slices(a).shuffle(6).repeat(2).batch(5)

    try:
        assert_same(make)
    finally:
        tf.random.set_seed(None)


def test_iterators_made_before_either_is_read_count_epochs_alike():
    a = arrays()
    for fast in (True, False):
        saved, rows.ENABLED = rows.ENABLED, fast
        try:
            ds = D.from_tensor_slices(a).shuffle(N, seed=1).repeat(2).batch(5)
            first, second = iter(ds), iter(ds)
            out = [next(second)["i"].numpy(), next(first)["i"].numpy()]
            out += [b["i"].numpy() for b in first] + [b["i"].numpy() for b in second]
        finally:
            rows.ENABLED = saved
        if fast:
            want = out
        else:
            for g, w in zip(want, out):
                np.testing.assert_array_equal(g, w)


def test_map_after_batch_benefits_and_map_or_filter_before_keeps_the_element_path():
    a = arrays()
    ds = D.from_tensor_slices(a).shuffle(10, seed=0).repeat(2).batch(4).map(lambda e: e["i"] + 1)
    got = [v for v in ds.as_numpy_iterator()]
    rows.ENABLED = False
    try:
        want = [v for v in D.from_tensor_slices(a).shuffle(10, seed=0).repeat(2).batch(4).map(lambda e: e["i"] + 1)]
    finally:
        rows.ENABLED = True
    assert len(got) == len(want) == 12
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w.numpy())
    for ds in (
        D.from_tensor_slices(a).map(lambda e: e).shuffle(4, seed=0).batch(4),
        D.from_tensor_slices(a).filter(lambda e: e["i"] > 0).batch(4),
        D.from_tensor_slices(a).enumerate().batch(4),
        D.from_tensor_slices(a).shuffle(4, seed=0).ignore_errors().batch(4),
        D.range(10).shuffle(4, seed=0).batch(4),
    ):
        assert not isinstance(ds._iterator(), rows.RowBatchIterator)


def test_batches_copy_rather_than_alias_the_source():
    x = np.arange(12.0, dtype=np.float32).reshape(6, 2)
    batch = next(D.from_tensor_slices(x).shuffle(3, seed=0).batch(2)._iterator())[0]
    batch[:] = -1
    assert x.min() == 0


def reference_shuffle(values, size, seed, epoch):
    """The shuffle buffer as ferroflow defines it: fill to ``size``, swap a random entry with the last, pop
    it; the stream is ``random.Random(seed * 1_000_003 + epoch)`` (``seed`` mixed from the op and global seeds)."""
    rng, it, buf, out = random.Random(seed * 1_000_003 + epoch), iter(values), [], []
    exhausted = False
    while True:
        while not exhausted and len(buf) < size:
            try:
                buf.append(next(it))
            except StopIteration:
                exhausted = True
        if not buf:
            return out
        i = rng.randrange(len(buf))
        buf[i], buf[-1] = buf[-1], buf[i]
        out.append(buf.pop())


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("size", [1, 2, 9, 40, 41, 100])
def test_both_paths_follow_the_reference_shuffle(fast, size):
    data = np.arange(41) * 3
    shuffled = [D.from_tensor_slices(data).shuffle(size, seed=17) for _ in range(2)]
    seed = shuffled[0]._seed
    want = [v for e in range(3) for v in reference_shuffle(data.tolist(), size, seed, e)]
    saved, rows.ENABLED = rows.ENABLED, fast
    try:
        got = np.concatenate([b.numpy() for b in shuffled[0].repeat(3).batch(7)]).tolist()
        elements = [v.item() for v in shuffled[1].repeat(3).as_numpy_iterator()]
    finally:
        rows.ENABLED = saved
    assert got == want and elements == want


def test_element_path_shuffle_recovers_from_an_upstream_error():
    # ignore_errors after shuffle: an element whose map fails is dropped and the buffer carries on.
    ds = D.from_tensor_slices(np.array([1.0, 2.0, 0.0, 4.0, 5.0], np.float32))
    ds = ds.map(lambda v: tf.debugging.check_numerics(1.0 / v, "inf")).shuffle(2, seed=0).ignore_errors()
    got = sorted(v.item() for v in ds.as_numpy_iterator())
    np.testing.assert_allclose(got, [0.2, 0.25, 0.5, 1.0], rtol=1e-6)


def test_realistic_mnist_shaped_pipeline():
    rng = np.random.default_rng(0)
    x = rng.random((1000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 1000)
    got = assert_same(lambda: D.from_tensor_slices(({"pixels": x}, y)).shuffle(300, seed=0).repeat(3).batch(100))
    assert len(got[0]) == 30 and got[0][0][0].shape == (100, 784)
    # as the user sees it: a nest of tensors
    features, labels = next(iter(D.from_tensor_slices(({"pixels": x}, y)).shuffle(300, seed=0).batch(100)))
    assert features["pixels"].shape == (100, 784) and labels.dtype == tf.int64


def test_placeholder_fed_pipeline_in_a_tf1_session():
    x = np.random.default_rng(3).random((50, 6), dtype=np.float32)
    y = np.arange(50)
    got = []
    for fast in (True, False):
        saved, rows.ENABLED = rows.ENABLED, fast
        try:
            with tf.Graph().as_default():
                xp = tf.compat.v1.placeholder(tf.float32, x.shape)
                yp = tf.compat.v1.placeholder(tf.int64, y.shape)
                chain = D.from_tensor_slices(({"x": xp}, yp)).shuffle(20, seed=4).repeat()
                ds = chain.batch(8)
                assert chain._rows() is None  # unknown until the initializer binds the values
                iterator = tf.compat.v1.data.make_initializable_iterator(ds)
                features, labels = iterator.get_next()
                with tf.compat.v1.Session() as sess:
                    sess.run(iterator.initializer, feed_dict={xp: x, yp: y})
                    assert (rows.rows_of(chain) is not None) == fast  # bound: the batches come from the rows
                    got.append([sess.run((features["x"], labels)) for _ in range(15)])
        finally:
            rows.ENABLED = saved
    for (gx, gy), (wx, wy) in zip(*got):
        np.testing.assert_array_equal(gx, wx)
        np.testing.assert_array_equal(gy, wy)
    assert sorted(np.concatenate([b[1] for b in got[0][:6]]).tolist())[:48] != list(range(48))
