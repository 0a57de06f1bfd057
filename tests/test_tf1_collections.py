"""TF1 graph collections: GraphKeys, add_to_collection / get_collection / get_collection_ref, how variables,
losses and the global step register, local variables and their initializer, report_uninitialized_variables."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_graph_keys_have_tensorflows_values():
    k = v1.GraphKeys
    assert (k.GLOBAL_VARIABLES, k.TRAINABLE_VARIABLES, k.LOCAL_VARIABLES) == (
        "variables",
        "trainable_variables",
        "local_variables",
    )
    assert (k.SUMMARIES, k.UPDATE_OPS, k.LOSSES, k.REGULARIZATION_LOSSES, k.GLOBAL_STEP) == (
        "summaries",
        "update_ops",
        "losses",
        "regularization_losses",
        "global_step",
    )
    assert (k.METRIC_VARIABLES, k.MODEL_VARIABLES, k.SAVERS, k.INIT_OP, k.LOCAL_INIT_OP, k.READY_OP) == (
        "metric_variables",
        "model_variables",
        "savers",
        "init_op",
        "local_init_op",
        "ready_op",
    )


def test_add_get_and_ref():
    with tf.Graph().as_default() as g:
        v1.add_to_collection("things", 1)
        v1.add_to_collections(["things", "more"], 2)
        v1.add_to_collections("more", 3)
        assert v1.get_collection("things") == [1, 2] and g.get_collection("more") == [2, 3]
        copy = v1.get_collection("things")
        copy.append(99)
        assert v1.get_collection("things") == [1, 2]  # a copy
        ref = v1.get_collection_ref("things")
        ref.append(4)
        assert v1.get_collection("things") == [1, 2, 4]  # the collection itself
        assert v1.get_collection_ref("new") == [] and v1.get_collection("missing") == []
        assert set(g.get_all_collection_keys()) >= {"things", "more"}
    with tf.Graph().as_default():
        assert v1.get_collection("things") == []  # collections belong to their graph


def test_variables_join_their_collections_as_in_tf1():
    with tf.Graph().as_default():
        a = tf.Variable(1.0, name="a")
        frozen = tf.Variable(2.0, name="frozen", trainable=False)
        local = tf.Variable(3.0, name="local", trainable=False, collections=[v1.GraphKeys.LOCAL_VARIABLES])
        model = v1.get_variable("m", [2], collections=[v1.GraphKeys.GLOBAL_VARIABLES, v1.GraphKeys.MODEL_VARIABLES])
        with v1.variable_scope("scope"):
            c = v1.get_variable("c", [2])
        assert v1.get_collection(v1.GraphKeys.GLOBAL_VARIABLES) == [a, frozen, model, c] == v1.global_variables()
        assert v1.trainable_variables() == [a, model, c]
        assert v1.local_variables() == [local] and v1.model_variables() == [model]
        assert v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope="scope") == [c]
        assert v1.get_collection(v1.GraphKeys.GLOBAL_VARIABLES, scope="f") == [frozen]
        with pytest.raises(ValueError, match="must be a list, tuple, or set"):
            tf.Variable(1.0, collections="variables")


def test_variable_names_are_scoped_and_unique_per_graph():
    for _ in range(2):  # the same names in each new graph, as TF1 gives them
        with tf.Graph().as_default():
            names = [tf.Variable(0.0, name="w").name, tf.Variable(0.0, name="w").name]
            with tf.name_scope("layer"):
                names.append(tf.Variable(0.0, name="w").name)
                names.append(tf.Variable(0.0).name)
            assert names == ["w:0", "w_1:0", "layer/w:0", "layer/Variable:0"]


def test_local_variables_initializer_and_uninitialized_report():
    with tf.Graph().as_default():
        g_var = tf.Variable([1.0, 2.0], name="g")
        l_var = tf.Variable(np.zeros(2, np.float32), name="l", collections=[v1.GraphKeys.LOCAL_VARIABLES])
        report = v1.report_uninitialized_variables()
        assert report.dtype == tf.string and report.op.type == "ReportUninitializedVariables"
        with v1.Session() as sess:
            assert sess.run(report).tolist() == [b"g", b"l"]
            sess.run(v1.local_variables_initializer())
            assert sess.run(report).tolist() == [b"g"]
            sess.run(v1.global_variables_initializer())
            assert sess.run(report).size == 0 and sess.run(report).dtype == object
            np.testing.assert_array_equal(sess.run(l_var), [0, 0])
            sess.run(l_var.assign([5.0, 6.0]))
            sess.run(v1.local_variables_initializer())  # resets the local variables only
            np.testing.assert_array_equal(sess.run([l_var, g_var]), [[0, 0], [1, 2]])


def test_losses_register_and_total_loss():
    with tf.Graph().as_default():
        labels = tf.constant([[1.0], [2.0]])
        preds = tf.constant([[1.5], [1.0]])
        mse = v1.losses.mean_squared_error(labels, preds)
        mae = v1.losses.absolute_difference(labels, preds)
        w = v1.get_variable("w", initializer=np.float32(3.0), regularizer=lambda t: 0.1 * t * t)
        custom = tf.constant(0.25)
        v1.losses.add_loss(custom)
        assert v1.get_collection(v1.GraphKeys.LOSSES) == [mse, mae, custom] == v1.losses.get_losses()
        assert len(v1.losses.get_regularization_losses()) == 1
        total = v1.losses.get_total_loss()
        without_reg = v1.losses.get_total_loss(add_regularization_losses=False)
        reg = v1.losses.get_regularization_loss()
        with v1.Session() as sess:
            sess.run(w.initializer)
            expect_mse, expect_mae = (0.25 + 1.0) / 2, (0.5 + 1.0) / 2
            np.testing.assert_allclose(sess.run(without_reg), expect_mse + expect_mae + 0.25, rtol=1e-6)
            np.testing.assert_allclose(sess.run(total), expect_mse + expect_mae + 0.25 + 0.9, rtol=1e-6)
            np.testing.assert_allclose(sess.run(reg), 0.9, rtol=1e-6)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="at least one"):
            v1.losses.get_total_loss()
        with v1.Session() as sess:
            assert sess.run(v1.losses.get_regularization_loss()) == 0.0


def test_global_step_helpers_and_collection():
    with tf.Graph().as_default():
        assert v1.train.get_global_step() is None
        step = v1.train.create_global_step()
        assert v1.get_collection(v1.GraphKeys.GLOBAL_STEP) == [step]
        assert step in v1.global_variables() and step not in v1.trainable_variables()
        assert step.name == "global_step:0" and step.dtype == tf.int64
        assert v1.train.get_or_create_global_step() is step
        with pytest.raises(ValueError, match="already exists"):
            v1.train.create_global_step()
        v1.train.assert_global_step(step)
        with pytest.raises(TypeError, match="integer"):
            v1.train.assert_global_step(tf.Variable(0.0))
