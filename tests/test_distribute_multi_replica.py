"""``tf.distribute.MirroredStrategy`` over several logical CPUs, against what TensorFlow 2.21 prints after
``tf.config.set_logical_device_configuration`` split its CPU in three: ``PerReplica`` results of
``strategy.run``, reductions, replica-context collectives, ``merge_call`` and mirrored variables. ferroflow
runs the replicas one after the other; the values are TensorFlow's."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

DEVICES = [f"/job:localhost/replica:0/task:0/device:CPU:{i}" for i in range(3)]


@pytest.fixture(autouse=True)
def three_cpus():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.experimental.set_virtual_device_configuration(
        cpu, [tf.config.experimental.VirtualDeviceConfiguration()] * 3
    )
    yield tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1", "cpu:2"])
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])


def _replica_id() -> tf.Tensor:
    return tf.distribute.get_replica_context().replica_id_in_sync_group


def test_strategy_has_one_replica_per_logical_cpu(three_cpus):
    s = three_cpus
    assert len(tf.config.list_logical_devices("CPU")) == 3
    assert s.num_replicas_in_sync == 3 and s.extended.worker_devices == tuple(DEVICES)
    # TensorFlow accepts a device past the logical ones (soft placement runs it on an existing one).
    s5 = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:5"])
    assert s5.num_replicas_in_sync == 2 and s5.extended.worker_devices[1].endswith("CPU:5")
    assert [float(v) for v in s5.experimental_local_results(s5.run(lambda: tf.constant(1.0)))] == [1.0, 1.0]
    with pytest.raises(ValueError, match="No duplicates allowed"):
        tf.distribute.MirroredStrategy(devices=["cpu:1", "/CPU:1"])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.distribute.MirroredStrategy(devices=["cpu:0", "gpu:0"])


def test_run_returns_per_replica_values_printed_as_tensorflow(three_cpus):
    s = three_cpus
    ids = s.run(_replica_id)
    assert type(ids).__name__ == "PerReplica" and isinstance(ids, tf.distribute.DistributedValues)
    assert repr(ids) == (
        "PerReplica:{\n"
        "  0: <tf.Tensor: shape=(), dtype=int32, numpy=0>,\n"
        "  1: <tf.Tensor: shape=(), dtype=int32, numpy=1>,\n"
        "  2: <tf.Tensor: shape=(), dtype=int32, numpy=2>\n"
        "}"
    )
    assert str(ids).splitlines()[1] == "  0: tf.Tensor(0, shape=(), dtype=int32),"
    seen = []

    def fn(x):
        seen.append((tf.distribute.in_cross_replica_context(), tf.distribute.get_strategy() is s))
        return {"y": x * tf.cast(_replica_id(), tf.float32), "same": x}

    out = s.run(fn, args=(tf.constant([1.0, 2.0]),))
    assert seen == [(False, True)] * 3
    assert [v.numpy().tolist() for v in out["y"].values] == [[0, 0], [1, 2], [2, 4]]
    assert float(out["same"][0]) == 1.0  # the same object on every replica stays one value
    # PerReplica arguments give each replica its own part.
    doubled = s.run(lambda v: v * 2, args=(out["y"],))
    assert [v.numpy().tolist() for v in s.experimental_local_results(doubled)] == [[0, 0], [2, 4], [4, 8]]
    assert s.run(lambda: None) is None
    values = s.experimental_distribute_values_from_function(lambda ctx: ctx.replica_id_in_sync_group)
    assert repr(values) == "PerReplica:{\n  0: 0,\n  1: 1,\n  2: 2\n}"

    @tf.function
    def step(x):
        return s.run(lambda a: a + tf.cast(_replica_id(), tf.float32), args=(x,))

    assert [float(v) for v in s.experimental_local_results(step(tf.constant(10.0)))] == [10.0, 11.0, 12.0]


def test_reduce_matches_numpy(three_cpus):
    s = three_cpus
    rng = np.random.default_rng(0)
    parts = [rng.normal(size=(2, 3)).astype(np.float32) for _ in range(3)]
    per_replica = s.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(parts[ctx.replica_id_in_sync_group])
    )
    stacked, joined = np.stack(parts), np.concatenate(parts)
    for op in ["SUM", "MEAN"]:
        count = {None: 3, 0: 6, 1: 9}
        for axis, reduce_over in [(None, (0,)), (0, (0, 1)), (1, (0, 2))]:
            got = s.reduce(getattr(tf.distribute.ReduceOp, op), per_replica, axis=axis)
            want = stacked.sum(axis=reduce_over) / (1 if op == "SUM" else count[axis])
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    ids = s.run(_replica_id)
    mean = s.reduce("MEAN", ids, axis=None)
    assert mean.dtype == tf.float64 and float(mean) == 1.0  # int / int is float64, as in TensorFlow
    assert int(s.reduce("SUM", ids, axis=None)) == 3
    np.testing.assert_array_equal(s.gather(per_replica, axis=0).numpy(), joined)
    # A plain tensor is one replica's value: MEAN keeps it, SUM cannot tell how many replicas hold it.
    assert float(s.reduce("MEAN", tf.constant(2.0), axis=None)) == 2.0
    with pytest.raises(ValueError, match="non-DistributedValues value .* cannot be reduced"):
        s.reduce(tf.distribute.ReduceOp.SUM, tf.constant(2.0), axis=None)
    with pytest.raises(ValueError, match="is not a valid ReduceOp"):
        s.reduce("MAX", per_replica, axis=None)
    with pytest.raises(ValueError, match="Invalid reduction dimension 3"):
        s.reduce("SUM", per_replica, axis=3)
    assert s.experimental_local_results(tf.constant(1.0))[0].numpy() == 1.0
    for ops in [tf.distribute.ReductionToOneDevice(), tf.distribute.HierarchicalCopyAllReduce()]:
        np.testing.assert_allclose(ops.reduce("MEAN", per_replica).numpy(), stacked.mean(axis=0), rtol=1e-6)


def test_collectives_and_merge_call_in_replica_context(three_cpus):
    s = three_cpus
    merged_with = []

    def fn():
        ctx = tf.distribute.get_replica_context()
        x = tf.cast(ctx.replica_id_in_sync_group, tf.float32) + 1.0
        total = ctx.all_reduce(tf.distribute.ReduceOp.SUM, x)
        mean = ctx.all_reduce("MEAN", {"a": x, "b": x * 2})
        gathered = ctx.all_gather(tf.reshape(x, [1]), axis=0)

        def merge(strategy, value):
            merged_with.append((tf.distribute.in_cross_replica_context(), type(value).__name__))
            return strategy.reduce("SUM", value, axis=None)

        merged = ctx.merge_call(merge, args=(x * total,))
        return total, mean, gathered, merged

    total, mean, gathered, merged = s.run(fn)
    assert [float(v) for v in total.values] == [6.0] * 3
    assert [float(v) for v in mean["a"].values] == [2.0] * 3 and float(mean["b"].values[2]) == 4.0
    assert all(v.numpy().tolist() == [1.0, 2.0, 3.0] for v in gathered.values)
    assert float(merged) == 36.0  # one merged result, returned to every replica
    assert merged_with == [(True, "PerReplica")]
    # Replicas that reach different synchronization points cannot be merged.

    def uneven():
        ctx = tf.distribute.get_replica_context()
        if int(ctx.replica_id_in_sync_group) == 1:
            return ctx.all_gather(tf.constant([1.0]), axis=0)
        return ctx.all_reduce("SUM", tf.constant(1.0))

    with pytest.raises(RuntimeError, match="different synchronization points"):
        s.run(uneven)


def test_variables_made_in_the_scope_are_mirrored(three_cpus):
    s = three_cpus
    with s.scope():
        v = tf.Variable(1.0)
        m = tf.Variable(1.0, aggregation=tf.VariableAggregation.MEAN)
        total = tf.Variable([0.0, 0.0], aggregation=tf.VariableAggregation.SUM)
    assert type(v).__name__ == "MirroredVariable" and isinstance(v, tf.Variable)
    assert repr(v) == (
        "MirroredVariable:{\n"
        "  0: <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>,\n"
        "  1: <tf.Variable 'Variable/replica_1:0' shape=() dtype=float32, numpy=1.0>,\n"
        "  2: <tf.Variable 'Variable/replica_2:0' shape=() dtype=float32, numpy=1.0>\n"
        "}"
    )
    assert [c.device for c in s.experimental_local_results(v)] == DEVICES and v.device == DEVICES[0]
    assert type(tf.Variable(1.0)).__name__ == "Variable"  # outside the scope
    # Updates in replica context take effect once, combined by the aggregation.
    s.run(lambda: v.assign_add(1.0))
    s.run(lambda: m.assign_add(tf.cast(_replica_id(), tf.float32)))
    s.run(lambda: total.assign_add(tf.stack([1.0, tf.cast(_replica_id(), tf.float32)])))
    assert float(v) == 2.0 and float(m) == 2.0 and total.numpy().tolist() == [3.0, 3.0]
    # Every replica reads the value of the step's start; cross-replica updates apply at once.
    reads = s.run(lambda: v.assign_add(1.0) and v.read_value())
    assert [float(r) for r in reads.values] == [2.0] * 3 and float(v) == 3.0
    with s.scope():
        v.assign(5.0)
    assert all(float(c.numpy()) == 5.0 for c in v.values)
    assert s.reduce("SUM", v, axis=None).numpy() == 15.0
    assert s.extended.value_container(v.values[2]) is v and s.extended.value_container(v) is v
