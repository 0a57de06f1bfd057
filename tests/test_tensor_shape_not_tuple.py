"""``tf.TensorShape`` is not a tuple, as in TensorFlow 2.21: formatting, sequence protocol, comparisons, hashing,
pickling and use as a shape by NumPy and by ferroflow ops. Expected values are what TensorFlow 2.21 prints.
Also: floats too large for float16 convert to inf silently (no NumPy RuntimeWarning), as in TensorFlow."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest

import ferroflow as tf

S = tf.TensorShape


@pytest.mark.parametrize(
    "dims, text, rep",
    [
        ([15], "(15,)", "TensorShape([15])"),
        ([2, 3], "(2, 3)", "TensorShape([2, 3])"),
        ([None, 3], "(None, 3)", "TensorShape([None, 3])"),
        ([], "()", "TensorShape([])"),
        (None, "<unknown>", "TensorShape(None)"),
    ],
)
def test_formatting(dims, text, rep) -> None:
    s = S(dims)
    assert str(s) == text
    assert "%s" % s == text  # noqa: UP031 (the issue: %-formatting a shape)
    assert f"{s}" == text
    assert repr(s) == rep
    assert "%r" % (s,) == rep  # noqa: UP031


def test_not_a_tuple_but_a_sequence() -> None:
    s = S([2, 3])
    assert not isinstance(s, tuple)
    assert tuple(s) == (2, 3) and list(s) == [2, 3]
    assert len(s) == 2 and len(S([])) == 0
    assert [type(d) for d in S([None, 3])] == [type(None), int]
    assert 3 in s and 4 not in s
    assert list(reversed(s)) == [3, 2]
    assert max(s) == 3
    with pytest.raises(AttributeError):
        s.index(3)
    with pytest.raises(TypeError):
        _ = s * 2
    with pytest.raises(TypeError):
        _ = s < [3]


def test_indexing() -> None:
    s = S([2, 3])
    assert s[0] == 2 and s[-1] == 3 and type(s[0]) is int
    assert s[np.int64(1)] == 3
    assert S([None, 3])[0] is None
    assert repr(s[1:]) == "TensorShape([3])"
    assert repr(s[::-1]) == "TensorShape([3, 2])"
    assert repr(S([15])[1:]) == "TensorShape([])"
    with pytest.raises(IndexError):
        s[5]
    with pytest.raises(TypeError):
        s["a"]
    with pytest.raises(TypeError):
        s[1.0]


def test_unknown_rank() -> None:
    n = S(None)
    assert n.rank is None and n.ndims is None and n.dims is None
    assert n.num_elements() is None and not n.is_fully_defined()
    assert not bool(n)
    assert n[0] is None and n[5] is None
    assert repr(n[1:]) == "TensorShape(None)"
    assert repr(n[:2]) == "TensorShape([None, None])"
    for fn, msg in [
        (len, "Cannot take the length of shape with unknown rank."),
        (tuple, "Cannot iterate over a shape with unknown rank."),
        (list, "Cannot iterate over a shape with unknown rank."),
    ]:
        with pytest.raises(ValueError, match=msg):
            fn(n)
    with pytest.raises(ValueError, match="as_list"):
        n.as_list()


def test_properties() -> None:
    s, u = S([2, 3]), S([None, 3])
    assert s.as_list() == [2, 3] and u.as_list() == [None, 3]
    assert s.rank == 2 and s.ndims == 2 and S([]).rank == 0
    assert [d.value for d in u.dims] == [None, 3]
    assert type(u.dims[0]).__name__ == "Dimension"
    assert s.num_elements() == 6 and u.num_elements() is None and S([]).num_elements() == 1
    assert s.is_fully_defined() and not u.is_fully_defined() and S([]).is_fully_defined()


def test_truthiness() -> None:
    # the empty shape of a scalar is truthy: only an unknown rank is falsy
    assert bool(S([])) and bool(S([15])) and bool(S([None, 3]))
    assert bool(tf.constant(1.0).shape)


def test_equality() -> None:
    s, u = S([2, 3]), S([None, 3])
    assert s == [2, 3] and s == (2, 3) and s == S([2, 3]) and s == np.array([2, 3])
    assert (2, 3) == s and [2, 3] == s
    assert not (s != (2, 3))
    assert s != [2, None] and s != "x" and s != 5 and s != None  # noqa: E711
    assert u == [None, 3] and u == S([None, 3]) and not (u != S([None, 3]))
    assert u != [1, 3]
    assert S(None) == S(None) and S(None) != [1]
    assert S([5]) == 5


def test_hash_and_dict_keys() -> None:
    assert hash(S([2, 3])) == hash(S([2, 3]))
    d = {S([2, 3]): 1}
    assert d[S([2, 3])] == 1 and d[(2, 3)] == 1
    assert isinstance(hash(S(None)), int)


def test_concatenation() -> None:
    s = S([2, 3])
    assert repr(s + [4]) == "TensorShape([2, 3, 4])"
    assert repr([4] + s) == "TensorShape([4, 2, 3])"
    assert repr((4,) + s) == "TensorShape([4, 2, 3])"
    assert repr(s + (4,)) == "TensorShape([2, 3, 4])"
    assert repr(s + S([7])) == "TensorShape([2, 3, 7])"
    assert repr(s.concatenate([1])) == "TensorShape([2, 3, 1])"
    assert repr(s.concatenate(S(None))) == "TensorShape(None)"
    assert repr(S(None) + [4]) == "TensorShape(None)"
    assert repr(x_shape_plus_one()) == "TensorShape([2, 3, 1])"


def x_shape_plus_one() -> S:
    return tf.ones([2, 3]).shape + (1,)


def test_merge_and_compatibility() -> None:
    s, u, n = S([2, 3]), S([None, 3]), S(None)
    assert repr(u.merge_with([2, None])) == "TensorShape([2, 3])"
    assert repr(n.merge_with(s)) == "TensorShape([2, 3])"
    with pytest.raises(ValueError, match=r"Shapes \(None, 3\) and \(2, 4\) are not compatible"):
        u.merge_with([2, 4])
    with pytest.raises(ValueError, match=r"Shapes \(2, 3\) and \(1,\) are not compatible"):
        s.merge_with([1])
    assert u.is_compatible_with([5, 3]) and not u.is_compatible_with([5, 4]) and n.is_compatible_with([1, 2, 3])
    with pytest.raises(ValueError, match=r"Shapes \(None, 3\) and \[1, 2\] are incompatible"):
        u.assert_is_compatible_with([1, 2])
    assert repr(s.most_specific_compatible_shape([2, 4])) == "TensorShape([2, None])"
    assert repr(s.most_specific_compatible_shape([2])) == "TensorShape(None)"
    assert repr(s.most_specific_compatible_shape(n)) == "TensorShape(None)"
    assert repr(u.with_rank(2)) == "TensorShape([None, 3])"
    with pytest.raises(ValueError, match=r"Shape \(None, 3\) must have rank 3"):
        u.with_rank(3)
    assert repr(u.with_rank_at_least(1)) == "TensorShape([None, 3])"
    with pytest.raises(ValueError, match=r"Shape \(None, 3\) must have rank at most 1"):
        u.with_rank_at_most(1)


def test_construction() -> None:
    assert repr(S(5)) == "TensorShape([5])"
    assert repr(S(np.array([2, 3]))) == "TensorShape([2, 3])"
    assert repr(S(S([2, 3]))) == "TensorShape([2, 3])"
    assert repr(S(tf.constant([2, 3]))) == "TensorShape([2, 3])"
    assert repr(S([tf.compat.v1.Dimension(3)])) == "TensorShape([3])"
    with pytest.raises(TypeError, match="Failed to convert"):
        S("ab")
    with pytest.raises(TypeError, match="Dimension value must be integer or None"):
        S([1.5])
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        S([-1])


@pytest.mark.parametrize("dims", [[15], [None, 3], [], None])
def test_pickle_and_copy(dims) -> None:
    s = S(dims)
    for back in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert type(back) is S and repr(back) == repr(s)


def test_numpy_takes_it_as_a_shape() -> None:
    s = S([2, 3])
    for fn in (np.zeros, np.ones, np.empty):
        assert fn(s).shape == (2, 3)
    assert np.full(s, 1).shape == (2, 3)
    assert np.arange(6).reshape(s).shape == (2, 3)
    assert np.broadcast_to(1, s).shape == (2, 3)
    assert np.random.default_rng(0).normal(size=s).shape == (2, 3)
    assert np.prod(s) == 6
    np.testing.assert_array_equal(np.asarray(s), [2, 3])
    assert np.array(S([None, 3])).tolist() == [None, 3]
    with pytest.raises(TypeError):
        np.zeros(S([None, 3]))
    with pytest.raises(TypeError):
        np.zeros(S(None))


def test_ferroflow_ops_take_it_as_a_shape() -> None:
    s = S([2, 3])
    assert repr(tf.zeros(s).shape) == "TensorShape([2, 3])"
    assert tf.ones(s).shape == (2, 3)
    assert tf.fill(s, 1.0).shape == (2, 3)
    assert tf.random.normal(s).shape == (2, 3)
    assert tf.reshape(tf.range(6), s).shape == (2, 3)
    assert tf.zeros(S([])).shape == ()
    c = tf.constant(s)
    assert c.dtype == tf.int32 and c.numpy().tolist() == [2, 3]
    with pytest.raises(ValueError):
        tf.ones(S([None, 3]))
    with pytest.raises(ValueError):
        tf.reshape(tf.range(6), S([-1, 3]))


def test_percent_format_of_tensor_shapes() -> None:
    x = tf.zeros([15])
    assert "shape: %s" % x.shape == "shape: (15,)"  # noqa: UP031
    assert "%s" % tf.zeros([2, 3]).shape == "(2, 3)"  # noqa: UP031


def test_float16_overflow_is_inf_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isposinf(tf.cast(1e6, tf.float16).numpy())
        assert np.isposinf(tf.constant(70000.0, tf.float16).numpy())
        assert np.isposinf(tf.convert_to_tensor(1e6, tf.float16).numpy())
        np.testing.assert_array_equal(
            tf.constant([70000.0, 1.0], dtype=tf.float16).numpy(), np.array([np.inf, 1.0], np.float16)
        )
        np.testing.assert_array_equal(
            tf.cast(tf.constant([1e6, -1e6, 1.0]), tf.float16).numpy(), np.array([np.inf, -np.inf, 1.0], np.float16)
        )
        assert np.isposinf(tf.constant(1e300, tf.float32).numpy())
        assert np.isposinf((tf.constant(2.0, tf.float16) * 70000.0).numpy())
        assert np.isposinf(np.float32(tf.constant(1e39, tf.bfloat16).numpy()))
