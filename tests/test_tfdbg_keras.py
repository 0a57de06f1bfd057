"""``tf_debug.LocalCLIDebugCallback``: ``model.fit`` stops at the first batch that makes an Inf, that batch's step is
replayed with every tensor dumped, and the analyzer opens on it (commands fed through stdin)."""

import io
import os
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.python import debug as tf_debug

sys.path.insert(0, os.path.dirname(__file__))
import tfdbg_diverging  # noqa: E402

keras = tf.keras
SQUARE = "loss/mean_squared_error/Square"


def diverging_model(lr=tfdbg_diverging.LR):
    model = keras.Sequential(
        [
            keras.Input((tfdbg_diverging.FEATURES,)),
            keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant(tfdbg_diverging.W0)),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(lr), loss="mse")
    return model


def data(batches=10):
    x, y = tfdbg_diverging.batch()
    return np.tile(x, (batches, 1)), np.tile(y, (batches, 1))


def weights_after(steps):
    x, _ = tfdbg_diverging.batch()
    w = np.full((tfdbg_diverging.FEATURES, 1), tfdbg_diverging.W0, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            w = (w - np.float32(tfdbg_diverging.LR) * (x.T @ (2.0 * (x @ w) / np.float32(8)))).astype(np.float32)
    return w


def test_fit_stops_at_the_diverging_batch_and_the_dump_holds_its_step(monkeypatch, capsys):
    bad_step, ref = tfdbg_diverging.reference()
    model = diverging_model()
    cb = tf_debug.LocalCLIDebugCallback()
    matmul = f"{model.name}/{model.layers[0].name}/MatMul"  # the model's scope: names differ run to run
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"lt -n ^{model.name}/\npt {SQUARE}:0[0:2]\nni {SQUARE}\nexit\n"))
    x, y = data()
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, callbacks=[cb], verbose=0)
    assert cb.stopped_batch == (0, bad_step)
    assert len(history.history["loss"]) == 1 and not np.isfinite(history.history["loss"][0])
    dump = cb.dump
    bad = dump.find(tf_debug.has_inf_or_nan)
    assert bad[0].node_name == SQUARE and bad[0].get_tensor().shape == (8, 1)
    (sub,) = dump.node_inputs(SQUARE)
    assert dump.node_op_type(sub) == "Sub"
    # Keras's mean squared error subtracts the prediction from the target.
    np.testing.assert_allclose(dump.get_tensors(sub, 0, "DebugIdentity")[0], -ref["diff"], rtol=1e-6)
    np.testing.assert_allclose(dump.get_tensors(matmul, 0, "DebugIdentity")[0], ref["pred"], rtol=1e-6)
    # The replay started from the weights before the bad batch and applied its update once more.
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), weights_after(bad_step + 1), rtol=1e-5)
    out = capsys.readouterr().out
    assert f"fit-stop: epoch 1, batch {bad_step}:" in out
    listed = out.split('passing filter "has_inf_or_nan":', 1)[1].split("tfdbg>", 1)[0].split()
    assert listed[listed.index("name") + 4] == f"{SQUARE}:0"  # the first row after the header
    assert f'Tensor "{SQUARE}:0:DebugIdentity[0:2]":' in out and "[Sub] " in out
    assert f"{matmul}:0" in out.split(f"tfdbg> lt -n ^{model.name}/", 1)[1]


def test_fit_on_a_dataset_and_dump_root(tmp_path):
    bad_step, _ = tfdbg_diverging.reference()
    model = diverging_model()
    cb = tf_debug.LocalCLIDebugCallback(dump_root=str(tmp_path / "dumps"), open_cli=False)
    x, y = data()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    model.fit(ds, epochs=2, shuffle=False, callbacks=[cb], verbose=0)
    assert cb.stopped_batch == (0, bad_step)
    (run,) = os.listdir(tmp_path / "dumps")
    on_disk = tf_debug.DebugDumpDir(str(tmp_path / "dumps" / run))
    assert on_disk.find(tf_debug.has_inf_or_nan, first_n=1)[0].node_name == SQUARE
    assert on_disk.run_info["batch"] == bad_step


def test_a_finite_run_is_untouched():
    model, plain = diverging_model(lr=0.01), diverging_model(lr=0.01)
    x, y = data(4)
    cb = tf_debug.LocalCLIDebugCallback(open_cli=False)
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, callbacks=[cb], verbose=0)
    plain.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert cb.dump is None and cb.stopped_batch is None
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), plain.layers[0].kernel.numpy(), rtol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Invalid ui_type: 'tk'"):
        tf_debug.LocalCLIDebugCallback(ui_type="tk")
    cb = tf_debug.LocalCLIDebugCallback(tensor_filter="mine")
    x, y = data(1)
    with pytest.raises(ValueError, match='There is no tensor filter named "mine"'):
        diverging_model().fit(x, y, batch_size=8, callbacks=[cb], verbose=0)
    with pytest.raises(TypeError, match="add_tensor_filter expects"):
        cb.add_tensor_filter("mine", None)
    cb.add_tensor_filter("mine", lambda datum, value: False)
    diverging_model(lr=0.01).fit(x, y, batch_size=8, callbacks=[cb], verbose=0)
