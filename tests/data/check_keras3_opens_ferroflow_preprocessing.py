"""Manual check (not part of the test suite): Keras 3 opens the ``.keras`` files ferroflow writes for models with
stateful preprocessing layers, and computes the same on raw strings, integers and numbers.

Step 1, with ferroflow (writes the files, their inputs and ferroflow's outputs into a folder)::

    python tests/data/check_keras3_opens_ferroflow_preprocessing.py write /tmp/ff_pre

Step 2, with Keras 3 on TensorFlow (its string layers need it) and h5py; prints one line per file, exits 1 on a
mismatch::

    KERAS_BACKEND=tensorflow python tests/data/check_keras3_opens_ferroflow_preprocessing.py check /tmp/ff_pre

The models: every stateful layer of tests/test_preprocessing_saving_roundtrip.py (adapted and given
vocabularies, one read from a file since deleted, tf_idf (not padded to max_tokens), invert, TextVectorization
tf_idf/characters/count, Normalization adapted/given, Discretization, Hashing, CategoryEncoding), a trained text
classifier, and a StringLookup in a nested Sequential.
"""

from __future__ import annotations

import os
import sys

import numpy as np


def _models(tf, folder: str) -> dict:  # noqa: ANN001 - ferroflow is imported only in the write step
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import test_preprocessing_saving_roundtrip as rt

    L = tf.keras.layers
    vocab_file = os.path.join(folder, "vocab.txt")
    with open(vocab_file, "w") as f:
        f.write("dog\nfish\ncat\n")
    # without the tf_idf lookup padded to max_tokens: Keras 3.15 fails to reload that layer from its own files too
    out = {"all_layers": (rt._all_layers_model(vocab_file, padded_idf=False), [rt.WORDS, rt.IDS, rt.TEXTS, rt.NUMS])}
    os.remove(vocab_file)
    texts = np.array([["a wonderful film"], ["a terrible film"], ["great story"], ["boring story"]] * 2)
    labels = np.array([[1.0], [0.0], [1.0], [0.0]] * 2, "float32")
    vectorize = L.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(texts)
    inputs = tf.keras.Input((1,), dtype="string")
    x = L.GlobalAveragePooling1D()(L.Embedding(20, 4)(vectorize(inputs)))
    model = tf.keras.Model(inputs, L.Dense(1, activation="sigmoid")(x))
    optimizer = tf.keras.optimizers.Adam(0.05)
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = tf.keras.losses.binary_crossentropy(labels, model(texts))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))
    out["text_classifier"] = (model, [np.concatenate([texts, [["unseen words"]]])])
    lookup = L.StringLookup()
    lookup.adapt(np.array(["a", "b", "b"]))
    inner = tf.keras.Sequential([tf.keras.Input((1,), dtype="string"), lookup, L.CategoryEncoding(4)])
    words = tf.keras.Input((1,), dtype="string")
    out["nested"] = (tf.keras.Model(words, inner(words)), [np.array([["a"], ["b"], ["z"]])])
    return out


def write(folder: str) -> None:
    import ferroflow as tf

    os.makedirs(folder, exist_ok=True)
    for name, (model, x) in _models(tf, folder).items():
        model.save(os.path.join(folder, f"{name}.keras"))
        outputs = model(x[0] if len(x) == 1 else x)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        arrays = {f"x{i}": v for i, v in enumerate(x)}
        arrays.update({f"y{i}": np.asarray(y) for i, y in enumerate(outputs)})
        np.savez(os.path.join(folder, f"{name}.npz"), **arrays)
        print(f"wrote {name}.keras")


def check(folder: str) -> int:
    import keras

    failures = 0
    for file in sorted(f for f in os.listdir(folder) if f.endswith(".keras")):
        data = np.load(os.path.join(folder, file[: -len(".keras")] + ".npz"))
        x = [data[f"x{i}"] for i in range(sum(k.startswith("x") for k in data.files))]
        try:
            model = keras.models.load_model(os.path.join(folder, file))
            outputs = model(x[0] if len(x) == 1 else x)
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            errors = [
                float(np.abs(np.asarray(y, "float64") - data[f"y{i}"].astype("float64")).max())
                for i, y in enumerate(outputs)
            ]
            ok = len(outputs) == sum(k.startswith("y") for k in data.files) and max(errors) < 1e-5
            line = f"{file}: {len(outputs)} outputs differ by at most {max(errors):.2e}"
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
