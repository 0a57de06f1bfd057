"""``tf.compat.v1`` variable scopes beyond reuse: partitioners and partitioned variables (shard names and
sizes, conversion to one tensor, training, embedding lookups, reuse), scope regularizers and
``no_regularizer``, custom getters (nested ones compose), ``make_template`` sharing, and
``register_tensor_conversion_function``.

The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def names(variables):
    return [v.name.split(":")[0] for v in variables]


def test_partitioners():
    shape = tf.TensorShape([10, 4])
    assert v1.fixed_size_partitioner(3)(shape=shape, dtype=tf.float32) == [3, 1]
    assert v1.fixed_size_partitioner(20, axis=1)(shape=shape, dtype=tf.float32) == [1, 4]
    assert v1.min_max_variable_partitioner(max_partitions=4, min_slice_size=64)(shape=shape, dtype=tf.float32) == [
        3,
        1,
    ]
    assert v1.min_max_variable_partitioner()(shape=shape, dtype=tf.float32) == [1, 1]
    assert v1.variable_axis_size_partitioner(40)(shape=shape, dtype=tf.float32) == [5, 1]
    assert v1.variable_axis_size_partitioner(40, max_shards=2)(shape=shape, dtype=tf.float32) == [2, 1]
    with pytest.raises(ValueError, match="must be positive"):
        v1.variable_axis_size_partitioner(0)


def test_partitioned_variable(graph):
    with v1.variable_scope("emb", partitioner=v1.fixed_size_partitioner(3)):
        w = v1.get_variable("w", [10, 4], initializer=v1.random_normal_initializer(seed=1))
    assert len(list(w)) == 3
    assert names(w) == ["emb/w/part_0", "emb/w/part_1", "emb/w/part_2"]
    assert [v.shape.as_list() for v in w] == [[4, 4], [3, 4], [3, 4]]
    assert w.get_shape().as_list() == [10, 4] and w.dtype == tf.float32
    assert names(v1.trainable_variables()) == names(w)
    with v1.variable_scope("emb", reuse=True, partitioner=v1.fixed_size_partitioner(3)):
        assert v1.get_variable("w", [10, 4]) is w
    x = v1.placeholder(tf.float32, [None, 10])
    y = tf.matmul(x, w)
    rows = v1.nn.embedding_lookup(w, [0, 5, 9], partition_strategy="div")
    loss = v1.reduce_sum(y * y)
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        full = np.concatenate(sess.run(list(w)), 0)
        got_y, got_rows = sess.run([y, rows], {x: np.eye(10)})
        np.testing.assert_allclose(got_y, full, rtol=1e-6)
        np.testing.assert_allclose(got_rows, full[[0, 5, 9]], rtol=1e-6)
        sess.run(train, {x: np.eye(10)})
        np.testing.assert_allclose(np.concatenate(sess.run(list(w)), 0), 0.8 * full, rtol=1e-5)


def test_scope_regularizer_and_no_regularizer(graph):
    with v1.variable_scope("reg", regularizer=lambda v: 0.5 * v1.reduce_sum(v * v)):
        a = v1.get_variable("a", [2], initializer=v1.ones_initializer())
        v1.get_variable("b", [2], initializer=v1.ones_initializer(), regularizer=v1.no_regularizer)
        with v1.variable_scope("inner"):
            v1.get_variable("c", [3], initializer=v1.ones_initializer())
    losses = v1.losses.get_regularization_losses()
    assert len(losses) == 2
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        assert sorted(sess.run(losses)) == [1.0, 1.5]
        assert sess.run(v1.losses.get_regularization_loss()) == 2.5
    assert names([a]) == ["reg/a"]


def test_custom_getters_compose(graph):
    seen = []

    def outer(getter, name, *args, **kwargs):
        seen.append(("outer", name))
        return getter(name, *args, **kwargs)

    def scaled(getter, name, *args, **kwargs):
        seen.append(("inner", name))
        kwargs["trainable"] = False
        return getter(name, *args, **kwargs)

    with v1.variable_scope("a", custom_getter=outer):
        with v1.variable_scope("b", custom_getter=scaled):
            v = v1.get_variable("v", [1])
    assert seen == [("inner", "a/b/v"), ("outer", "a/b/v")]
    assert not v.trainable and names([v]) == ["a/b/v"]


def test_make_template_shares_variables(graph):
    def linear(x, units):
        w = v1.get_variable("w", [x.shape[-1], units], initializer=v1.ones_initializer())
        return tf.matmul(x, w)

    layer = v1.make_template("linear", linear, units=2)
    first = layer(tf.ones([1, 3]))
    second = layer(tf.ones([1, 3]) * 2.0)
    other = v1.make_template("linear", linear, units=2)
    other(tf.ones([1, 3]))
    assert names(layer.variables) == ["linear/w"] and names(other.variables) == ["linear_1/w"]
    assert layer.variable_scope.name == "linear" and len(v1.global_variables()) == 2
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run(first).tolist() == [[3.0, 3.0]] and sess.run(second).tolist() == [[6.0, 6.0]]


class Meters:
    def __init__(self, values):
        self.values = values


def test_register_tensor_conversion_function():
    v1.register_tensor_conversion_function(
        Meters, lambda value, dtype=None, name=None, as_ref=False: tf.constant(value.values, dtype=dtype)
    )
    assert (tf.constant([1.0, 2.0]) + Meters([1.0, 1.0])).numpy().tolist() == [2.0, 3.0]
    assert tf.convert_to_tensor(Meters([3, 4])).numpy().tolist() == [3, 4]
    with pytest.raises(TypeError):
        v1.register_tensor_conversion_function(float, lambda value, dtype=None, name=None, as_ref=False: value)


def test_op_scope_and_variable_op_scope(graph):
    with v1.variable_op_scope([], None, default_name="block"):
        v = v1.get_variable("v", [1])
    with v1.op_scope([], None, default_name="ops") as scope:
        c = tf.identity(tf.constant(1.0), name="c")
    assert names([v]) == ["block/v"] and scope.startswith("ops") and c.name.startswith("ops")
