"""``LocalCLIDebugWrapperSession`` in process: run choices (``run -n``, ``-t``, ``-f``, watch filters), results and
side effects equal to the plain session's, the analyzer's listings, and bad arguments."""

import io
import os
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.python import debug as tf_debug
from ferroflow.python.debug.cli.command_parser import parse_slicing, tokenize

sys.path.insert(0, os.path.dirname(__file__))
import tfdbg_diverging  # noqa: E402


def wrapped(**kwargs):
    g, t = tfdbg_diverging.build()
    sess = tf.compat.v1.Session(graph=g)
    sess.run(t["init"])
    dbg = tf_debug.LocalCLIDebugWrapperSession(sess, ui_type="readline", **kwargs)
    dbg.add_tensor_filter("has_inf_or_nan", tf_debug.has_inf_or_nan)
    return dbg, t


def feed(t):
    x, y = tfdbg_diverging.batch()
    return {t["x"]: x, t["y"]: y}


def type_commands(monkeypatch, *commands):
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(c + "\n" for c in commands)))


def test_results_and_updates_match_the_plain_session(monkeypatch, capsys):
    dbg, t = wrapped()
    plain_g, plain_t = tfdbg_diverging.build()
    plain = tf.compat.v1.Session(graph=plain_g)
    plain.run(plain_t["init"])
    type_commands(monkeypatch, "run", "run", "run -n")
    for _ in range(3):
        got = dbg.run({"loss": t["loss"], "train": t["train"]}, feed_dict=feed(t))
        want = plain.run({"loss": plain_t["loss"], "train": plain_t["train"]}, feed_dict=feed(plain_t))
        assert got["train"] is None and want["train"] is None
        np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-6)
    # Debugged runs update the variable once each, exactly as the plain ones.
    np.testing.assert_allclose(dbg.run(t["w"]), plain.run(plain_t["w"]), rtol=1e-6)
    out = capsys.readouterr().out
    # Runs #1 and #4 asked how to proceed (run -n at #2's end let #3 through); input ended at #4.
    assert out.count("run-end:") == 2 and out.count("run-start:") == 2
    assert "run-end: run #1: 2 fetches; 2 feeds" in out and "run-end: run #2:" in out


def test_run_t_passes_through_then_debugs(monkeypatch, capsys):
    dbg, t = wrapped()
    type_commands(monkeypatch, "run -t 3", "run -n")
    for _ in range(4):
        dbg.run(t["loss"], feed_dict=feed(t))
    out = capsys.readouterr().out
    assert out.count("run-end:") == 1 and "run-end: run #3: 1 fetch (loss:0); 2 feeds" in out
    # run #1 and #2 went through, #3 was debugged, and run -n at its end let #4 through.
    assert dbg.run_call_count == 4


def test_watch_filters_and_listing_options(monkeypatch, capsys):
    dbg, t = wrapped()
    type_commands(
        monkeypatch,
        "run --op_type_filter (Square|Sub|Mean)$",
        "lt -s op_type",
        "lt -s dump_size -r",
        "lt -n ^d",
        "lt -t Mean",
        "lt -s nonsense",
        "exit",
    )
    with pytest.raises(SystemExit) as stop:
        dbg.run([t["loss"], t["train"]], feed_dict=feed(t))
    assert stop.value.code == 1
    out = capsys.readouterr().out

    def names(command):
        block = out.split(f"tfdbg> {command}\n", 1)[1].split("tfdbg>", 1)[0].strip().splitlines()
        return [line.split()[-1] for line in block[3:]], block[0]

    assert names("lt -s op_type") == (["loss:0", "sq:0", "diff:0"], "3 dumped tensor(s):")
    assert names("lt -s dump_size -r")[0][-1] == "loss:0"  # 4 bytes, the smallest
    assert names("lt -n ^d") == (["diff:0"], "1 dumped tensor(s):")
    assert names("lt -t Mean") == (["loss:0"], "1 dumped tensor(s):")
    assert "ERROR: Unsupported key to sort tensors by: nonsense" in out


def test_filter_with_excluded_nodes_and_print_feed(monkeypatch, capsys):
    dbg, t = wrapped()
    bad_step, _ = tfdbg_diverging.reference()
    type_commands(monkeypatch, "run -f has_inf_or_nan -fenn ^sq$", "pf x:0[0:2]", "pf nothere", "ri", "run -n")
    for _ in range(bad_step + 2):
        dbg.run([t["loss"], t["train"]], feed_dict=feed(t))
    out = capsys.readouterr().out
    header = out.split("run-end:", 1)[1]
    assert header.startswith(f" run #{bad_step + 1}:")
    rows = header.split('passing filter "has_inf_or_nan":', 1)[1].split("tfdbg>", 1)[0].split()
    assert "sq:0" not in rows and rows[-1] == "loss:0"  # the excluded node is not listed
    assert 'Tensor "x:0[0:2] (feed)":' in out and "shape: (2, 4)" in out
    assert "ERROR: The feed_dict of the current run does not contain the key nothere" in out
    assert f"Session.run() call #{bad_step + 1}:" in out


