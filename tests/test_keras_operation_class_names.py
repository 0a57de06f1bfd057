"""Operations whose Keras 3 class is not their function's camel case (``LayerNorm``, ``CDist``, ``SearchSorted``)
or whose module is not ``keras.src.ops.numpy``: a functional model saved by Keras 3.15 with them loads and
computes as there (``tests/data/make_keras3_op_class_names.py`` records it), and ferroflow's own saves name them
as Keras does, so that each loads the other's files."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
ops = keras.ops
DATA = Path(__file__).parent / "data" / "keras3"


def test_a_keras_model_with_renamed_operations_loads_and_computes_alike():
    model = keras.models.load_model(DATA / "op_class_names.keras")
    recorded = np.load(DATA / "op_class_names.npz")
    got = model.predict({"a": recorded["a"], "b": recorded["b"]}, verbose=0)
    for key in ("layer_norm", "rms_norm", "batch_norm", "cdist", "psnr"):
        np.testing.assert_allclose(np.asarray(got[key]), recorded[key], rtol=2e-5, atol=2e-5, err_msg=key)


def _saved_layers(model, path):
    model.save(path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    return {(entry["module"], entry["class_name"]) for entry in config["config"]["layers"]}


@pytest.mark.parametrize(
    "build, module, class_name",
    [
        (lambda a: ops.layer_normalization(a), "keras.src.ops.nn", "LayerNorm"),
        (lambda a: ops.rms_normalization(a), "keras.src.ops.nn", "RMSNorm"),
        (
            lambda a: ops.batch_normalization(a, np.ones(4, "float32"), np.full(4, 2.0, "float32"), axis=-1),
            "keras.src.ops.nn",
            "BatchNorm",
        ),
        (lambda a: ops.psnr(a, a * 0.5, max_val=4.0), "keras.src.ops.nn", "PSNR"),
        (lambda a: ops.cdist(a[:, None, :], a[:, None, :]), "keras.src.ops.math", "CDist"),
        (lambda a: ops.cast(ops.isin(a, np.array([1.0, 2.0], "float32")), "float32"), "keras.src.ops.numpy", "IsIn"),
        (lambda a: ops.sum(ops.cast(ops.allclose(a, a), "float32")), "keras.src.ops.numpy", "AllClose"),
        (lambda a: ops.inv(ops.reshape(a, (-1, 2, 2)) + ops.eye(2) * 3.0), "keras.src.ops.linalg", "Inv"),
        (lambda a: ops.svd(ops.reshape(a, (-1, 2, 2)), compute_uv=False), "keras.src.ops.linalg", "SVD"),
        (lambda a: ops.top_k(a, 2)[0], "keras.src.ops.math", "TopK"),
        (lambda a: ops.searchsorted(np.array([0.5, 1.5, 2.5], "float32"), a), "keras.src.ops.numpy", "SearchSorted"),
    ],
)
def test_ferroflow_saves_keras_module_and_class_names_and_reloads(build, module, class_name, tmp_path):
    a = keras.Input((4,), name="a")
    model = keras.Model(a, build(a))
    assert (module, class_name) in _saved_layers(model, tmp_path / "m.keras")
    x = np.random.default_rng(0).integers(0, 4, size=(3, 4)).astype("float32")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        np.asarray(reloaded.predict(x, verbose=0)), np.asarray(model.predict(x, verbose=0)), rtol=1e-6
    )
