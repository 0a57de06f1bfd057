"""tf.queue used eagerly: values, orders, padding, errors, and blocking between threads.

Expected values, error types and messages were checked against TensorFlow 2.21. Every call that may block runs
in a thread with a deadline (queue_threads.py), so a wake-up bug fails a test instead of hanging it.
"""

import numpy as np
import pytest

import ferroflow as tf
from queue_threads import Background, run_all


def test_fifo_order_size_and_properties():
    q = tf.queue.FIFOQueue(3, tf.int32)
    assert q.enqueue(1) is None
    q.enqueue_many(np.array([2, 3], np.int32))
    assert int(q.size()) == 3 and q.size().dtype == tf.int32
    assert [int(q.dequeue()) for _ in range(3)] == [1, 2, 3]
    assert q.dtypes == [tf.int32] and q.names is None and q.name == "Empty"
    assert q.shapes[0].rank is None
    assert q.queue_ref.shape == () and not bool(q.is_closed())


def test_a_list_is_a_list_of_components():
    # As TensorFlow: [1, 2] are two components; the second is beyond this queue's one and ignored.
    q = tf.queue.FIFOQueue(5, tf.int32)
    q.enqueue([1, 2])
    assert int(q.size()) == 1 and int(q.dequeue()) == 1
    q2 = tf.queue.FIFOQueue(5, [tf.int32, tf.float32])
    q2.enqueue((1, 2.0))
    a, b = q2.dequeue()
    assert (int(a), float(b), b.dtype) == (1, 2.0, tf.float32)


