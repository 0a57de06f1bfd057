# ruff: noqa: E501
"""What TensorFlow 2.21 prints for each cell of ``guide_sparse_tensor_cells.CELLS``
(recorded by ``tests/data/record_tensorflow_sparse_guide.py``)."""

EXPECTED = [
    "",
    "",
    "SparseTensor(indices=tf.Tensor(\n[[0 3]\n [2 4]], shape=(2, 2), dtype=int64), values=tf.Tensor([10 20], shape=(2,), dtype=int32), dense_shape=tf.Tensor([ 3 10], shape=(2,), dtype=int64))\n",
    "",
    "<SparseTensor shape=[3, 10] \n values={\n  [0, 3]: 10\n  [2, 4]: 20}>\n",
    "<SparseTensor shape=[3, 4] \n values={\n  [0, 0]: 1\n  [0, 3]: 8\n  [2, 2]: 3}>\n",
    "tf.Tensor(\n[[1 0 0 8]\n [0 0 0 0]\n [0 0 3 0]], shape=(3, 4), dtype=int32)\n",
    "<SparseTensor shape=[4, 10] \n values={\n  [0, 2]: 87\n  [3, 4]: 2\n  [7, 0]: 38}>\n",
    "tf.Tensor(\n[[ 78]\n [162]], shape=(2, 1), dtype=int32)\n",
    "tf.Tensor(\n[[0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0]\n [0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0]\n [0 0 0 0 1 1 0 0 0 1 1 0 0 0 0 0 0]\n [0 0 0 1 1 0 0 0 0 0 1 1 0 0 0 0 0]\n [0 0 0 1 1 0 0 0 0 0 1 1 0 0 0 0 0]\n [0 0 0 0 1 1 0 0 0 1 1 0 0 0 0 0 0]\n [0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0]\n [0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0]], shape=(8, 17), dtype=int32)\n",
    "tf.Tensor(\n[[0 0 0 0 0]\n [0 0 0 0 0]\n [0 0 0 0 1]\n [0 0 0 1 1]\n [0 0 0 1 1]\n [0 0 0 0 1]\n [0 0 0 0 0]\n [0 0 0 0 0]], shape=(8, 5), dtype=int32)\ntf.Tensor(\n[[0]\n [0]\n [1]\n [1]\n [1]\n [1]\n [0]\n [0]], shape=(8, 1), dtype=int32)\ntf.Tensor([], shape=(8, 0), dtype=int32)\n",
    "tf.Tensor(\n[[ 6  0  0 13]\n [ 0  0  0  0]\n [ 0  0  8  0]], shape=(3, 4), dtype=int32)\n",
    "tf.Tensor(\n[[ 6  0  0 13]\n [ 0  0  0  0]\n [ 0  0  8  0]], shape=(3, 4), dtype=int32)\n",
    "\r\x1b[1m1/1\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m0s\x1b[0m 135ms/step\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\r\x1b[1m1/1\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m0s\x1b[0m 185ms/step\narray([[ 0.5978317 ,  0.09329194,  0.17398703,  0.6650589 ],\n       [ 0.        ,  0.        ,  0.        ,  0.        ],\n       [ 0.        ,  0.        ,  0.        ,  0.        ],\n       [ 0.        ,  0.        ,  0.        ,  0.        ],\n       [-0.60852253,  0.8140431 ,  0.25093442,  0.17543751],\n       [ 0.0914976 ,  0.3133608 , -0.62167937,  0.53364193]],\n      dtype=float32)\n",
    "<SparseTensor shape=[4] \n values={\n  [0]: 1\n  [1]: 1\n  [2]: 1}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={\n  [3]: 1}>\n<SparseTensor shape=[4] \n values={\n  [0]: 1\n  [1]: 1}>\n",
    "<SparseTensor shape=[2, 4] \n values={\n  [0, 0]: 1\n  [0, 1]: 1\n  [0, 2]: 1}>\n<SparseTensor shape=[2, 4] \n values={}>\n<SparseTensor shape=[2, 4] \n values={\n  [0, 3]: 1\n  [1, 0]: 1\n  [1, 1]: 1}>\n",
    "<SparseTensor shape=[4] \n values={\n  [0]: 1\n  [1]: 1\n  [2]: 1}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={\n  [3]: 1}>\n<SparseTensor shape=[4] \n values={\n  [0]: 1\n  [1]: 1}>\n",
    "<SparseTensor shape=[4] \n values={\n  [0]: 2\n  [1]: 2\n  [2]: 2}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={}>\n<SparseTensor shape=[4] \n values={\n  [3]: 2}>\n<SparseTensor shape=[4] \n values={\n  [0]: 2\n  [1]: 2}>\n",
    "tf.Tensor(\n[[225   0   0]\n [  0   0   0]\n [  0   0 625]], shape=(3, 3), dtype=int32)\n",
    "tf.Tensor(-3, shape=(), dtype=int32)\n",
    "tf.Tensor(0, shape=(), dtype=int32)\n",
]
