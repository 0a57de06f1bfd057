# ruff: noqa: E501
"""The "Ragged tensors" guide, cells 30-40: Indexing ragged tensors of two and three dimensions.
See ``guide_ragged_tensor_sections.py``."""

from __future__ import annotations

from guide_ragged_tensor_sections import section_test

CELLS = [
    (
        """\
queries = tf.ragged.constant(
    [['Who', 'is', 'George', 'Washington'],
     ['What', 'is', 'the', 'weather', 'tomorrow'],
     ['Goodnight']])
""",
        "",
    ),
    (
        """\
print(queries[1])                   # A single query
""",
        """\
tf.Tensor([b'What' b'is' b'the' b'weather' b'tomorrow'], shape=(5,), dtype=string)
""",
    ),
    (
        """\
print(queries[1, 2])                # A single word
""",
        """\
tf.Tensor(b'the', shape=(), dtype=string)
""",
    ),
    (
        """\
print(queries[1:])                  # Everything but the first row
""",
        """\
<tf.RaggedTensor [[b'What', b'is', b'the', b'weather', b'tomorrow'], [b'Goodnight']]>
""",
    ),
    (
        """\
print(queries[:, :3])               # The first 3 words of each query
""",
        """\
<tf.RaggedTensor [[b'Who', b'is', b'George'], [b'What', b'is', b'the'], [b'Goodnight']]>
""",
    ),
    (
        """\
print(queries[:, -2:])              # The last 2 words of each query
""",
        """\
<tf.RaggedTensor [[b'George', b'Washington'], [b'weather', b'tomorrow'], [b'Goodnight']]>
""",
    ),
    (
        """\
rt = tf.ragged.constant([[[1, 2, 3], [4]],
                         [[5], [], [6]],
                         [[7]],
                         [[8, 9], [10]]])
""",
        "",
    ),
    (
        """\
print(rt[1])                        # Second row (2D RaggedTensor)
""",
        """\
<tf.RaggedTensor [[5], [], [6]]>
""",
    ),
    (
        """\
print(rt[3, 0])                     # First element of fourth row (1D Tensor)
""",
        """\
tf.Tensor([8 9], shape=(2,), dtype=int32)
""",
    ),
    (
        """\
print(rt[:, 1:3])                   # Items 1-3 of each row (3D RaggedTensor)
""",
        """\
<tf.RaggedTensor [[[4]], [[], [6]], [], [[10]]]>
""",
    ),
    (
        """\
print(rt[:, -1:])                   # Last item of each row (3D RaggedTensor)
""",
        """\
<tf.RaggedTensor [[[4]],

 [[6]],

 [[7]],

 [[10]]]>
""",
    ),
]

outputs, test_cell = section_test(CELLS, 30)
