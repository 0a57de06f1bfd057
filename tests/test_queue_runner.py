"""TF1 input pipelines: tf.compat.v1.train.Coordinator, QueueRunner, start_queue_runners, MonitoredSession starting
the runners, and batch / shuffle_batch / batch_join / maybe_batch on top of tf.queue.

Expected values and errors were checked against TensorFlow 2.21. Pipelines read a finite source queue, so every
loop ends in OutOfRangeError; each run of a whole pipeline happens in a thread with a deadline, so a runner that
never closes its queue fails the test instead of hanging it.
"""

import numpy as np
import pytest

import ferroflow as tf
from queue_threads import Background

v1 = tf.compat.v1


def source(values, shape=()):
    """A queue for ``values`` and the ops that fill and then close it (to run one after the other)."""
    q = tf.queue.FIFOQueue(100, tf.int32, shapes=[shape])
    return q, [q.enqueue_many([np.asarray(values, np.int32)]), q.close()]


def drain(sess, fetch):
    """Runs ``fetch`` until OutOfRangeError; the values it gave."""
    out = []
    while True:
        try:
            out.append(sess.run(fetch))
        except tf.errors.OutOfRangeError:
            return out


def in_graph(fn):
    """``fn`` to run in another thread with this thread's default graph (default graphs are per thread)."""
    graph = v1.get_default_graph()

    def body():
        with graph.as_default():
            return fn()

    return body


def run_pipeline(setup, fetch):
    """Fills the sources, starts the runners, drains ``fetch`` and stops the runners, all under a deadline."""

    @in_graph
    def body():
        with v1.Session() as sess:
            for op in setup:
                sess.run(op)
            coord = v1.train.Coordinator()
            threads = v1.train.start_queue_runners(sess, coord)
            got = drain(sess, fetch)
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
            assert not any(t.is_alive() for t in threads)
            return got

    return Background(body).finish()


def test_coordinator_keeps_the_first_error_only():
    coord = v1.train.Coordinator()
    coord.request_stop()
    try:
        raise ValueError("late")
    except ValueError as e:
        coord.request_stop(e)  # after the stop: not kept
    coord.join([])
    coord = v1.train.Coordinator()
    try:
        raise ValueError("first")
    except ValueError as e:
        coord.request_stop(e)
    with pytest.raises(ValueError, match="first"):
        coord.join([])
    with pytest.raises(KeyError):
        try:
            raise KeyError("after join")
        except KeyError as e:
            coord.request_stop(e)
    coord = v1.train.Coordinator()
    with coord.stop_on_exception():
        raise tf.errors.OutOfRangeError(None, None, "done")
    assert coord.should_stop()
    coord.join([])  # OutOfRangeError is a clean stop


def test_queue_runner_threads_fill_until_the_coordinator_stops():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(4, tf.int64, shapes=[[]])
        counter = v1.Variable(0, dtype=tf.int64)
        qr = v1.train.QueueRunner(q, [q.enqueue(v1.assign_add(counter, 1))] * 2)
        v1.train.add_queue_runner(qr)
        assert v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS) == [qr] and qr.name == "fifo_queue"
        deq = q.dequeue()

        @in_graph
        def body():
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                coord = v1.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                assert sorted(t.name for t in threads) == [
                    "QueueRunnerThread-fifo_queue-close_on_stop",
                    "QueueRunnerThread-fifo_queue-fifo_queue_enqueue",
                    "QueueRunnerThread-fifo_queue-fifo_queue_enqueue",
                ]
                values = [int(sess.run(deq)) for _ in range(20)]
                coord.request_stop()  # cancels the enqueues blocked on the full queue
                coord.join(threads, stop_grace_period_secs=5)
                return values, [t.is_alive() for t in threads]

        values, alive = Background(body).finish()
        assert min(values) >= 1 and not any(alive)


def test_runner_closes_its_queue_when_the_source_runs_out():
    with tf.Graph().as_default():
        src, setup = source(np.arange(10))
        dst = tf.queue.FIFOQueue(3, tf.int32, shapes=[[]])
        v1.train.add_queue_runner(v1.train.QueueRunner(dst, [dst.enqueue(src.dequeue() * 2)]))
        assert run_pipeline(setup, dst.dequeue()) == list(range(0, 20, 2))


def test_an_enqueue_error_reaches_the_coordinator():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(3, tf.float32, shapes=[[2]])
        bad = tf.numpy_function(lambda: np.ones(3, np.float32), [], tf.float32)  # its shape is known when it runs
        v1.train.add_queue_runner(v1.train.QueueRunner(q, [q.enqueue(bad)]))

        @in_graph
        def body():
            with v1.Session() as sess:
                coord = v1.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                coord.wait_for_stop(5)
                coord.join(threads, stop_grace_period_secs=5)

        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected \[2\], got \[3\]"):
            Background(body).finish()


def test_queue_runner_and_start_errors():
    with pytest.raises(RuntimeError, match="QueueRunners are not supported when eager execution is enabled"):
        v1.train.QueueRunner(tf.queue.FIFOQueue(2, tf.int32), [None])
    with pytest.raises(RuntimeError, match="Queues are not compatible with eager execution"):
        v1.train.start_queue_runners()
    with pytest.raises(ValueError, match="Input pipelines based on Queues are not supported when eager execution"):
        v1.train.batch([tf.constant(1)], 2)
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(2, tf.int32)
        with pytest.raises(ValueError, match="Must provide queue and enqueue_ops"):
            v1.train.QueueRunner(q, [])
        with pytest.raises(TypeError, match="must be a tuple of tf.error types"):
            v1.train.QueueRunner(q, [q.enqueue(1)], queue_closed_exception_types=(ValueError,))
        with pytest.raises(ValueError, match="No default session is registered"):
            v1.train.start_queue_runners()
        with pytest.raises(TypeError, match="sess must be a `tf.Session` object"):
            v1.train.start_queue_runners(sess=object())
    assert v1.train.queue_runner.QueueRunner is v1.train.QueueRunner


