"""``.meta`` files: ``Saver.save`` writes one per checkpoint, ``import_meta_graph`` rebuilds the graph, its
collections and a Saver in a fresh graph (or process), and training continues exactly as in the original."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

RNG = np.random.RandomState(0)
X = RNG.randn(32, 5).astype(np.float32)
Y = (X @ RNG.randn(5, 3)).astype(np.float32)


def _build(optimizer="adam"):
    """A two-layer regression trained by a TF1 optimizer; ``logits`` and the train op are named/collected."""
    x = v1.placeholder(tf.float32, [None, 5], name="x")
    y = v1.placeholder(tf.float32, [None, 3], name="y")
    with v1.variable_scope("dense"):
        w1 = v1.get_variable("w1", initializer=np.linspace(-1, 1, 40, dtype=np.float32).reshape(5, 8))
        b1 = v1.get_variable("b1", initializer=np.zeros(8, np.float32))
        w2 = v1.get_variable("w2", initializer=np.linspace(1, -1, 24, dtype=np.float32).reshape(8, 3))
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    logits = tf.identity(tf.matmul(h, w2), name="logits")
    loss = tf.reduce_mean(tf.square(logits - y), name="loss")
    step = v1.train.get_or_create_global_step()
    opt = {
        "adam": lambda: v1.train.AdamOptimizer(0.01),
        "momentum": lambda: v1.train.MomentumOptimizer(0.01, 0.9),
        "rmsprop": lambda: v1.train.RMSPropOptimizer(0.01),
    }[optimizer]()
    train = opt.minimize(loss, global_step=step)
    v1.add_to_collection("train_op", train)
    v1.add_to_collection("notes", "a string item")
    return x, y, logits, loss, train


def _train_and_save(tmp_path, optimizer="adam", steps=10, more=5):
    """Trains ``steps`` steps, saves, then trains ``more`` steps: returns the checkpoint path and the losses of
    the continued steps (the reference an imported graph must reproduce)."""
    with tf.Graph().as_default():
        x, y, logits, loss, train = _build(optimizer)
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for _ in range(steps):
                sess.run(train, {x: X, y: Y})
            path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=v1.train.get_global_step())
            logits_at_save = sess.run(logits, {x: X})
            continued = [sess.run([train, loss], {x: X, y: Y})[1] for _ in range(more)]
    return path, logits_at_save, continued


@pytest.mark.parametrize("optimizer", ["adam", "momentum", "rmsprop"])
def test_import_meta_graph_restores_and_continues_training_identically(tmp_path, optimizer):
    path, logits_at_save, continued = _train_and_save(tmp_path, optimizer)
    assert path == str(tmp_path / "model.ckpt-10")
    assert os.path.isfile(path + ".meta")
    graph = tf.Graph()
    with graph.as_default():
        saver = v1.train.import_meta_graph(path + ".meta")
        with v1.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
            logits = graph.get_tensor_by_name("logits:0")
            np.testing.assert_array_equal(sess.run(logits, {"x:0": X}), logits_at_save)
            (train_op,) = v1.get_collection("train_op")
            loss = graph.get_tensor_by_name("loss:0")
            again = [sess.run([train_op, loss], {"x:0": X, "y:0": Y})[1] for _ in range(5)]
            assert sess.run(v1.train.get_global_step()) == 15
    assert again == continued  # bit-identical, optimizer slots included


def test_a_fresh_process_continues_training_from_the_meta_file(tmp_path):
    path, _, continued = _train_and_save(tmp_path, "adam")
    script = textwrap.dedent(
        f"""
        import json, numpy as np, ferroflow as tf
        v1 = tf.compat.v1
        rng = np.random.RandomState(0)
        X = rng.randn(32, 5).astype(np.float32)
        Y = (X @ rng.randn(5, 3)).astype(np.float32)
        with tf.Graph().as_default() as g:
            saver = v1.train.import_meta_graph({path + ".meta"!r})
            with v1.Session() as sess:
                saver.restore(sess, tf.train.latest_checkpoint({str(tmp_path)!r}))
                train = v1.get_collection("train_op")[0]
                loss = g.get_tensor_by_name("loss:0")
                out = [float(sess.run([train, loss], {{"x:0": X, "y:0": Y}})[1]) for _ in range(5)]
        print(json.dumps(out))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [float(v) for v in continued]


