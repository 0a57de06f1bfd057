"""``keras.preprocessing.image.ImageDataGenerator`` and ``apply_affine_transform``: transforms vs NumPy
(rotations by 90 degrees, integer shifts), fingerprints of Keras 3 / SciPy results for every fill mode and
interpolation order, Keras's parameter draws for a seed, and ``flow``/``flow_from_directory`` batches."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from guide_data_files import JPEGS

image = tf.keras.preprocessing.image
X = (np.arange(5 * 6 * 2).reshape(5, 6, 2) % 7).astype(np.float32) * 1.5
CASES = [
    dict(theta=30),
    dict(tx=1.3, ty=-0.7),
    dict(shear=20),
    dict(zx=0.8, zy=1.25),
    dict(theta=-45, tx=0.5, shear=10, zx=1.1, zy=0.9),
    dict(theta=90),
]
# sum(result * arange(60)) of Keras 3's apply_affine_transform (SciPy ndimage) for mode x order x case
KERAS_FINGERPRINTS = [
    7834.791,
    8121.0,
    7693.739,
    7723.387,
    7473.367,
    7755.0,
    7428.0,
    8211.0,
    7710.0,
    7354.5,
    7275.0,
    7615.5,
    7883.941,
    8042.97,
    7693.739,
    7723.387,
    7551.452,
    7821.0,
    7428.0,
    8211.0,
    7710.0,
    7354.5,
    7327.5,
    7615.5,
    8406.719,
    7958.55,
    7947.266,
    7730.325,
    7777.824,
    7798.875,
    8307.0,
    7936.5,
    7638.0,
    7272.0,
    8020.5,
    7591.5,
    6442.091,
    6158.95,
    7196.378,
    6190.987,
    6396.936,
    6257.0,
    6309.5,
    6181.0,
    7204.0,
    6261.0,
    6300.5,
    6162.5,
]
WEIGHTS = np.arange(60).reshape(5, 6, 2)


def test_matches_keras_for_every_mode_and_order() -> None:
    got = []
    for mode in ["nearest", "reflect", "wrap", "constant"]:
        for order in (1, 0):
            for case in CASES:
                out = image.apply_affine_transform(
                    X, row_axis=0, col_axis=1, channel_axis=2, fill_mode=mode, cval=2.0, order=order, **case
                )
                assert out.shape == X.shape and out.dtype == np.float32
                got.append(float((out.astype(np.float64) * WEIGHTS).sum()))
    np.testing.assert_allclose(got, KERAS_FINGERPRINTS, atol=2e-3)


def test_rotation_by_90_degrees_is_rot90() -> None:
    sq = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    out = image.apply_affine_transform(sq, theta=90, row_axis=0, col_axis=1, channel_axis=2)
    np.testing.assert_allclose(out[..., 0], np.rot90(sq[..., 0]), atol=1e-4)  # counter-clockwise


def test_integer_shift_clamps_at_the_edge() -> None:
    out = image.apply_affine_transform(X, tx=2, row_axis=0, col_axis=1, channel_axis=2)  # tx moves columns
    want = X[:, np.minimum(np.arange(6) + 2, 5)]
    np.testing.assert_allclose(out, want, atol=1e-5)


def test_bad_fill_mode_is_value_error() -> None:
    with pytest.raises(ValueError, match="fill_mode"):
        image.apply_affine_transform(X, theta=10, row_axis=0, col_axis=1, channel_axis=2, fill_mode="mirror")


def test_random_parameters_are_keras_draws_for_a_seed() -> None:
    gen = image.ImageDataGenerator(
        rotation_range=20, width_shift_range=0.2, height_shift_range=[-1, 2], shear_range=5, zoom_range=0.3,
        horizontal_flip=True, channel_shift_range=0.5,
    )  # fmt: skip
    p = gen.get_random_transform((5, 6, 2), seed=3)
    want = dict(theta=2.0319161029830184, tx=2.0, ty=-0.5018286266089337, shear=0.10827605197663015,
                zx=1.235768172608593, zy=1.237775853360063, channel_shift_intensity=-0.4485327966991701)  # fmt: skip
    for key, value in want.items():
        assert p[key] == pytest.approx(value, rel=1e-12), key
    assert p["flip_horizontal"] and not p["flip_vertical"] and p["brightness"] is None
    out = (gen.apply_transform(X, p).astype(np.float64) * WEIGHTS).sum()
    assert out == pytest.approx(7059.959, abs=2e-3)  # Keras 3


def test_flow_rescales_and_standardizes() -> None:
    x = np.random.RandomState(0).uniform(0, 255, (5, 4, 4, 3))
    batches = image.ImageDataGenerator(rescale=1 / 255, samplewise_center=True).flow(
        x, np.arange(5), batch_size=2, shuffle=False
    )
    assert len(batches) == 3
    bx, by = next(batches)
    want = x[:2] / 255 - (x[:2] / 255).mean(axis=-1, keepdims=True)
    np.testing.assert_allclose(bx, want, rtol=1e-5, atol=1e-6)
    assert bx.dtype == np.float32 and list(by) == [0, 1]
    assert [len(next(batches)[1]) for _ in range(3)] == [2, 1, 2]  # endless: the epoch starts again


def test_featurewise_fit() -> None:
    x = np.random.RandomState(1).normal(3.0, 2.0, (20, 3, 3, 2))
    gen = image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean.ravel(), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    with pytest.raises(ValueError, match="rank 4"):
        gen.fit(x[0])


def test_flow_from_directory(tmp_path, capsys) -> None:
    for k, cls in enumerate(["cats", "dogs"]):
        (tmp_path / cls).mkdir()
        for j in range(k + 2):
            (tmp_path / cls / f"{j}.jpg").write_bytes(JPEGS[j % 3])
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    it = image.ImageDataGenerator(rescale=1.0 / 255).flow_from_directory(
        str(tmp_path), target_size=(8, 10), batch_size=4, shuffle=False
    )
    assert capsys.readouterr().out == "Found 5 images belonging to 2 classes.\n"
    assert it.class_indices == {"cats": 0, "dogs": 1} and list(it.classes) == [0, 0, 1, 1, 1]
    bx, by = next(it)
    assert bx.shape == (4, 8, 10, 3) and bx.dtype == np.float32 and 0 <= bx.min() and bx.max() <= 1
    np.testing.assert_array_equal(by, np.eye(2, dtype=np.float32)[[0, 0, 1, 1]])
    sparse = image.ImageDataGenerator().flow_from_directory(str(tmp_path), class_mode="sparse", shuffle=False)
    assert list(next(sparse)[1]) == [0, 0, 1, 1, 1]
    with pytest.raises(ValueError, match="class_mode"):
        image.ImageDataGenerator().flow_from_directory(str(tmp_path), class_mode="onehot")
