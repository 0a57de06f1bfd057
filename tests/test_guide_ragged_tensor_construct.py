# ruff: noqa: E501
"""The "Ragged tensors" guide, cells 9-22: Constructing ragged tensors (tf.ragged.constant, the from_* factories), what they can store, an example
use case, ragged and uniform dimensions (shape, bounding_shape) and ragged versus sparse tensors.
See ``guide_ragged_tensor_sections.py``."""

from __future__ import annotations

from guide_ragged_tensor_sections import section_test

CELLS = [
    (
        """\
sentences = tf.ragged.constant([
    ["Let's", "build", "some", "ragged", "tensors", "!"],
    ["We", "can", "use", "tf.ragged.constant", "."]])
print(sentences)
""",
        """\
<tf.RaggedTensor [[b"Let's", b'build', b'some', b'ragged', b'tensors', b'!'],
 [b'We', b'can', b'use', b'tf.ragged.constant', b'.']]>
""",
    ),
    (
        """\
paragraphs = tf.ragged.constant([
    [['I', 'have', 'a', 'cat'], ['His', 'name', 'is', 'Mat']],
    [['Do', 'you', 'want', 'to', 'come', 'visit'], ["I'm", 'free', 'tomorrow']],
])
print(paragraphs)
""",
        """\
<tf.RaggedTensor [[[b'I', b'have', b'a', b'cat'], [b'His', b'name', b'is', b'Mat']],
 [[b'Do', b'you', b'want', b'to', b'come', b'visit'],
  [b"I'm", b'free', b'tomorrow']]]>
""",
    ),
    (
        """\
print(tf.RaggedTensor.from_value_rowids(
    values=[3, 1, 4, 1, 5, 9, 2],
    value_rowids=[0, 0, 0, 0, 2, 2, 3]))
""",
        """\
<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9], [2]]>
""",
    ),
    (
        """\
print(tf.RaggedTensor.from_row_lengths(
    values=[3, 1, 4, 1, 5, 9, 2],
    row_lengths=[4, 0, 2, 1]))
""",
        """\
<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9], [2]]>
""",
    ),
    (
        """\
print(tf.RaggedTensor.from_row_splits(
    values=[3, 1, 4, 1, 5, 9, 2],
    row_splits=[0, 4, 4, 6, 7]))
""",
        """\
<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9], [2]]>
""",
    ),
    (
        """\
print(tf.ragged.constant([["Hi"], ["How", "are", "you"]]))  # ok: type=string, rank=2
""",
        """\
<tf.RaggedTensor [[b'Hi'], [b'How', b'are', b'you']]>
""",
    ),
    (
        """\
print(tf.ragged.constant([[[1, 2], [3]], [[4, 5]]]))        # ok: type=int32, rank=3
""",
        """\
<tf.RaggedTensor [[[1, 2], [3]], [[4, 5]]]>
""",
    ),
    (
        """\
try:
  tf.ragged.constant([["one", "two"], [3, 4]])              # bad: multiple types
except ValueError as exception:
  print(exception)
""",
        """\
Can't convert Python sequence with mixed types to Tensor.
""",
    ),
    (
        """\
try:
  tf.ragged.constant(["A", ["B", "C"]])                     # bad: multiple nesting depths
except ValueError as exception:
  print(exception)
""",
        """\
all scalar values must have the same nesting depth
""",
    ),
    (
        """\
queries = tf.ragged.constant([['Who', 'is', 'Dan', 'Smith'],
                              ['Pause'],
                              ['Will', 'it', 'rain', 'later', 'today']])

# Create an embedding table.
num_buckets = 1024
embedding_size = 4
embedding_table = tf.Variable(
    tf.random.truncated_normal([num_buckets, embedding_size],
                       stddev=1.0 / tf.math.sqrt(float(embedding_size))))

# Look up the embedding for each word.
word_buckets = tf.strings.to_hash_bucket_fast(queries, num_buckets)
word_embeddings = tf.nn.embedding_lookup(embedding_table, word_buckets)     # ①

# Add markers to the beginning and end of each sentence.
marker = tf.fill([queries.nrows(), 1], '#')
padded = tf.concat([marker, queries, marker], axis=1)                       # ②

# Build word bigrams and look up embeddings.
bigrams = tf.strings.join([padded[:, :-1], padded[:, 1:]], separator='+')   # ③

bigram_buckets = tf.strings.to_hash_bucket_fast(bigrams, num_buckets)
bigram_embeddings = tf.nn.embedding_lookup(embedding_table, bigram_buckets) # ④

# Find the average embedding for each sentence
all_embeddings = tf.concat([word_embeddings, bigram_embeddings], axis=1)    # ⑤
avg_embedding = tf.reduce_mean(all_embeddings, axis=1)                      # ⑥
print(avg_embedding.shape, avg_embedding.dtype)
print(word_buckets)
print(bigrams)
""",
        """\
(3, 4) <dtype: 'float32'>
<tf.RaggedTensor [[633, 768, 237, 309], [28], [847, 998, 635, 20, 547]]>
<tf.RaggedTensor [[b'#+Who', b'Who+is', b'is+Dan', b'Dan+Smith', b'Smith+#'],
 [b'#+Pause', b'Pause+#'],
 [b'#+Will', b'Will+it', b'it+rain', b'rain+later', b'later+today',
  b'today+#']                                                      ]>
""",
    ),
    (
        """\
tf.ragged.constant([["Hi"], ["How", "are", "you"]]).shape
""",
        """\
TensorShape([2, None])
""",
    ),
    (
        """\
print(tf.ragged.constant([["Hi"], ["How", "are", "you"]]).bounding_shape())
""",
        """\
tf.Tensor([2 3], shape=(2,), dtype=int64)
""",
    ),
    (
        """\
ragged_x = tf.ragged.constant([["John"], ["a", "big", "dog"], ["my", "cat"]])
ragged_y = tf.ragged.constant([["fell", "asleep"], ["barked"], ["is", "fuzzy"]])
print(tf.concat([ragged_x, ragged_y], axis=1))
""",
        """\
<tf.RaggedTensor [[b'John', b'fell', b'asleep'], [b'a', b'big', b'dog', b'barked'],
 [b'my', b'cat', b'is', b'fuzzy']]>
""",
    ),
    (
        """\
sparse_x = ragged_x.to_sparse()
sparse_y = ragged_y.to_sparse()
sparse_result = tf.sparse.concat(sp_inputs=[sparse_x, sparse_y], axis=1)
print(tf.sparse.to_dense(sparse_result, ''))
""",
        """\
tf.Tensor(
[[b'John' b'' b'' b'fell' b'asleep']
 [b'a' b'big' b'dog' b'barked' b'']
 [b'my' b'cat' b'' b'is' b'fuzzy']], shape=(3, 5), dtype=string)
""",
    ),
]

outputs, test_cell = section_test(CELLS, 9)