def test_collections_variables_and_names_come_back(tmp_path):
    path, _, _ = _train_and_save(tmp_path)
    with tf.Graph().as_default() as graph:
        saver = v1.train.import_meta_graph(path + ".meta")
        names = [v.op.name for v in v1.global_variables()]
        assert names[:4] == ["dense/w1", "dense/b1", "dense/w2", "global_step"]
        assert {"dense/w1/Adam", "dense/w1/Adam_1", "Adam/iteration"} <= set(names)
        assert [v.name for v in v1.trainable_variables()] == ["dense/w1:0", "dense/b1:0", "dense/w2:0"]
        assert v1.train.get_global_step().name == "global_step:0"
        assert v1.get_collection("notes") == ["a string item"]
        assert v1.get_collection("train_op")[0].graph is graph
        assert sorted(saver._names) == sorted(names)
        assert graph.get_operation_by_name("logits").type == "Identity"
        assert graph.get_tensor_by_name("dense/w1:0").shape.as_list() == [5, 8]
        with pytest.raises(KeyError, match="does not exist"):
            graph.get_tensor_by_name("nothing:0")
        with pytest.raises(ValueError, match="Tensor names must be of the form"):
            graph.get_tensor_by_name("logits")
        with pytest.raises(ValueError, match="appears to refer to a Tensor"):
            graph.get_operation_by_name("logits:0")
        # New ops and variables get names apart from the imported ones, as in TF1.
        assert tf.Variable(1.0, name="global_step").name == "global_step_1:0"


def test_initializers_of_the_imported_graph_give_the_original_start(tmp_path):
    with tf.Graph().as_default():
        x, y, logits, loss, train = _build()
        meta = v1.train.export_meta_graph(str(tmp_path / "start.meta"))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            first = [sess.run([train, loss], {x: X, y: Y})[1] for _ in range(3)]
    assert meta.saver_def is None and "train_op" in meta.collection_def
    with tf.Graph().as_default() as graph:
        saver = v1.train.import_meta_graph(str(tmp_path / "start.meta"))
        assert isinstance(saver, v1.train.Saver)  # no saver recorded: one over every global variable
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())  # optimizer slots start at zero again, the step at 0
            fetches = [v1.get_collection("train_op")[0], graph.get_tensor_by_name("loss:0")]
            again = [sess.run(fetches, {"x:0": X, "y:0": Y})[1] for _ in range(3)]
    assert again == first


def test_import_scope_prefixes_names_and_keeps_checkpoint_keys(tmp_path):
    path, logits_at_save, continued = _train_and_save(tmp_path)
    with tf.Graph().as_default():
        saver = v1.train.import_meta_graph(path + ".meta", import_scope="imported", clear_devices=True)
        assert "imported/dense/w1:0" in [v.name for v in v1.global_variables()]
        assert saver._names["dense/w1"].op.name == "imported/dense/w1"
        with v1.Session() as sess:
            saver.restore(sess, path)
            feeds = {"imported/x:0": X, "imported/y:0": Y}
            np.testing.assert_array_equal(sess.run("imported/logits:0", {"imported/x:0": X}), logits_at_save)
            train = v1.get_collection("train_op")[0]
            again = [sess.run([train, "imported/loss:0"], feeds)[1] for _ in range(5)]
    assert again == continued


def test_metagraphdef_round_trips_through_bytes(tmp_path):
    with tf.Graph().as_default():
        _build()
        meta = v1.train.export_meta_graph()
    data = meta.SerializeToString()
    again = v1.MetaGraphDef.FromString(data)
    assert again.document == meta.document
    with tf.Graph().as_default():
        assert isinstance(v1.train.import_meta_graph(again), v1.train.Saver)
        assert len(v1.get_collection("train_op")) == 1


