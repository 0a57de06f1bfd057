"""tf.queue in TF1 graphs run by tf.compat.v1.Session: op names and static shapes, one queue state per session,
errors at build and at run time, and sessions running enqueues and dequeues from several threads at once.

Expected names, shapes and errors were checked against TensorFlow 2.21. Every call that may block runs in a
thread with a deadline (queue_threads.py).
"""

import numpy as np
import pytest

import ferroflow as tf
from queue_threads import Background, run_all

v1 = tf.compat.v1


def test_op_names_and_static_shapes():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(3, tf.float32, shapes=[[2]])
        assert q.name == "fifo_queue" and q.queue_ref.name == "fifo_queue:0"
        assert q.enqueue(tf.constant([1.0, 2.0])).name == "fifo_queue_enqueue"
        assert q.enqueue_many(tf.constant([[1.0, 2.0]])).name == "fifo_queue_EnqueueMany"
        d = q.dequeue()
        assert d.name == "fifo_queue_Dequeue:0" and d.shape == (2,)
        assert q.dequeue_many(2).shape == (2, 2)
        assert q.dequeue_up_to(2).shape.as_list() == [None, 2]
        n = v1.placeholder(tf.int32, [])
        assert q.dequeue_many(n).shape.as_list() == [None, 2]
        assert q.size().name == "fifo_queue_Size:0" and q.size().shape == ()
        assert q.close().name == "fifo_queue_Close" and q.close(True).name == "fifo_queue_Close_1"
        assert q.is_closed().name == "fifo_queue_Is_Closed:0" and q.is_closed().dtype == tf.bool
        with tf.name_scope("scope"):
            q3 = tf.queue.FIFOQueue(3, tf.int32)
            assert q3.name == "scope/fifo_queue" and q3.enqueue(1).name == "scope/fifo_queue_enqueue"
        assert q3.enqueue(1, name="myenq").name == "myenq"
        assert tf.queue.FIFOQueue(3, tf.int32).name == "fifo_queue_1"
        named = tf.queue.FIFOQueue(3, tf.int32, name="named_q")
        assert named.dequeue().name == "named_q_Dequeue:0"
        with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
            q.enqueue(tf.constant([1.0, 2.0, 3.0]))
        with pytest.raises(TypeError, match="Expected list for 'shapes'"):
            tf.queue.PriorityQueue(5, [tf.int32])


def test_session_runs_and_run_time_checks():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(3, tf.float32, shapes=[[2]])
        ph = v1.placeholder(tf.float32, [None])
        enq, enq_fed = q.enqueue(tf.constant([1.0, 2.0])), q.enqueue(ph)
        d, size, closed = q.dequeue(), q.size(), q.is_closed()
        close = q.close()
        with v1.Session() as sess:
            assert sess.run(enq) is None and sess.run(size) == 1
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected \[2\], got \[3\]"):
                sess.run(enq_fed, {ph: [1, 2, 3]})
            sess.run(enq_fed, {ph: [3, 4]})
            np.testing.assert_array_equal(sess.run(d), [1, 2])
            sess.run(close)
            assert sess.run(closed)
            np.testing.assert_array_equal(sess.run(d), [3, 4])
            with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient elements"):
                sess.run(d)
            with pytest.raises(tf.errors.CancelledError, match="is already closed"):
                sess.run(close)
            with pytest.raises(tf.errors.CancelledError, match="is closed"):
                sess.run(enq)
        with v1.Session() as sess:  # each session has its own queue
            assert sess.run(size) == 0 and not sess.run(closed)


def test_dequeue_feeds_an_enqueue_and_control_dependencies_order_ops():
    with tf.Graph().as_default():
        q1 = tf.queue.FIFOQueue(5, tf.int32, shapes=[[]])
        q2 = tf.queue.FIFOQueue(5, tf.int32, shapes=[[]])
        fill = q1.enqueue_many(tf.constant([1, 2, 3]))
        move = q2.enqueue(q1.dequeue() * 10)
        with tf.control_dependencies([move]):
            size_after = q2.size()
        with v1.Session() as sess:
            sess.run(fill)
            assert sess.run(size_after) == 1
            sess.run(move)
            assert sess.run(q2.dequeue_many(2)).tolist() == [10, 20]
            assert sess.run(q1.size()) == 1


def test_shared_name_shares_the_queue_within_a_session():
    with tf.Graph().as_default():
        a = tf.queue.FIFOQueue(5, tf.int32, shapes=[[]], shared_name="shared")
        b = tf.queue.FIFOQueue(5, tf.int32, shapes=[[]], shared_name="shared")
        enq, deq = a.enqueue(4), b.dequeue()
        with v1.Session() as sess:
            sess.run(enq)
            assert sess.run(deq) == 4


def test_from_list_in_a_graph():
    with tf.Graph().as_default():
        qs = [tf.queue.FIFOQueue(5, tf.int32, shapes=[[]]) for _ in range(3)]
        index = v1.placeholder(tf.int32, [])
        selected = tf.queue.QueueBase.from_list(index, qs)
        enq, deq = selected.enqueue(7), selected.dequeue()
        sizes = [q.size() for q in qs]
        with v1.Session() as sess:
            sess.run(enq, {index: 1})
            sess.run(enq, {index: 2})
            assert sess.run(sizes) == [0, 1, 1]
            assert sess.run(deq, {index: 2}) == 7


def test_session_close_cancels_waiting_operations():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(1, tf.int32, shapes=[[]])
        enq, deq = q.enqueue(1), q.dequeue()
        sess = v1.Session()
        waiting = Background(lambda: sess.run(deq))
        assert waiting.blocked()
        sess.close()
        with pytest.raises(tf.errors.CancelledError):
            waiting.finish()
        sess = v1.Session()
        sess.run(enq)
        waiting = Background(lambda: sess.run(enq))
        assert waiting.blocked()
        sess.close()
        with pytest.raises(tf.errors.CancelledError):
            waiting.finish()


def test_blocked_dequeue_many_gives_back_what_it_took_on_close():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(1, tf.int32, shapes=[[]])
        enq, size, close = q.enqueue(1), q.size(), q.close()
        many, up_to = q.dequeue_many(3), q.dequeue_up_to(3)
        with v1.Session() as sess:
            sess.run(enq)
            waiting = Background(lambda: sess.run(many))
            assert waiting.blocked() and sess.run(size) == 0  # holding the element it took
            sess.run(close)
            with pytest.raises(tf.errors.OutOfRangeError):
                waiting.finish()
            assert sess.run(size) == 1
            assert sess.run(up_to).tolist() == [1]


def test_producer_and_consumer_threads_share_a_session():
    with tf.Graph().as_default():
        q = tf.queue.FIFOQueue(2, tf.int64, shapes=[[]])
        value = v1.placeholder(tf.int64, [])
        produce, consume = q.enqueue(value), q.dequeue()
        with v1.Session() as sess:
            first = Background(lambda: sess.run(consume))  # waits on the empty queue, not holding up the others
            assert first.blocked()

            def producer(k):
                for i in range(20):
                    sess.run(produce, {value: k * 100 + i})

            def consumer(n):
                return [int(sess.run(consume)) for _ in range(n)]

            results = run_all([lambda: producer(1), lambda: producer(2), lambda: consumer(20), lambda: consumer(19)])
            got = sorted(results[2] + results[3] + [int(first.finish())])
            assert got == sorted(k * 100 + i for k in (1, 2) for i in range(20))
            assert sess.run(q.size()) == 0
