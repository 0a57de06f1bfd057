"""TensorFlow's "Random number generation" guide (https://www.tensorflow.org/guide/random_numbers) with
``import ferroflow as tf``.

ferroflow's generators are not TensorFlow's Philox streams, so the numbers differ from the guide's
(``Generator.from_seed(1).normal([])`` is 0.43842274 there): these tests check what the guide teaches
(shapes and dtypes, repeatability from a seed, reset, split, tf.function use, checkpoint restore, stateless
ops) rather than values. The guide's strategy cells run on two logical CPUs with the behaviour TensorFlow 2.21
shows (its guide text predates it: a generator made in a strategy's scope or in ``strategy.run`` no longer
raises ValueError, and each replica draws its own stream). Not covered, as ferroflow lacks them: saving a
generator in a SavedModel, and updating the state variable from inside a tf.function (the traced draws advance
on their own counter, so an eager draw after them repeats their numbers).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import ferroflow as tf


def _draws(g, n=3):
    return [float(g.normal([])) for _ in range(n)]


def test_from_seed_is_repeatable_and_shapes_match_the_guide():
    g1 = tf.random.Generator.from_seed(1)
    x = g1.normal(shape=[2, 3])
    assert x.shape == (2, 3) and x.dtype == tf.float32
    assert np.array_equal(tf.random.Generator.from_seed(1).normal(shape=[2, 3]).numpy(), x.numpy())
    assert not np.array_equal(tf.random.Generator.from_seed(2).normal(shape=[2, 3]).numpy(), x.numpy())
    g1 = tf.random.Generator.from_seed(1, alg="philox")
    assert np.array_equal(g1.normal(shape=[2, 3]).numpy(), x.numpy())
    assert tf.random.get_global_generator().normal(shape=[2, 3]).shape == (2, 3)
    assert tf.random.Generator.from_non_deterministic_state().normal(shape=[2, 3]).shape == (2, 3)


def test_reset_from_seed_restarts_the_stream():
    g = tf.random.Generator.from_seed(1)
    a, b = float(g.normal([])), float(g.normal([]))
    assert a != b
    g.reset_from_seed(1)
    assert float(g.normal([])) == a


def test_split_makes_independent_generators_and_advances_the_parent():
    g = tf.random.Generator.from_seed(1)
    first = float(g.normal([]))
    new_gs = g.split(3)
    assert len(new_gs) == 3
    children = [float(n.normal([])) for n in new_gs]
    after = float(g.normal([]))
    assert len({first, after, *children}) == 5
    again = tf.random.Generator.from_seed(1)
    again.normal([])
    assert [float(n.normal([])) for n in again.split(3)] == children and float(again.normal([])) == after


def test_generators_in_tf_function():
    ref = _draws(tf.random.Generator.from_seed(1))
    g = tf.random.Generator.from_seed(1)

    @tf.function
    def foo():
        return g.normal([])

    assert [float(foo()), float(foo())] == ref[:2]

    gs = []

    @tf.function
    def made_on_first_call():
        if len(gs) == 0:
            gs.append(tf.random.Generator.from_seed(1))
        return gs[0].normal([])

    assert [float(made_on_first_call()), float(made_on_first_call())] == ref[:2]

    @tf.function
    def as_argument(x):
        return x.normal([])

    assert float(as_argument(tf.random.Generator.from_seed(1))) == ref[0]


def test_checkpoint_restores_the_stream(tmp_path):
    filename = os.path.join(str(tmp_path), "ckpt")
    g = tf.random.Generator.from_seed(1)
    cp = tf.train.Checkpoint(generator=g)
    g.normal([])
    cp.write(filename)
    saved = _draws(g, 2)
    cp.restore(filename)
    assert _draws(g, 2) == saved
    other = tf.random.Generator.from_seed(2)
    tf.train.Checkpoint(generator=other).restore(filename)
    assert _draws(other, 2) == saved


def test_state_returned_from_tf_function_is_a_tensor():
    g = tf.random.Generator.from_seed(1)

    class MyModule(tf.Module):
        def __init__(self):
            self.g = g

        @tf.function
        def __call__(self):
            return self.g.normal([])

        @tf.function
        def state(self):
            return self.g.state

    module = MyModule()
    state = module.state()
    assert isinstance(state, tf.Tensor) and not isinstance(state, tf.Variable)
    assert state.shape == (3,) and state.dtype == tf.int64
    assert np.array_equal(state.numpy(), g.state.numpy())
    assert module().shape == ()


def test_stateless_ops_depend_only_on_the_seed():
    x = tf.random.stateless_normal(shape=[2, 3], seed=[1, 2])
    assert x.shape == (2, 3) and x.dtype == tf.float32
    assert np.array_equal(x.numpy(), tf.random.stateless_normal(shape=[2, 3], seed=[1, 2]).numpy())
    assert not np.array_equal(x.numpy(), tf.random.stateless_normal(shape=[2, 3], seed=[1, 3]).numpy())


def test_algorithm_enum_and_generator_algorithm():
    assert str(tf.random.Algorithm.PHILOX) == "Algorithm.PHILOX"
    assert tf.random.Algorithm.THREEFRY.value == 2 and tf.random.Algorithm.AUTO_SELECT.value == 3
    assert tf.random.Generator.from_seed(1).algorithm == 1
    assert tf.random.Generator.from_seed(1, alg=tf.random.Algorithm.THREEFRY).algorithm == 2
    assert tf.random.Generator.from_seed(1, alg="threefry").algorithm == 2
    assert tf.random.Generator(copy_from=tf.random.Generator.from_seed(1, alg=2)).algorithm == 2
    with pytest.raises(ValueError, match="Argument `alg` got unsupported value mersenne"):
        tf.random.Generator.from_seed(1, alg="mersenne")


def test_create_rng_state_is_the_from_seed_state():
    state = tf.random.create_rng_state(1, "philox")
    assert state.dtype == tf.int64 and state.shape == (3,)
    assert np.array_equal(state.numpy(), tf.random.Generator.from_seed(1).state.numpy())
    g = tf.random.Generator.from_state(state, alg="philox")
    assert _draws(g) == _draws(tf.random.Generator.from_seed(1))


def test_split_and_fold_in_make_seeds():
    seeds = tf.random.split(tf.constant([1, 2]), num=3)
    assert seeds.shape == (3, 2) and seeds.dtype == tf.int32
    assert len({tuple(r) for r in seeds.numpy().tolist()}) == 3
    assert np.array_equal(seeds.numpy(), tf.random.split([1, 2], num=3).numpy())
    assert tf.random.split(tf.constant([1, 2], tf.int64)).dtype == tf.int64
    folded = tf.random.fold_in(tf.constant([1, 2]), 3)
    assert folded.shape == (2,) and folded.dtype == tf.int32 and int(folded[1]) == 3
    assert int(tf.random.fold_in([1, 2], 4)[0]) == int(folded[0])
    # new seeds drive stateless ops
    a = tf.random.stateless_uniform([4], seed=seeds[0])
    b = tf.random.stateless_uniform([4], seed=seeds[1])
    assert not np.array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError):
        tf.random.split(tf.constant([1.0, 2.0]))


@pytest.fixture
def strat():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.experimental.set_virtual_device_configuration(
        cpu, [tf.config.experimental.VirtualDeviceConfiguration()] * 2
    )
    yield tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])


def test_strategy_generator_made_outside_the_scope_is_shared(strat, capsys):
    g = tf.random.Generator.from_seed(1)
    with strat.scope():

        def f():
            print(g.normal([]))

        results = strat.run(f)
    assert results is None
    # The replicas' draws are serialized: they get the generator's first two numbers.
    again = tf.random.Generator.from_seed(1)
    assert capsys.readouterr().out.splitlines() == [str(again.normal([])), str(again.normal([]))]


def test_strategy_generator_made_inside_the_scope_draws_per_replica(strat):
    with strat.scope():
        g = tf.random.Generator.from_seed(1)
        assert type(g.state).__name__ == "MirroredVariable"
        first = strat.run(lambda: g.normal([]))
        second = strat.run(lambda: g.normal([]))
    a, b = (float(v) for v in strat.experimental_local_results(first))
    assert a != b and float(second.values[0]) not in (a, b)
    assert int(g.state[0]) == 2  # one step per run, on every replica's copy
    g.reset_from_seed(1)
    assert [float(v) for v in strat.run(lambda: g.normal([])).values] == [a, b]

    # strat.run enters the scope implicitly: a generator made there draws per replica too, without error.
    def f():
        return tf.random.Generator.from_seed(1).normal([])

    assert [float(v) for v in strat.run(f).values] == [a, b]


def test_strategy_generators_split_and_passed_to_run(strat, capsys):
    gs = tf.random.get_global_generator().split(2)
    expected = [str(tf.random.Generator(copy_from=g).normal([])) for g in gs]

    def to_args(gs):
        with strat.scope():

            def f():
                return [gs[tf.distribute.get_replica_context().replica_id_in_sync_group]]

            return strat.run(f)

    args = to_args(gs)
    assert isinstance(args, list) and args[0].values == tuple(gs)
    assert repr(args[0]).startswith("PerReplica:{\n  0: <ferroflow.")

    def f(g):
        print(g.normal([]))

    results = strat.run(f, args=args)
    assert results is None and capsys.readouterr().out.splitlines() == expected