def test_cond_and_while_loop_rebuild_with_their_gradients(tmp_path):
    feed = RNG.randn(8, 2).astype(np.float32)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
        y = tf.matmul(x, w)
        branch = tf.cond(tf.reduce_sum(x) > 0, lambda: y * 2.0, lambda: y - 1.0, name="branch")
        _, acc = tf.while_loop(
            lambda i, a: i < 3, lambda i, a: (i + 1, a * 1.5 + tf.reduce_mean(w)), [tf.constant(0), branch]
        )
        out = tf.identity(acc + 1.0, name="out")
        loss = tf.reduce_mean(out * out, name="loss")
        train = v1.train.GradientDescentOptimizer(0.001).minimize(loss)
        v1.add_to_collection("train_op", train)
        meta = v1.train.export_meta_graph(str(tmp_path / "cf.meta"))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            other_branch = sess.run(out, {x: -feed})
            losses = [sess.run([train, loss], {x: feed})[1] for _ in range(3)]
    assert meta.document["opaque_nodes"] == []
    kinds = {n["build"].get("control_flow") for n in meta.document["nodes"]}
    assert {"cond", "while"} <= kinds
    with tf.Graph().as_default() as graph:
        v1.train.import_meta_graph(str(tmp_path / "cf.meta"))
        again = v1.train.export_meta_graph()  # an imported graph exports again, node for node
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            np.testing.assert_array_equal(sess.run("out:0", {"x:0": -feed}), other_branch)
            train, loss = v1.get_collection("train_op")[0], graph.get_tensor_by_name("loss:0")
            assert [sess.run([train, loss], {"x:0": feed})[1] for _ in range(3)] == losses
    types = [n["type"] for n in again.document["nodes"]]
    assert types[: len(meta.document["nodes"])] == [n["type"] for n in meta.document["nodes"]]
    # then the initializers made for the optimizer's iteration and learning rate, kept outside the graph
    assert types[len(meta.document["nodes"]) :] == ["Const", "AssignVariableOp"] * 2


def test_nodes_that_cannot_be_rebuilt_become_placeholders(tmp_path):
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        doubled = v1.py_func(lambda a: a * 2, [x], tf.float32, name="doubled")
        out = tf.identity(x + 1.0, name="out")
        after = tf.identity(doubled + 1.0, name="after")
        meta = v1.train.export_meta_graph(str(tmp_path / "m.meta"))
        with v1.Session() as sess:
            assert sess.run(after, {x: [[1.0, 2.0]]}).tolist() == [[3.0, 5.0]]
    assert meta.document["opaque_nodes"]  # the Python call has no op to rebuild
    with tf.Graph().as_default():
        assert v1.train.import_meta_graph(str(tmp_path / "m.meta")) is None  # no variables, no saver
        with v1.Session() as sess:
            assert sess.run("out:0", {"x:0": [[1.0, 2.0]]}).tolist() == [[2.0, 3.0]]
            with pytest.raises(tf.errors.InvalidArgumentError, match="import_meta_graph could not rebuild"):
                sess.run("after:0", {"x:0": [[1.0, 2.0]]})
            assert sess.run("after:0", {"doubled:0": [[7.0, 8.0]]}).tolist() == [[8.0, 9.0]]
    assert out is not None


def test_write_meta_graph_false_and_atomic_writes(tmp_path, monkeypatch):
    with tf.Graph().as_default():
        _build()
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            saver.save(sess, str(tmp_path / "a"), write_meta_graph=False)
            assert sorted(os.listdir(tmp_path)) == ["a.ckpt", "checkpoint"]
            saver.save(sess, str(tmp_path / "b"))
            before = (tmp_path / "b.meta").read_bytes()

            def crash(src, dst):
                raise KeyboardInterrupt  # killed between writing the temporary file and renaming it

            monkeypatch.setattr(os, "replace", crash)
            with pytest.raises(KeyboardInterrupt):
                saver.export_meta_graph(str(tmp_path / "b.meta"))
            monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["a.ckpt", "b.ckpt", "b.meta", "checkpoint"]  # no temporary left
    assert (tmp_path / "b.meta").read_bytes() == before