def test_enqueue_dtype_and_shape_errors():
    q = tf.queue.FIFOQueue(10, tf.float32, shapes=[2])
    assert q.shapes == [tf.TensorShape([2])]
    q.enqueue(np.array([1.0, 2.0], np.float64))  # NumPy values are converted
    with pytest.raises(
        ValueError,
        match=r"component_0: Tensor conversion requested dtype float32 for Tensor with "
        r"dtype float64",
    ):
        q.enqueue(tf.constant([1.0, 2.0], tf.float64))
    with pytest.raises(TypeError):
        tf.queue.FIFOQueue(3, tf.int32).enqueue(1.5)
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q.enqueue(np.zeros(3, np.float32))
    with pytest.raises(ValueError, match=r"Shape \(\) must have rank at least 1"):
        q.enqueue_many(np.float32(1.0))
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q.enqueue_many(np.zeros((2, 3), np.float32))
    q2 = tf.queue.FIFOQueue(10, [tf.int32, tf.float32], shapes=[[], [2]])
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        q2.enqueue_many((np.array([1, 2]), np.zeros((3, 2), np.float32)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Signature mismatch"):
        q2.enqueue(1)
    assert int(q.size()) == 1


def test_dequeue_many_and_up_to_on_a_closed_queue():
    q = tf.queue.FIFOQueue(10, tf.float32, shapes=[2])
    q.enqueue_many(np.array([[1, 2], [3, 4], [5, 6]], np.float32))
    np.testing.assert_array_equal(q.dequeue_many(2).numpy(), [[1, 2], [3, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="requested -1 < 0 elements"):
        q.dequeue_many(-1)
    q.close()
    with pytest.raises(tf.errors.OutOfRangeError, match=r"is closed and has insufficient elements \(requested 5"):
        q.dequeue_many(5)
    assert int(q.size()) == 1  # what the failed dequeue_many took went back
    np.testing.assert_array_equal(q.dequeue_up_to(5).numpy(), [[5, 6]])
    with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 5, current size 0"):
        q.dequeue_up_to(5)
    assert q.dequeue_many(0).shape == (0, 2) and q.dequeue_up_to(0).shape == (0, 2)
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue()


def test_dequeue_many_needs_shapes():
    for q in (tf.queue.FIFOQueue(5, tf.int32), tf.queue.RandomShuffleQueue(5, 0, tf.int32)):
        q.enqueue(1)
        for op in (q.dequeue_many, q.dequeue_up_to):
            with pytest.raises(tf.errors.InvalidArgumentError, match="require the components to have specified"):
                op(1)


def test_close_semantics():
    q = tf.queue.FIFOQueue(3, tf.int32)
    q.enqueue(7)
    assert q.close() is None and bool(q.is_closed())
    with pytest.raises(tf.errors.CancelledError, match="is closed"):
        q.enqueue(1)
    with pytest.raises(tf.errors.CancelledError, match="is already closed"):
        q.close()
    q.close(cancel_pending_enqueues=True)  # no error when cancelling
    assert int(q.dequeue()) == 7


def test_names_give_and_take_dicts():
    q = tf.queue.FIFOQueue(10, [tf.int32, tf.string], shapes=[[], []], names=["a", "b"])
    assert q.names == ["a", "b"]
    with pytest.raises(ValueError, match="You must enqueue a dictionary in a Queue with names"):
        q.enqueue([1, "x"])
    with pytest.raises(ValueError, match="Keys in dictionary to enqueue do not match names of Queue"):
        q.enqueue({"a": 1, "c": "x"})
    with pytest.raises(ValueError, match="Queue must have names to enqueue a dictionary"):
        tf.queue.FIFOQueue(3, tf.int32).enqueue({"a": 1})
    q.enqueue({"a": 1, "b": "x"})
    q.enqueue_many({"a": [2, 3], "b": ["y", "z"]})
    one = q.dequeue()
    assert int(one["a"]) == 1 and one["b"].numpy() == b"x"
    many = q.dequeue_many(2)
    assert many["a"].numpy().tolist() == [2, 3] and many["b"].numpy().tolist() == [b"y", b"z"]


def test_constructor_errors():
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.queue.FIFOQueue(3, tf.int32, shapes=[None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Different number of component types"):
        tf.queue.FIFOQueue(3, [tf.int32, tf.int32], shapes=[[1]])
    with pytest.raises(ValueError, match=r"received len\(names\)=1,len\(dtypes\)=2"):
        tf.queue.FIFOQueue(3, [tf.int32, tf.int32], names=["a"])
    with pytest.raises(TypeError, match="Shapes must be a TensorShape or a list or tuple of TensorShapes"):
        tf.queue.FIFOQueue(3, tf.int32, shapes="a")
    with pytest.raises(TypeError, match="Expected DataType"):
        tf.queue.FIFOQueue(3, "foo")
    assert tf.queue.FIFOQueue(3, tf.int32, names="a").names == ["a"]
    assert tf.queue.FIFOQueue(3, tf.int32, shapes=(2, 3)).shapes == [tf.TensorShape([2, 3])]
    assert tf.queue.FIFOQueue(3, "int32").dtypes == [tf.int32]


def test_padding_fifo_queue_pads_each_batch():
    q = tf.queue.PaddingFIFOQueue(5, [tf.int32, tf.string], [[None], [None, 2]])
    q.enqueue((np.array([1, 2, 3], np.int32), np.array([["a", "b"]])))
    q.enqueue((np.array([4], np.int32), np.array([["c", "d"], ["e", "f"]])))
    with pytest.raises(ValueError, match=r"Shapes \(1, 3\) and \(None, 2\) are incompatible"):
        q.enqueue((np.array([4], np.int32), np.array([["c", "d", "e"]])))
    a, b = q.dequeue_many(2)
    np.testing.assert_array_equal(a.numpy(), [[1, 2, 3], [4, 0, 0]])
    assert b.numpy().tolist() == [[[b"a", b"b"], [b"", b""]], [[b"c", b"d"], [b"e", b"f"]]]
    qf = tf.queue.PaddingFIFOQueue(5, [tf.float32, tf.bool], [[None, None], [None]])
    qf.enqueue((np.ones((1, 3), np.float32), np.array([True])))
    qf.enqueue((np.ones((2, 1), np.float32), np.array([True, True])))
    f, m = qf.dequeue_many(2)
    np.testing.assert_array_equal(f.numpy(), [[[1, 1, 1], [0, 0, 0]], [[1, 0, 0], [1, 0, 0]]])
    np.testing.assert_array_equal(m.numpy(), [[True, False], [True, True]])


def test_padding_fifo_queue_constructor_errors():
    with pytest.raises(ValueError, match="When providing partial shapes, a list of shapes must be provided"):
        tf.queue.PaddingFIFOQueue(5, tf.int32, [None])
    with pytest.raises(ValueError, match="All shapes must have a defined rank"):
        tf.queue.PaddingFIFOQueue(5, tf.int32, [tf.TensorShape(None)])
    with pytest.raises(ValueError, match="but received 2 dtypes and 1 shapes"):
        tf.queue.PaddingFIFOQueue(5, [tf.int32, tf.int32], [[None]])


def test_random_shuffle_queue():
    q = tf.queue.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]], seed=3)
    q.enqueue_many(np.arange(6, dtype=np.int32))
    first = [int(q.dequeue()) for _ in range(4)]
    waiting = Background(q.dequeue)  # only min_after_dequeue=2 left: waits
    assert waiting.blocked()
    q.close()  # closing lifts min_after_dequeue
    rest = [int(waiting.finish()), int(q.dequeue())]
    assert sorted(first + rest) == list(range(6))
    with pytest.raises(tf.errors.OutOfRangeError, match="RandomShuffleQueue .* is closed"):
        q.dequeue()
    with pytest.raises(tf.errors.InvalidArgumentError, match="min_after_dequeue 5 must be < capacity 3"):
        tf.queue.RandomShuffleQueue(3, 5, tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="min_after_dequeue -1 must be >= 0"):
        tf.queue.RandomShuffleQueue(3, -1, tf.int32)


def test_random_shuffle_queue_seeded_order_repeats():
    orders = []
    for _ in range(2):
        tf.random.set_seed(1)
        q = tf.queue.RandomShuffleQueue(20, 0, tf.int32, shapes=[[]], seed=5)
        q.enqueue_many(np.arange(16, dtype=np.int32))
        orders.append(q.dequeue_many(16).numpy().tolist())
    assert orders[0] == orders[1] and sorted(orders[0]) == list(range(16)) and orders[0] != list(range(16))


def test_priority_queue():
    q = tf.queue.PriorityQueue(6, [tf.string], shapes=[[]])
    assert q.dtypes == [tf.int64, tf.string] and q.shapes == [tf.TensorShape([]), tf.TensorShape([])]
    q.enqueue((3, "c"))
    q.enqueue((1, "a"))
    q.enqueue((-5, "z"))
    q.enqueue_many(([2, 1], ["b", "a2"]))
    p, s = q.dequeue()
    assert (int(p), s.numpy()) == (-5, b"z")
    p, s = q.dequeue_many(4)
    assert p.numpy().tolist() == [1, 1, 2, 3] and s.numpy().tolist() == [b"a", b"a2", b"b", b"c"]
    with pytest.raises(ValueError, match="requested dtype int64 for Tensor with dtype int32"):
        q.enqueue((tf.constant(1, tf.int32), "a"))
    with pytest.raises(tf.errors.InvalidArgumentError):  # shapes are required
        tf.queue.PriorityQueue(5, tf.int32)
    named = tf.queue.PriorityQueue(5, [tf.string], shapes=[[]], names=["p", "s"])
    named.enqueue({"p": 2, "s": "x"})
    out = named.dequeue()
    assert int(out["p"]) == 2 and out["s"].numpy() == b"x"


def test_priority_queue_failed_dequeue_many_keeps_the_order():
    q = tf.queue.PriorityQueue(5, [tf.int32], shapes=[[]])
    q.enqueue_many((np.array([3, 1, 2], np.int64), np.array([30, 10, 20], np.int32)))
    q.close()
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue_many(5)
    p, v = q.dequeue_many(3)
    assert p.numpy().tolist() == [1, 2, 3] and v.numpy().tolist() == [10, 20, 30]


def test_full_queue_blocks_enqueue_until_a_dequeue():
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[[]])
    q.enqueue_many(np.array([1, 2], np.int32))
    pending = Background(lambda: q.enqueue(3))
    assert pending.blocked() and int(q.size()) == 2
    assert int(q.dequeue()) == 1
    pending.finish()
    assert q.dequeue_many(2).numpy().tolist() == [2, 3]


def test_empty_queue_blocks_dequeue_until_an_enqueue_or_close():
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[[]])
    waiting = Background(q.dequeue)
    assert waiting.blocked()
    q.enqueue(5)
    assert int(waiting.finish()) == 5
    waiting = Background(q.dequeue)
    assert waiting.blocked()
    q.close()
    with pytest.raises(tf.errors.OutOfRangeError):
        waiting.finish()


def test_close_waits_for_pending_enqueues_and_cancel_fails_them():
    q = tf.queue.FIFOQueue(1, tf.int32, shapes=[[]])
    q.enqueue(1)
    pending = Background(lambda: q.enqueue(2))
    assert pending.blocked()
    closing = Background(q.close)
    assert closing.blocked()  # behind the pending enqueue, as in TensorFlow
    assert int(q.dequeue()) == 1
    pending.finish()
    closing.finish()
    assert int(q.dequeue()) == 2
    q2 = tf.queue.FIFOQueue(1, tf.int32, shapes=[[]])
    q2.enqueue(1)
    pending = Background(lambda: q2.enqueue(2))
    assert pending.blocked()
    q2.close(cancel_pending_enqueues=True)
    with pytest.raises(tf.errors.CancelledError, match="Enqueue operation was cancelled"):
        pending.finish()
    assert int(q2.size()) == 1


def test_dequeue_many_larger_than_capacity_collects_from_producers():
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[[]])
    producer = Background(lambda: q.enqueue_many(np.arange(5, dtype=np.int32)))
    assert q.dequeue_many(5).numpy().tolist() == [0, 1, 2, 3, 4]
    producer.finish()
    waiting = Background(lambda: q.dequeue_up_to(4))
    assert waiting.blocked()
    q.enqueue(9)
    q.close()
    assert waiting.finish().numpy().tolist() == [9]


def test_many_producers_and_consumers_deliver_each_element_once():
    q = tf.queue.FIFOQueue(3, tf.int32, shapes=[[]])
    got = []

    def consume():
        for _ in range(100):
            got.append(int(q.dequeue()))

    def produce(k):
        for i in range(50):
            q.enqueue(k * 1000 + i)

    run_all([consume, consume] + [lambda k=k: produce(k) for k in range(4)])
    assert sorted(got) == sorted(k * 1000 + i for k in range(4) for i in range(50))


def test_queue_ops_inside_tf_function():
    q = tf.queue.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])

    @tf.function
    def put(x, i):
        q.enqueue((x, i))
        return q.size()

    @tf.function
    def take_many(n):
        return q.dequeue_many(n)

    assert int(put(tf.constant([1.0, 2.0]), tf.constant(1))) == 1
    assert int(put(tf.constant([3.0, 4.0]), tf.constant(2))) == 2
    x, i = take_many(tf.constant(2))
    np.testing.assert_array_equal(x.numpy(), [[1, 2], [3, 4]])
    assert i.numpy().tolist() == [1, 2]
