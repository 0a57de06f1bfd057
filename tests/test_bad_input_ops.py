"""Bad shapes, dtypes and sizes given to ops: an ordinary exception naming the op and what it received.

Sizes beyond the machine's memory run in a subprocess: an abort there fails the test instead of the run.
"""

import subprocess
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError

A = np.ones((2, 3), "float32")


@pytest.mark.parametrize("fn, words", [
    (lambda: tf.add(A, np.ones((4, 5), "float32")), r"shapes \(2, 3\) and \(4, 5\) cannot be broadcast"),
    (lambda: tf.matmul(A, A), r"inner dimensions 3 and 2 differ"),
    (lambda: tf.reshape(A, (4,)), r"shape \(2, 3\) \(6 elements\) into shape \[4\]"),
    (lambda: tf.reduce_sum(A, axis=5), r"axis 5 is out of range for a tensor of rank 2"),
    (lambda: tf.concat([A, np.ones((4, 5), "float32")], axis=0), r"input 1 has shape \(4, 5\)"),
    (lambda: tf.nn.softmax(A, axis=4), r"axis 4 is out of range"),
    (lambda: tf.transpose(A, perm=[0, 0]), r"perm \[0, 0\] is not a permutation"),
    (lambda: tf.squeeze(A, axis=0), r"its size is 2, expected 1"),
    (lambda: tf.math.floordiv(tf.constant([1]), tf.constant([0])), "integer division by zero"),
    (lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([5, 0]), logits=A),
     r"label value 5 is outside the valid range \[0, 3\)"),
    (lambda: tf.reduce_max(tf.zeros((0, 3))), "empty axis"),
])
def test_shape_errors_are_invalid_argument(fn, words):
    with pytest.raises(InvalidArgumentError, match=words) as e:
        fn()
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("fn, words", [
    (lambda: tf.add(tf.constant(np.ones((2, 3), "int32")), tf.constant(A)), "same dtype, received int32 and float32"),
    (lambda: tf.matmul(tf.constant(np.ones((2, 2), "float64")), tf.constant(np.ones((2, 2), "float32"))),
     "received float64 and float32"),
    (lambda: tf.nn.softmax(tf.constant(np.ones((2, 3), "int32"))), "float32 or float64 tensor, received int32"),
    (lambda: tf.cast(A, "quaternion"), "cannot interpret 'quaternion' as a dtype"),
    (lambda: tf.constant([1.0], tf.string), "Cannot convert \\[1.0\\] to EagerTensor of dtype string"),
    (lambda: tf.constant(np.array([1, "a"], dtype=object)), "dtype object"),
])
def test_dtype_errors_are_type_errors(fn, words):
    with pytest.raises(TypeError, match=words):
        fn()


def test_gather_out_of_range_is_an_index_error():
    with pytest.raises(IndexError, match="gather index 5 is out of range for axis 0 with size 2"):
        tf.gather(A, [5])


def test_python_ints_beyond_int32_become_int64_not_wrapped():
    t = tf.constant([2**40])
    assert t.dtype == tf.int64 and int(t.numpy()[0]) == 2**40
    with pytest.raises(IndexError, match="gather index 1099511627776 is out of range"):
        tf.gather(A, [2**40])


def test_integers_out_of_range_for_an_explicit_dtype():
    with pytest.raises(ValueError, match=r"\[1099511627776, 1099511627776\] to a tensor of dtype int32"):
        tf.constant([2**40], dtype="int32")
    with pytest.raises(ValueError, match="dtype int32"):
        tf.constant([1, 2], dtype="int32") + 2**40


_HUGE = [
    ("tf.zeros((1 << 40, 1 << 20))", "fill: cannot allocate a float32 tensor of shape (1099511627776, 1048576)"),
    ("tf.ones((100000, 100000, 100))", "shape (100000, 100000, 100)"),
    ("tf.fill((1 << 31, 1 << 31), 1.0)", "fill: cannot allocate"),
    ("tf.random.normal((1 << 40, 1 << 20))", "cannot allocate"),
    ("tf.broadcast_to(tf.ones((2, 3)), (10 ** 11, 2, 3))", "broadcast_to: cannot allocate"),
    ("tf.one_hot(tf.constant([1, 2]), 2 ** 62)", "cannot allocate a float32 tensor of shape (2, 4611686018427387904)"),
    # Sizes that fit in the address space but not in memory: checked in the core, not left to the OOM killer.
    ("tf.one_hot(tf.constant([1, 2]), 10 ** 12)", "bytes of memory"),
    ("tf.matmul(tf.zeros((1 << 20, 1)), tf.zeros((1, 1 << 20)))", "MatMul"),
    ("tf.concat([tf.zeros((1, 1))], 0) + tf.zeros((1 << 19, 1)) * tf.zeros((1, 1 << 19))", "bytes of memory"),
]


@pytest.mark.parametrize("expr, words", _HUGE)
def test_impossible_sizes_raise_memory_error_in_a_live_process(expr, words):
    code = (
        "import ferroflow as tf\n"
        f"try:\n    {expr}\nexcept MemoryError as e:\n    print('MEMORYERROR', e)\n"
        "print('ALIVE', float(tf.reduce_sum(tf.ones((3,)))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "MEMORYERROR" in proc.stdout and words in proc.stdout, proc.stdout
    assert "ALIVE 3.0" in proc.stdout
