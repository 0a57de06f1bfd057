"""``DumpingDebugWrapperSession`` dump directories, ``DebugDumpDir`` reading them back, and the offline analyzer
finding the same first bad tensor as the live debugger; damaged dump directories give clear errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.python import debug as tf_debug
from ferroflow.python.debug.lib import dump_io
from ferroflow.python.debug.lib.debug_data import DebugTensorDatum, NodeInfo

sys.path.insert(0, os.path.dirname(__file__))
import tfdbg_diverging  # noqa: E402

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def dumped_runs(root, steps, watch_fn=None):
    g, t = tfdbg_diverging.build()
    sess = tf.compat.v1.Session(graph=g)
    sess.run(t["init"])
    dbg = tf_debug.DumpingDebugWrapperSession(sess, str(root), watch_fn=watch_fn)
    x, y = tfdbg_diverging.batch()
    losses = [dbg.run([t["loss"], t["train"]], feed_dict={t["x"]: x, t["y"]: y})[0] for _ in range(steps)]
    return dump_io.run_dirs(str(root)), losses


def offline(dump_dir, commands):
    return subprocess.run(
        [sys.executable, "-m", "ferroflow.python.debug.cli.offline_analyzer", f"--dump_dir={dump_dir}"],
        input="".join(c + "\n" for c in commands),
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )


def test_one_dump_directory_per_run_and_the_first_bad_tensor(tmp_path):
    bad_step, ref = tfdbg_diverging.reference()
    runs, losses = dumped_runs(tmp_path / "root", bad_step + 2)
    assert len(runs) == bad_step + 2 and [r.rsplit("_", 1)[1] for r in runs] == [str(i + 1) for i in range(len(runs))]
    assert np.isfinite(losses[bad_step - 1]) and np.isinf(losses[bad_step])
    first_bad = [i for i, r in enumerate(runs) if tf_debug.DebugDumpDir(r).find(tf_debug.has_inf_or_nan, first_n=1)]
    assert first_bad[0] == bad_step
    dump = tf_debug.DebugDumpDir(runs[bad_step])
    assert [d.tensor_name for d in dump.find(tf_debug.has_inf_or_nan)] == ["sq:0", "loss:0"]
    np.testing.assert_allclose(dump.get_tensors("diff", 0, "DebugIdentity")[0], ref["diff"], rtol=1e-6)
    (read,) = [n for n in dump.node_inputs("pred") if dump.node_op_type(n) == "ReadVariableOp"]
    np.testing.assert_allclose(dump.get_tensors(read, 0, "DebugIdentity")[0], ref["w"], rtol=1e-6)
    assert np.isinf(dump.get_tensors("sq", 0, "DebugIdentity")[0]).all()
    assert dump.node_inputs("sq") == ["diff"] and dump.node_inputs("diff") == ["pred", "y"]
    assert "sq" in dump.node_recipients("diff") and dump.node_op_type("pred") == "MatMul"
    assert dump.run_fetches_info[0] == "loss:0" and sorted(dump.run_feed_keys_info) == ["x:0", "y:0"]
    data = dump.dumped_tensor_data
    assert [d.tensor_name for d in data].index("pred:0") < [d.tensor_name for d in data].index("sq:0")
    assert all(a.timestamp <= b.timestamp for a, b in zip(data, data[1:]))
    datum = dump.watch_key_to_data("sq:0:DebugIdentity")[0]
    assert datum.dump_size_bytes == 32 and datum.file_path.endswith(".npy") and os.path.isfile(datum.file_path)
    with pytest.raises(tf_debug.WatchKeyDoesNotExistInDebugDumpDirError):
        dump.get_tensors("sq", 0, "DebugNumericSummary")


def test_offline_analyzer_finds_the_same_tensor(tmp_path):
    bad_step, ref = tfdbg_diverging.reference()
    runs, _ = dumped_runs(tmp_path / "root", bad_step + 1)
    saved = tmp_path / "sq.npy"
    proc = offline(runs[bad_step], ["lt -f has_inf_or_nan", f"pt -w {saved} sq:0", "ni diff", "li sq", "exit"])
    assert proc.returncode == 0, proc.stderr
    block = proc.stdout.split('passing filter "has_inf_or_nan":', 1)[1].split("tfdbg>", 1)[0]
    assert [line.split()[-1] for line in block.strip().splitlines()[1:]] == ["sq:0", "loss:0"]
    np.testing.assert_array_equal(np.load(saved), ref["sq"])
    assert "[MatMul] pred" in proc.stdout and "[Placeholder] y" in proc.stdout
    assert 'Inputs to node "sq" (Depth limit = 1):\n|- (1) diff\n   |- ...' in proc.stdout
    # An earlier, finite run: nothing passes the filter.
    calm = offline(runs[0], ["lt -f has_inf_or_nan"])
    assert '0 dumped tensor(s) passing filter "has_inf_or_nan":' in calm.stdout


def test_watch_fn_narrows_the_dump(tmp_path):
    def watch(fetches, feeds):
        return tf_debug.WatchOptions(node_name_regex_allowlist=r"^(sq|diff)$")

    runs, _ = dumped_runs(tmp_path / "root", 1, watch_fn=watch)
    dump = tf_debug.DebugDumpDir(runs[0])
    assert sorted(d.tensor_name for d in dump.dumped_tensor_data) == ["diff:0", "sq:0"]
    assert dump.node_exists("pred")  # the graph is whole; only the tensors were narrowed
    with pytest.raises(TypeError, match="watch_fn must return a WatchOptions"):
        dumped_runs(tmp_path / "other", 1, watch_fn=lambda f, d: "everything")


def test_string_tensors_round_trip_without_pickle(tmp_path):
    value = np.array([b"ab", b"", "\u00e9".encode()], dtype=object)
    datum = DebugTensorDatum(None, "s", 0, "DebugIdentity", 5, 3, value=value)
    run = dump_io.write_run(str(tmp_path / "run_1_1"), [NodeInfo("s", "Const", [], "string", [3])], [datum], {})
    back = tf_debug.DebugDumpDir(run).get_tensors("s", 0, "DebugIdentity")[0]
    assert back.dtype == object and list(back) == list(value)


def test_bad_roots_and_damaged_dumps(tmp_path):
    g, _ = tfdbg_diverging.build()
    sess = tf.compat.v1.Session(graph=g)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="session_root path points to a file"):
        tf_debug.DumpingDebugWrapperSession(sess, str(tmp_path / "file"))
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "a").write_text("x")
    with pytest.raises(ValueError, match="session_root path points to a non-empty directory"):
        tf_debug.DumpingDebugWrapperSession(sess, str(tmp_path / "busy"))
    with pytest.raises(ValueError, match="does not exist"):
        tf_debug.DebugDumpDir(str(tmp_path / "missing"))
    runs, _ = dumped_runs(tmp_path / "root", 2)
    with pytest.raises(ValueError, match="session root holding 2 run dump"):
        tf_debug.DebugDumpDir(str(tmp_path / "root"))
    index_path = os.path.join(runs[0], dump_io.INDEX_FILE)
    index = json.load(open(index_path))

    def damaged(change, match):
        broken = json.loads(json.dumps(index))
        change(broken)
        with open(index_path, "w") as f:
            json.dump(broken, f)
        with pytest.raises(ValueError, match=match):
            tf_debug.DebugDumpDir(runs[0])

    damaged(lambda i: i.update(version=99), "version 99; this ferroflow reads versions up to 1")
    damaged(lambda i: i.update(format="other"), "is not a ferroflow debug dump index")
    damaged(lambda i: i["dumps"][0].update(file="../../../etc/passwd"), "outside the run directory")
    damaged(lambda i: i["nodes"][0].pop("op"), "malformed")
    with open(index_path, "w") as f:
        f.write("{not json")
    with pytest.raises(ValueError, match="unreadable"):
        tf_debug.DebugDumpDir(runs[0])
    proc = offline(runs[0], [])
    assert proc.returncode == 2 and "unreadable" in proc.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "ferroflow.python.debug.cli.offline_analyzer"],
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )
    assert missing.returncode == 1 and "dump_dir flag is empty" in missing.stderr
