"""What TensorFlow 2.21 prints for the cells of the "Working with sparse tensors" guide (test_sparse_guide.py)."""

C01 = (
    "SparseTensor(indices=tf.Tensor(\n[[0 3]\n [2 4]], shape=(2, 2), dtype=int64), "
    "values=tf.Tensor([10 20], shape=(2,), dtype=int32), dense_shape=tf.Tensor([ 3 10], shape=(2,), dtype=int64))\n"
)
C02 = """\
<SparseTensor shape=[3, 10]
 values={
  [0, 3]: 10
  [2, 4]: 20}>
"""
C03 = """\
<SparseTensor shape=[3, 4]
 values={
  [0, 0]: 1
  [0, 3]: 8
  [2, 2]: 3}>
"""
C04 = """\
tf.Tensor(
[[1 0 0 8]
 [0 0 0 0]
 [0 0 3 0]], shape=(3, 4), dtype=int32)
"""
C05 = """\
<SparseTensor shape=[4, 10]
 values={
  [0, 2]: 87
  [3, 4]: 2
  [7, 0]: 38}>
"""
C06 = """\
tf.Tensor(
[[ 78]
 [162]], shape=(2, 1), dtype=int32)
"""
C07 = """\
tf.Tensor(
[[0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0]
 [0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0]
 [0 0 0 0 1 1 0 0 0 1 1 0 0 0 0 0 0]
 [0 0 0 1 1 0 0 0 0 0 1 1 0 0 0 0 0]
 [0 0 0 1 1 0 0 0 0 0 1 1 0 0 0 0 0]
 [0 0 0 0 1 1 0 0 0 1 1 0 0 0 0 0 0]
 [0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0]
 [0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0]], shape=(8, 17), dtype=int32)
"""
C08 = """\
tf.Tensor(
[[0 0 0 0 0]
 [0 0 0 0 0]
 [0 0 0 0 1]
 [0 0 0 1 1]
 [0 0 0 1 1]
 [0 0 0 0 1]
 [0 0 0 0 0]
 [0 0 0 0 0]], shape=(8, 5), dtype=int32)
tf.Tensor(
[[0]
 [0]
 [1]
 [1]
 [1]
 [1]
 [0]
 [0]], shape=(8, 1), dtype=int32)
tf.Tensor([], shape=(8, 0), dtype=int32)
"""
C09 = """\
tf.Tensor(
[[ 6  0  0 13]
 [ 0  0  0  0]
 [ 0  0  8  0]], shape=(3, 4), dtype=int32)
"""
C10 = """\
tf.Tensor(
[[ 6  0  0 13]
 [ 0  0  0  0]
 [ 0  0  8  0]], shape=(3, 4), dtype=int32)
"""
C12 = """\
<SparseTensor shape=[4]
 values={
  [0]: 1
  [1]: 1
  [2]: 1}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={
  [3]: 1}>
<SparseTensor shape=[4]
 values={
  [0]: 1
  [1]: 1}>
"""
C13 = """\
<SparseTensor shape=[2, 4]
 values={
  [0, 0]: 1
  [0, 1]: 1
  [0, 2]: 1}>
<SparseTensor shape=[2, 4]
 values={}>
<SparseTensor shape=[2, 4]
 values={
  [0, 3]: 1
  [1, 0]: 1
  [1, 1]: 1}>
"""
C14 = """\
<SparseTensor shape=[4]
 values={
  [0]: 1
  [1]: 1
  [2]: 1}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={
  [3]: 1}>
<SparseTensor shape=[4]
 values={
  [0]: 1
  [1]: 1}>
"""
C15 = """\
<SparseTensor shape=[4]
 values={
  [0]: 2
  [1]: 2
  [2]: 2}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={}>
<SparseTensor shape=[4]
 values={
  [3]: 2}>
<SparseTensor shape=[4]
 values={
  [0]: 2
  [1]: 2}>
"""
C16 = """\
tf.Tensor(
[[225   0   0]
 [  0   0   0]
 [  0   0 625]], shape=(3, 3), dtype=int32)
"""
C17 = """\
tf.Tensor(-3, shape=(), dtype=int32)
"""
C18 = """\
tf.Tensor(0, shape=(), dtype=int32)
"""
