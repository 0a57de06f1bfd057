"""The epoch loop of ``Model.fit``: data preparation, shuffling, validation and callbacks, as Keras does them."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from . import batch_runner, data_adapter, multi_output
from .epoch_bookkeeping import check_epochs, end_epoch, finalize_training, training_errors_named
from .evaluate_loop import evaluate_arrays


def fit(
    model: Any,
    x: Any,
    y: Any,
    batch_size: Optional[int],
    epochs: int,
    verbose: int,
    callbacks: Any,
    validation_split: float,
    validation_data: Any,
    shuffle: bool,
    class_weight: Optional[dict],
    sample_weight: Any,
    initial_epoch: int,
    steps_per_epoch: Optional[int],
    validation_steps: Optional[int],
    validation_batch_size: Optional[int],
    validation_freq: int,
) -> Any:
    from . import iterator_fit_loop
    from .iterator_adapter import is_batch_source

    if is_batch_source(x):
        return iterator_fit_loop.fit(
            model,
            x,
            y,
            batch_size,
            epochs,
            verbose,
            callbacks,
            validation_split,
            validation_data,
            shuffle,
            class_weight,
            sample_weight,
            initial_epoch,
            steps_per_epoch,
            validation_steps,
            validation_batch_size,
            validation_freq,
        )
    batch_size = data_adapter.check_positive_int(32 if batch_size is None else batch_size, "batch_size")
    check_epochs(epochs)
    steps_per_epoch = data_adapter.check_positive_int(steps_per_epoch, "steps_per_epoch", allow_none=True)
    validation_freq = data_adapter.check_positive_int(validation_freq, "validation_freq")
    xs, structure, ya, sw = model._arrays(x, y, sample_weight, class_weight)
    validate = None
    if validation_data is not None:
        validate = iterator_fit_loop.validation(model, validation_data, validation_steps) or array_validation(
            model, validation_data, validation_steps, validation_batch_size or batch_size
        )
    elif validation_split:
        train_parts, val_parts = data_adapter.split_validation(xs + multi_output.flat_targets(ya, sw), validation_split)
        k = len(xs)
        vya, vsw = multi_output.unflat_targets(val_parts[k:], ya)
        val = ([data_adapter.contiguous(a) for a in val_parts[:k]], structure, vya, vsw)
        validate = _array_evaluator(model, val, validation_steps, validation_batch_size or batch_size)
        xs = [data_adapter.contiguous(a) for a in train_parts[:k]]
        ya, sw = multi_output.unflat_targets(train_parts[k:], ya)
    plan = model._plan("train", xs, structure, ya, sw)
    model._train_plan = plan  # BackupAndRestore saves and restores its random-op counters
    n = multi_output.rows(ya, xs)
    per_epoch = n if steps_per_epoch is None else min(n, steps_per_epoch * batch_size)
    steps = (per_epoch + batch_size - 1) // batch_size
    cbs = model._callbacks(callbacks, verbose, epochs, steps)
    model.stop_training = False
    arrays = multi_output.step_arrays(xs, ya, sw)
    model._initial_epoch = None
    cbs.on_train_begin()
    # A callback may move the start (BackupAndRestore resuming after a crash), as Keras's fit allows.
    initial_epoch = model._initial_epoch or initial_epoch
    logs: dict = {}
    for epoch in range(initial_epoch, epochs):
        cbs.on_epoch_begin(epoch)
        order = np.random.permutation(n).astype("int64") if shuffle else np.arange(n, dtype="int64")
        order = np.ascontiguousarray(order[:per_epoch])
        acc = batch_runner.accumulator(model, plan)
        with training_errors_named(model, epoch):
            batch_runner.run(plan.plan, arrays, order, batch_size, acc, cbs, "train", lambda: model.stop_training)
        logs = end_epoch(model, acc, epoch, validate, validation_freq, cbs)
        if model.stop_training:
            break
    finalize_training(model, epochs)
    cbs.on_train_end(logs)
    return model.history


def _array_evaluator(model: Any, val: tuple, steps: Optional[int], batch_size: int) -> Callable[[Any], dict]:
    def run(cbs: Any = None) -> dict:
        vxs, vstructure, vya, vsw = val
        logs = evaluate_arrays(model, vxs, vstructure, vya, vsw, batch_size, steps, None, 0, cbs)
        return {"val_" + k: v for k, v in logs.items()}

    return run


def array_validation(
    model: Any, validation_data: Any, steps: Optional[int], batch_size: Optional[int]
) -> Callable[[Any], dict]:
    """``validation_data`` given as ``(x, y)`` or ``(x, y, sample_weight)`` arrays: a function of the fit's
    callback list giving the ``val_`` logs."""
    vx, vy, vsw = data_adapter.unpack_validation_data(validation_data)
    val = model._arrays(vx, vy, vsw)
    return _array_evaluator(model, val, steps, data_adapter.check_positive_int(batch_size or 32, "batch_size"))
