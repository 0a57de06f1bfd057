"""TF1's session-based SavedModel API: ``tf.compat.v1.saved_model.Builder`` / ``simple_save`` export a trained
graph, ``loader.load`` restores it into a fresh graph and session, and the signature helpers. The TF1 tests
pass unchanged under TensorFlow 2.21 with the import swapped (the ones marked ferroflow-only read ferroflow's
own directory format)."""

import os

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
sm = v1.saved_model


def _train(graph):
    """A softmax regression trained for a few steps: (x, probs, session, predictions on X)."""
    rng = np.random.RandomState(0)
    X = rng.randn(32, 4).astype(np.float32)
    Y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        y = v1.placeholder(tf.int64, [None], name="y")
        w = v1.get_variable("w", [4, 2], initializer=v1.zeros_initializer())
        b = v1.get_variable("b", [2], initializer=v1.zeros_initializer())
        logits = tf.add(tf.matmul(x, w), b, name="logits")
        probs = tf.nn.softmax(logits, name="probs")
        loss = tf.reduce_mean(v1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        sess = v1.Session(graph=graph)
        sess.run(v1.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {x: X, y: Y})
    return X, x, probs, sess, sess.run(probs, {x: X})


def _load_and_run(export_dir, X, tags=("serve",), key="serving_default"):
    with tf.Graph().as_default() as graph:
        with v1.Session(graph=graph) as sess:
            meta = sm.loader.load(sess, list(tags), export_dir)
            signature = meta.signature_def[key]
            x_name = signature.inputs["x"].name
            out_name = signature.outputs["probs"].name
            assert graph.get_tensor_by_name(x_name).shape.as_list() == [None, 4]
            return meta, sess.run(out_name, {x_name: X})


def test_builder_export_and_load(tmp_path):
    X, x, probs, sess, want = _train(tf.Graph())
    assert want.std() > 0.01  # trained: not the uniform output of zero weights
    export_dir = str(tmp_path / "model")
    builder = sm.Builder(export_dir)
    with sess.graph.as_default():
        signature = sm.predict_signature_def({"x": x}, {"probs": probs})
        builder.add_meta_graph_and_variables(sess, [sm.SERVING], signature_def_map={"serving_default": signature})
    path = builder.save()
    assert isinstance(path, bytes) and os.path.isfile(path)
    assert sm.maybe_saved_model_directory(export_dir) and sm.loader.maybe_saved_model_directory(export_dir)
    meta, got = _load_and_run(export_dir, X)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert list(meta.meta_info_def.tags) == ["serve"]
    s = meta.signature_def["serving_default"]
    assert s.method_name == "tensorflow/serving/predict"
    assert s.inputs["x"].name == "x:0" and s.outputs["probs"].name == "probs:0"
    assert s.inputs["x"].dtype == 1 and [d.size for d in s.inputs["x"].tensor_shape.dim] == [-1, 4]
    sess.close()


def test_simple_save_and_load_with_scope(tmp_path):
    X, x, probs, sess, want = _train(tf.Graph())
    export_dir = str(tmp_path / "simple")
    with sess.graph.as_default():
        sm.simple_save(sess, export_dir, inputs={"x": x}, outputs={"probs": probs})
    meta, got = _load_and_run(export_dir, X)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as s2:
        meta = sm.load(s2, ["serve"], export_dir, import_scope="imported")
        signature = meta.signature_def["serving_default"]
        x_t = sm.get_tensor_from_tensor_info(signature.inputs["x"], graph, import_scope="imported")
        out = sm.get_tensor_from_tensor_info(signature.outputs["probs"], import_scope="imported")
        assert x_t.name == "imported/x:0"
        np.testing.assert_allclose(s2.run(out, {x_t: X}), want, rtol=1e-6, atol=1e-7)
    sess.close()


def test_signature_defs():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        s = v1.placeholder(tf.string, [None], name="s")
        y = tf.identity(x * 2.0, name="y")
        info = sm.utils.build_tensor_info(x)
        assert info.name == "x:0" and info.dtype == 1 and info.WhichOneof("encoding") == "name"
        assert [d.size for d in info.tensor_shape.dim] == [-1, 3]
        text = 'name: "x:0"\ndtype: DT_FLOAT\ntensor_shape {\n  dim {\n    size: -1\n  }\n'
        assert str(info) == text + "  dim {\n    size: 3\n  }\n}\n"
        assert sm.build_tensor_info(v1.placeholder(tf.float32, None)).tensor_shape.unknown_rank
        assert sm.utils.get_tensor_from_tensor_info(info).name == "x:0"
        pred = sm.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
        assert sorted(pred.inputs) == ["x"] and pred.outputs["y"].name == "y:0"
        assert sm.is_valid_signature(pred) and not sm.is_valid_signature(None)
        assert pred == sm.build_signature_def({"x": info}, {"y": sm.build_tensor_info(y)}, sm.PREDICT_METHOD_NAME)
        cls = sm.classification_signature_def(s, s, y)
        assert cls.method_name == "tensorflow/serving/classify" and sorted(cls.outputs) == ["classes", "scores"]
        assert sm.is_valid_signature(cls)
        reg = sm.regression_signature_def(s, y)
        assert reg.inputs["inputs"].dtype == 7 and reg.outputs["outputs"].name == "y:0"
        assert sm.is_valid_signature(reg)
        empty = sm.build_signature_def()
        assert str(empty) == "" and not sm.is_valid_signature(empty)
        with pytest.raises(ValueError, match="Prediction `inputs` cannot be None or empty"):
            sm.predict_signature_def({}, {"y": y})
        with pytest.raises(ValueError, match="Prediction `outputs` cannot be None or empty"):
            sm.predict_signature_def({"x": x}, None)
        with pytest.raises(ValueError, match="Classification input tensors must be of type string"):
            sm.classification_signature_def(x, s, y)
        with pytest.raises(ValueError, match="cannot both be None"):
            sm.classification_signature_def(s, None, None)
        with pytest.raises(ValueError, match="Regression output tensors must be of type float"):
            sm.regression_signature_def(s, s)
        with pytest.raises(KeyError, match="does not exist"):
            sm.get_tensor_from_tensor_info(info, graph=tf.Graph())
        with pytest.raises(ValueError, match="Invalid TensorInfo.encoding"):
            sm.get_tensor_from_tensor_info(type(info)())
        copied = type(pred)()
        copied.CopyFrom(pred)
        copied.inputs["z"].CopyFrom(info)
        assert sorted(copied.inputs) == ["x", "z"] and copied != pred


def test_builder_errors(tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "file.txt").write_text("x")
    with pytest.raises(AssertionError, match="already exists, and isn't empty"):
        sm.Builder(str(taken))
    builder = sm.builder.SavedModelBuilder(str(tmp_path / "new"))
    assert os.path.isdir(tmp_path / "new")
    with tf.Graph().as_default() as graph:
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        v = tf.Variable([[1.0], [2.0]], name="v")
        y = tf.matmul(x, v, name="y")
        with pytest.raises(AssertionError, match="has not been saved yet"):
            builder.add_meta_graph(["serve"])
        sess = v1.Session(graph=graph)
        sess.run(v1.global_variables_initializer())
        sig = sm.predict_signature_def({"x": x}, {"y": y})
        with pytest.raises(KeyError, match="reserved for initialization"):
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={"__saved_model_init_op": sig})
        bad = sm.build_signature_def({"x": type(sig.inputs["x"])()}, {"y": sig.outputs["y"]})
        with pytest.raises(AssertionError, match="encoding"):
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={"bad": bad})
        builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={"predict": sig})
        with pytest.raises(AssertionError, match="has already been saved"):
            builder.add_meta_graph_and_variables(sess, ["serve"])
        builder.add_meta_graph(["serve", "gpu"], signature_def_map={"predict": sig})
        sess.close()
    builder.save()
    with tf.Graph().as_default() as g2, v1.Session(graph=g2) as s2:
        with pytest.raises(RuntimeError, match="MetaGraphDef associated with tags 'train' could not be found"):
            sm.loader.load(s2, ["train"], str(tmp_path / "new"))
    with tf.Graph().as_default() as g3, v1.Session(graph=g3) as s3:
        meta = sm.loader.load(s3, ["gpu", "serve"], str(tmp_path / "new"))
        out = s3.run(meta.signature_def["predict"].outputs["y"].name, {"x:0": [[1.0, 1.0]]})
        np.testing.assert_allclose(out, [[3.0]])
    with tf.Graph().as_default() as g4, v1.Session(graph=g4) as s4:
        with pytest.raises(OSError, match="SavedModel file does not exist"):
            sm.loader.load(s4, ["serve"], str(tmp_path / "nothing"))


