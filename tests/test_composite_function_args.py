"""``tf.SparseTensorSpec`` / ``tf.RaggedTensorSpec`` and sparse or ragged arguments of ``tf.function``: the
specs' constructors and comparisons, how often a function traces, the component inputs of a trace, and
the errors for arguments that do not fit the signature."""

import numpy as np
import pytest

import ferroflow as tf


def counted(fn, **kwargs):
    calls = []

    def body(*args):
        calls.append(1)
        return fn(*args)

    return tf.function(body, **kwargs), calls


def sparse(indices, values, shape, dtype=np.float32):
    return tf.sparse.SparseTensor(indices, np.asarray(values, dtype), shape)


# -- the specs


def test_specs_print_and_default_as_tensorflow():
    assert repr(tf.SparseTensorSpec([None, 4])) == "SparseTensorSpec(TensorShape([None, 4]), tf.float32)"
    assert repr(tf.SparseTensorSpec()) == "SparseTensorSpec(TensorShape(None), tf.float32)"
    spec = tf.RaggedTensorSpec([None, None], tf.int32)
    assert repr(spec) == "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    assert (spec.ragged_rank, spec.row_splits_dtype, spec.dtype) == (1, tf.int64, tf.int32)
    assert tf.RaggedTensorSpec([None, None, None]).ragged_rank == 2
    assert tf.RaggedTensorSpec([None, None, 3], ragged_rank=1).ragged_rank == 1
    assert repr(tf.RaggedTensorSpec(None, tf.float32, ragged_rank=1)).startswith("RaggedTensorSpec(TensorShape(None)")
    assert tf.SparseTensorSpec([None, 4]).value_type is tf.SparseTensor
    assert tf.RaggedTensorSpec([None, None]).value_type is tf.RaggedTensor


def test_ragged_spec_rejects_what_tensorflow_rejects():
    with pytest.raises(ValueError, match="Must specify ragged_rank or a shape with a known rank"):
        tf.RaggedTensorSpec(None, tf.float32)
    with pytest.raises(ValueError, match=r"`ragged_rank` \(2\) must be less than rank \(2\)"):
        tf.RaggedTensorSpec([None, None], tf.float32, ragged_rank=2)
    with pytest.raises(ValueError, match="row_splits_dtype"):
        tf.RaggedTensorSpec([None, None], row_splits_dtype=tf.float32)


def test_specs_from_values_compare_and_hash():
    st = sparse([[0, 0]], [1.0], [3, 4])
    assert tf.SparseTensorSpec.from_value(st) == tf.SparseTensorSpec([3, 4], tf.float32)
    assert tf.SparseTensorSpec([None, 4]).is_compatible_with(st)
    assert not tf.SparseTensorSpec([None, 5]).is_compatible_with(st)
    assert not tf.SparseTensorSpec([None, 4], tf.int32).is_compatible_with(st)
    assert hash(tf.SparseTensorSpec([None, 4])) == hash(tf.SparseTensorSpec([None, 4]))
    rt = tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]])
    spec = tf.RaggedTensorSpec.from_value(rt)
    assert repr(spec) == "RaggedTensorSpec(TensorShape([3, None]), tf.float32, 1, tf.int64)"
    assert tf.RaggedTensorSpec([None, None]).is_compatible_with(rt)
    assert tf.RaggedTensorSpec([2, None]).is_compatible_with(tf.RaggedTensorSpec([None, None]))
    assert not tf.RaggedTensorSpec([None, None, None]).is_compatible_with(rt)
    assert not tf.RaggedTensorSpec([None, None]).is_compatible_with(st)
    merged = tf.SparseTensorSpec([None, 4]).most_specific_common_supertype([tf.SparseTensorSpec([3, 4])])
    assert merged == tf.SparseTensorSpec([None, 4])
    assert {tf.RaggedTensorSpec([None, None]), tf.RaggedTensorSpec([None, None])} == {tf.RaggedTensorSpec([None, None])}


