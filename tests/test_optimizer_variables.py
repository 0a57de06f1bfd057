"""Keras 3 optimizer state introspection: ``optimizer.variables`` (order, count, each variable's ``name``, ``path``,
shape and dtype), ``iterations``, default optimizer names, ``build``/``set_weights`` order and slot names, against
values recorded with Keras 3.15 under TensorFlow 2.21 (``optimizer_variables_expected.py`` and the literals below)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from optimizer_variables_expected import CASES, VARIABLES

opts = tf.keras.optimizers


def _fitted_optimizer(key):
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [tf.keras.Input((3,)), tf.keras.layers.Dense(4), tf.keras.layers.Dense(2, use_bias=False)]
    )
    model.compile(optimizer=eval(CASES[key], {"opts": opts, "tf": tf}), loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), epochs=1, batch_size=4, verbose=0)
    return model.optimizer


@pytest.mark.parametrize("key", sorted(CASES))
def test_variables_after_one_fit_step_are_keras_3s(key):
    optimizer = _fitted_optimizer(key)
    got = [(v.path, v.name, tuple(v.shape), v.dtype.name) for v in optimizer.variables]
    want = [(path, path.rsplit("/", 1)[-1], shape, dtype) for path, shape, dtype in VARIABLES[key]]
    assert got == want
    assert all(not v.trainable for v in optimizer.variables)


def test_default_names_are_unique_in_the_session_and_reset_by_clear_session():
    tf.keras.backend.clear_session()
    names = [opts.SGD().name, opts.SGD().name, opts.RMSprop().name, opts.AdamW().name, opts.Adam().name]
    names += [c().name for c in (opts.Adagrad, opts.Adadelta, opts.Adamax, opts.Nadam, opts.Ftrl, opts.Lion)]
    names += [c().name for c in (opts.Lamb, opts.Adafactor, opts.Muon, opts.ScheduleFreeAdamW)]
    assert names == [
        "sgd", "sgd_1", "rm_sprop", "adam_w", "adam", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion",
        "lamb", "adafactor", "muon", "schedule_free_adam_w",
    ]  # fmt: skip
    assert opts.SGD().get_config()["name"] == "sgd_2"
    tf.keras.backend.clear_session()
    assert (opts.SGD().name, opts.SGD().name) == ("sgd", "sgd_1")
    assert opts.SGD(name="mine").name == "mine"


def test_iterations_and_learning_rate_variables():
    k = tf.keras.Variable(np.zeros((2,), "float32"), name="k")
    opt = opts.SGD(momentum=0.9, name="mine")
    opt.build([k])
    it = opt.iterations
    assert (it.path, it.name, it.dtype, it.trainable) == ("mine/iteration", "iteration", tf.int64, False)
    assert repr(it) == "<Variable path=mine/iteration, shape=(), dtype=int64, value=0>"
    assert repr(opt.variables[2]) == "<Variable path=mine/k_momentum, shape=(2,), dtype=float32, value=[0. 0.]>"
    lr = opt.learning_rate
    assert (lr.path, lr.name, lr.dtype) == ("mine/learning_rate", "learning_rate", tf.float32)
    assert [v.path for v in opt.variables] == ["mine/iteration", "mine/learning_rate", "mine/k_momentum"]
    accumulating = opts.Adam(gradient_accumulation_steps=2, name="acc")
    accumulating.build([k])
    steps = accumulating.iterations  # Keras: a tensor, the updates made
    assert not isinstance(steps, tf.Variable) and steps.dtype == tf.int64
    assert [v.name for v in accumulating.variables][:3] == ["iteration", "learning_rate", "k_gradient_accumulator"]


def test_slots_of_tf_variables_are_named_after_the_variable_name():
    # Keras 3 names the slot of a variable without a Keras path after its name ("a:0" -> "a_0").
    a = tf.Variable(np.zeros((2, 3), "float32"), name="a")
    b = tf.Variable(np.zeros(3, "float32"), name="b")
    opt = opts.Adam(amsgrad=True, use_ema=True, name="adam")
    opt.build([a, b])
    assert [(v.path, tuple(v.shape)) for v in opt.variables] == [
        ("adam/iteration", ()),
        ("adam/learning_rate", ()),
        ("adam/a_0_average", (2, 3)),
        ("adam/b_0_average", (3,)),
        ("adam/a_0_momentum", (2, 3)),
        ("adam/a_0_velocity", (2, 3)),
        ("adam/b_0_momentum", (3,)),
        ("adam/b_0_velocity", (3,)),
        ("adam/a_0_velocity_hat", (2, 3)),
        ("adam/b_0_velocity_hat", (3,)),
    ]
    ftrl = opts.Ftrl(name="ftrl")
    ftrl.build([a, b])
    assert [v.name for v in ftrl.variables][2:] == ["a_0_accumulator", "a_0_linear", "b_0_accumulator", "b_0_linear"]
    adafactor = opts.Adafactor()
    adafactor.build([a, b])  # Keras names both factors after the variable itself
    assert [(v.name, tuple(v.shape), v.dtype.name) for v in adafactor.variables][2:] == [
        ("a:0", (2,), "float32"),
        ("a:0", (3,), "float32"),
        ("a_0_velocity", (2, 3), "float32"),
        ("b:0", (), "int32"),
        ("b:0", (), "int32"),
        ("b_0_velocity", (3,), "float32"),
    ]


def test_variables_an_optimizer_makes_itself_are_scoped_only_when_apply_builds():
    # Keras makes Nadam's product and Adafactor's placeholders as plain Keras variables, not by add_variable: a
    # direct build() leaves them outside the optimizer's scope, fit (apply) builds inside it (VARIABLES).
    tf.keras.backend.clear_session()
    a = tf.Variable(np.zeros(2, "float32"), name="a")
    paths = []
    for _ in range(2):
        nadam = opts.Nadam()
        nadam.build([a])
        paths.append([v.path for v in nadam.variables][-1])
    assert paths == ["variable", "variable_1"]  # unnamed: "variable", unique in the session
    adafactor = opts.Adafactor()
    adafactor.build([a])
    assert [v.path for v in adafactor.variables] == ["adafactor/iteration", "adafactor/learning_rate", "a:0", "a:0"] + [
        "adafactor/a_0_velocity"
    ]


def test_set_weights_follows_the_variables_order():
    tf.keras.backend.clear_session()
    dense = tf.keras.layers.Dense(2)
    dense.build((None, 3))
    opt = opts.Adam(name="sw")
    opt.build(dense.trainable_variables)
    assert [(v.path, tuple(v.shape)) for v in opt.variables] == [
        ("sw/iteration", ()),
        ("sw/learning_rate", ()),
        ("sw/dense_kernel_momentum", (3, 2)),
        ("sw/dense_kernel_velocity", (3, 2)),
        ("sw/dense_bias_momentum", (2,)),
        ("sw/dense_bias_velocity", (2,)),
    ]
    opt.set_weights([np.full(v.shape, i, np.asarray(v).dtype) for i, v in enumerate(opt.variables)])
    assert [float(np.asarray(v).ravel()[0]) for v in opt.variables] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    np.testing.assert_array_equal(opt._velocities[1].numpy(), [5.0, 5.0])  # the bias velocity, last
    with pytest.raises(ValueError, match="shape"):
        opt.set_weights([np.zeros(v.shape[::-1] + (1,)) for v in opt.variables])
    store = {}
    opt.save_own_variables(store)
    assert [float(np.ravel(store[str(i)])[0]) for i in range(6)] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    other = opts.Adam(name="other")
    other.build(dense.trainable_variables)
    other.load_own_variables(store)
    for x, y in zip(other.variables, opt.variables):
        np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_build_is_idempotent_and_counts_follow_the_options():
    a = tf.Variable(np.zeros((3, 4), "float32"), name="p0")
    b = tf.Variable(np.zeros(4, "float32"), name="p1")
    opt = opts.Adam(amsgrad=True)
    opt.build([a, b])
    opt.build([a, b])
    assert opt.built and len(opt.variables) == 2 + 3 * 2
    assert [v.name for v in opt.variables][2:4] == ["p0_0_momentum", "p0_0_velocity"]
    assert len(opts.SGD().variables) == 2
    sgd = opts.SGD()
    sgd.build([a, b])
    assert len(sgd.variables) == 2
    rms = opts.RMSprop(momentum=0.5, centered=True)
    rms.build([a, b])
    assert len(rms.variables) == 2 + 6
    scheduled = opts.Adam(opts.schedules.InverseTimeDecay(0.1, 10, 0.5))
    scheduled.build([a, b])
    assert [v.name for v in scheduled.variables][:2] == ["iteration", "p0_0_momentum"]
    ada = opts.Adagrad(initial_accumulator_value=0.25)
    ada.build([a, b])
    np.testing.assert_array_equal(ada.variables[2].numpy(), np.full((3, 4), 0.25, np.float32))
