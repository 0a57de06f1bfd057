"""BackupAndRestore: a fit killed mid-way and rerun ends with the weights of an uninterrupted run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import ferroflow as tf
    keras = tf.keras
    mode, backup_dir, out, save_freq, dropout = sys.argv[1:6]
    save_freq = save_freq if save_freq == "epoch" else int(save_freq)
    keras.utils.set_random_seed(7)
    rng = np.random.RandomState(0)
    x = rng.rand(64, 5).astype("float32")
    y = rng.randint(0, 3, 64)
    middle = [keras.layers.Dropout(0.5)] if dropout == "dropout" else []
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), *middle,
                              keras.layers.Dense(3)])
    model.compile(keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == 3 and batch == 1:  # mid-way through epoch 3, after a backup of epoch 2's end
                os.kill(os.getpid(), signal.SIGKILL)

    cbs = [] if mode == "plain" else [keras.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq)]
    if mode == "crash":
        cbs.append(Crash())
    hist = model.fit(x, y, batch_size=16, epochs=6, callbacks=cbs, verbose=0)
    np.savez(out, *model.get_weights(), epochs=np.array(hist.epoch))
    """
)


def _run(tmp_path, mode: str, out: str, save_freq: str = "epoch", dropout: bool = False) -> subprocess.CompletedProcess:
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    return subprocess.run(
        [sys.executable, str(script), mode, str(tmp_path / "backup"), str(tmp_path / out), save_freq,
         "dropout" if dropout else "none"],
        capture_output=True, text=True, timeout=300,
    )


def _weights(path) -> list:
    with np.load(path) as f:
        return [f[k] for k in f.files if k.startswith("arr_")]


@pytest.mark.parametrize("dropout", [False, True], ids=["deterministic", "dropout"])
def test_killed_run_resumes_to_the_same_weights(tmp_path, dropout):
    # With dropout the backup also carries the train step's random-op counters, so the resumed epochs
    # draw the same masks as the uninterrupted run.
    plain = _run(tmp_path, "plain", "plain.npz", dropout=dropout)
    assert plain.returncode == 0, plain.stderr
    crashed = _run(tmp_path, "crash", "crash.npz", dropout=dropout)
    assert crashed.returncode != 0  # killed
    assert not (tmp_path / "crash.npz").exists()
    assert (tmp_path / "backup" / "backup.ckpt").is_file()
    resumed = _run(tmp_path, "resume", "resumed.npz", dropout=dropout)
    assert resumed.returncode == 0, resumed.stderr
    with np.load(tmp_path / "resumed.npz") as f:
        assert f["epochs"].tolist() == [3, 4, 5]  # epochs 0-2 were not run again
    for want, got in zip(_weights(tmp_path / "plain.npz"), _weights(tmp_path / "resumed.npz")):
        np.testing.assert_array_equal(got, want)
    assert not (tmp_path / "backup").exists()  # deleted once training completed


def test_batch_frequency_backup_records_the_running_epoch(tmp_path):
    crashed = _run(tmp_path, "crash", "crash.npz", save_freq="2")
    assert crashed.returncode != 0
    from ferroflow.train import _format

    _, extra = _format.read(str(tmp_path / "backup" / "backup"))
    assert extra["epoch"] == 3 and extra["batch"] == 1  # saved after batch 1 of epoch 3, resumes at epoch 3
    resumed = _run(tmp_path, "resume", "resumed.npz", save_freq="2")
    assert resumed.returncode == 0, resumed.stderr
    with np.load(tmp_path / "resumed.npz") as f:
        assert f["epochs"].tolist() == [3, 4, 5]


def _model():
    tf.keras.utils.set_random_seed(1)
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    m.compile(keras.optimizers.SGD(0.1), "mse")
    return m


def _data():
    rng = np.random.RandomState(3)
    return rng.rand(20, 3).astype("float32"), rng.rand(20, 2).astype("float32")


def test_keep_backup_and_restore_weights_and_optimizer_state(tmp_path):
    x, y = _data()
    m = _model()
    cb = keras.callbacks.BackupAndRestore(tmp_path / "b", delete_checkpoint=False)
    m.fit(x, y, epochs=2, callbacks=[cb], verbose=0)
    assert (tmp_path / "b" / "backup.ckpt").is_file()
    m2 = _model()
    m2.fit(x, y, epochs=1, verbose=0)  # differs from m, and is built
    hist = m2.fit(x, y, epochs=2, callbacks=[keras.callbacks.BackupAndRestore(tmp_path / "b")], verbose=0)
    assert hist.epoch == []  # the backup says both epochs are done
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(m2.optimizer.iterations.numpy()) == int(m.optimizer.iterations.numpy())


def test_double_checkpoint_falls_back_to_previous_backup(tmp_path):
    x, y = _data()
    m = _model()
    cb = keras.callbacks.BackupAndRestore(tmp_path / "b", double_checkpoint=True, delete_checkpoint=False)
    m.fit(x, y, epochs=2, callbacks=[cb], verbose=0)
    assert (tmp_path / "b" / "backup_previous.ckpt").is_file()
    (tmp_path / "b" / "backup.ckpt").write_bytes(b"truncated")
    m2 = _model()
    m2.fit(x, y, epochs=1, verbose=0, shuffle=False)
    hist = m2.fit(x, y, epochs=3, callbacks=[keras.callbacks.BackupAndRestore(
        tmp_path / "b", double_checkpoint=True)], verbose=0)
    assert hist.epoch == [1, 2]  # the previous backup was taken after epoch 0


def test_corrupt_backup_raises_naming_the_file(tmp_path):
    x, y = _data()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "backup.ckpt").write_bytes(b"not a zip")
    m = _model()
    m.fit(x, y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="backup.ckpt"):
        m.fit(x, y, epochs=2, callbacks=[keras.callbacks.BackupAndRestore(tmp_path / "b")], verbose=0)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="save_freq"):
        keras.callbacks.BackupAndRestore("/tmp/x", save_freq="batch")
    with pytest.raises(ValueError, match="backup_dir"):
        keras.callbacks.BackupAndRestore("")
    per_batch = keras.callbacks.BackupAndRestore("/tmp/x", save_freq=5)
    assert isinstance(per_batch, keras.callbacks.BackupAndRestore) and per_batch.save_freq == 5
    per_epoch = keras.callbacks.BackupAndRestore(os.path.join("/tmp", "x"))
    # Only the batch-frequency variant asks the native loop for per-batch calls.
    assert type(per_epoch).on_train_batch_end is keras.callbacks.Callback.on_train_batch_end
    assert type(per_batch).on_train_batch_end is not keras.callbacks.Callback.on_train_batch_end
