"""Writes the Keras-3-made ``.keras`` files that tests/test_keras3_interop.py loads (run once, with Keras 3).

KERAS_BACKEND=jax python tests/data/make_keras3_convnet.py   # in an environment with keras>=3 and h5py

It trains two small convnets with BatchNormalization on MNIST (read from the IDX files in
``$FERROFLOW_DATASETS/mnist``, default ``../shared/datasets/mnist`` from the project's root) for a
few hundred steps, so that the moving statistics are far from their initial values, and writes:

* ``keras3/convnet_functional.keras``: a functional model (with a regularizer and a compile config);
* ``keras3/convnet_sequential.keras``: a Sequential model;
* ``keras3/two_input.keras`` (untrained): two inputs, a shared layer, a nested Sequential, two outputs,
  and ``keras3/two_input_predictions.npz``: its inputs ``a``, ``b`` and outputs ``out``, ``diff``;
* ``keras3/convnet_predictions.npz``: the first 100 test images (uint8, 100x28x28x1), their labels,
  and each model's predicted probabilities (``functional``, ``sequential``).
"""

from __future__ import annotations

import gzip
import os
import zipfile

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "keras3")
ROOT = os.path.dirname(os.path.dirname(HERE))
MNIST = os.path.join(os.environ.get("FERROFLOW_DATASETS", os.path.join(ROOT, "..", "shared", "datasets")), "mnist")
SEED = 1234
STEPS = 300
BATCH = 64


def read_idx(name: str) -> np.ndarray:
    with gzip.open(os.path.join(MNIST, name + ".gz"), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def functional_model() -> keras.Model:
    layers = keras.layers
    inputs = keras.Input((28, 28, 1), name="image")
    x = layers.Rescaling(1.0 / 255, name="scale")(inputs)
    x = layers.Conv2D(16, 3, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-4), name="conv1")(x)
    x = layers.BatchNormalization(momentum=0.9, epsilon=1e-3, name="bn1")(x)
    x = layers.MaxPooling2D(name="pool1")(x)
    x = layers.Conv2D(32, 3, padding="same", name="conv2")(x)
    x = layers.BatchNormalization(momentum=0.95, epsilon=2e-3, name="bn2")(x)
    x = layers.Activation("relu", name="relu2")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.1, name="drop")(x)
    outputs = layers.Dense(10, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name="keras3_convnet")


def sequential_model() -> keras.Sequential:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 3, activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(),
            layers.Conv2D(16, 3, strides=2, use_bias=False),
            layers.BatchNormalization(momentum=0.9, center=True, scale=False),
            layers.Activation("relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(10, activation="softmax"),
        ],
        name="keras3_seq",
    )


def two_input_model() -> keras.Model:
    """Two inputs, a shared layer (two calls), a nested Sequential and two outputs: the graph cases."""
    layers = keras.layers
    a = keras.Input((6,), name="a")
    b = keras.Input((6,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    inner = keras.Sequential(
        [keras.Input((8,)), layers.Dense(5, activation="relu"), layers.LayerNormalization()], name="inner"
    )
    x = layers.Concatenate(name="cat")([shared(a), shared(b)])
    x = inner(x)
    out = layers.Dense(2, name="out")(x)
    return keras.Model([a, b], [out, layers.Subtract(name="diff")([shared(b), shared(a)])], name="two_input")


def deflate(path: str) -> None:
    """Re-zips Keras's archive with deflate (Keras stores its members uncompressed): same members, 3x smaller."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info, data in members:
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def main() -> None:
    keras.utils.set_random_seed(SEED)
    x_train = read_idx("train-images-idx3-ubyte")[..., None]
    y_train = read_idx("train-labels-idx1-ubyte").astype("int32")
    x_test = read_idx("t10k-images-idx3-ubyte")[:100, ..., None]
    y_test = read_idx("t10k-labels-idx1-ubyte")[:100].astype("int32")
    n = STEPS * BATCH
    x_fit = x_train[:n].astype("float32")
    y_fit = y_train[:n]
    os.makedirs(OUT, exist_ok=True)
    probs = {}
    for name, build in (("functional", functional_model), ("sequential", sequential_model)):
        model = build()
        model.compile(
            optimizer=keras.optimizers.Adam(5e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        model.fit(x_fit, y_fit, batch_size=BATCH, epochs=1, verbose=2)
        p = np.asarray(model.predict(x_test.astype("float32"), verbose=0))
        print(name, "accuracy on the 100 test images:", float(np.mean(p.argmax(-1) == y_test)))
        path = os.path.join(OUT, f"convnet_{name}.keras")
        model.save(path)
        deflate(path)
        probs[name] = p.astype("float32")
    model = two_input_model()
    a, b = np.random.default_rng(SEED).normal(size=(2, 5, 6)).astype("float32")
    out, diff = (np.asarray(t) for t in model.predict([a, b], verbose=0))
    model.save(os.path.join(OUT, "two_input.keras"))
    deflate(os.path.join(OUT, "two_input.keras"))
    np.savez_compressed(os.path.join(OUT, "two_input_predictions.npz"), a=a, b=b, out=out, diff=diff)
    np.savez_compressed(
        os.path.join(OUT, "convnet_predictions.npz"),
        images=x_test,
        labels=y_test,
        keras_version=np.array(keras.__version__),
        **probs,
    )


if __name__ == "__main__":
    main()
