"""``tf.compat.v1.gfile`` (TF1's CamelCase file functions and ``Stat``), ``tf.compat.v1.random``
(``set_random_seed``, ``get_seed``, ``multinomial``, ``poisson(lam, shape)``, ``stateless_multinomial``) and
``tf.compat.v1.saved_model``'s constants. The file passes unchanged under TensorFlow 2.21 with the import
swapped."""

import os

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_gfile(tmp_path):
    gfile = v1.gfile
    root = str(tmp_path / "data")
    gfile.MakeDirs(os.path.join(root, "sub"))
    assert gfile.IsDirectory(root) and gfile.Exists(root)
    path = os.path.join(root, "a.txt")
    with gfile.GFile(path, "w") as f:
        f.write("hello")
    with gfile.Open(path) as f:
        assert f.read() == "hello"
    with gfile.FastGFile(path, "rb") as f:
        assert f.read() == b"hello"
    gfile.Copy(path, os.path.join(root, "b.txt"))
    assert sorted(gfile.ListDirectory(root)) == ["a.txt", "b.txt", "sub"]
    assert sorted(os.path.basename(p) for p in gfile.Glob(os.path.join(root, "*.txt"))) == ["a.txt", "b.txt"]
    stat = gfile.Stat(path)
    assert stat.length == 5 and not stat.is_directory and stat.mtime_nsec > 0
    gfile.Rename(os.path.join(root, "b.txt"), os.path.join(root, "c.txt"))
    gfile.Remove(os.path.join(root, "c.txt"))
    walked = list(gfile.Walk(root))
    assert walked[0][0] == root and sorted(walked[0][1]) == ["sub"] and walked[0][2] == ["a.txt"]
    gfile.MkDir(os.path.join(root, "other"))
    gfile.DeleteRecursively(root)
    assert not gfile.Exists(root)
    with pytest.raises(tf.errors.NotFoundError):
        gfile.Stat(path)


def test_random_seeds():
    random = v1.random
    random.set_random_seed(None)
    assert random.get_seed(None) == (None, None)
    assert random.get_seed(5) == (87654321, 5)
    random.set_random_seed(12)
    try:
        assert random.get_seed(7) == (12, 7)
        graph_seed, op_seed = random.get_seed(None)
        assert graph_seed == 12 and isinstance(op_seed, int)
        random.set_random_seed(0)
        assert random.get_seed(0) == (0, 2**31 - 1)
    finally:
        random.set_random_seed(None)


def test_random_tf1_functions():
    samples = v1.random.multinomial([[-50.0, 0.0]], 6, seed=1)
    assert samples.dtype == tf.int64 and samples.numpy().tolist() == [[1] * 6]
    counts = v1.random.poisson([2.0, 50.0], [1000], seed=3).numpy()
    assert counts.shape == (1000, 2)
    np.testing.assert_allclose(counts.mean(axis=0), [2.0, 50.0], rtol=0.1)
    fixed = v1.random.stateless_multinomial([[0.0, -50.0]], 3, seed=[1, 2])
    assert fixed.numpy().tolist() == [[0, 0, 0]]
    assert v1.random.uniform([2]).shape == (2,)


def test_saved_model_constants():
    sm = v1.saved_model
    assert sm.tag_constants.SERVING == sm.SERVING == "serve" and sm.tag_constants.TRAINING == "train"
    assert sm.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY == "serving_default"
    assert sm.signature_constants.PREDICT_METHOD_NAME == "tensorflow/serving/predict"
    assert sm.SAVED_MODEL_FILENAME_PB == "saved_model.pb" and sm.VARIABLES_DIRECTORY == "variables"
