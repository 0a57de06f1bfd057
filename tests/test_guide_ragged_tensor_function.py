# ruff: noqa: E501
"""The "Ragged tensors" guide, cells 23-29: Ragged tensors in tf.function: traced functions, input signatures and concrete functions.
See ``guide_ragged_tensor_sections.py``."""

from __future__ import annotations

from guide_ragged_tensor_sections import section_test

CELLS = [
    (
        """\
@tf.function
def make_palindrome(x, axis):
  return tf.concat([x, tf.reverse(x, [axis])], axis)
""",
        "",
    ),
    (
        """\
make_palindrome(tf.constant([[1, 2], [3, 4], [5, 6]]), axis=1)
""",
        """\
<tf.Tensor: shape=(3, 4), dtype=int32, numpy=
array([[1, 2, 2, 1],
       [3, 4, 4, 3],
       [5, 6, 6, 5]], dtype=int32)>
""",
    ),
    (
        """\
make_palindrome(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]), axis=1)
""",
        """\
<tf.RaggedTensor [[1, 2, 2, 1], [3, 3], [4, 5, 6, 6, 5, 4]]>
""",
    ),
    (
        """\
@tf.function(
    input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
def max_and_min(rt):
  return (tf.math.reduce_max(rt, axis=-1), tf.math.reduce_min(rt, axis=-1))

max_and_min(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))
""",
        """\
(<tf.Tensor: shape=(3,), dtype=int32, numpy=array([2, 3, 6], dtype=int32)>, <tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 3, 4], dtype=int32)>)
""",
    ),
    (
        """\
# Preferred way to use ragged tensors with concrete functions (TF 2.3+):
@tf.function
def increment(x):
  return x + 1

rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
cf = increment.get_concrete_function(rt)
print(cf(rt))
""",
        """\
<tf.RaggedTensor [[2, 3], [4], [5, 6, 7]]>
""",
    ),
    (
        """\
x = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
y = tf.ragged.constant([[1, 1], [2], [3, 3, 3]])
print(x + y)
""",
        """\
<tf.RaggedTensor [[2, 3], [5], [7, 8, 9]]>
""",
    ),
    (
        """\
x = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
print(x + 3)
""",
        """\
<tf.RaggedTensor [[4, 5], [6], [7, 8, 9]]>
""",
    ),
]

outputs, test_cell = section_test(CELLS, 23)
