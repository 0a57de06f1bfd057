# ruff: noqa: E501
"""The "Ragged tensors" guide, cells 0-8: Overview: the ragged tensor ops, indexing, arithmetic, map_flat_values and conversion to lists and NumPy.
See ``guide_ragged_tensor_sections.py``."""

from __future__ import annotations

from guide_ragged_tensor_sections import section_test

CELLS = [
    (
        """\
digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
print(tf.add(digits, 3))
print(tf.reduce_mean(digits, axis=1))
print(tf.concat([digits, [[5, 3]]], axis=0))
print(tf.tile(digits, [1, 2]))
print(tf.strings.substr(words, 0, 2))
print(tf.map_fn(tf.math.square, digits))
""",
        """\
<tf.RaggedTensor [[6, 4, 7, 4], [], [8, 12, 5], [9], []]>
tf.Tensor([2.25              nan 5.33333333 6.                nan], shape=(5,), dtype=float64)
<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], [], [5, 3]]>
<tf.RaggedTensor [[3, 1, 4, 1, 3, 1, 4, 1], [], [5, 9, 2, 5, 9, 2], [6, 6], []]>
<tf.RaggedTensor [[b'So', b'lo'], [b'th', b'fo', b'al', b'th', b'fi']]>
<tf.RaggedTensor [[9, 1, 16, 1], [], [25, 81, 4], [36], []]>
""",
    ),
    (
        """\
print(digits[0])       # First row
""",
        """\
tf.Tensor([3 1 4 1], shape=(4,), dtype=int32)
""",
    ),
    (
        """\
print(digits[:, :2])   # First two values in each row.
""",
        """\
<tf.RaggedTensor [[3, 1], [], [5, 9], [6], []]>
""",
    ),
    (
        """\
print(digits[:, -2:])  # Last two values in each row.
""",
        """\
<tf.RaggedTensor [[4, 1], [], [9, 2], [6], []]>
""",
    ),
    (
        """\
print(digits + 3)
""",
        """\
<tf.RaggedTensor [[6, 4, 7, 4], [], [8, 12, 5], [9], []]>
""",
    ),
    (
        """\
print(digits + tf.ragged.constant([[1, 2, 3, 4], [], [5, 6, 7], [8], []]))
""",
        """\
<tf.RaggedTensor [[4, 3, 7, 5], [], [10, 15, 9], [14], []]>
""",
    ),
    (
        """\
times_two_plus_one = lambda x: x * 2 + 1
print(tf.ragged.map_flat_values(times_two_plus_one, digits))
""",
        """\
<tf.RaggedTensor [[7, 3, 9, 3], [], [11, 19, 5], [13], []]>
""",
    ),
    (
        """\
digits.to_list()
""",
        """\
[[3, 1, 4, 1], [], [5, 9, 2], [6], []]
""",
    ),
    (
        """\
digits.numpy()
""",
        """\
array([array([3, 1, 4, 1], dtype=int32), array([], dtype=int32),
       array([5, 9, 2], dtype=int32), array([6], dtype=int32),
       array([], dtype=int32)], dtype=object)
""",
    ),
]

outputs, test_cell = section_test(CELLS, 0)