# -- tracing


def test_a_ragged_argument_traces_once_per_row_count_as_tensorflow():
    f, calls = counted(lambda x: x * 2)
    f(tf.ragged.constant([[1, 2], [3]]))
    f(tf.ragged.constant([[1], [3, 4, 5]]))  # same spec [2, None]: no retrace
    assert len(calls) == 1
    f(tf.ragged.constant([[1], [3, 4, 5], [6]]))
    assert len(calls) == 2
    args, _ = f.get_concrete_function(tf.ragged.constant([[1, 2], [3]])).structured_input_signature
    assert args == (tf.RaggedTensorSpec([2, None], tf.int32),)


def test_a_sparse_argument_traces_once_per_dense_shape_as_tensorflow():
    f, calls = counted(lambda x: tf.sparse.to_dense(x))
    f(sparse([[0, 0]], [1.0], [3, 4]))
    f(sparse([[0, 0], [1, 1]], [1.0, 2.0], [3, 4]))  # more elements, same spec
    assert len(calls) == 1
    f(sparse([[0, 0]], [1.0], [5, 4]))
    assert len(calls) == 2
    f(sparse([[0, 0]], [1.0], [5, 4], np.float64))
    assert len(calls) == 3
    assert f.experimental_get_tracing_count() == 3


def test_an_input_signature_traces_once_for_every_fitting_value():
    f, calls = counted(
        lambda s, r: tf.reduce_sum(tf.sparse.to_dense(s)) + tf.reduce_sum(r),
        input_signature=[tf.SparseTensorSpec([None, 4]), tf.RaggedTensorSpec([None, None], tf.float32)],
    )
    for n in (1, 3, 6):
        st = sparse([[i, i % 4] for i in range(n)], np.ones(n), [n, 4])
        rt = tf.ragged.constant([[1.0] * (i + 1) for i in range(n)])
        assert float(f(st, rt)) == n + n * (n + 1) / 2
    assert len(calls) == 1


def test_reduce_retracing_relaxes_sparse_and_ragged_shapes():
    f, calls = counted(lambda s, r: (tf.sparse.reduce_sum(s, axis=1), tf.reduce_sum(r, axis=1)), reduce_retracing=True)
    for n in (2, 3, 4, 5):
        rows = tf.ragged.constant([[1.0] * (i + 1) for i in range(n)])
        s, r = f(tf.sparse.from_dense(np.ones((n, 3), np.float32)), rows)
        np.testing.assert_array_equal(s.numpy(), [3.0] * n)
        np.testing.assert_array_equal(r.numpy(), np.arange(1, n + 1))
    assert len(calls) == 2  # the second shape opens the row dimension; that trace serves the rest


def test_get_concrete_function_with_specs_serves_later_calls():
    f, calls = counted(lambda x: x * 2.0)
    cf = f.get_concrete_function(tf.SparseTensorSpec([None, 3], tf.float32))
    want = [((None, 2), tf.int64), ((None,), tf.float32), ((2,), tf.int64)]
    assert [(tuple(t.shape), t.dtype) for t in cf.inputs] == want
    out = cf(sparse([[1, 2]], [5.0], [2, 3]))
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), [[0, 0, 0], [0, 0, 10]])
    rcf = f.get_concrete_function(tf.RaggedTensorSpec([None, None, 2], tf.float64, ragged_rank=1))
    assert [(tuple(t.shape), t.dtype) for t in rcf.inputs] == [((None, 2), tf.float64), ((None,), tf.int64)]
    assert "RaggedTensorSpec(TensorShape([None, None, 2]), tf.float64, 1, tf.int64)" in (
        f.pretty_printed_concrete_signatures()
    )
    assert len(calls) == 2


