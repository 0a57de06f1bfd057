# ruff: noqa: E501
"""The code cells of TensorFlow's "Ragged tensors" guide
(https://www.tensorflow.org/guide/ragged_tensor), run in order with ``import ferroflow as tf``: each
expected text is what TensorFlow 2.21 prints for the cell.

Left out: the Keras LSTM model and its saving (Keras 3 itself fails on ragged LSTM input, with a
differently worded error), the tf.train.Example cells (they build protos with google.protobuf.text_format,
which needs a protobuf message; parsing with tf.io.RaggedFeature is checked in test_ragged_feature.py), saving a tf.function with a RaggedTensorSpec signature in a
SavedModel (not supported), and the three broadcasting-error cells (the same InvalidArgumentError, with
ferroflow's own message instead of TensorFlow's assertion dump).

"""

from __future__ import annotations

from guide_cells import cell_test

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
    (
        """\
ragged_sentences = tf.ragged.constant([
    ['Hi'], ['Welcome', 'to', 'the', 'fair'], ['Have', 'fun']])
""",
        "",
    ),
    (
        """\
# RaggedTensor -> Tensor
print(ragged_sentences.to_tensor(default_value='', shape=[None, 10]))
""",
        """\
tf.Tensor(
[[b'Hi' b'' b'' b'' b'' b'' b'' b'' b'' b'']
 [b'Welcome' b'to' b'the' b'fair' b'' b'' b'' b'' b'' b'']
 [b'Have' b'fun' b'' b'' b'' b'' b'' b'' b'' b'']], shape=(3, 10), dtype=string)
""",
    ),
    (
        """\
# Tensor -> RaggedTensor
x = [[1, 3, -1, -1], [2, -1, -1, -1], [4, 5, 8, 9]]
print(tf.RaggedTensor.from_tensor(x, padding=-1))
""",
        """\
<tf.RaggedTensor [[1, 3], [2], [4, 5, 8, 9]]>
""",
    ),
    (
        """\
#RaggedTensor -> SparseTensor
print(ragged_sentences.to_sparse())
""",
        """\
SparseTensor(indices=tf.Tensor(
[[0 0]
 [1 0]
 [1 1]
 [1 2]
 [1 3]
 [2 0]
 [2 1]], shape=(7, 2), dtype=int64), values=tf.Tensor([b'Hi' b'Welcome' b'to' b'the' b'fair' b'Have' b'fun'], shape=(7,), dtype=string), dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))
""",
    ),
    (
        """\
# SparseTensor -> RaggedTensor
st = tf.SparseTensor(indices=[[0, 0], [2, 0], [2, 1]],
                     values=['a', 'b', 'c'],
                     dense_shape=[3, 3])
print(tf.RaggedTensor.from_sparse(st))
""",
        """\
<tf.RaggedTensor [[b'a'], [], [b'b', b'c']]>
""",
    ),
    (
        """\
rt = tf.ragged.constant([[1, 2], [3, 4, 5], [6], [], [7]])
print("Python list:", rt.to_list())
print("NumPy array:", rt.numpy())
print("Values:", rt.values.numpy())
print("Splits:", rt.row_splits.numpy())
print("Indexed value:", rt[1].numpy())
""",
        """\
Python list: [[1, 2], [3, 4, 5], [6], [], [7]]
NumPy array: [array([1, 2], dtype=int32) array([3, 4, 5], dtype=int32)
 array([6], dtype=int32) array([], dtype=int32) array([7], dtype=int32)]
Values: [1 2 3 4 5 6 7]
Splits: [0 2 5 6 6 7]
Indexed value: [3 4 5]
""",
    ),
    (
        """\
# x       (2D ragged):  2 x (num_rows)
# y       (scalar)
# result  (2D ragged):  2 x (num_rows)
x = tf.ragged.constant([[1, 2], [3]])
y = 3
print(x + y)
""",
        """\
<tf.RaggedTensor [[4, 5], [6]]>
""",
    ),
    (
        """\
# x         (2d ragged):  3 x (num_rows)
# y         (2d tensor):  3 x          1
# Result    (2d ragged):  3 x (num_rows)
x = tf.ragged.constant(
   [[10, 87, 12],
    [19, 53],
    [12, 32]])
y = [[1000], [2000], [3000]]
print(x + y)
""",
        """\
<tf.RaggedTensor [[1010, 1087, 1012], [2019, 2053], [3012, 3032]]>
""",
    ),
    (
        """\
# x      (3d ragged):  2 x (r1) x 2
# y      (2d ragged):         1 x 1
# Result (3d ragged):  2 x (r1) x 2
x = tf.ragged.constant(
    [[[1, 2], [3, 4], [5, 6]],
     [[7, 8]]],
    ragged_rank=1)
y = tf.constant([[10]])
print(x + y)
""",
        """\
<tf.RaggedTensor [[[11, 12],
  [13, 14],
  [15, 16]], [[17, 18]]]>
""",
    ),
    (
        """\
# x      (3d ragged):  2 x (r1) x (r2) x 1
# y      (1d tensor):                    3
# Result (3d ragged):  2 x (r1) x (r2) x 3
x = tf.ragged.constant(
    [
        [
            [[1], [2]],
            [],
            [[3]],
            [[4]],
        ],
        [
            [[5], [6]],
            [[7]]
        ]
    ],
    ragged_rank=2)
y = tf.constant([10, 20, 30])
print(x + y)
""",
        """\
<tf.RaggedTensor [[[[11, 21, 31],
   [12, 22, 32]], [], [[13, 23, 33]], [[14, 24, 34]]],
 [[[15, 25, 35],
   [16, 26, 36]], [[17, 27, 37]]]]>
""",
    ),
    (
        """\
rt = tf.RaggedTensor.from_row_splits(
    values=[3, 1, 4, 1, 5, 9, 2],
    row_splits=[0, 4, 4, 6, 7])
print(rt)
""",
        """\
<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9], [2]]>
""",
    ),
    (
        """\
rt = tf.RaggedTensor.from_row_splits(
    values=tf.RaggedTensor.from_row_splits(
        values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
        row_splits=[0, 3, 3, 5, 9, 10]),
    row_splits=[0, 1, 1, 5])
print(rt)
print("Shape: {}".format(rt.shape))
print("Number of partitioned dimensions: {}".format(rt.ragged_rank))
""",
        """\
<tf.RaggedTensor [[[10, 11, 12]], [], [[], [13, 14], [15, 16, 17, 18], [19]]]>
Shape: (3, None, None)
Number of partitioned dimensions: 2
""",
    ),
    (
        """\
rt = tf.RaggedTensor.from_nested_row_splits(
    flat_values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    nested_row_splits=([0, 1, 1, 5], [0, 3, 3, 5, 9, 10]))
print(rt)
""",
        """\
<tf.RaggedTensor [[[10, 11, 12]], [], [[], [13, 14], [15, 16, 17, 18], [19]]]>
""",
    ),
    (
        """\
# shape = [batch, (paragraph), (sentence), (word)]
conversations = tf.ragged.constant(
    [[[["I", "like", "ragged", "tensors."]],
      [["Oh", "yeah?"], ["What", "can", "you", "use", "them", "for?"]],
      [["Processing", "variable", "length", "data!"]]],
     [[["I", "like", "cheese."], ["Do", "you?"]],
      [["Yes."], ["I", "do."]]]])
conversations.shape
""",
        """\
TensorShape([2, None, None, None])
""",
    ),
    (
        """\
assert conversations.ragged_rank == len(conversations.nested_row_splits)
conversations.ragged_rank  # Number of partitioned dimensions.
""",
        """\
3
""",
    ),
    (
        """\
conversations.flat_values.numpy()
""",
        """\
array([b'I', b'like', b'ragged', b'tensors.', b'Oh', b'yeah?', b'What',
       b'can', b'you', b'use', b'them', b'for?', b'Processing',
       b'variable', b'length', b'data!', b'I', b'like', b'cheese.', b'Do',
       b'you?', b'Yes.', b'I', b'do.'], dtype=object)
""",
    ),
    (
        r"""rt = tf.RaggedTensor.from_row_splits(
    values=[[1, 3], [0, 0], [1, 3], [5, 3], [3, 3], [1, 2]],
    row_splits=[0, 3, 4, 6])
print(rt)
print("Shape: {}".format(rt.shape))
print("Number of partitioned dimensions: {}".format(rt.ragged_rank))
print("Flat values shape: {}".format(rt.flat_values.shape))
print("Flat values:\n{}".format(rt.flat_values))
""",
        """\
<tf.RaggedTensor [[[1, 3],
  [0, 0],
  [1, 3]], [[5, 3]], [[3, 3],
                      [1, 2]]]>
Shape: (3, None, 2)
Number of partitioned dimensions: 1
Flat values shape: (6, 2)
Flat values:
[[1 3]
 [0 0]
 [1 3]
 [5 3]
 [3 3]
 [1 2]]
""",
    ),
    (
        """\
rt = tf.RaggedTensor.from_uniform_row_length(
    values=tf.RaggedTensor.from_row_splits(
        values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
        row_splits=[0, 3, 5, 9, 10]),
    uniform_row_length=2)
print(rt)
print("Shape: {}".format(rt.shape))
print("Number of partitioned dimensions: {}".format(rt.ragged_rank))
""",
        """\
<tf.RaggedTensor [[[10, 11, 12], [13, 14]],
 [[15, 16, 17, 18], [19]]]>
Shape: (2, 2, None)
Number of partitioned dimensions: 2
""",
    ),
    (
        """\
rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
print("      values: {}".format(rt.values))
print("  row_splits: {}".format(rt.row_splits))
print(" row_lengths: {}".format(rt.row_lengths()))
print("  row_starts: {}".format(rt.row_starts()))
print("    row_limits: {}".format(rt.row_limits()))
print("value_rowids: {}".format(rt.value_rowids()))
""",
        """\
      values: [3 1 4 1 5 9 2 6]
  row_splits: [0 4 4 7 8 8]
 row_lengths: [4 0 3 1 0]
  row_starts: [0 4 4 7 8]
    row_limits: [4 4 7 8 8]
value_rowids: [0 0 0 0 2 2 2 3]
""",
    ),
]

outputs, test_cell = cell_test(CELLS)