def _table_graph(graph):
    with graph.as_default():
        table = v1.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], tf.int64)), -1
        )
        words = v1.placeholder(tf.string, [None], name="words")
        ids = tf.identity(table.lookup(words), name="ids")
        scale = tf.Variable(3, dtype=tf.int64, name="scale")
        scaled = tf.multiply(ids, scale, name="scaled")
    return words, ids, scaled


@pytest.mark.parametrize("how", ["main_op", "legacy_init_op", "simple_save"])
def test_init_op_fills_tables_on_load(tmp_path, how):
    graph = tf.Graph()
    words, ids, scaled = _table_graph(graph)
    export_dir = str(tmp_path / how)
    with graph.as_default(), v1.Session(graph=graph) as sess:
        sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
        sess.run(v1.assign(v1.global_variables()[0], 5))
        init = v1.tables_initializer(name="tables_init")
        if how == "simple_save":
            sm.simple_save(sess, export_dir, {"words": words}, {"ids": ids, "scaled": scaled}, legacy_init_op=init)
        else:
            builder = sm.Builder(export_dir)
            sig = {"serving_default": sm.predict_signature_def({"words": words}, {"ids": ids, "scaled": scaled})}
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=sig, **{how: init})
            builder.save()
    with tf.Graph().as_default() as g2, v1.Session(graph=g2) as s2:
        meta = sm.load(s2, ["serve"], export_dir)
        assert g2.get_collection(sm.MAIN_OP_KEY)
        out = meta.signature_def["serving_default"].outputs
        got_ids, got_scaled = s2.run([out["ids"].name, out["scaled"].name], {"words:0": ["c", "zz", "a"]})
        np.testing.assert_array_equal(got_ids, [2, -1, 0])
        np.testing.assert_array_equal(got_scaled, [10, -5, 0])  # the saved value of scale (5), not its initial 3


def test_main_op_resets_variables_after_restore(tmp_path):
    with tf.Graph().as_default() as graph:
        v = tf.Variable(1.0, name="v")
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.assign(v, 7.0))
            builder = sm.Builder(str(tmp_path / "m"))
            builder.add_meta_graph_and_variables(sess, ["serve"], main_op=sm.main_op.main_op())
            builder.save()
    with tf.Graph().as_default() as g2, v1.Session(graph=g2) as s2:
        sm.load(s2, ["serve"], str(tmp_path / "m"))
        assert (
            s2.run(v1.global_variables()[0]) == 1.0
        )  # main_op() runs global_variables_initializer() after the restore
