"""``tf.distribute`` strategies, contexts and reductions with one replica, against what TensorFlow 2.21 prints
on a machine with one CPU and no GPU (``MirroredStrategy()`` there has one replica on
``/job:localhost/replica:0/task:0/device:CPU:0``)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_mirrored_strategy_has_one_replica_on_the_cpu():
    s = tf.distribute.MirroredStrategy()
    assert s.num_replicas_in_sync == 1
    assert s.extended.worker_devices == (CPU0,) and s.extended.parameter_devices == (CPU0,)
    assert isinstance(s, tf.distribute.Strategy)
    assert tf.distribute.MirroredStrategy(devices=["/cpu:0"]).extended.worker_devices == (CPU0,)
    assert (
        tf.distribute.MirroredStrategy(["/cpu:0"], tf.distribute.HierarchicalCopyAllReduce()).num_replicas_in_sync == 1
    )
    assert tf.distribute.OneDeviceStrategy("cpu:0").extended.worker_devices == (CPU0,)
    assert tf.distribute.MultiWorkerMirroredStrategy().extended.worker_devices == (CPU0,)
    for ops in [
        tf.distribute.NcclAllReduce(),
        tf.distribute.ReductionToOneDevice(),
        tf.distribute.HierarchicalCopyAllReduce(2),
    ]:
        assert isinstance(ops, tf.distribute.CrossDeviceOps)


def test_default_strategy_and_contexts_outside_any_scope():
    d = tf.distribute.get_strategy()
    assert d.num_replicas_in_sync == 1
    assert not tf.distribute.has_strategy() and not tf.distribute.in_cross_replica_context()
    rc = tf.distribute.get_replica_context()
    assert isinstance(rc, tf.distribute.ReplicaContext) and rc.strategy is d
    assert rc.replica_id_in_sync_group == 0 and rc.num_replicas_in_sync == 1
    assert int(d.run(lambda x: x + 1, args=(tf.constant(1),))) == 2
    with pytest.raises(RuntimeError, match="unsupported by default"):
        _ = d.extended.worker_devices
    with d.scope():  # the default strategy's scope changes nothing
        assert not tf.distribute.has_strategy()


def test_scope_makes_the_strategy_current_and_places_variables():
    s = tf.distribute.MirroredStrategy()
    with s.scope() as entered:
        assert entered is s
        v = tf.Variable(1.0)
        assert tf.distribute.has_strategy() and tf.distribute.get_strategy() is s
        assert tf.distribute.in_cross_replica_context() and tf.distribute.get_replica_context() is None
        with s.scope():  # the same strategy again is fine
            pass
        with tf.distribute.get_strategy().scope():
            assert tf.distribute.get_strategy() is s
        with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy objects"):
            with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
                pass
    assert v.device == CPU0 and not tf.distribute.has_strategy()
    assert tf.Variable(2.0).device == CPU0


def test_run_is_in_replica_context_eagerly_and_in_tf_function():
    s = tf.distribute.MirroredStrategy()
    seen = []

    def fn(x, scale=1.0):
        ctx = tf.distribute.get_replica_context()
        seen.append((tf.distribute.in_cross_replica_context(), tf.distribute.get_strategy() is s))
        merged = ctx.merge_call(
            lambda strategy, a: (strategy is s, tf.distribute.in_cross_replica_context(), a * 10), args=(x,)
        )
        return {
            "y": merged[2] * scale,
            "z": ctx.all_reduce("MEAN", x),
            "id": ctx.replica_id_in_sync_group,
            "m": merged[:2],
        }

    out = s.run(fn, args=(tf.constant(3.0),), kwargs={"scale": 2.0})
    assert float(out["y"]) == 60.0 and float(out["z"]) == 3.0 and out["m"] == (True, True)
    assert out["id"].dtype == tf.int32 and int(out["id"]) == 0
    assert seen == [(False, True)]

    @tf.function
    def step(x):
        return s.run(
            lambda a: a * 2 + tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32),
            args=(x,),
        )

    assert float(step(tf.constant(4.0))) == 8.0
    with pytest.raises(TypeError, match="not callable"):
        s.run(5)

    def enter_scope():
        with s.scope():
            pass

    with pytest.raises(RuntimeError, match="cross-replica context"):
        s.run(enter_scope)


def test_reduce_matches_tensorflow():
    s = tf.distribute.MirroredStrategy()
    r = s.run(lambda: tf.constant([2.0, 4.0]))
    assert np.array_equal(s.reduce(tf.distribute.ReduceOp.SUM, r, axis=None).numpy(), [2.0, 4.0])
    assert float(s.reduce(tf.distribute.ReduceOp.SUM, r, axis=0)) == 6.0
    assert float(s.reduce("MEAN", r, axis=0)) == 3.0
    assert float(s.reduce("sum", r, axis=-1)) == 6.0
    mean_int = s.reduce("MEAN", tf.constant([1, 2]), axis=0)
    assert mean_int.dtype == tf.float64 and float(mean_int) == 1.5  # int / int is float64, as in TensorFlow
    assert s.reduce("SUM", tf.constant(1), axis=None).dtype == tf.int32
    assert s.reduce("SUM", 3.0, axis=None).dtype == tf.float32
    assert s.experimental_local_results(r)[0] is r and len(s.experimental_local_results(r)) == 1
    assert s.gather(tf.constant([[1, 2]]), axis=1).numpy().tolist() == [[1, 2]]


def test_reduce_rejects_bad_ops_and_axes():
    s = tf.distribute.MirroredStrategy()
    with pytest.raises(ValueError, match="'BAD' is not a valid ReduceOp"):
        s.reduce("BAD", tf.constant(1.0), axis=None)
    with pytest.raises(ValueError, match="Invalid reduction dimension 3 for input with 1 dimensions"):
        s.reduce("SUM", tf.constant([1.0, 2.0]), axis=3)
    with pytest.raises(TypeError):
        s.reduce("SUM", tf.constant([1.0]))  # axis is required


def test_reduce_op_and_replication_mode_enums():
    assert list(tf.distribute.ReduceOp) == [tf.distribute.ReduceOp.SUM, tf.distribute.ReduceOp.MEAN]
    assert tf.distribute.ReduceOp.SUM.value == "SUM" and str(tf.distribute.ReduceOp.SUM) == "ReduceOp.SUM"
    assert tf.distribute.ReduceOp.from_variable_aggregation(tf.VariableAggregation.MEAN) == tf.distribute.ReduceOp.MEAN
    with pytest.raises(ValueError, match="Could not convert"):
        tf.distribute.ReduceOp.from_variable_aggregation(tf.VariableAggregation.NONE)
    modes = tf.distribute.InputReplicationMode
    assert [m.value for m in modes] == ["PER_WORKER", "PER_REPLICA"]
    options = tf.distribute.InputOptions()
    assert options.experimental_fetch_to_device is True and options.experimental_replication_mode == modes.PER_WORKER
    assert tf.distribute.RunOptions().experimental_enable_dynamic_batch_size is True


def test_input_context():
    ic = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=4)
    assert str(ic) == "tf.distribute.InputContext(input pipeline id 1, total: 2)"
    assert ic.get_per_replica_batch_size(16) == 4
    with pytest.raises(ValueError, match="The `global_batch_size` 7 is not divisible by `num_replicas_in_sync` 4"):
        ic.get_per_replica_batch_size(7)
    assert str(tf.distribute.InputContext()) == "tf.distribute.InputContext(input pipeline id 0, total: 1)"


def test_distributed_datasets():
    s = tf.distribute.MirroredStrategy()
    dd = s.experimental_distribute_dataset(tf.data.Dataset.range(10).batch(4))
    assert isinstance(dd, tf.distribute.DistributedDataset)
    assert dd.element_spec == tf.TensorSpec(shape=(None,), dtype=tf.int64)
    assert [b.numpy().tolist() for b in dd] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    it = iter(dd)
    assert isinstance(it, tf.distribute.DistributedIterator) and it.get_next().numpy().tolist() == [0, 1, 2, 3]
    contexts = []

    def dataset_fn(ctx):
        contexts.append((ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync))
        return tf.data.Dataset.range(5).batch(ctx.get_per_replica_batch_size(2))

    assert [b.numpy().tolist() for b in s.distribute_datasets_from_function(dataset_fn)] == [[0, 1], [2, 3], [4]]
    assert contexts == [(1, 0, 1)]
    per_replica = tf.distribute.InputOptions(
        experimental_replication_mode=tf.distribute.InputReplicationMode.PER_REPLICA
    )
    with pytest.raises(NotImplementedError, match="PER_REPLICA is only supported"):
        s.experimental_distribute_dataset(tf.data.Dataset.range(3), options=per_replica)


def test_experimental_set_strategy():
    s = tf.distribute.MirroredStrategy()
    tf.distribute.experimental_set_strategy(s)
    try:
        assert tf.distribute.get_strategy() is s and tf.distribute.in_cross_replica_context()
    finally:
        tf.distribute.experimental_set_strategy(None)
    assert not tf.distribute.has_strategy()
    tf.distribute.experimental_set_strategy(s)
    with s.scope():  # the set strategy's own scope may be open
        tf.distribute.experimental_set_strategy(None)
    with s.scope():
        with pytest.raises(RuntimeError, match="Must not be called inside a `tf.distribute.Strategy` scope"):
            tf.distribute.experimental_set_strategy(s)


def test_clear_errors_where_tensorflow_fails_inside():
    """Bad input that TensorFlow 2.21 answers with an internal AssertionError or AttributeError (an ``assert``
    in its code, a list read as a dataset) or accepts and fails on later (a GPU on a CPU-only machine, a
    non-CrossDeviceOps): ferroflow says what it expected at the call."""
    s = tf.distribute.MirroredStrategy()
    with pytest.raises(ValueError, match="ReduceOp"):
        s.reduce(3, tf.constant(1.0), axis=None)
    with pytest.raises(TypeError, match="tf.data.Dataset"):
        s.experimental_distribute_dataset([1, 2])
    with pytest.raises(TypeError, match="tf.data.Dataset"):
        s.distribute_datasets_from_function(lambda ctx: [1, 2])
    with pytest.raises(ValueError, match="No duplicates allowed"):
        tf.distribute.MirroredStrategy(devices=["/cpu:0", "/CPU:0"])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.distribute.OneDeviceStrategy("/gpu:0")
    with pytest.raises(TypeError, match="CrossDeviceOps"):
        tf.distribute.MirroredStrategy(cross_device_ops=5)
    with pytest.raises(ValueError, match="num_packs >= 0"):
        tf.distribute.NcclAllReduce(num_packs=-1)


def test_replica_losses_scale_with_the_strategy():
    s = tf.distribute.MirroredStrategy()
    assert float(s.run(lambda: tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0])))) == 2.0
    assert float(s.run(lambda: tf.nn.scale_regularization_loss(tf.constant([3.0, 1.0])))) == 4.0
    with s.scope():
        with pytest.raises(RuntimeError, match="`scale_regularization_loss` in cross replica context"):
            tf.nn.scale_regularization_loss(tf.constant(3.0))
        with pytest.raises(RuntimeError, match="`compute_average_loss` in cross replica context"):
            tf.nn.compute_average_loss(tf.constant([1.0]))
        assert float(tf.nn.compute_average_loss(tf.constant([3.0]), global_batch_size=2)) == 1.5


def test_generator_under_a_strategy():
    """The random-number guide's strategy cells with one replica: a generator made in the scope draws in
    ``strategy.run``, and two runs give different numbers from the advancing state."""
    s = tf.distribute.MirroredStrategy()
    with s.scope():
        g = tf.random.Generator.from_seed(1)
        a = s.run(lambda: g.normal([]))
        b = s.run(lambda: g.normal([]))
    assert a.shape == () and a.dtype == tf.float32 and float(a) != float(b)
    g.reset_from_seed(1)
    assert float(s.run(lambda: g.normal([]))) == float(a)
