"""Distributed datasets over two replicas as TensorFlow 2.21 describes and hands them out: ``element_spec`` of
``PerReplicaSpec`` values (usable as a ``tf.function`` input signature), ``cardinality`` as a Python int,
``get_next_as_optional``, and ``strategy.gather``/``reduce`` of an element (values recorded from TensorFlow)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

pytestmark = pytest.mark.usefixtures("two_logical_cpus")  # tests/conftest.py


def _strategy():
    return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])


def test_element_spec_is_per_replica_and_serves_as_input_signature():
    s = _strategy()
    ranges = s.experimental_distribute_dataset(tf.data.Dataset.range(10).batch(4))
    spec = "TensorSpec(shape=(None,), dtype=tf.int64, name=None)"
    assert repr(ranges.element_spec) == f"PerReplicaSpec({spec}, {spec})"
    features = np.arange(16.0).reshape(8, 2).astype("float32")
    data = tf.data.Dataset.from_tensor_slices((features, np.arange(8))).batch(4, drop_remainder=True)
    dd = s.experimental_distribute_dataset(data)
    x_spec = "TensorSpec(shape=(2, 2), dtype=tf.float32, name=None)"
    y_spec = "TensorSpec(shape=(2,), dtype=tf.int64, name=None)"
    assert repr(dd.element_spec) == f"(PerReplicaSpec({x_spec}, {x_spec}), PerReplicaSpec({y_spec}, {y_spec}))"

    @tf.function(input_signature=[dd.element_spec])
    def step(inputs):
        x, y = inputs
        per_replica = s.run(lambda a, b: tf.reduce_sum(a) + tf.cast(tf.reduce_sum(b), tf.float32), args=(x, y))
        return s.reduce("SUM", per_replica, axis=None)

    assert [float(step(e)) for e in dd] == [34.0, 114.0]
    assert len(step._traces) == 1  # one trace, from the signature
    per_fn = s.distribute_datasets_from_function(
        lambda ctx: tf.data.Dataset.range(8).batch(ctx.get_per_replica_batch_size(4))
    )
    assert repr(per_fn.element_spec) == f"PerReplicaSpec({spec}, {spec})"
    assert (ranges.cardinality, per_fn.cardinality) == (3, 4)
    assert isinstance(ranges.cardinality, int)


def test_iterator_optional_gather_and_reduce():
    s = _strategy()
    it = iter(s.experimental_distribute_dataset(tf.data.Dataset.range(10).batch(4)))
    first = it.get_next_as_optional()
    assert bool(first.has_value())
    assert [v.numpy().tolist() for v in s.experimental_local_results(first.get_value())] == [[0, 1], [2, 3]]
    element = next(it)
    assert s.gather(element, axis=0).numpy().tolist() == [4, 5, 6, 7]
    assert int(s.reduce("SUM", element, axis=0)) == 22
    mean = s.reduce("MEAN", element, axis=0)
    assert mean.dtype == tf.float64 and float(mean) == 5.5
    next(it)
    end = it.get_next_as_optional()
    assert not bool(end.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError):
        end.get_value()
