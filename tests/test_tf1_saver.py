"""tf.compat.v1.train.Saver: TF1's file naming and ``checkpoint`` state file, max_to_keep and
keep_checkpoint_every_n_hours, var_list forms, restoring into a new graph, and the errors of bad input."""

import os
import types
import zipfile

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.compat.v1 import saver as saver_module

v1 = tf.compat.v1


def _model(shape=(3,), extra=False):
    w = tf.Variable(np.arange(np.prod(shape), dtype=np.float32).reshape(shape), name="w")
    with tf.name_scope("layer"):
        b = tf.Variable(np.float32(0.5), name="b")
    step = v1.train.get_or_create_global_step()
    inc = step.assign_add(1)
    if extra:
        tf.Variable(np.zeros(2, np.float32), name="extra")
    return w, b, step, inc


def _state(directory):
    with open(os.path.join(directory, "checkpoint")) as f:
        return f.read()


def test_save_writes_step_suffixed_files_and_tf1_state_file(tmp_path):
    with tf.Graph().as_default():
        w, b, step, inc = _model()
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            paths = []
            for _ in range(3):
                sess.run(inc)
                paths.append(saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step))
    assert paths == [str(tmp_path / f"model.ckpt-{i}") for i in (1, 2, 3)]
    # TF1 records the paths as given (absolute here), the latest last.
    assert _state(tmp_path) == (
        f'model_checkpoint_path: "{tmp_path}/model.ckpt-3"\n'
        + "".join(f'all_model_checkpoint_paths: "{tmp_path}/model.ckpt-{i}"\n' for i in (1, 2, 3))
    )
    assert v1.train.latest_checkpoint(str(tmp_path)) == paths[-1]
    state = v1.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[-1] and state.all_model_checkpoint_paths == paths
    assert v1.train.checkpoint_exists(paths[0])
    assert dict(v1.train.list_variables(str(tmp_path))) == {"global_step": [], "layer/b": [], "w": [3]}
    np.testing.assert_array_equal(v1.train.load_variable(paths[1], "w"), [0, 1, 2])
    assert v1.train.load_variable(paths[1], "global_step") == 2


def test_relative_save_dir_and_save_relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.makedirs("run")
    with tf.Graph().as_default():
        _, _, step, _ = _model()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert v1.train.Saver().save(sess, "run/model", global_step=7) == "run/model-7"
            assert _state("run") == 'model_checkpoint_path: "model-7"\nall_model_checkpoint_paths: "model-7"\n'
            assert v1.train.latest_checkpoint("run") == os.path.join("run", "model-7")
            v1.train.Saver(save_relative_paths=True).save(sess, str(tmp_path / "run" / "model"), global_step=8)
            assert _state("run") == 'model_checkpoint_path: "model-8"\nall_model_checkpoint_paths: "model-8"\n'


def test_max_to_keep_deletes_the_oldest_checkpoints(tmp_path):
    with tf.Graph().as_default():
        _, _, step, inc = _model()
        saver = v1.train.Saver(max_to_keep=2)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for _ in range(5):
                sess.run(inc)
                saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-4.ckpt", "m-4.meta", "m-5.ckpt", "m-5.meta"]
    assert saver.last_checkpoints == [str(tmp_path / "m-4"), str(tmp_path / "m-5")]
    assert v1.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == saver.last_checkpoints


@pytest.mark.parametrize("max_to_keep", [None, 0])
def test_max_to_keep_none_keeps_every_file_and_records_the_latest(tmp_path, max_to_keep):
    with tf.Graph().as_default():
        _, _, step, _ = _model()
        saver = v1.train.Saver(max_to_keep=max_to_keep)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for i in range(4):
                saver.save(sess, str(tmp_path / "m"), global_step=i)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"] + [f"m-{i}.{e}" for i in range(4) for e in ("ckpt", "meta")]
    assert v1.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == [str(tmp_path / "m-3")]
    assert saver.last_checkpoints == []


def test_keep_checkpoint_every_n_hours_preserves_one_per_period(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(saver_module, "time", types.SimpleNamespace(time=lambda: clock[0]))
    with tf.Graph().as_default():
        _model()
        saver = v1.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1.0)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            # Saves at 0.5 h, 1.5 h (past the first hour: kept for good when pushed out), 1.7 h, 2.0 h.
            for i, hours in enumerate([0.5, 1.5, 1.7, 2.0]):
                clock[0] = 1000.0 + hours * 3600
                saver.save(sess, str(tmp_path / "m"), global_step=i)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-1.ckpt", "m-1.meta", "m-3.ckpt", "m-3.meta"]
    assert saver.last_checkpoints == [str(tmp_path / "m-3")]


def test_var_list_as_dict_renames_keys_and_restores_into_another_graph(tmp_path):
    with tf.Graph().as_default():
        w, b, _, _ = _model()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(w.assign([5.0, 6.0, 7.0]))
            path = v1.train.Saver({"weights": w, "bias": b}).save(sess, str(tmp_path / "m"))
    assert path == str(tmp_path / "m")
    assert dict(v1.train.list_variables(path)) == {"bias": [], "weights": [3]}
    with tf.Graph().as_default():
        other = tf.Variable(np.zeros(3, np.float32), name="renamed")
        untouched = tf.Variable(np.float32(9.0), name="untouched")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            v1.train.Saver({"weights": other}).restore(sess, path)
            np.testing.assert_array_equal(sess.run(other), [5, 6, 7])
            assert sess.run(untouched) == 9.0


