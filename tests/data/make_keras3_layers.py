"""Writes small Keras-3-made models covering every Keras layer class ferroflow has (run once, with Keras 3).

KERAS_BACKEND=jax python tests/data/make_keras3_layers.py   # in an environment with keras>=3 and h5py

Each ``keras3/layers_<name>.keras`` holds random weights (BatchNormalization statistics included);
``keras3/layers_<name>.npz`` holds its inputs (``arr_0`` ...; ``n_in`` of them) and Keras's outputs in
inference mode (``y0`` ...). tests/test_keras3_interop.py checks that ferroflow computes the same.
RandomCrop (the identity at inference in both) and the later vision layers are in make_keras3_vision.py.
"""

import os

import keras
import numpy as np
from keras import layers as L
from make_keras3_convnet import deflate

keras.utils.set_random_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")
rng = np.random.default_rng(0)


def save(name, model, x):
    # randomize all weights so BN stats / gammas are non-trivial
    for w in model.weights:
        w.assign(
            rng.normal(0.5, 0.3, size=w.shape).astype("float32")
            if "variance" not in w.path
            else rng.uniform(0.5, 2, size=w.shape).astype("float32")
        )
    y = model(x, training=False)
    y = [np.asarray(t) for t in (y if isinstance(y, (list, tuple)) else [y])]
    path = f"{OUT}/layers_{name}.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(
        f"{OUT}/layers_{name}.npz",
        *([x] if not isinstance(x, list) else x),
        **{f"y{i}": t for i, t in enumerate(y)},
        n_in=np.array(1 if not isinstance(x, list) else len(x)),
    )


def seq(name, shape, layers):
    m = keras.Sequential([keras.Input(shape)] + layers, name=name)
    save(name, m, rng.normal(size=(3,) + shape).astype("float32"))


seq(
    "img",
    (12, 12, 3),
    [
        L.Conv2D(4, 3, padding="same", dilation_rate=2),
        L.DepthwiseConv2D(3, depth_multiplier=2),
        L.SeparableConv2D(5, 3, padding="same"),
        L.Conv2DTranspose(3, 3, strides=2),
        L.BatchNormalization(),
        L.PReLU(),
        L.LayerNormalization(),
        L.GroupNormalization(groups=3),
        L.ZeroPadding2D(1),
        L.Cropping2D(2),
        L.UpSampling2D(),
        L.AveragePooling2D(2),
        L.MaxPooling2D(2, padding="same"),
        L.ELU(),
        L.LeakyReLU(0.2),
        L.ReLU(max_value=2.0),
        L.SpatialDropout2D(0.1),
        L.GaussianNoise(0.1),
        L.GaussianDropout(0.1),
        L.Resizing(8, 8),
        L.CenterCrop(6, 6),
        L.Rescaling(0.5, offset=0.1),
        L.UnitNormalization(),
        L.Permute((2, 1, 3)),
        L.GlobalMaxPooling2D(),
        L.Softmax(),
    ],
)
seq(
    "seq1d",
    (10, 4),
    [
        L.Conv1D(6, 3, padding="causal"),
        L.Conv1DTranspose(4, 3, strides=2),
        L.MaxPooling1D(2),
        L.AveragePooling1D(2),
        L.Cropping1D(1),
        L.ZeroPadding1D(2),
        L.UpSampling1D(2),
        L.SpatialDropout1D(0.1),
        L.GlobalAveragePooling1D(),
        L.RepeatVector(3),
        L.Flatten(),
        L.Reshape((3, -1)),
        L.GlobalMaxPooling1D(),
        L.Dense(3, activation="sigmoid"),
        L.ActivityRegularization(l1=0.01),
        L.Activation("softplus"),
    ],
)
seq(
    "vol",
    (6, 6, 6, 2),
    [
        L.Conv3D(3, 3, padding="same"),
        L.Conv3DTranspose(2, 2, strides=2),
        L.MaxPooling3D(2),
        L.AveragePooling3D(2),
        L.ZeroPadding3D(1),
        L.Cropping3D(1),
        L.UpSampling3D(2),
        L.GlobalAveragePooling3D(),
    ],
)
norm = L.Normalization()
norm.adapt(rng.normal(2, 3, size=(50, 5)).astype("float32"))
a = keras.Input((5,))
b = keras.Input((5,))
na, nb = norm(a), L.Dense(5)(b)
outs = [
    L.Add()([na, nb]),
    L.Subtract()([na, nb]),
    L.Multiply()([na, nb]),
    L.Average()([na, nb]),
    L.Maximum()([na, nb]),
    L.Minimum()([na, nb]),
    L.Concatenate(axis=-1)([na, nb]),
    L.Dot(axes=1, normalize=True)([na, nb]),
]
m = keras.Model([a, b], outs, name="merge")
x = [rng.normal(size=(3, 5)).astype("float32") for _ in range(2)]
y = [np.asarray(t) for t in m(x)]
m.save(f"{OUT}/layers_merge.keras")
deflate(f"{OUT}/layers_merge.keras")
np.savez_compressed(f"{OUT}/layers_merge.npz", *x, **{f"y{i}": t for i, t in enumerate(y)}, n_in=np.array(2))
aug = keras.Sequential(
    [
        keras.Input((8, 8, 3)),
        L.RandomFlip(),
        L.RandomContrast(0.2),
        L.RandomBrightness(0.1),
        L.RandomRotation(0.1),
        L.RandomTranslation(0.1, 0.1),
        L.RandomZoom(0.1),
        L.Dense(2),
    ]
)
x = rng.normal(size=(2, 8, 8, 3)).astype("float32")
y = np.asarray(aug(x, training=False))
aug.save(f"{OUT}/layers_aug.keras")
deflate(f"{OUT}/layers_aug.keras")
np.savez_compressed(f"{OUT}/layers_aug.npz", x, y0=y, n_in=np.array(1))