def _meta(tmp_path):
    with tf.Graph().as_default():
        _build()
        v1.train.export_meta_graph(str(tmp_path / "m.meta"))
    return tmp_path / "m.meta"


def _rewrite(path, change):
    head, body = path.read_bytes().split(b"\n", 1)
    doc = json.loads(body)
    change(doc)
    from ferroflow.compat.v1.meta_graph_export import encode_file

    path.write_bytes(encode_file(doc))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-10] + b"X" + data[-9:],  # one byte changed
        lambda data: b"\x00\x01garbage" * 10,  # not a meta graph file
        lambda data: b"",
    ],
)
def test_damaged_files_are_data_loss_errors(tmp_path, damage):
    path = _meta(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.DataLossError, match="Cannot parse file"):
            v1.train.import_meta_graph(str(path))


def test_files_that_do_not_describe_their_ops_are_refused(tmp_path):
    path = _meta(tmp_path)

    def lie_about_type(doc):
        node = next(n for n in doc["nodes"] if n["name"] == "logits")
        node["type"] = "MatMul"

    _rewrite(path, lie_about_type)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.DataLossError, match="node .* 'logits' rebuilds as Identity"):
            v1.train.import_meta_graph(str(path))

    def unknown_op(doc):
        node = next(n for n in doc["nodes"] if n["name"] == "logits")
        node["build"] = {"op": "__import__", "attrs": {"name": {"bytes": "b3M="}}}

    path = _meta(tmp_path)
    _rewrite(path, unknown_op)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.DataLossError, match="unknown op '__import__'"):
            v1.train.import_meta_graph(str(path))

    def forward_reference(doc):
        doc["nodes"][0]["inputs"] = [5]

    path = _meta(tmp_path)
    _rewrite(path, forward_reference)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.DataLossError, match="comes later or does not exist"):
            v1.train.import_meta_graph(str(path))


def test_missing_newer_and_eager(tmp_path):
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
            v1.train.import_meta_graph(str(tmp_path / "none.meta"))
    path = _meta(tmp_path)
    head, body = path.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    header["version"] = 99
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="version 99"):
            v1.train.import_meta_graph(str(path))
    with pytest.raises(RuntimeError, match="eager execution"):
        v1.train.import_meta_graph(str(path))


def test_an_estimator_checkpoint_imports_and_predicts_as_the_estimator(tmp_path):
    def model_fn(features, labels, mode):
        hidden = tf.keras.layers.Dense(8, activation="relu")(features["x"])
        logits = tf.identity(tf.keras.layers.Dense(3)(hidden), name="logits")
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"logits": logits})
        loss = tf.reduce_mean(tf.square(logits - labels))
        train = v1.train.AdamOptimizer(0.01).minimize(loss, global_step=v1.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train)

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    est.train(v1.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=8, num_epochs=None, shuffle=False), steps=20)
    checkpoint = tf.train.latest_checkpoint(str(tmp_path))
    assert checkpoint.endswith("model.ckpt-20") and os.path.isfile(checkpoint + ".meta")
    expected = [p["logits"] for p in est.predict(v1.estimator.inputs.numpy_input_fn({"x": X[:4]}, shuffle=False))]
    with tf.Graph().as_default() as graph:
        saver = v1.train.import_meta_graph(checkpoint + ".meta")
        features = graph.get_tensor_by_name("IteratorGetNext:0")  # the input pipeline's batch, fed here
        with v1.Session() as sess:
            saver.restore(sess, checkpoint)
            assert sess.run(v1.train.get_global_step()) == 20
            np.testing.assert_allclose(sess.run("logits:0", {features: X[:4]}), np.stack(expected), rtol=1e-6)