def test_has_inf_or_nan():
    datum = tf_debug.DebugTensorDatum(None, "n", 0, "DebugIdentity", 0, 4)
    assert tf_debug.has_inf_or_nan(datum, np.array([1.0, np.nan], np.float32))
    assert tf_debug.has_inf_or_nan(datum, np.array([-np.inf], np.float64))
    assert tf_debug.has_inf_or_nan(datum, np.array([1 + 1j, complex(np.inf, 0)]))
    assert not tf_debug.has_inf_or_nan(datum, np.array([1.0, 2.0], np.float32))
    assert not tf_debug.has_inf_or_nan(datum, np.array([1, 2], np.int32))
    assert not tf_debug.has_inf_or_nan(datum, None)
    health = tf_debug.DebugTensorDatum(None, "n", 0, "CONCISE_HEALTH", 0, 40)
    assert tf_debug.has_inf_or_nan(health, np.array([3.0, 10, 0, 0, 1]))
    assert not tf_debug.has_inf_or_nan(health, np.array([3.0, 10, 0, 0, 0]))


def test_tokens_and_slicing():
    assert tokenize("pt hidden/MatMul:0[1, :] -a") == ["pt", "hidden/MatMul:0[1, :]", "-a"]
    assert tokenize("eval 'np.sum(`x:0`, axis=1)'") == ["eval", "np.sum(`x:0`, axis=1)"]
    assert tokenize('run -f "has_inf_or_nan"') == ["run", "-f", "has_inf_or_nan"]
    assert parse_slicing("[0:3, 1]") == (slice(0, 3), 1)
    assert parse_slicing("[::2, -1]") == (slice(None, None, 2), -1)
    with pytest.raises(ValueError, match="Invalid tensor-slicing string"):
        parse_slicing("[a]")


def test_bad_arguments(tmp_path):
    g, t = tfdbg_diverging.build()
    sess = tf.compat.v1.Session(graph=g)
    with pytest.raises(TypeError, match="Expected type ferroflow.compat.v1.Session; got type str"):
        tf_debug.LocalCLIDebugWrapperSession("not a session")
    with pytest.raises(ValueError, match="Invalid ui_type: 'tk'"):
        tf_debug.LocalCLIDebugWrapperSession(sess, ui_type="tk")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_text("x")
    with pytest.raises(ValueError, match="dump_root path points to a non-empty directory"):
        tf_debug.LocalCLIDebugWrapperSession(sess, dump_root=str(tmp_path / "full"))
    with pytest.raises(ValueError, match="dump_root path points to a file"):
        tf_debug.LocalCLIDebugWrapperSession(sess, dump_root=str(tmp_path / "full" / "f"))
    dbg = tf_debug.LocalCLIDebugWrapperSession(sess)
    with pytest.raises(TypeError, match="tensor_filter must be callable"):
        dbg.add_tensor_filter("f", 3)
    with pytest.raises(TypeError, match="received another debug wrapper session"):
        tf_debug.DumpingDebugWrapperSession(dbg, str(tmp_path / "d"))
    with pytest.raises(ValueError, match="debug_ops supports only 'DebugIdentity'"):
        tf_debug.WatchOptions(debug_ops="DebugNumericSummary")


def test_dump_root_holds_the_run_while_the_analyzer_is_open(monkeypatch, tmp_path, capsys):
    root = tmp_path / "dumps"
    dbg, t = wrapped(dump_root=str(root))
    seen = {}

    def check(datum, value):
        seen.setdefault("dirs", os.listdir(root))
        return False

    dbg.add_tensor_filter("spy", check)
    type_commands(monkeypatch, "run", "lt -f spy", "run -n")
    dbg.run(t["loss"], feed_dict=feed(t))
    dbg.run(t["loss"], feed_dict=feed(t))
    assert len(seen["dirs"]) == 1 and seen["dirs"][0].startswith("run_")
    assert os.listdir(root) == []  # removed once the analyzer closed, as tfdbg does
    assert '0 dumped tensor(s) passing filter "spy":' in capsys.readouterr().out


def test_eval_and_default_session(monkeypatch, capsys):
    dbg, t = wrapped()
    type_commands(monkeypatch, "run", "eval `pred:0` + 1", "eval -a np.sum(`nothere:0`)", "eval 1 +", "run -n")
    with dbg.as_default():
        value = t["pred"].eval(feed_dict=feed(t))  # eval() goes through the default session: the wrapper
    x, _ = tfdbg_diverging.batch()
    np.testing.assert_allclose(value, x @ np.full((4, 1), tfdbg_diverging.W0, np.float32), rtol=1e-6)
    out = capsys.readouterr().out
    assert "from eval of expression '`pred:0` + 1'" in out and "shape: (8, 1)" in out
    assert "Eval failed due to the value of nothere:0:DebugIdentity being unavailable" in out
    assert "ERROR: SyntaxError:" in out