def test_batch_structures_and_the_smaller_final_batch():
    with tf.Graph().as_default():
        src, setup = source(np.arange(10))
        b = v1.train.batch([src.dequeue()], batch_size=4, allow_smaller_final_batch=True)
        assert b.name == "batch:0" and b.shape.as_list() == [None]  # a one-element list gives a tensor
        assert [x.tolist() for x in run_pipeline(setup, b)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    with tf.Graph().as_default():
        src, setup = source(np.arange(8))
        d = v1.train.batch({"x": src.dequeue()}, batch_size=4, capacity=4)
        assert d["x"].shape == (4,)
        assert [r["x"].tolist() for r in run_pipeline(setup, d)] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_batch_enqueue_many_and_dynamic_pad():
    with tf.Graph().as_default():
        src, setup = source(np.arange(12).reshape(6, 2), shape=(2,))
        rows = src.dequeue_many(3)
        b = v1.train.batch([rows, rows * 10], 4, enqueue_many=True, allow_smaller_final_batch=True, capacity=10)
        assert [t.shape.as_list() for t in b] == [[None, 2], [None, 2]]
        got = run_pipeline(setup, b)
        np.testing.assert_array_equal(got[0][1], np.arange(8).reshape(4, 2) * 10)
        np.testing.assert_array_equal(got[1][0], [[8, 9], [10, 11]])
    with tf.Graph().as_default():
        src, setup = source([1, 2, 3])
        vec = tf.range(src.dequeue())
        with pytest.raises(ValueError, match="All shapes must be fully defined"):
            v1.train.batch([vec], batch_size=3)
        padded = v1.train.batch([vec], batch_size=3, dynamic_pad=True)
        assert padded.shape.as_list() == [3, None]
        assert run_pipeline(setup, padded)[0].tolist() == [[0, 0, 0], [0, 1, 0], [0, 1, 2]]


def test_maybe_batch_and_batch_join():
    with tf.Graph().as_default():
        src, setup = source(np.arange(8))
        rows = src.dequeue_many(4)
        kept = v1.train.maybe_batch(
            [rows], keep_input=tf.equal(rows % 2, 0), batch_size=2, enqueue_many=True, allow_smaller_final_batch=True
        )
        assert sorted(sum((r.tolist() for r in run_pipeline(setup, kept)), [])) == [0, 2, 4, 6]
    with tf.Graph().as_default():
        qa, fill_a = source([1, 2, 3])
        qb, fill_b = source([10, 20])
        joined = v1.train.batch_join([[qa.dequeue()], [qb.dequeue()]], batch_size=2, allow_smaller_final_batch=True)
        assert joined.name == "batch_join:0"
        assert sorted(sum((r.tolist() for r in run_pipeline(fill_a + fill_b, joined)), [])) == [1, 2, 3, 10, 20]


def test_shuffle_batch_delivers_every_element_once():
    with tf.Graph().as_default():
        src, setup = source(np.arange(20))
        s = v1.train.shuffle_batch(
            [src.dequeue()], batch_size=5, capacity=10, min_after_dequeue=3, seed=1, allow_smaller_final_batch=True
        )
        assert s.name == "shuffle_batch:0"
        got = run_pipeline(setup, s)
        assert [len(r) for r in got] == [5, 5, 5, 5]
        assert sorted(sum((r.tolist() for r in got), [])) == list(range(20))
        with pytest.raises(ValueError, match="capacity 3 must be bigger than min_after_dequeue 3"):
            v1.train.shuffle_batch([src.dequeue()], batch_size=5, capacity=3, min_after_dequeue=3)


def test_batch_argument_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Cannot infer Tensor's rank"):
            v1.train.batch([v1.placeholder(tf.float32)], 2)
        with pytest.raises(ValueError, match="`keep_input` cannot be a vector when `enqueue_many=False`"):
            v1.train.maybe_batch([tf.constant(1)], keep_input=tf.constant([True]), batch_size=2)
        with pytest.raises(ValueError, match=r"Expected at least one tensor in batch\(\)"):
            v1.train.batch([], 2)
        with pytest.raises(TypeError, match="Expected types to be consistent: int32 vs. float32"):
            v1.train.batch_join([[tf.constant(1)], [tf.constant(1.0)]], 2)
        with pytest.raises(ValueError, match="All dictionaries in tensors_list must have the same keys"):
            v1.train.batch_join([{"a": tf.constant(1)}, {"b": tf.constant(1)}], 2)
        assert v1.get_collection(v1.GraphKeys.QUEUE_RUNNERS) == []


def test_monitored_session_starts_the_runners_and_ends_on_out_of_range():
    with tf.Graph().as_default():
        src, setup = source(np.arange(10))
        b = v1.train.batch([src.dequeue() + 100], batch_size=3, allow_smaller_final_batch=True)

        class Fill(v1.train.SessionRunHook):
            def after_create_session(self, session, coord):
                for op in setup:
                    session.run(op)

        @in_graph
        def body():
            batches = []
            with v1.train.MonitoredSession(hooks=[Fill()]) as sess:
                while not sess.should_stop():
                    batches.append(sess.run(b).tolist())
            return batches

        assert Background(body).finish() == [[100, 101, 102], [103, 104, 105], [106, 107, 108], [109]]
