"""``tf.compat.v1.train``'s learning rate decays (values at several global steps, as TensorFlow 2.21 gives
them), ``ExponentialMovingAverage`` (shadow names, initial values, updates after the training step,
``num_updates``, zero debiasing, ``variables_to_restore``, eager use) and ``AdadeltaOptimizer``.

The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

EXPECTED = {
    0: {
        "exp": 0.1,
        "exp_stair": 0.1,
        "pw": 1.0,
        "poly": 0.1,
        "poly_cycle": 0.1,
        "nat": 0.1,
        "inv": 0.1,
        "cos": 0.1,
        "cos_r": 0.1,
        "lin_cos": 0.1001,
    },
    7: {
        "exp": 0.0615572,
        "exp_stair": 0.1,
        "pw": 0.5,
        "poly": 0.048025,
        "poly_cycle": 0.0685,
        "nat": 0.0704688,
        "inv": 0.1,
        "cos": 0.0754296,
        "cos_r": 0.0452254,
        "lin_cos": 0.0473547,
    },
    12: {
        "exp": 0.0435275,
        "exp_stair": 0.05,
        "pw": 0.5,
        "poly": 0.0244,
        "poly_cycle": 0.046,
        "nat": 0.0548812,
        "inv": 0.0666667,
        "cos": 0.0410942,
        "cos_r": 0.0103054,
        "lin_cos": 0.0139197,
    },
    25: {
        "exp": 0.0176777,
        "exp_stair": 0.025,
        "pw": 0.1,
        "poly": 0.01,
        "poly_cycle": 0.04375,
        "nat": 0.0286505,
        "inv": 0.05,
        "cos": 0.01,
        "cos_r": 0.0125,
        "lin_cos": 0.0001,
    },
}


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_learning_rate_decays_follow_the_global_step(graph):
    step = v1.train.get_or_create_global_step()
    train = v1.train
    lrs = {
        "exp": train.exponential_decay(0.1, step, 10, 0.5),
        "exp_stair": train.exponential_decay(0.1, step, 10, 0.5, staircase=True),
        "pw": train.piecewise_constant(step, [5, 15], [1.0, 0.5, 0.1]),
        "poly": train.polynomial_decay(0.1, step, 20, 0.01, power=2.0),
        "poly_cycle": train.polynomial_decay(0.1, step, 20, 0.01, cycle=True),
        "nat": train.natural_exp_decay(0.1, step, 10, 0.5),
        "inv": train.inverse_time_decay(0.1, step, 10, 0.5, staircase=True),
        "cos": train.cosine_decay(0.1, step, 20, alpha=0.1),
        "cos_r": train.cosine_decay_restarts(0.1, step, 5, t_mul=2.0, m_mul=0.5, alpha=0.0),
        "lin_cos": train.linear_cosine_decay(0.1, step, 20),
    }
    noisy = train.noisy_linear_cosine_decay(0.1, step, 20)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for value, expected in EXPECTED.items():
            sess.run(step.assign(value))
            got = sess.run(lrs)
            for key, want in expected.items():
                assert got[key] == pytest.approx(want, rel=2e-5, abs=1e-7), (value, key)
            assert np.isfinite(sess.run(noisy))


def test_decays_are_callables_eagerly():
    step = tf.Variable(5, dtype=tf.int64)
    lr = v1.train.exponential_decay(0.1, step, 10, 0.5)
    assert callable(lr)
    assert float(lr()) == pytest.approx(0.0707106813788414, rel=1e-6)
    step.assign(10)
    assert float(lr()) == pytest.approx(0.05, rel=1e-6)


def test_decayed_rate_drives_a_tf1_optimizer(graph):
    step = v1.train.get_or_create_global_step()
    w = tf.Variable(0.0)
    lr = v1.train.piecewise_constant(step, [1], [1.0, 0.1])
    train_op = v1.train.GradientDescentOptimizer(lr).minimize(-w, global_step=step)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        values = []
        for _ in range(3):
            sess.run(train_op)
            values.append(float(sess.run(w)))
    assert values == pytest.approx([1.0, 2.0, 2.1], rel=1e-6)


def test_exponential_moving_average_in_a_session(graph):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(3.0, name="b")
    ema = v1.train.ExponentialMovingAverage(0.9)
    step_op = w.assign_add([1.0, 1.0])
    with tf.control_dependencies([step_op]):
        maintain = ema.apply([w, b])
    avg = ema.average(w)
    assert avg.name.split(":")[0] == "w/ExponentialMovingAverage" == ema.average_name(w)
    assert not avg.trainable and avg in v1.global_variables()
    assert v1.moving_average_variables() == [w, b]
    restore = ema.variables_to_restore()
    assert sorted(restore) == ["b/ExponentialMovingAverage", "w/ExponentialMovingAverage"]
    assert restore["w/ExponentialMovingAverage"] is w
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run(avg).tolist() == [1.0, 2.0] and sess.run(ema.average(b)) == 3.0
        sess.run(maintain)
        np.testing.assert_allclose(sess.run(avg), [1.1, 2.1], rtol=1e-6)
        sess.run(maintain)
        np.testing.assert_allclose(sess.run(w), [3.0, 4.0])
        np.testing.assert_allclose(sess.run(avg), [1.29, 2.29], rtol=1e-6)
        assert sess.run(ema.average(b)) == pytest.approx(3.0)


def test_num_updates_and_zero_debias(graph):
    v = tf.Variable(0.0, name="v")
    ema = v1.train.ExponentialMovingAverage(0.99, num_updates=tf.constant(3))
    maintain = ema.apply([v])
    t = tf.constant([2.0, 4.0])
    debiased = v1.train.ExponentialMovingAverage(0.5, zero_debias=True)
    maintain_t = debiased.apply([t])
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(v.assign(1.0))
        sess.run(maintain)
        # decay = min(0.99, (1 + 3) / (10 + 3))
        assert sess.run(ema.average(v)) == pytest.approx(1.0 - 4.0 / 13.0, rel=1e-6)
        sess.run(maintain_t)
        np.testing.assert_allclose(sess.run(debiased.average(t)), [2.0, 4.0], rtol=1e-6)
        sess.run(maintain_t)
        np.testing.assert_allclose(sess.run(debiased.average(t)), [2.0, 4.0], rtol=1e-6)


def test_ema_rejects_integer_variables_and_eager_tensors():
    ema = v1.train.ExponentialMovingAverage(0.5)
    with pytest.raises(TypeError, match="must be half, float, or double"):
        ema.apply([tf.Variable(1)])
    with pytest.raises(TypeError, match="does not support non-Variable tensors"):
        ema.apply([tf.constant([1.0])])


def test_ema_eagerly_updates_at_each_apply():
    w = tf.Variable([1.0, 2.0])
    ema = v1.train.ExponentialMovingAverage(0.5)
    assert ema.apply([w]) is None
    np.testing.assert_allclose(ema.average(w).numpy(), [1.0, 2.0])
    w.assign([3.0, 4.0])
    ema.apply([w])
    np.testing.assert_allclose(ema.average(w).numpy(), [2.0, 3.0])


def test_piecewise_constant_dtype_checks(graph):
    step = v1.train.get_or_create_global_step()
    with pytest.raises(ValueError, match="Boundaries"):
        v1.train.piecewise_constant(step, [5.0], [1.0, 0.5])
    with pytest.raises(ValueError, match="Values must have elements all with the same dtype"):
        v1.train.piecewise_constant(step, [5], [1.0, 1])


def test_adadelta_optimizer_matches_tf1_update_rule(graph):
    w = tf.Variable([1.0, -2.0])
    loss = v1.reduce_sum(w * w)
    train_op = v1.train.AdadeltaOptimizer(learning_rate=1.0, rho=0.9, epsilon=1e-6).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(2):
            sess.run(train_op)
        got = sess.run(w)
    var, accum, accum_update = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for _ in range(2):
        g = 2 * var
        accum = 0.9 * accum + 0.1 * g * g
        update = np.sqrt(accum_update + 1e-6) / np.sqrt(accum + 1e-6) * g
        accum_update = 0.9 * accum_update + 0.1 * update * update
        var = var - update
    np.testing.assert_allclose(got, var, rtol=1e-5)


def test_variable_collection_functions(graph):
    w = tf.Variable(1.0, name="w")
    local = v1.get_local_variable("counter", shape=[], initializer=v1.zeros_initializer())
    assert v1.all_variables() == v1.global_variables() == [w]
    assert v1.local_variables() == [local] and not local.trainable
    with v1.Session() as sess:
        sess.run(v1.initialize_variables([w]))
        sess.run(v1.initialize_local_variables())
        assert sess.run(w) == 1.0 and sess.run(local) == 0.0


def test_variable_tf1_members(graph):
    w = v1.Variable(v1.truncated_normal([3], seed=1), name="w", use_resource=False)  # TF1's ref variables
    doubled = v1.Variable(w.initialized_value() * 2, name="w2")
    assert w.op.name == "w" and w.initial_value.shape.as_list() == [3]
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        a, b = sess.run([w, doubled])
        np.testing.assert_allclose(b, 2 * a, rtol=1e-6)
        w.load([1.0, 2.0, 3.0], sess)
        assert sess.run(w).tolist() == [1.0, 2.0, 3.0]
        with sess.as_default():
            w.load([4.0, 5.0, 6.0])
        assert sess.run(w).tolist() == [4.0, 5.0, 6.0]


def test_count_up_to(graph):
    counter = v1.Variable(0, dtype=tf.int64, use_resource=False)
    step = v1.count_up_to(counter, 3)
    with v1.Session() as sess:
        sess.run(counter.initializer)
        assert [int(sess.run(step)) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 3"):
            sess.run(step)
        assert sess.run(counter) == 3
