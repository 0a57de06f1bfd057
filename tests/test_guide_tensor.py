# ruff: noqa: E501
"""The code cells of TensorFlow's "Introduction to Tensors" guide
(https://www.tensorflow.org/guide/tensor), run in order with ``import ferroflow as tf``: each
expected text is what TensorFlow 2.21 prints for the cell.

Left out, as they print differently: the softmax cell (``tf.nn.softmax`` of ``[4., 5.]`` gives
7.3105860e-01 here, TensorFlow 7.3105854e-01, one float32 ulp: its Eigen kernel multiplies by an
approximate reciprocal of the sum) and the reshape-error cell (same InvalidArgumentError, different text).

"""

from __future__ import annotations

from guide_cells import cell_test

CELLS = [
    (
        """\
# This will be an int32 tensor by default; see "dtypes" below.
rank_0_tensor = tf.constant(4)
print(rank_0_tensor)
""",
        """\
tf.Tensor(4, shape=(), dtype=int32)
""",
    ),
    (
        """\
rank_1_tensor = tf.constant([2.0, 3.0, 4.0])
print(rank_1_tensor)
""",
        """\
tf.Tensor([2. 3. 4.], shape=(3,), dtype=float32)
""",
    ),
    (
        """\
rank_2_tensor = tf.constant([[1, 2],
                             [3, 4],
                             [5, 6]], dtype=tf.float16)
print(rank_2_tensor)
""",
        """\
tf.Tensor(
[[1. 2.]
 [3. 4.]
 [5. 6.]], shape=(3, 2), dtype=float16)
""",
    ),
    (
        """\
rank_3_tensor = tf.constant([
  [[0, 1, 2, 3, 4],
   [5, 6, 7, 8, 9]],
  [[10, 11, 12, 13, 14],
   [15, 16, 17, 18, 19]],
  [[20, 21, 22, 23, 24],
   [25, 26, 27, 28, 29]],])

print(rank_3_tensor)
""",
        """\
tf.Tensor(
[[[ 0  1  2  3  4]
  [ 5  6  7  8  9]]

 [[10 11 12 13 14]
  [15 16 17 18 19]]

 [[20 21 22 23 24]
  [25 26 27 28 29]]], shape=(3, 2, 5), dtype=int32)
""",
    ),
    (
        """\
np.array(rank_2_tensor)
""",
        """\
array([[1., 2.],
       [3., 4.],
       [5., 6.]], dtype=float16)
""",
    ),
    (
        """\
rank_2_tensor.numpy()
""",
        """\
array([[1., 2.],
       [3., 4.],
       [5., 6.]], dtype=float16)
""",
    ),
    (
        r"""a = tf.constant([[1, 2],
                 [3, 4]])
b = tf.constant([[1, 1],
                 [1, 1]]) # Could have also said `tf.ones([2,2], dtype=tf.int32)`

print(tf.add(a, b), "\n")
print(tf.multiply(a, b), "\n")
print(tf.matmul(a, b), "\n")
""",
        "tf.Tensor(\n[[2 3]\n [4 5]], shape=(2, 2), dtype=int32) \n\ntf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32) \n\ntf.Tensor(\n[[3 3]\n [7 7]], shape=(2, 2), dtype=int32) \n\n",
    ),
    (
        r"""print(a + b, "\n") # element-wise addition
print(a * b, "\n") # element-wise multiplication
print(a @ b, "\n") # matrix multiplication
""",
        "tf.Tensor(\n[[2 3]\n [4 5]], shape=(2, 2), dtype=int32) \n\ntf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32) \n\ntf.Tensor(\n[[3 3]\n [7 7]], shape=(2, 2), dtype=int32) \n\n",
    ),
    (
        """\
tf.convert_to_tensor([1,2,3])
""",
        """\
<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>
""",
    ),
    (
        """\
tf.reduce_max([1,2,3])
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=3>
""",
    ),
    (
        """\
tf.reduce_max(np.array([1,2,3]))
""",
        """\
<tf.Tensor: shape=(), dtype=int64, numpy=3>
""",
    ),
    (
        """\
rank_4_tensor = tf.zeros([3, 2, 4, 5])
""",
        "",
    ),
    (
        """\
print("Type of every element:", rank_4_tensor.dtype)
print("Number of axes:", rank_4_tensor.ndim)
print("Shape of tensor:", rank_4_tensor.shape)
print("Elements along axis 0 of tensor:", rank_4_tensor.shape[0])
print("Elements along the last axis of tensor:", rank_4_tensor.shape[-1])
print("Total number of elements (3*2*4*5): ", tf.size(rank_4_tensor).numpy())
""",
        """\
Type of every element: <dtype: 'float32'>
Number of axes: 4
Shape of tensor: (3, 2, 4, 5)
Elements along axis 0 of tensor: 3
Elements along the last axis of tensor: 5
Total number of elements (3*2*4*5):  120
""",
    ),
    (
        """\
tf.rank(rank_4_tensor)
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=4>
""",
    ),
    (
        """\
tf.shape(rank_4_tensor)
""",
        """\
<tf.Tensor: shape=(4,), dtype=int32, numpy=array([3, 2, 4, 5], dtype=int32)>
""",
    ),
    (
        """\
rank_1_tensor = tf.constant([0, 1, 1, 2, 3, 5, 8, 13, 21, 34])
print(rank_1_tensor.numpy())
""",
        """\
[ 0  1  1  2  3  5  8 13 21 34]
""",
    ),
    (
        """\
print("First:", rank_1_tensor[0].numpy())
print("Second:", rank_1_tensor[1].numpy())
print("Last:", rank_1_tensor[-1].numpy())
""",
        """\
First: 0
Second: 1
Last: 34
""",
    ),
    (
        """\
print("Everything:", rank_1_tensor[:].numpy())
print("Before 4:", rank_1_tensor[:4].numpy())
print("From 4 to the end:", rank_1_tensor[4:].numpy())
print("From 2, before 7:", rank_1_tensor[2:7].numpy())
print("Every other item:", rank_1_tensor[::2].numpy())
print("Reversed:", rank_1_tensor[::-1].numpy())
""",
        """\
Everything: [ 0  1  1  2  3  5  8 13 21 34]
Before 4: [0 1 1 2]
From 4 to the end: [ 3  5  8 13 21 34]
From 2, before 7: [1 2 3 5 8]
Every other item: [ 0  1  3  8 21]
Reversed: [34 21 13  8  5  3  2  1  1  0]
""",
    ),
    (
        """\
print(rank_2_tensor.numpy())
""",
        """\
[[1. 2.]
 [3. 4.]
 [5. 6.]]
""",
    ),
    (
        """\
# Pull out a single value from a 2-rank tensor
print(rank_2_tensor[1, 1].numpy())
""",
        """\
4.0
""",
    ),
    (
        r"""# Get row and column tensors
print("Second row:", rank_2_tensor[1, :].numpy())
print("Second column:", rank_2_tensor[:, 1].numpy())
print("Last row:", rank_2_tensor[-1, :].numpy())
print("First item in last column:", rank_2_tensor[0, -1].numpy())
print("Skip the first row:")
print(rank_2_tensor[1:, :].numpy(), "\n")
""",
        "Second row: [3. 4.]\nSecond column: [2. 4. 6.]\nLast row: [5. 6.]\nFirst item in last column: 2.0\nSkip the first row:\n[[3. 4.]\n [5. 6.]] \n\n",
    ),
    (
        """\
print(rank_3_tensor[:, :, 4])
""",
        """\
tf.Tensor(
[[ 4  9]
 [14 19]
 [24 29]], shape=(3, 2), dtype=int32)
""",
    ),
    (
        """\
# Shape returns a `TensorShape` object that shows the size along each axis
x = tf.constant([[1], [2], [3]])
print(x.shape)
""",
        """\
(3, 1)
""",
    ),
    (
        """\
# You can convert this object into a Python list, too
print(x.shape.as_list())
""",
        """\
[3, 1]
""",
    ),
    (
        """\
# You can reshape a tensor to a new shape.
# Note that you're passing in a list
reshaped = tf.reshape(x, [1, 3])
""",
        "",
    ),
    (
        """\
print(x.shape)
print(reshaped.shape)
""",
        """\
(3, 1)
(1, 3)
""",
    ),
    (
        """\
print(rank_3_tensor)
""",
        """\
tf.Tensor(
[[[ 0  1  2  3  4]
  [ 5  6  7  8  9]]

 [[10 11 12 13 14]
  [15 16 17 18 19]]

 [[20 21 22 23 24]
  [25 26 27 28 29]]], shape=(3, 2, 5), dtype=int32)
""",
    ),
    (
        """\
# A `-1` passed in the `shape` argument says "Whatever fits".
print(tf.reshape(rank_3_tensor, [-1]))
""",
        """\
tf.Tensor(
[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23
 24 25 26 27 28 29], shape=(30,), dtype=int32)
""",
    ),
    (
        r"""print(tf.reshape(rank_3_tensor, [3*2, 5]), "\n")
print(tf.reshape(rank_3_tensor, [3, -1]))
""",
        "tf.Tensor(\n[[ 0  1  2  3  4]\n [ 5  6  7  8  9]\n [10 11 12 13 14]\n [15 16 17 18 19]\n [20 21 22 23 24]\n [25 26 27 28 29]], shape=(6, 5), dtype=int32) \n\ntf.Tensor(\n[[ 0  1  2  3  4  5  6  7  8  9]\n [10 11 12 13 14 15 16 17 18 19]\n [20 21 22 23 24 25 26 27 28 29]], shape=(3, 10), dtype=int32)\n",
    ),
    (
        """\
the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
# Now, cast to an uint8 and lose the decimal precision
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)
print(the_u8_tensor)
""",
        """\
tf.Tensor([2 3 4], shape=(3,), dtype=uint8)
""",
    ),
    (
        """\
x = tf.constant([1, 2, 3])

y = tf.constant(2)
z = tf.constant([2, 2, 2])
# All of these are the same computation
print(tf.multiply(x, 2))
print(x * y)
print(x * z)
""",
        """\
tf.Tensor([2 4 6], shape=(3,), dtype=int32)
tf.Tensor([2 4 6], shape=(3,), dtype=int32)
tf.Tensor([2 4 6], shape=(3,), dtype=int32)
""",
    ),
    (
        r"""# These are the same computations
x = tf.reshape(x,[3,1])
y = tf.range(1, 5)
print(x, "\n")
print(y, "\n")
print(tf.multiply(x, y))
""",
        "tf.Tensor(\n[[1]\n [2]\n [3]], shape=(3, 1), dtype=int32) \n\ntf.Tensor([1 2 3 4], shape=(4,), dtype=int32) \n\ntf.Tensor(\n[[ 1  2  3  4]\n [ 2  4  6  8]\n [ 3  6  9 12]], shape=(3, 4), dtype=int32)\n",
    ),
    (
        """\
x_stretch = tf.constant([[1, 1, 1, 1],
                         [2, 2, 2, 2],
                         [3, 3, 3, 3]])

y_stretch = tf.constant([[1, 2, 3, 4],
                         [1, 2, 3, 4],
                         [1, 2, 3, 4]])

print(x_stretch * y_stretch)  # Again, operator overloading
""",
        """\
tf.Tensor(
[[ 1  2  3  4]
 [ 2  4  6  8]
 [ 3  6  9 12]], shape=(3, 4), dtype=int32)
""",
    ),
    (
        """\
print(tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3]))
""",
        """\
tf.Tensor(
[[1 2 3]
 [1 2 3]
 [1 2 3]], shape=(3, 3), dtype=int32)
""",
    ),
    (
        """\
ragged_list = [
    [0, 1, 2, 3],
    [4, 5],
    [6, 7, 8],
    [9]]
""",
        "",
    ),
    (
        """\
try:
  tensor = tf.constant(ragged_list)
except Exception as e:
  print(f"{type(e).__name__}: {e}")
""",
        """\
ValueError: Can't convert non-rectangular Python sequence to Tensor.
""",
    ),
    (
        """\
ragged_tensor = tf.ragged.constant(ragged_list)
print(ragged_tensor)
""",
        """\
<tf.RaggedTensor [[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]]>
""",
    ),
    (
        """\
print(ragged_tensor.shape)
""",
        """\
(4, None)
""",
    ),
    (
        """\
# Tensors can be strings, too here is a scalar string.
scalar_string_tensor = tf.constant("Gray wolf")
print(scalar_string_tensor)
""",
        """\
tf.Tensor(b'Gray wolf', shape=(), dtype=string)
""",
    ),
    (
        """\
# If you have three string tensors of different lengths, this is OK.
tensor_of_strings = tf.constant(["Gray wolf",
                                 "Quick brown fox",
                                 "Lazy dog"])
# Note that the shape is (3,). The string length is not included.
print(tensor_of_strings)
""",
        """\
tf.Tensor([b'Gray wolf' b'Quick brown fox' b'Lazy dog'], shape=(3,), dtype=string)
""",
    ),
    (
        """\
tf.constant("🥳👍")
""",
        r"""<tf.Tensor: shape=(), dtype=string, numpy=b'\xf0\x9f\xa5\xb3\xf0\x9f\x91\x8d'>
""",
    ),
    (
        """\
# You can use split to split a string into a set of tensors
print(tf.strings.split(scalar_string_tensor, sep=" "))
""",
        """\
tf.Tensor([b'Gray' b'wolf'], shape=(2,), dtype=string)
""",
    ),
    (
        """\
# ...but it turns into a `RaggedTensor` if you split up a tensor of strings,
# as each string might be split into a different number of parts.
print(tf.strings.split(tensor_of_strings))
""",
        """\
<tf.RaggedTensor [[b'Gray', b'wolf'], [b'Quick', b'brown', b'fox'], [b'Lazy', b'dog']]>
""",
    ),
    (
        """\
text = tf.constant("1 10 100")
print(tf.strings.to_number(tf.strings.split(text, " ")))
""",
        """\
tf.Tensor([  1.  10. 100.], shape=(3,), dtype=float32)
""",
    ),
    (
        """\
byte_strings = tf.strings.bytes_split(tf.constant("Duck"))
byte_ints = tf.io.decode_raw(tf.constant("Duck"), tf.uint8)
print("Byte strings:", byte_strings)
print("Bytes:", byte_ints)
""",
        """\
Byte strings: tf.Tensor([b'D' b'u' b'c' b'k'], shape=(4,), dtype=string)
Bytes: tf.Tensor([ 68 117  99 107], shape=(4,), dtype=uint8)
""",
    ),
    (
        r"""# Or split it up as unicode and then decode it
unicode_bytes = tf.constant("アヒル 🦆")
unicode_char_bytes = tf.strings.unicode_split(unicode_bytes, "UTF-8")
unicode_values = tf.strings.unicode_decode(unicode_bytes, "UTF-8")

print("\nUnicode bytes:", unicode_bytes)
print("\nUnicode chars:", unicode_char_bytes)
print("\nUnicode values:", unicode_values)
""",
        r"""
Unicode bytes: tf.Tensor(b'\xe3\x82\xa2\xe3\x83\x92\xe3\x83\xab \xf0\x9f\xa6\x86', shape=(), dtype=string)

Unicode chars: tf.Tensor([b'\xe3\x82\xa2' b'\xe3\x83\x92' b'\xe3\x83\xab' b' ' b'\xf0\x9f\xa6\x86'], shape=(5,), dtype=string)

Unicode values: tf.Tensor([ 12450  12498  12523     32 129414], shape=(5,), dtype=int32)
""",
    ),
    (
        r"""# Sparse tensors store values by index in a memory-efficient manner
sparse_tensor = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]],
                                       values=[1, 2],
                                       dense_shape=[3, 4])
print(sparse_tensor, "\n")

# You can convert sparse tensors to dense
print(tf.sparse.to_dense(sparse_tensor))
""",
        "SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), values=tf.Tensor([1 2], shape=(2,), dtype=int32), dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64)) \n\ntf.Tensor(\n[[1 0 0 0]\n [0 0 2 0]\n [0 0 0 0]], shape=(3, 4), dtype=int32)\n",
    ),
]

outputs, test_cell = cell_test(CELLS)
