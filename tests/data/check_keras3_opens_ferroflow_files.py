"""Manual check (not part of the test suite): Keras 3 opens the ``.keras`` and ``.weights.h5`` files that
ferroflow writes, and computes the same.

Step 1, with ferroflow (writes the files and ferroflow's predictions into a folder)::

    python tests/data/check_keras3_opens_ferroflow_files.py write /tmp/ff_to_keras

Step 2, with Keras 3 and h5py (no ferroflow needed; prints one line per file, exits 1 on a mismatch)::

    KERAS_BACKEND=jax python tests/data/check_keras3_opens_ferroflow_files.py check /tmp/ff_to_keras

The models cover Sequential and functional models (two inputs, a shared layer, a nested Sequential,
two outputs), the convolution, normalization, pooling, merge, reshaping and activation layers and
ConvLSTM1D/2D, trained with Adam and SGD with momentum. For the trained models, one more training step on
the same batch in both libraries must give the same weights, which checks that the optimizer state carried
over too.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile

import numpy as np

SEED = 7


def _models(tf):  # noqa: ANN001, ANN202 - ferroflow is imported only in the write step
    L = tf.keras.layers
    rng = np.random.default_rng(SEED)
    out = {}

    i = tf.keras.Input((12, 12, 1), name="image")
    x = L.Conv2D(6, 3, activation="relu", kernel_regularizer={"class_name": "L2", "config": {"l2": 1e-4}})(i)
    x = L.BatchNormalization(momentum=0.9)(x)
    x = L.MaxPooling2D()(x)
    x = L.Conv2D(8, 3, padding="same", use_bias=False)(x)  # a bias before BN has ~0 gradients: Adam amplifies noise
    x = L.BatchNormalization(center=False)(x)
    x = L.Activation("relu")(x)
    x = L.GlobalAveragePooling2D()(x)
    model = tf.keras.Model(i, L.Dense(4, activation="softmax")(x), name="convnet")
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    out["convnet_adam"] = (model, [rng.normal(size=(16, 12, 12, 1)).astype("float32")], rng.integers(0, 4, 16))

    model = tf.keras.Sequential(
        [
            tf.keras.Input((10, 10, 2)),
            L.Conv2D(4, 3, strides=2, use_bias=False),
            L.BatchNormalization(scale=False),
            L.AveragePooling2D(2, padding="same"),
            L.Flatten(),
            L.Dense(5, activation="tanh"),
            L.Dense(3),
        ],
        name="seq_sgd",
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05, momentum=0.9), loss="mse")
    out["seq_sgd"] = (model, [rng.normal(size=(8, 10, 10, 2)).astype("float32")], rng.normal(size=(8, 3)))

    a, b = tf.keras.Input((6,), name="a"), tf.keras.Input((6,), name="b")
    shared = L.Dense(4, activation="tanh", name="shared")
    inner = tf.keras.Sequential(
        [tf.keras.Input((8,)), L.Dense(5, activation="relu"), L.LayerNormalization()], name="inner"
    )
    sa, sb = shared(a), shared(b)
    merged = [L.Add()([sa, sb]), L.Subtract()([sa, sb]), L.Multiply()([sa, sb]), L.Average()([sa, sb])]
    merged += [L.Maximum()([sa, sb]), L.Minimum()([sa, sb]), L.Dot(axes=1, normalize=True)([sa, sb])]
    h = L.Dropout(0.2)(inner(L.Concatenate()([sa, sb])))
    model = tf.keras.Model([a, b], [L.Dense(2, name="out")(h), *merged], name="merge")
    out["merge"] = (model, [rng.normal(size=(5, 6)).astype("float32") for _ in range(2)], None)

    img = [
        L.Conv2D(4, 3, padding="same", dilation_rate=2, activation="relu"),
        L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
        L.SeparableConv2D(6, 3, padding="same"),
        L.Conv2DTranspose(5, 3, strides=2),
        L.LayerNormalization(),
        L.GroupNormalization(groups=5),
        L.PReLU(),
        L.ZeroPadding2D(1),
        L.Cropping2D(2),
        L.UpSampling2D(),
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
    ]
    seq1d = [
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
    ]
    vol = [
        L.Conv3D(3, 3, padding="same"),
        L.Conv3DTranspose(2, 2, strides=2),
        L.MaxPooling3D(2),
        L.AveragePooling3D(2),
        L.ZeroPadding3D(1),
        L.Cropping3D(1),
        L.UpSampling3D(2),
        L.GlobalMaxPooling3D(),
    ]
    for name, shape, layers in (("img", (9, 9, 3), img), ("seq1d", (10, 4), seq1d), ("vol", (6, 6, 6, 2), vol)):
        model = tf.keras.Sequential([tf.keras.Input(shape), *layers], name=f"layers_{name}")
        out[f"layers_{name}"] = (model, [rng.normal(size=(3, *shape)).astype("float32")], None)

    model = tf.keras.Sequential(
        [
            tf.keras.Input((17, 6)),
            L.SeparableConv1D(5, 3, padding="same", depth_multiplier=2, activation="relu"),
            L.DepthwiseConv1D(3, depth_multiplier=2),
            L.AdaptiveMaxPooling1D(5),
            L.AdaptiveAveragePooling1D(3, data_format="channels_first"),
            L.Flatten(),
            L.Dense(3),
        ],
        name="vision_adam",
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    out["vision_adam"] = (model, [rng.normal(size=(8, 17, 6)).astype("float32")], rng.normal(size=(8, 3)))
    vision = [L.SpatialDropout3D(0.2), L.AdaptiveAveragePooling3D((3, 4, 2)), L.AdaptiveMaxPooling3D(2)]
    model = tf.keras.Sequential([tf.keras.Input((7, 6, 5, 2)), *vision], name="layers_vision3d")
    out["layers_vision3d"] = (model, [rng.normal(size=(3, 7, 6, 5, 2)).astype("float32")], None)

    model = tf.keras.Sequential(
        [
            tf.keras.Input((4, 6, 6, 1)),
            L.ConvLSTM2D(3, 3, padding="same", return_sequences=True),
            L.BatchNormalization(),
            L.ConvLSTM2D(2, (2, 3), strides=(2, 1), go_backwards=True, return_sequences=True),
            L.Conv3D(1, 3, padding="same", activation="sigmoid"),
        ],
        name="conv_lstm_adam",
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    frames = rng.uniform(size=(6, 4, 6, 6, 1)).astype("float32")
    out["conv_lstm_adam"] = (model, [frames], (rng.uniform(size=(6, 4, 3, 4, 1)) > 0.5).astype("float32"))
    lstm = [L.ConvLSTM1D(2, 3, dilation_rate=2, return_sequences=True), L.ConvLSTM1D(2, 2, padding="same")]
    lstm += [L.Reshape((2, 1, 5, 1)), L.ConvLSTM2D(2, (2, 1), data_format="channels_first", use_bias=False)]
    model = tf.keras.Sequential([tf.keras.Input((5, 9, 2)), *lstm], name="layers_conv_lstm")
    out["layers_conv_lstm"] = (model, [rng.normal(size=(3, 5, 9, 2)).astype("float32")], None)
    return out


def write(folder: str) -> None:
    import ferroflow as tf

    os.makedirs(folder, exist_ok=True)
    for name, (model, x, y) in _models(tf).items():
        arrays = {f"x{i}": v for i, v in enumerate(x)}
        if y is not None:  # train, save, then one more step: Keras must end at the same weights
            feed = x[0] if len(x) == 1 else x
            model.fit(feed, y, batch_size=len(y), epochs=3, verbose=0)
            arrays["y"] = np.asarray(y)
        model.save(os.path.join(folder, f"{name}.keras"))
        with zipfile.ZipFile(os.path.join(folder, f"{name}.keras")) as zf:
            version = json.loads(zf.read("metadata.json"))["format_version"]
        if version != 2:
            raise SystemExit(f"{name}: ferroflow wrote no Keras 3 members (format_version {version})")
        preds = model.predict(x[0] if len(x) == 1 else x, verbose=0)
        preds = preds if isinstance(preds, list) else [preds]
        arrays.update({f"pred{i}": p for i, p in enumerate(preds)})
        if y is not None:
            model.train_on_batch(x[0], y)
            arrays.update({f"after{i}": w.numpy() for i, w in enumerate(model.weights)})
            model.save_weights(os.path.join(folder, f"{name}.weights.h5"))
            arrays["pred_after"] = model.predict(x[0], verbose=0)
        np.savez(os.path.join(folder, f"{name}.npz"), **arrays)
        print(f"wrote {name}.keras")


def check(folder: str) -> int:
    import keras

    failures = 0
    for file in sorted(f for f in os.listdir(folder) if f.endswith(".keras")):
        name = file[: -len(".keras")]
        data = np.load(os.path.join(folder, f"{name}.npz"))
        x = [data[f"x{i}"] for i in range(sum(k.startswith("x") for k in data.files))]
        try:
            model = keras.models.load_model(os.path.join(folder, file))
            preds = model.predict(x[0] if len(x) == 1 else x, verbose=0)
            preds = preds if isinstance(preds, list) else [preds]
            err = max(float(np.abs(np.asarray(p) - data[f"pred{i}"]).max()) for i, p in enumerate(preds))
            line = f"{file}: predictions differ by {err:.2e}"
            ok = err < 1e-4
            if "y" in data.files:
                model.train_on_batch(x[0], data["y"])
                step = max(float(np.abs(np.asarray(w) - data[f"after{i}"]).max()) for i, w in enumerate(model.weights))
                fresh = keras.models.load_model(os.path.join(folder, file))
                fresh.load_weights(os.path.join(folder, f"{name}.weights.h5"))
                reloaded = float(np.abs(fresh.predict(x[0], verbose=0) - data["pred_after"]).max())
                line += f"; weights after one more training step {step:.2e}; .weights.h5 {reloaded:.2e}"
                ok = ok and step < 1e-4 and reloaded < 1e-4
        except Exception as e:  # report every file, then fail
            line, ok = f"{file}: {type(e).__name__}: {e}", False
        failures += not ok
        print(("ok    " if ok else "FAIL  ") + line)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2]))
