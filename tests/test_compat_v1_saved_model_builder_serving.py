"""A directory ``tf.compat.v1.saved_model.Builder`` writes is also a ferroflow SavedModel: ``tf.saved_model.load``
and ``ferroflow-saved-model show`` serve the signatures whose graphs the format holds (ferroflow's own
directory format: these tests do not run under TensorFlow)."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import saved_model_cli

v1 = tf.compat.v1
sm = v1.saved_model


def _export(tmp_path):
    rng = np.random.RandomState(1)
    X = rng.randn(6, 3).astype(np.float32)
    with tf.Graph().as_default() as graph:
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(rng.randn(3, 2).astype(np.float32), name="w")
        logits = tf.matmul(x, w, name="logits")
        probs = tf.nn.softmax(logits, name="probs")
        table = v1.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([1.0, 2.0])), 0.0
        )
        words = v1.placeholder(tf.string, [None], name="words")
        looked = tf.identity(table.lookup(words), name="looked")
        with v1.Session(graph=graph) as sess:
            sess.run([v1.global_variables_initializer(), v1.tables_initializer()])
            sess.run(v1.assign(w, w * 2.0))
            want = sess.run(probs, {x: X})
            sigs = {
                "serving_default": sm.predict_signature_def({"x": x}, {"probs": probs, "logits": logits}),
                "regress": sm.regression_signature_def(words, looked),
            }
            export_dir = str(tmp_path / "model")
            builder = sm.Builder(export_dir)
            builder.add_meta_graph_and_variables(
                sess, ["serve"], signature_def_map=sigs, main_op=v1.tables_initializer(name="t_init")
            )
            builder.save()
    return export_dir, X, want


def test_tf2_load_serves_converted_signatures(tmp_path):
    export_dir, X, want = _export(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["model"]  # no temporary directory left beside it
    assert tf.saved_model.contains_saved_model(export_dir)
    loaded = tf.saved_model.load(export_dir)
    assert list(loaded.signatures) == ["serving_default"]
    out = loaded.signatures["serving_default"](x=tf.constant(X))
    np.testing.assert_allclose(out["probs"].numpy(), want, rtol=1e-6)
    with open(os.path.join(export_dir, "saved_model.json")) as f:
        manifest = json.load(f)
    assert manifest["signature_methods"]["regress"] == "tensorflow/serving/regress"
    assert "regress" in manifest["unserved_signatures"]  # a lookup table: served by the TF1 loader only
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        meta = sm.load(sess, ["serve"], export_dir)
        reg = meta.signature_def["regress"]
        got = sess.run(reg.outputs["outputs"].name, {reg.inputs["inputs"].name: ["b", "q"]})
        np.testing.assert_allclose(got, [2.0, 0.0])


def test_cli_show_lists_signatures(tmp_path, capsys):
    export_dir, _, _ = _export(tmp_path)
    assert saved_model_cli.main(["show", "--dir", export_dir, "--tag_set", "serve"]) == 0
    assert 'SignatureDef key: "serving_default"' in capsys.readouterr().out
    assert (
        saved_model_cli.main(["show", "--dir", export_dir, "--tag_set", "serve", "--signature_def", "serving_default"])
        == 0
    )
    text = capsys.readouterr().out
    assert "inputs['x'] tensor_info:" in text and "name: x:0" in text and "outputs['probs']" in text
    assert "Method name is: tensorflow/serving/predict" in text


def test_changed_file_is_refused(tmp_path):
    export_dir, _, _ = _export(tmp_path)
    with open(os.path.join(export_dir, "meta_graphs", "meta_graph_0.meta"), "ab") as f:
        f.write(b" ")
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        with pytest.raises(tf.errors.DataLossError, match="checksum"):
            sm.load(sess, ["serve"], export_dir)
