"""TensorFlow's "Working with sparse tensors" guide, cell by cell, with the output TensorFlow 2.21 prints.

Each test runs the guide's code unchanged (with ``import ferroflow as tf``) and compares what it prints;
the guide's ``pprint_sparse_tensor`` ends its first line with a space, so lines are compared without
trailing spaces.
"""

import numpy as np

import ferroflow as tf
from sparse_guide_expected import C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C12, C13, C14, C15, C16, C17, C18


def pprint_sparse_tensor(st):
    s = "<SparseTensor shape=%s \n values={" % (st.dense_shape.numpy().tolist(),)  # noqa: UP031
    for index, value in zip(st.indices, st.values):
        s += "\n  %s: %s" % (index.numpy().tolist(), value.numpy().tolist())  # noqa: UP031
    return s + "}>"


def _printed(capsys) -> str:
    return "\n".join(line.rstrip() for line in capsys.readouterr().out.rstrip("\n").split("\n")) + "\n"


def _st2():
    return tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])


def _sparse_data():
    return tf.sparse.SparseTensor(
        indices=[(0, 0), (0, 1), (0, 2), (4, 3), (5, 0), (5, 1)], values=[1, 1, 1, 1, 1, 1], dense_shape=(6, 4)
    )


def _patterns():
    a = tf.sparse.SparseTensor(
        indices=[[2, 4], [3, 3], [3, 4], [4, 3], [4, 4], [5, 4]], values=[1, 1, 1, 1, 1, 1], dense_shape=[8, 5]
    )
    b = tf.sparse.SparseTensor(
        indices=[
            [0, 2],
            [1, 1],
            [1, 3],
            [2, 0],
            [2, 4],
            [2, 5],
            [3, 5],
            [4, 5],
            [5, 0],
            [5, 4],
            [5, 5],
            [6, 1],
            [6, 3],
            [7, 2],
        ],
        values=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        dense_shape=[8, 6],
    )
    c = tf.sparse.SparseTensor(indices=[[3, 0], [4, 0]], values=[1, 1], dense_shape=[8, 6])
    return a, b, c


def test_print_sparse_tensor(capsys):
    st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])
    print(st1)
    assert _printed(capsys) == C01

    print(pprint_sparse_tensor(st1))
    assert _printed(capsys) == C02


def test_from_dense_and_to_dense(capsys):
    st2 = _st2()
    print(pprint_sparse_tensor(st2))
    assert _printed(capsys) == C03
    st3 = tf.sparse.to_dense(st2)
    print(st3)
    assert _printed(capsys) == C04


def test_sparse_add_keeps_indices_outside_the_dense_shape(capsys):
    # [7, 0] lies outside dense_shape [4, 10]: TensorFlow neither checks it here nor in tf.sparse.add.
    st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[4, 10])
    st_b = tf.sparse.SparseTensor(indices=[[0, 2], [7, 0]], values=[56, 38], dense_shape=[4, 10])
    st_sum = tf.sparse.add(st_a, st_b)
    print(pprint_sparse_tensor(st_sum))
    assert _printed(capsys) == C05


def test_sparse_dense_matmul(capsys):
    st_c = tf.sparse.SparseTensor(indices=([0, 1], [1, 0], [1, 1]), values=[13, 15, 17], dense_shape=(2, 2))
    mb = tf.constant([[4], [6]])
    product = tf.sparse.sparse_dense_matmul(st_c, mb)
    print(product)
    assert _printed(capsys) == C06


def test_concat_and_slice(capsys):
    sparse_pattern_A, sparse_pattern_B, sparse_pattern_C = _patterns()
    sparse_patterns_list = [sparse_pattern_A, sparse_pattern_B, sparse_pattern_C]
    sparse_pattern = tf.sparse.concat(axis=1, sp_inputs=sparse_patterns_list)
    print(tf.sparse.to_dense(sparse_pattern))
    assert _printed(capsys) == C07

    sparse_slice_A = tf.sparse.slice(sparse_pattern_A, start=[0, 0], size=[8, 5])
    sparse_slice_B = tf.sparse.slice(sparse_pattern_B, start=[0, 5], size=[8, 6])
    sparse_slice_C = tf.sparse.slice(sparse_pattern_C, start=[0, 10], size=[8, 6])
    print(tf.sparse.to_dense(sparse_slice_A))
    print(tf.sparse.to_dense(sparse_slice_B))
    print(tf.sparse.to_dense(sparse_slice_C))
    assert _printed(capsys) == C08


def test_map_values_and_rebuilding(capsys):
    st2 = _st2()
    st2_plus_5 = tf.sparse.map_values(tf.add, st2, 5)
    print(tf.sparse.to_dense(st2_plus_5))
    assert _printed(capsys) == C09
    st2_plus_5 = tf.sparse.SparseTensor(st2.indices, st2.values + 5, st2.dense_shape)
    print(tf.sparse.to_dense(st2_plus_5))
    assert _printed(capsys) == C10


def test_keras_sparse_input():
    x = tf.keras.Input(shape=(4,), sparse=True)
    y = tf.keras.layers.Dense(4)(x)
    model = tf.keras.Model(x, y)
    sparse_data = _sparse_data()
    out = model(sparse_data)
    predicted = model.predict(sparse_data, verbose=0)
    kernel, bias = (w.numpy() for w in model.layers[-1].weights)
    dense = tf.sparse.to_dense(sparse_data).numpy().astype(np.float32)
    np.testing.assert_allclose(out.numpy(), dense @ kernel + bias, rtol=1e-6)
    np.testing.assert_allclose(predicted, dense @ kernel + bias, rtol=1e-6)


def test_dataset_from_tensor_slices(capsys):
    dataset = tf.data.Dataset.from_tensor_slices(_sparse_data())
    for element in dataset:
        print(pprint_sparse_tensor(element))
    assert _printed(capsys) == C12


def test_dataset_batch_and_unbatch(capsys):
    dataset = tf.data.Dataset.from_tensor_slices(_sparse_data())
    batched_dataset = dataset.batch(2)
    for element in batched_dataset:
        print(pprint_sparse_tensor(element))
    assert _printed(capsys) == C13
    unbatched_dataset = batched_dataset.unbatch()
    for element in unbatched_dataset:
        print(pprint_sparse_tensor(element))
    assert _printed(capsys) == C14


def test_dataset_map(capsys):
    dataset = tf.data.Dataset.from_tensor_slices(_sparse_data())
    transform_dataset = dataset.map(lambda x: x * 2)
    for i in transform_dataset:
        print(pprint_sparse_tensor(i))
    assert _printed(capsys) == C15


def test_tf_function(capsys):
    @tf.function
    def f(x, y):
        return tf.sparse.sparse_dense_matmul(x, y)

    a = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[15, 25], dense_shape=[3, 10])
    b = tf.sparse.to_dense(tf.sparse.transpose(a))
    c = f(a, b)
    print(c)
    assert _printed(capsys) == C16


def test_reduce_max_leaves_missing_values_out(capsys):
    print(tf.sparse.reduce_max(tf.sparse.from_dense([-5, 0, -3])))
    assert _printed(capsys) == C17
    print(tf.math.reduce_max([-5, 0, -3]))
    assert _printed(capsys) == C18