def test_ragged_and_sparse_results_come_back_as_eager_values():
    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None, None], tf.int32)])
    def twice(x):
        return x + x, x.flat_values

    rt = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]], []])
    doubled, flat = twice(rt)
    assert isinstance(doubled, tf.RaggedTensor) and doubled.ragged_rank == 2
    assert doubled.to_list() == [[[2, 4], [6]], [[8, 10, 12]], []]
    np.testing.assert_array_equal(flat.numpy(), [1, 2, 3, 4, 5, 6])

    @tf.function
    def scaled(d):
        return {"sp": d["sp"].with_values(d["sp"].values * 3.0), "n": d["n"]}

    out = scaled({"sp": sparse([[0, 1], [2, 0]], [1.0, 2.0], [3, 2]), "n": 7})
    assert isinstance(out["sp"], tf.SparseTensor) and out["n"] == 7
    np.testing.assert_array_equal(out["sp"].indices.numpy(), [[0, 1], [2, 0]])
    np.testing.assert_array_equal(out["sp"].values.numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(out["sp"].dense_shape.numpy(), [3, 2])


def test_a_sparse_tensor_made_from_traced_values_is_an_output_too():
    @tf.function
    def make(v):
        return tf.sparse.SparseTensor([[0, 0], [1, 2]], v * 2.0, [2, 3])

    out = make(tf.constant([1.0, 4.0]))
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), [[2, 0, 0], [0, 0, 8]])


# -- errors


def test_arguments_that_do_not_fit_the_signature_name_both_specs():
    f = tf.function(lambda x: tf.sparse.to_dense(x), input_signature=[tf.SparseTensorSpec([None, 4])])
    with pytest.raises(
        TypeError,
        match=r"SparseTensorSpec\(TensorShape\(\[None, 4\]\), tf.float32\).*received "
        r"SparseTensorSpec\(TensorShape\(\[3, 4\]\), tf.int32\)",
    ):
        f(tf.sparse.SparseTensor([[0, 0]], [1], [3, 4]))
    with pytest.raises(TypeError, match=r"received SparseTensorSpec\(TensorShape\(\[3, 5\]\)"):
        f(sparse([[0, 0]], [1.0], [3, 5]))
    with pytest.raises(TypeError, match=r"received a tensor of shape \(1, 4\)"):
        f(tf.constant([[1.0, 2.0, 3.0, 4.0]]))
    g = tf.function(lambda x: x, input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    with pytest.raises(
        TypeError,
        match=r"RaggedTensorSpec\(TensorShape\(\[None, None\]\), tf.float32, 1.*received "
        r"RaggedTensorSpec\(TensorShape\(\[1, None, None\]\), tf.float32, 2",
    ):
        g(tf.ragged.constant([[[1.0]]]))
    with pytest.raises(TypeError, match="received a tensor of shape"):
        g(tf.constant([[1.0, 2.0]]))
    with pytest.raises(TypeError, match="input_signature must hold"):
        tf.function(lambda x: x, input_signature=[tf.sparse.from_dense([[1.0]])])


def test_a_concrete_function_rejects_values_of_another_spec():
    f = tf.function(lambda x: tf.reduce_sum(x, axis=1))
    cf = f.get_concrete_function(tf.RaggedTensorSpec([None, None], tf.float32))
    with pytest.raises(TypeError, match="must match RaggedTensorSpec"):
        cf(tf.ragged.constant([[1, 2]]))
    with pytest.raises(TypeError, match="must match RaggedTensorSpec"):
        cf(tf.constant([[1.0, 2.0]]))


def test_eager_only_ops_inside_a_trace_say_so():
    g = tf.function(lambda x: tf.tile(x, [2, 1]), input_signature=[tf.RaggedTensorSpec([None, None])])
    with pytest.raises(NotImplementedError, match="row partition are only known when the graph runs"):
        g(tf.ragged.constant([[1.0]]))
    h = tf.function(lambda x: x.to_list(), input_signature=[tf.RaggedTensorSpec([None, None])])
    with pytest.raises(TypeError, match="has no value yet"):
        h(tf.ragged.constant([[1.0]]))
