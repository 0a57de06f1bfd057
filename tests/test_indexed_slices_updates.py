"""IndexedSlices as gradients: ``tf.add_n``, the clipping functions and Keras optimizers take them. Expected
values are what TensorFlow 2.21 (Keras 3.15) gives for the same calls; optimizer steps also equal the steps
with the dense gradient."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def _grad():
    return tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([0, 2]), tf.constant([3, 2]))


def test_add_n_densifies():
    np.testing.assert_array_equal(tf.add_n([_grad(), _grad()]).numpy(), [[2, 4], [0, 0], [6, 8]])
    np.testing.assert_array_equal(tf.add_n([_grad(), tf.ones([3, 2])]).numpy(), [[2, 3], [1, 1], [4, 5]])


def test_clip_by_global_norm_keeps_indexed_slices():
    clipped, norm = tf.clip_by_global_norm([_grad(), tf.constant([3.0])], 2.0)
    assert isinstance(clipped[0], tf.IndexedSlices)
    np.testing.assert_allclose(
        clipped[0].values.numpy(), [[0.3202563226222992, 0.6405126452445984], [0.9607689380645752, 1.2810252904891968]]
    )
    assert clipped[0].indices.numpy().tolist() == [0, 2]
    assert clipped[0].dense_shape.numpy().tolist() == [3, 2]
    np.testing.assert_allclose(clipped[1].numpy(), [0.9607689380645752])
    np.testing.assert_allclose(float(norm), 6.244997978210449)
    np.testing.assert_allclose(float(tf.linalg.global_norm([_grad(), tf.constant([3.0])])), 6.244997978210449)


def test_clip_by_global_norm_in_function():
    @tf.function
    def clip(g):
        c, n = tf.clip_by_global_norm([g], 2.0)
        return c[0], n

    c, n = clip(_grad())
    assert isinstance(c, tf.IndexedSlices)
    np.testing.assert_allclose(
        c.values.numpy(), [[0.3651483654975891, 0.7302967309951782], [1.095445156097412, 1.4605934619903564]]
    )
    np.testing.assert_allclose(float(n), 5.4772257804870605)


def test_clip_by_norm_clips_values():
    c = tf.clip_by_norm(_grad(), 1.0)
    assert isinstance(c, tf.IndexedSlices)
    np.testing.assert_allclose(
        c.values.numpy(), [[0.18257418274879456, 0.3651483654975891], [0.5477225184440613, 0.7302967309951782]]
    )
    assert c.indices.numpy().tolist() == [0, 2] and c.dense_shape.numpy().tolist() == [3, 2]
    c = tf.clip_by_norm(_grad(), 1.0, axes=[1])
    np.testing.assert_allclose(c.values.numpy(), [[0.4472135901451111, 0.8944271802902222], [0.6, 0.8]], rtol=1e-6)


_OPTIMIZER_STEPS = [
    (
        lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
        [[-0.28999999165534973, 0.41999998688697815], [2.0, 3.0], [3.130000114440918, 3.8399999141693115]],
    ),
    (
        lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
        [[-0.460999995470047, 0.07800000160932541], [2.0, 3.0], [2.617000102996826, 3.1559998989105225]],
    ),
    (
        lambda: tf.keras.optimizers.Adam(0.1),
        [[-0.19999800622463226, 0.8000019788742065], [2.0, 3.0], [3.800002098083496, 4.800002098083496]],
    ),
    (
        lambda: tf.keras.optimizers.RMSprop(0.1),
        [[-0.5456429719924927, 0.45435699820518494], [2.0, 3.0], [3.4543569087982178, 4.4543561935424805]],
    ),
    (
        lambda: tf.keras.optimizers.Adagrad(0.1),
        [[-0.16435299813747406, 0.8309540152549744], [2.0, 3.0], [3.830035924911499, 4.829710006713867]],
    ),
]


def _two_steps(optimizer, grad, in_function=False):
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))

    def step(g):
        optimizer.apply_gradients([(g, v)])

    run = tf.function(step) if in_function else step
    for _ in range(2):
        run(grad)
    return v.numpy()


@pytest.mark.parametrize("make, expected", _OPTIMIZER_STEPS)
def test_optimizer_applies_indexed_slices(make, expected):
    sparse = _two_steps(make(), _grad())
    dense = _two_steps(make(), tf.convert_to_tensor(_grad()))
    np.testing.assert_array_equal(sparse, dense)
    np.testing.assert_allclose(sparse, expected, rtol=1e-5, atol=1e-5)


def test_optimizer_applies_indexed_slices_in_function():
    sparse = _two_steps(tf.keras.optimizers.Adam(0.1), _grad(), in_function=True)
    dense = _two_steps(tf.keras.optimizers.Adam(0.1), tf.convert_to_tensor(_grad()), in_function=True)
    np.testing.assert_array_equal(sparse, dense)
    np.testing.assert_allclose(sparse, _OPTIMIZER_STEPS[2][1], rtol=1e-5, atol=1e-5)


def _loss_scaled_step(grad, unscale_first=False):
    opt = tf.keras.mixed_precision.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1))
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    scale = float(opt.initial_scale)
    if isinstance(grad, tf.IndexedSlices):
        scaled = tf.IndexedSlices(grad.values * scale, grad.indices, grad.dense_shape)
    else:
        scaled = grad * scale
    if unscale_first:
        (scaled,) = opt.get_unscaled_gradients([scaled])
    opt.apply_gradients([(scaled, v)])
    return scale, scaled, v.numpy()


def test_loss_scale_optimizer_applies_indexed_slices():
    scale, _, sparse = _loss_scaled_step(_grad())
    assert scale == 32768.0
    expected = [[-0.10000000149011612, 0.800000011920929], [2.0, 3.0], [3.700000047683716, 4.599999904632568]]
    np.testing.assert_allclose(sparse, expected, rtol=1e-6)
    np.testing.assert_array_equal(sparse, _loss_scaled_step(tf.convert_to_tensor(_grad()))[2])


def test_loss_scale_optimizer_unscaled_indexed_slices():
    _, unscaled, v = _loss_scaled_step(_grad(), unscale_first=True)
    assert isinstance(unscaled, tf.IndexedSlices)
    np.testing.assert_array_equal(unscaled.values.numpy(), [[1, 2], [3, 4]])
    # apply_gradients does not unscale them a second time.
    np.testing.assert_array_equal(v, _loss_scaled_step(_grad())[2])