def test_restore_gives_back_every_saved_value_in_a_new_graph(tmp_path):
    with tf.Graph().as_default():
        w, b, step, inc = _model()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run([inc, w.assign([1.5, -2.0, 3.25]), b.assign(-7.0)])
            path = v1.train.Saver().save(sess, str(tmp_path / "m"), global_step=step)
    with tf.Graph().as_default():
        w, b, step, _ = _model()  # same names in a fresh graph: w, layer/b, global_step
        assert (w.name, b.name, step.name) == ("w:0", "layer/b:0", "global_step:0")
        with v1.Session() as sess:
            v1.train.Saver().restore(sess, path)  # no initializer needed: restoring gives the values
            np.testing.assert_array_equal(sess.run(w), [1.5, -2.0, 3.25])
            assert sess.run(b) == -7.0 and sess.run(step) == 1


def test_restoring_another_models_checkpoint_names_the_mismatch(tmp_path):
    with tf.Graph().as_default():
        _model()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = v1.train.Saver().save(sess, str(tmp_path / "m"))
    with tf.Graph().as_default():
        w, _, _, _ = _model(extra=True)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            with pytest.raises(tf.errors.NotFoundError, match=r"Key extra not found in checkpoint") as e:
                v1.train.Saver().restore(sess, path)
            assert "Restoring from checkpoint failed" in str(e.value) and "layer/b" in str(e.value)
    with tf.Graph().as_default():
        w, b, _, _ = _model(shape=(4,))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(b.assign(3.0))
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[4\] rhs shape= \[3\]"):
                v1.train.Saver().restore(sess, path)
            assert sess.run(b) == 3.0  # nothing was assigned
    with tf.Graph().as_default():
        tf.Variable(np.zeros(3, np.float64), name="w")
        with v1.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="expected dtype float64"):
                v1.train.Saver().restore(sess, path)


def test_bad_arguments():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            v1.train.Saver()
        assert v1.train.Saver(allow_empty=True).save(v1.Session(), "/nonexistent/x") is None
        w, _, _, _ = _model()
        with pytest.raises(TypeError, match="not a Variable"):
            v1.train.Saver([w, 3.0])
        with pytest.raises(ValueError, match="same name"):
            v1.train.Saver([w, w])
        with pytest.raises(ValueError, match="cannot be deferred"):
            v1.train.Saver([w], defer_build=True)
        saver = v1.train.Saver()
        sess = v1.Session()
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value"):
            saver.save(sess, "/tmp/ferroflow_never_written")
        sess.run(v1.global_variables_initializer())
        with pytest.raises(ValueError, match="Parent directory of /nonexistent/dir/m doesn't exist"):
            saver.save(sess, "/nonexistent/dir/m")
        with pytest.raises(TypeError, match="'sess' must be a Session"):
            saver.save(object(), "/tmp/m")
        with pytest.raises(ValueError, match="Can't load save_path when it is None"):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="not a valid checkpoint: /nonexistent/m"):
            saver.restore(sess, "/nonexistent/m")
        deferred = v1.train.Saver(defer_build=True)
        with pytest.raises(RuntimeError, match="build"):
            deferred.save(sess, "/tmp/m")


def test_an_interrupted_save_leaves_the_previous_checkpoint_and_state(tmp_path, monkeypatch):
    with tf.Graph().as_default():
        w, _, _, _ = _model()
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "m"))
            state_before = _state(tmp_path)
            sess.run(w.assign([9.0, 9.0, 9.0]))
            real = zipfile.ZipFile.writestr

            def crash(self, *args, **kwargs):
                real(self, *args, **kwargs)
                raise KeyboardInterrupt  # the process is killed in the middle of writing the archive

            monkeypatch.setattr(zipfile.ZipFile, "writestr", crash)
            with pytest.raises(KeyboardInterrupt):
                saver.save(sess, str(tmp_path / "m"))
            monkeypatch.undo()
            assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m.ckpt", "m.meta"]  # no temporary file left behind
            assert _state(tmp_path) == state_before
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(w), [0, 1, 2])


def test_recover_last_checkpoints_lets_a_new_saver_delete_old_ones(tmp_path):
    with tf.Graph().as_default():
        _, _, step, _ = _model()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            first = v1.train.Saver(max_to_keep=3)
            for i in range(3):
                first.save(sess, str(tmp_path / "m"), global_step=i)
            second = v1.train.Saver(max_to_keep=3)
            second.recover_last_checkpoints(v1.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths)
            assert second.last_checkpoints == first.last_checkpoints
            second.save(sess, str(tmp_path / "m"), global_step=3)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"] + [f"m-{i}.{e}" for i in (1, 2, 3) for e in ("ckpt", "meta")]


def test_eager_saver_needs_a_var_list(tmp_path):
    with pytest.raises(RuntimeError, match="var_list"):
        v1.train.Saver()
    v = tf.Variable([1.0, 2.0], name="eager_v")
    saver = v1.train.Saver([v])
    path = saver.save(None, str(tmp_path / "e"), global_step=3)
    v.assign([0.0, 0.0])
    saver.restore(None, path)
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
