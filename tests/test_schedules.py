"""Learning-rate schedules against NumPy versions of Keras's formulas, on eager and symbolic steps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ferroflow.keras.optimizers.schedules import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

import ferroflow as tf

STEPS = [0, 1, 5, 10, 11, 20, 21, 99, 150]


def _exponential(step, lr=0.1, decay_steps=10, rate=0.5, staircase=False):
    p = step / decay_steps
    return lr * rate ** (math.floor(p) if staircase else p)


def _piecewise(step, boundaries=(10, 20), values=(1.0, 0.5, 0.1)):
    for b, v in zip(boundaries, values):
        if step <= b:
            return v
    return values[-1]


def _polynomial(step, lr=0.1, decay_steps=20, end=0.01, power=0.5, cycle=False):
    if cycle:
        decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (lr - end) * (1 - step / decay_steps) ** power + end


def _inverse_time(step, lr=0.1, decay_steps=5, rate=0.5, staircase=False):
    p = step / decay_steps
    return lr / (1 + rate * (math.floor(p) if staircase else p))


def _cosine(step, lr=0.1, decay_steps=50, alpha=0.1, warmup_target=None, warmup_steps=0):
    def decay(s, peak):
        s = min(s, decay_steps)
        return peak * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * s / decay_steps)) + alpha)

    if warmup_target is None:
        return decay(step, lr)
    step = min(step, decay_steps + warmup_steps)
    if step < warmup_steps:
        return (warmup_target - lr) * step / warmup_steps + lr
    return decay(step - warmup_steps, warmup_target)


def _restarts(step, lr=0.1, first=10, t_mul=2.0, m_mul=1.0, alpha=0.0):
    """Keras's SGDR formula, period by period: find the period holding ``step`` and its place in it."""
    start, period, peak = 0.0, float(first), 1.0
    while step >= start + period:
        start, period, peak = start + period, period * t_mul, peak * m_mul
    fraction = (step - start) / period
    return lr * ((1 - alpha) * 0.5 * peak * (1 + math.cos(math.pi * fraction)) + alpha)


CASES = [
    (ExponentialDecay(0.1, 10, 0.5), _exponential),
    (ExponentialDecay(0.1, 10, 0.5, staircase=True), lambda s: _exponential(s, staircase=True)),
    (PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), _piecewise),
    (PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=0.5), _polynomial),
    (PolynomialDecay(0.1, 20, end_learning_rate=0.01, power=0.5, cycle=True), lambda s: _polynomial(s, cycle=True)),
    (InverseTimeDecay(0.1, 5, 0.5), _inverse_time),
    (InverseTimeDecay(0.1, 5, 0.5, staircase=True), lambda s: _inverse_time(s, staircase=True)),
    (CosineDecay(0.1, 50, alpha=0.1), _cosine),
    (
        CosineDecay(0.0, 50, alpha=0.1, warmup_target=0.2, warmup_steps=10),
        lambda s: _cosine(s, lr=0.0, warmup_target=0.2, warmup_steps=10),
    ),
    (CosineDecayRestarts(0.1, 10), _restarts),
    (
        CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
        lambda s: _restarts(s, t_mul=1.0, m_mul=0.5, alpha=0.1),
    ),
    (CosineDecayRestarts(0.1, 4, t_mul=3.0, m_mul=0.8), lambda s: _restarts(s, first=4, t_mul=3.0, m_mul=0.8)),
]
IDS = [
    "exponential", "exponential-staircase", "piecewise", "polynomial", "polynomial-cycle", "inverse-time",
    "inverse-time-staircase", "cosine", "cosine-warmup", "restarts", "restarts-constant-period", "restarts-growing",
]


@pytest.mark.parametrize("schedule, reference", CASES, ids=IDS)
def test_eager_steps(schedule, reference):
    for step in STEPS:
        expected = reference(step)
        assert float(schedule(step)) == pytest.approx(expected, rel=1e-5, abs=1e-7), step
        assert float(schedule(tf.constant(step, dtype=tf.int64))) == pytest.approx(expected, rel=1e-5, abs=1e-7)
    counter = tf.Variable(np.int64(21), dtype="int64", trainable=False)
    assert float(schedule(counter)) == pytest.approx(reference(21), rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("schedule, reference", CASES, ids=IDS)
def test_symbolic_step(schedule, reference):
    fn = tf.function(lambda step: schedule(step))
    for step in STEPS:
        out = fn(tf.constant(step, dtype=tf.int64))
        assert float(out) == pytest.approx(reference(step), rel=1e-5, abs=1e-7), step
    assert fn.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("schedule", [c[0] for c in CASES], ids=IDS)
def test_config_and_serialization_round_trip(schedule):
    config = schedule.get_config()
    again = type(schedule).from_config(config)
    assert again.get_config() == config
    data = tf.keras.optimizers.schedules.serialize(schedule)
    assert data["class_name"] == type(schedule).__name__ and data["module"] == "keras.optimizers.schedules"
    restored = tf.optimizers.schedules.deserialize(data)
    assert type(restored) is type(schedule) and restored.get_config() == config
    assert float(restored(7)) == pytest.approx(float(schedule(7)))


def test_float64_initial_learning_rate_keeps_its_dtype():
    out = ExponentialDecay(tf.constant(0.1, dtype=tf.float64), 10, 0.9)(5)
    assert out.dtype == tf.float64
    assert float(out) == pytest.approx(0.1 * 0.9**0.5, rel=1e-12)


def test_custom_schedule_and_errors():
    class Half(tf.optimizers.schedules.LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return self.rate / (tf.cast(step, "float32") + 1.0)

        def get_config(self):
            return {"rate": self.rate}

    data = tf.optimizers.schedules.serialize(Half(0.4))
    restored = tf.optimizers.schedules.deserialize(data, custom_objects={"Half": Half})
    assert float(restored(3)) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="Unknown learning rate schedule"):
        tf.optimizers.schedules.deserialize(data)
    with pytest.raises(NotImplementedError, match="__call__"):
        tf.optimizers.schedules.LearningRateSchedule()(1)
    with pytest.raises(ValueError, match="decay_steps"):
        ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="decay_steps"):
        CosineDecay(0.1, -3)
    with pytest.raises(ValueError, match="1 less than"):
        PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        tf.optimizers.schedules.serialize("exponential")
