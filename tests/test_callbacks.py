"""ferroflow.callbacks: the base class, CallbackList, History, ProgbarLogger, EarlyStopping ...

Driven by a fake model and a small fit-like loop (tests/callback_fakes.py), no trainer needed.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from callback_fakes import FakeModel, fit, losses
from ferroflow import callbacks as cbs


def test_callback_base_has_every_hook_and_batch_aliases():
    seen = []

    class Recorder(cbs.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cb = Recorder()
    assert cb.model is None and cb.params is None
    for hook in ("train", "test", "predict"):
        getattr(cb, f"on_{hook}_begin")({})
        getattr(cb, f"on_{hook}_end")({})
        getattr(cb, f"on_{hook}_batch_begin")(0, {})
        getattr(cb, f"on_{hook}_batch_end")(0, {})
    cb.on_epoch_begin(0, {})
    cb.on_epoch_end(0, {})
    assert seen == [("begin", 0), ("end", 0, {})]  # only the train batch hooks alias
    model = FakeModel()
    cb.set_model(model)
    cb.set_params({"epochs": 2})
    assert cb.model is model and cb.params == {"epochs": 2}


def test_callback_list_adds_history_and_progbar_once():
    model = FakeModel()
    history = cbs.History()
    cl = cbs.CallbackList([history], add_history=True, add_progbar=True, model=model, epochs=1)
    assert [type(c) for c in cl.callbacks] == [cbs.History, cbs.ProgbarLogger]
    assert cl.callbacks[0] is history and model.history is history
    assert cl.callbacks[1].params == {"epochs": 1}
    assert len(cbs.CallbackList([[cbs.Callback()], cbs.Callback()])) == 2
    assert [type(c) for c in cbs.CallbackList(None, add_history=True)] == [cbs.History]


def test_callback_list_dispatches_python_floats_in_order():
    calls = []

    class Recorder(cbs.Callback):
        def __init__(self, name):
            super().__init__()
            self.name = name

        def on_epoch_end(self, epoch, logs=None):
            calls.append((self.name, epoch, logs))
            logs[self.name] = 1.0

    cl = cbs.CallbackList([Recorder("a"), Recorder("b")])
    cl.on_epoch_end(3, {"loss": np.float32(0.5), "m": {"acc": np.array(0.25)}})
    assert calls[0][0] == "a" and calls[1][0] == "b"
    logs = calls[1][2]
    assert logs == {"loss": 0.5, "acc": 0.25, "a": 1.0, "b": 1.0}
    assert type(logs["loss"]) is float


def test_history_records_every_epoch():
    model = FakeModel()
    h = fit(model, [], [{"loss": 0.5, "val_loss": 0.6}, {"loss": 0.4, "val_loss": 0.7}])
    assert isinstance(h, cbs.History) and h.epoch == [0, 1]
    assert h.history == {"loss": [0.5, 0.4], "val_loss": [0.6, 0.7]}


def test_progbar_logger_prints_headers_and_final_lines(capsys):
    fit(FakeModel(), [], losses(0.5, 0.25), steps=4, verbose=1)
    # Keras 3 redraws the bar in place (on POSIX even into a pipe): a line's last "\r" part is what shows.
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line.split("\r")[-1]) for line in capsys.readouterr().out.splitlines()]
    assert [line for line in lines if line.startswith("Epoch")] == ["Epoch 1/2", "Epoch 2/2"]
    finals = [line for line in lines if line.startswith("4/4 ━━━━━━━━━━━━━━━━━━━━ ")]
    assert len(finals) == 2 and finals[1].endswith("- loss: 1.0000 - val_loss: 0.2500")


def test_progbar_logger_single_epoch_and_verbose_2(capsys):
    fit(FakeModel(), [], losses(0.5), steps=2, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch" not in out  # Keras 3 prints no header for a single epoch
    assert out.startswith("2/2 - ") and out.count("\n") == 1


def test_early_stopping_patience_and_restore_best_weights(capsys):
    model = FakeModel()
    es = cbs.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    h = fit(model, [es], losses(1.0, 0.9, 0.95, 0.96, 0.97, 0.5))
    assert h.epoch == [0, 1, 2, 3] and es.stopped_epoch == 3
    assert es.best == 0.9 and es.best_epoch == 1
    assert model.weights[0].tolist() == [1.0, 1.0]  # the weights after epoch 1
    out = capsys.readouterr().out
    assert "Epoch 4: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_early_stopping_patience_zero_and_min_delta():
    es = cbs.EarlyStopping(patience=0, min_delta=0.1)
    h = fit(FakeModel(), [es], losses(1.0, 0.95, 0.5))
    assert h.epoch == [0, 1]  # 0.95 is not better by more than 0.1


def test_early_stopping_auto_mode_maximizes_accuracy():
    es = cbs.EarlyStopping(monitor="val_accuracy", patience=1)
    h = fit(FakeModel(), [es], losses(0.5, 0.6, 0.7, 0.65, 0.8, key="val_accuracy"))
    assert h.epoch == [0, 1, 2, 3] and es.best == 0.7
    es = cbs.EarlyStopping(monitor="val_auc", mode="min", patience=1)
    fit(FakeModel(), [es], losses(0.5, 0.6, key="val_auc"))
    assert es.stopped_epoch == 1


def test_early_stopping_baseline_and_start_from_epoch():
    es = cbs.EarlyStopping(patience=2, baseline=0.5)
    assert fit(FakeModel(), [es], losses(0.9, 0.8, 0.85, 0.1)).epoch == [0, 1, 2]
    es = cbs.EarlyStopping(patience=2)
    assert fit(FakeModel(), [es], losses(0.9, 0.8, 0.85, 0.1)).epoch == [0, 1, 2, 3]
    es = cbs.EarlyStopping(patience=0, start_from_epoch=2)
    assert fit(FakeModel(), [es], losses(0.1, 0.2, 0.3, 0.4)).epoch == [0, 1, 2, 3]


def test_early_stopping_warnings():
    with pytest.warns(UserWarning, match="mode bogus is unknown"):
        es = cbs.EarlyStopping(mode="bogus")
    assert es.mode == "auto"
    with pytest.warns(UserWarning, match="`val_loss` which is not available"):
        fit(FakeModel(), [es], [{"loss": 1.0}])


def test_terminate_on_nan(capsys):
    model = FakeModel()
    h = fit(model, [cbs.TerminateOnNaN()], losses(1, 1, 1), batch_logs={"loss": math.nan})
    assert h.epoch == [0] and model.stop_training
    assert "Batch 0: Invalid loss, terminating training" in capsys.readouterr().out


def test_lambda_callback_hooks_and_extra_kwargs():
    events = []
    cb = cbs.LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: events.append(f"epoch_begin {epoch}"),
        on_train_batch_end=lambda batch, logs: events.append(f"batch {batch}"),
        on_train_end=lambda logs: events.append("train_end"),
        on_test_begin=lambda logs: events.append("test_begin"),
    )
    fit(FakeModel(), [cb], losses(1.0), steps=2)
    cb.on_test_begin({})
    assert events == [
        "train_begin",
        "epoch_begin 0",
        "batch 0",
        "batch 1",
        "train_end",
        "test_begin",
    ]
