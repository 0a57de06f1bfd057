"""A model that overrides ``compute_loss`` (keras.io's knowledge-distillation example) trains through it in
``fit`` and ``evaluate``, called as Keras 3 calls it: positionally, with ``training`` only when the override
takes it. Expected values recorded with TensorFlow 2.21 / Keras 3.15 running the same code."""

import numpy as np
import pytest

from ferroflow import keras
from ferroflow.keras import layers, ops

X = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 2.0], [1.5, 0.5, -0.5], [2.0, 1.0, 1.0]], "float32")
Y = np.array([0, 2, 1, 2])
TEACHER_KERNEL = np.array([[1.0, 0.0, -1.0], [0.5, 1.0, 0.0], [0.0, -0.5, 1.0]], "float32")
# Keras 3.15 on TensorFlow: history, then the student's weights, then evaluate(batch_size=4).
KERAS_LOSS = [0.7069509029388428, 0.26712703704833984]
KERAS_ACCURACY = [0.25, 0.5]
KERAS_KERNEL = np.array(
    [[0.47944608, 0.10057653, -0.28002274], [0.2916237, 0.40052608, -0.3921499], [0.0381423, -0.22865278, 0.49051043]]
)
KERAS_BIAS = np.array([0.12193749, -0.08817601, -0.03376158])
KERAS_EVALUATE = [0.1507769525051117, 0.5]
# The teacher is one of the distiller's trainable layers and its prediction is made under the step's tape, so
# Keras trains it too (the example's frozen teacher would need teacher.trainable = False).
KERAS_TEACHER = np.array(
    [[0.59956014, 0.08041508, -0.6799754], [0.33151886, 0.7960582, 0.37242278], [0.07199677, -0.30437, 0.73237324]]
)


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher, self.student = teacher, student

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn, self.distillation_loss_fn = student_loss_fn, distillation_loss_fn
        self.alpha, self.temperature = alpha, temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        teacher_pred = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            ops.softmax(teacher_pred / self.temperature, axis=1), ops.softmax(y_pred / self.temperature, axis=1)
        ) * (self.temperature**2)
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

    def call(self, x):
        return self.student(x)


def _dense(name, k):
    return keras.Sequential(
        [keras.Input((3,)), layers.Dense(3, kernel_initializer=keras.initializers.Constant(k), name=name)]
    )


def _distiller(cls=Distiller):
    teacher = _dense("t", 0.0)
    teacher.layers[0].kernel.assign(TEACHER_KERNEL)
    d = cls(_dense("s", 0.1), teacher)
    d.compile(
        optimizer=keras.optimizers.SGD(0.5),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
        student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        distillation_loss_fn=keras.losses.KLDivergence(),
        alpha=0.1,
        temperature=2,
    )
    return d


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_and_evaluate_use_the_overridden_compute_loss(run_eagerly):
    d = _distiller()
    d.run_eagerly = run_eagerly
    h = d.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    assert sorted(h.history) == ["loss", "sparse_categorical_accuracy"]
    np.testing.assert_allclose(h.history["loss"], KERAS_LOSS, rtol=1e-5)
    np.testing.assert_allclose(h.history["sparse_categorical_accuracy"], KERAS_ACCURACY)
    np.testing.assert_allclose(d.student.layers[0].kernel.numpy(), KERAS_KERNEL, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(d.student.layers[0].bias.numpy(), KERAS_BIAS, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(d.evaluate(X, Y, verbose=0, batch_size=4), KERAS_EVALUATE, rtol=1e-5)
    np.testing.assert_allclose(d.teacher.layers[0].kernel.numpy(), KERAS_TEACHER, rtol=1e-5, atol=1e-6)


def test_an_override_that_takes_training_gets_it():
    seen = []

    class Recording(Distiller):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            seen.append(training)
            return super().compute_loss(x, y, y_pred, sample_weight)

    d = _distiller(Recording)
    d.run_eagerly = True
    d.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    d.evaluate(X, Y, batch_size=4, verbose=0)
    assert seen == [True, False]
