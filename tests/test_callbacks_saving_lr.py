"""ferroflow.callbacks: ModelCheckpoint, CSVLogger and the learning-rate callbacks."""

from __future__ import annotations

import warnings

import pytest

from callback_fakes import FakeModel, fit, losses
from ferroflow import callbacks as cbs


def test_model_checkpoint_formats_path_and_saves_every_epoch(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "ckpt" / "model.{epoch:02d}-{val_loss:.2f}.keras")
    fit(model, [cbs.ModelCheckpoint(path)], losses(0.5, 0.25))
    names = [p.split("/")[-1] for _, p in model.saved]
    assert names == ["model.01-0.50.keras", "model.02-0.25.keras"]
    assert (tmp_path / "ckpt" / "model.02-0.25.keras").read_text() == "model"


def test_model_checkpoint_save_best_only_weights(tmp_path, capsys):
    model = FakeModel()
    path = str(tmp_path / "w{epoch}.weights.npz")
    ckpt = cbs.ModelCheckpoint(path, save_best_only=True, save_weights_only=True, verbose=1)
    fit(model, [ckpt], losses(0.5, 0.6, 0.4))
    assert [(kind, p.split("/")[-1]) for kind, p in model.saved] == [
        ("weights", "w1.weights.npz"),
        ("weights", "w3.weights.npz"),
    ]
    out = capsys.readouterr().out
    assert "Epoch 2: val_loss did not improve from 0.50000" in out
    assert "Epoch 3: val_loss improved from 0.50000 to 0.40000, saving model to" in out


def test_model_checkpoint_threshold_max_mode_and_batch_frequency(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "m.keras")
    ckpt = cbs.ModelCheckpoint(path, "val_acc", save_best_only=True, initial_value_threshold=0.7)
    fit(model, [ckpt], losses(0.5, 0.8, key="val_acc"))
    assert len(model.saved) == 1 and ckpt.best == 0.8
    model = FakeModel()
    path = str(tmp_path / "e{epoch}b{batch}.keras")
    fit(model, [cbs.ModelCheckpoint(path, save_freq=2)], losses(0.5, 0.5), steps=3)
    assert [p.split("/")[-1] for _, p in model.saved] == ["e1b2.keras", "e2b1.keras", "e2b3.keras"]


def test_model_checkpoint_validates_arguments(tmp_path):
    with pytest.raises(ValueError, match="must end in `.keras`"):
        cbs.ModelCheckpoint(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5` \(Keras weights format\)"):
        cbs.ModelCheckpoint(str(tmp_path / "model.keras"), save_weights_only=True)
    cbs.ModelCheckpoint(str(tmp_path / "x.weights.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        cbs.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
    with pytest.warns(UserWarning, match="mode 'up' is unknown"):
        cbs.ModelCheckpoint(str(tmp_path / "m.keras"), mode="up")
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        fit(FakeModel(), [cbs.ModelCheckpoint(str(tmp_path / "{val_auc}.keras"))], losses(1.0))


def test_csv_logger_writes_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    fit(FakeModel(), [cbs.CSVLogger(path)], [{"loss": 0.5, "acc": 0.25}])
    assert path.read_text().splitlines() == ["epoch,acc,loss,val_acc,val_loss", "0,0.25,0.5,NA,NA"]
    fit(FakeModel(), [cbs.CSVLogger(path, separator=";", append=True)], losses(0.125))
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and lines[2] == "0;1.0;0.125"


def test_learning_rate_scheduler():
    model = FakeModel()
    sched = cbs.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    h = fit(model, [sched], losses(1, 1, 1))
    assert model.optimizer.learning_rate == pytest.approx(0.0025)
    assert h.history["learning_rate"] == pytest.approx([0.01, 0.005, 0.0025])
    fit(model, [cbs.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))], losses(1, 1))
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    with pytest.raises(ValueError, match="should be a float"):
        fit(model, [cbs.LearningRateScheduler(lambda epoch, lr: "fast")], losses(1))


def test_reduce_lr_on_plateau_patience_cooldown_min_lr(capsys):
    model = FakeModel()
    model.optimizer.learning_rate = 1.0
    cb = cbs.ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2, min_lr=0.3, verbose=1)
    lrs = []
    probe = cbs.LambdaCallback(
        on_epoch_end=lambda e, logs: lrs.append(model.optimizer.learning_rate)
    )
    h = fit(model, [cb, probe], losses(1.0, 1.0, 1.0, 1.0, 1.0, 1.0))
    assert lrs == [1.0, 0.5, 0.5, 0.3, 0.3, 0.3]
    assert h.history["learning_rate"] == [1.0, 1.0, 0.5, 0.5, 0.3, 0.3]  # before reducing
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5." in capsys.readouterr().out


def test_reduce_lr_on_plateau_validation():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        cbs.ReduceLROnPlateau(factor=1.0)
    with pytest.warns(UserWarning, match="mode sideways is unknown"):
        cb = cbs.ReduceLROnPlateau(mode="sideways")
    assert cb.mode == "auto"
    model = FakeModel()
    cb = cbs.ReduceLROnPlateau(monitor="val_accuracy", patience=0, min_delta=0)
    fit(model, [cb], losses(0.5, 0.6, key="val_accuracy"))
    assert model.optimizer.learning_rate == 0.01  # accuracy went up: no reduction
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(model, [cbs.ReduceLROnPlateau()], [{"loss": 1.0}])
    assert any("`val_loss` which is not available" in str(w.message) for w in caught)
