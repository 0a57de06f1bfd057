"""Optimizers against NumPy references of Keras 3's formulas, eagerly and in graphs (traced functions, raw graphs)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework.ops import apply
from ferroflow.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from optimizer_reference import Reference

RNG = np.random.default_rng(0)
P0 = [RNG.normal(size=(3, 4)).astype(np.float32), RNG.normal(size=(4,)).astype(np.float32)]
GRADS = [[(2.0 * RNG.normal(size=p.shape)).astype(np.float32) for p in P0] for _ in range(3)]
LR = 0.1
F32_LR = float(np.float32(LR))  # the learning rate variable is float32, as in Keras

CLASSES = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop, "Adagrad": Adagrad}
VARIANTS = [
    ("SGD", {}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("Adam", {}),
    ("Adam", {"amsgrad": True}),
    ("Adam", {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}),
    ("AdamW", {}),
    ("AdamW", {"amsgrad": True, "weight_decay": 0.1}),
    ("RMSprop", {}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.5}),
    ("RMSprop", {"centered": True, "momentum": 0.5, "rho": 0.8}),
    ("Adagrad", {}),
    ("Adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3}),
]
OPTIONS = [{"weight_decay": 0.05}, {"clipnorm": 1.0}, {"clipvalue": 0.5}, {"global_clipnorm": 1.5}]
CASES = VARIANTS + [(name, opt) for name in CLASSES for opt in OPTIONS]


def _ids(case):
    return case[0] + "-" + "-".join(f"{k}={v}" for k, v in case[1].items())


def _variables(dtype=np.float32):
    return [tf.Variable(p.astype(dtype), name=f"p{i}") for i, p in enumerate(P0)]


def _reference(name, hp, lrs=None):
    ref = Reference(name, P0, **hp)
    for k, grads in enumerate(GRADS):
        ref.step(grads, F32_LR if lrs is None else lrs[k])
    return ref.params


def _check(variables, expected, rtol=1e-5):
    for v, e in zip(variables, expected):
        np.testing.assert_allclose(v.numpy(), e, rtol=rtol, atol=1e-6)


def _run_eager(opt, variables):
    for grads in GRADS:
        assert opt.apply(grads, variables) is None


def _run_function(opt, variables):
    @tf.function
    def step(g0, g1):
        return opt.apply([g0, g1], variables)

    for grads in GRADS:
        step(*grads)
    assert step.experimental_get_tracing_count() == 1


def _run_graph(opt, variables):
    g = tf.Graph()
    with g.as_default():
        feeds = [apply("placeholder", [], {"dtype": "float32", "shape": list(p.shape)}) for p in P0]
        update = opt.apply(feeds, variables)
    assert update.op_type == "NoOp"
    plan = g._g.compile([update.node], [f.node for f in feeds])
    for grads in GRADS:
        plan.run([tf.constant(x)._t for x in grads])


@pytest.mark.parametrize("case", CASES, ids=_ids)
@pytest.mark.parametrize("runner", [_run_eager, _run_function, _run_graph], ids=["eager", "function", "graph"])
def test_three_steps_match_keras_formula(case, runner):
    name, hp = case
    variables = _variables()
    opt = CLASSES[name](learning_rate=LR, **hp)
    runner(opt, variables)
    _check(variables, _reference(name, hp))
    assert int(opt.iterations.numpy()) == 3
    assert opt.iterations.dtype == tf.int64


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_float64_variables(name):
    hp = {"momentum": 0.9} if name == "SGD" else {}
    variables = _variables(np.float64)
    opt = CLASSES[name](learning_rate=LR, **hp)
    for grads in GRADS:
        opt.apply([g.astype(np.float64) for g in grads], variables)
    assert all(v.dtype == tf.float64 for v in opt.variables[2:])
    _check(variables, _reference(name, hp), rtol=1e-9)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_learning_rate_change_takes_effect_in_a_traced_graph(name):
    variables = _variables()
    opt = CLASSES[name](learning_rate=LR)

    @tf.function
    def step(g0, g1):
        return opt.apply([g0, g1], variables)

    lrs = [0.1, 0.02, 0.5]
    for lr, grads in zip(lrs, GRADS):
        opt.learning_rate = lr
        assert opt.learning_rate == lr
        step(*grads)
    assert step.experimental_get_tracing_count() == 1
    _check(variables, _reference(name, {}, [float(np.float32(x)) for x in lrs]))


def test_schedule_is_evaluated_in_graph_from_iterations():
    schedule = tf.optimizers.schedules.ExponentialDecay(0.5, decay_steps=1, decay_rate=0.5)
    variables = _variables()
    opt = SGD(learning_rate=schedule)
    assert float(opt.learning_rate) == pytest.approx(0.5)

    @tf.function
    def step(g0, g1):
        return opt.apply([g0, g1], variables)

    for grads in GRADS:
        step(*grads)
    # Keras evaluates the schedule at the step count before the step: 0, 1, 2.
    _check(variables, _reference("SGD", {}, [0.5, 0.25, 0.125]))
    assert float(opt.learning_rate) == pytest.approx(0.5 * 0.5**3)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_apply_gradients_and_none_gradients():
    variables = _variables()
    opt = Adam(learning_rate=LR)
    with pytest.warns(UserWarning, match="p1"):
        out = opt.apply_gradients([(GRADS[0][0], variables[0]), (None, variables[1])])
    assert out is opt.iterations
    np.testing.assert_array_equal(variables[1].numpy(), P0[1])
    assert not np.allclose(variables[0].numpy(), P0[0])
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply([None, None], variables)


def test_apply_gradients_in_graph_returns_one_group_op():
    variables = _variables()
    opt = Adam(learning_rate=LR)
    g = tf.Graph()
    with g.as_default():
        update = opt.apply_gradients(zip([tf.constant(x) for x in GRADS[0]], variables))
    assert update.op_type == "NoOp"
    g._g.compile([update.node], []).run([])
    _check(variables, _one_step_adam())
    assert int(opt.iterations.numpy()) == 1


def _one_step_adam():
    ref = Reference("Adam", P0)
    ref.step(GRADS[0], F32_LR)
    return ref.params


def test_build_inside_a_graph_creates_eager_slots():
    variables = _variables()
    with tf.Graph().as_default():
        opt = RMSprop(learning_rate=LR)
        opt.build(variables)
        assert float(opt.learning_rate.numpy()) == pytest.approx(LR)  # an eager variable
    assert all(v.graph is None for v in opt.variables)
    np.testing.assert_array_equal(opt.variables[2].numpy(), np.zeros((3, 4), np.float32))
    _run_eager(opt, variables)
    _check(variables, _reference("RMSprop", {}))


def test_exclude_from_weight_decay():
    variables = _variables()
    opt = SGD(learning_rate=LR, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["p1"])
    zero = [np.zeros_like(p) for p in P0]
    opt.apply(zero, variables)
    np.testing.assert_allclose(variables[0].numpy(), P0[0] * (1 - 0.5 * F32_LR), rtol=1e-6)
    np.testing.assert_array_equal(variables[1].numpy(), P0[1])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_list=variables)


def test_optimizer_state_round_trip():
    variables = _variables()
    opt = Adam(learning_rate=LR)
    _run_eager(opt, variables)
    state = {}
    opt.save_own_variables(state)
    other = Adam(learning_rate=0.5)
    other.build(_variables())
    other.load_own_variables(state)
    for a, b in zip(opt.variables, other.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert float(other.learning_rate) == pytest.approx(LR)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_get_serialize_deserialize_round_trip(name):
    opt = CLASSES[name](learning_rate=0.05, clipnorm=2.0)
    config = tf.optimizers.serialize(opt)
    assert config["class_name"] == name and config["module"] == "keras.optimizers"
    again = tf.optimizers.deserialize(config)
    assert type(again) is type(opt) and again.get_config() == opt.get_config()
    # Keras 3 reads the float32 variable: 0.05000000074505806 under TensorFlow 2.21.
    assert again.get_config()["learning_rate"] == 0.05000000074505806
    assert type(tf.optimizers.get(name.lower())) is CLASSES[name]
    assert type(tf.keras.optimizers.get(name)) is CLASSES[name]
    assert tf.optimizers.get(opt) is opt
    assert type(CLASSES[name].from_config(opt.get_config())) is CLASSES[name]


def test_schedule_round_trips_through_optimizer_config():
    schedule = tf.optimizers.schedules.CosineDecay(0.1, 100, alpha=0.1)
    opt = SGD(learning_rate=schedule, momentum=0.5)
    config = tf.optimizers.serialize(opt)
    assert config["config"]["learning_rate"]["class_name"] == "CosineDecay"
    again = tf.optimizers.deserialize(config)
    assert isinstance(again._learning_rate, tf.optimizers.schedules.CosineDecay)
    assert again._learning_rate.get_config() == schedule.get_config()
    assert again.momentum == 0.5


def test_keras_defaults():
    # The default names (Keras 3's, unique in the session) are in test_optimizer_variables.py.
    assert (SGD().learning_rate, SGD().momentum, SGD().nesterov) == (0.01, 0.0, False)
    adam = Adam()
    expected = (0.001, 0.9, 0.999, 1e-7, False)
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == expected
    assert AdamW().weight_decay == 0.004
    rms = RMSprop()
    assert (rms.learning_rate, rms.rho, rms.momentum, rms.epsilon, rms.centered) == (0.001, 0.9, 0.0, 1e-7, False)
    ada = Adagrad()
    assert (ada.learning_rate, ada.initial_accumulator_value, ada.epsilon) == (0.001, 0.1, 1e-7)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Adam(learning_rate=-0.1), ValueError, "non-negative"),
        (lambda: Adam(learning_rate="fast"), ValueError, "learning_rate"),
        (lambda: SGD(clipnorm=1.0, clipvalue=1.0), ValueError, "Only one of"),
        (lambda: Adam(clipnorm=1.0, global_clipnorm=1.0), ValueError, "Only one of"),
        (lambda: SGD(momentum=1.5), ValueError, "momentum"),
        (lambda: AdamW(weight_decay=None), ValueError, "weight_decay"),
        (lambda: Adam(lr=0.1), ValueError, "not recognized"),
        (lambda: Adagrad(initial_accumulator_value=-1.0), ValueError, "non-negative"),
        (lambda: tf.optimizers.get("adamax_typo"), ValueError, "'adam', 'adamax', 'adamw'"),
        (lambda: tf.optimizers.get(3), ValueError, "Could not interpret"),
        (lambda: tf.optimizers.deserialize({"class_name": "Nope", "config": {}}), ValueError, "Expected one of"),
    ],
)
def test_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_setting_a_bad_learning_rate_and_unknown_variables():
    opt = SGD()
    with pytest.raises(ValueError, match="non-negative"):
        opt.learning_rate = -1.0
    variables = _variables()
    opt.apply(GRADS[0], variables)
    stranger = tf.Variable(np.zeros(4, np.float32))
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([GRADS[0][1]], [stranger])
    with pytest.raises(ValueError, match="does not match"):
        opt.apply([GRADS[0][1], GRADS[0][1]], variables)


def test_apply_without_variables_updates_the_built_ones():
    # TensorFlow 2.21: SGD(0.5) built on [1, 2], apply([1, 1]) gives [0.5, 1.5] and iterations 1.
    v = tf.Variable([1.0, 2.0])
    opt = SGD(0.5)
    opt.build([v])
    opt.apply([tf.constant([1.0, 1.0])])
    np.testing.assert_array_equal(v.numpy(), [0.5, 1.5])
    assert opt.iterations.numpy() == 1
