"""``fit``, ``evaluate`` and ``predict`` on data that arrives in batches (generators, datasets, PyDataset).

The epoch loop mirrors the array-fed one (``fit_loop``): the same callbacks, History, validation and
``stop_training``; the batches come from a ``BatchStream`` and run through a ``StepRunner``.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Optional

from ..utils.py_dataset import PyDataset
from . import data_adapter
from .epoch_bookkeeping import check_epochs, end_epoch, finalize_training, training_errors_named
from .iterator_adapter import RAN_OUT, BatchStream, check_arguments, is_batch_source, source_name
from .stream_runner import StepRunner


def _warn_shuffle_ignored(x: Any, stream: BatchStream) -> None:
    name = source_name(x)
    if isinstance(x, PyDataset):
        if stream.num_batches is not None:
            return  # a finite PyDataset is shuffled: its batch indices take a new order each epoch
        name, expected = "an infinite PyDataset", "The PyDataset is expected to already be shuffled."
    elif name == "tf.data.Dataset":
        name, expected = (
            "a tf.data.Dataset",
            "The Dataset is expected to already be shuffled (via `.shuffle(buffer_size)`).",
        )
    else:
        expected = f"The {name} is expected to yield already-shuffled data."
        name = f"a {name}"
    warnings.warn(
        f"`shuffle=True` was passed, but will be ignored since the data `x` was provided as {name}. " + expected,
        stacklevel=4,
    )


def _evaluate_stream(model: Any, stream: BatchStream, cbs: Any) -> Optional[dict]:
    """The loss and metrics over one pass of ``stream``; None when it had no batches."""
    runner = StepRunner(model, "test")
    if cbs is not None:
        cbs.on_test_begin()
    with stream.epoch() as batches:
        acc = runner.run_epoch(batches, cbs, lambda: False, stream.epoch_steps)
    if acc is None:
        return None
    logs = acc.logs()
    if cbs is not None:
        cbs.on_test_end(logs)
    model._store_results(acc)
    return logs


def validation(model: Any, validation_data: Any, validation_steps: Optional[int]) -> Optional[Callable[[Any], dict]]:
    """For ``validation_data`` given as batches: a function of the fit's callback list giving the ``val_``
    logs (None for arrays).

    As in Keras, one stream serves the whole ``fit``: with ``validation_steps`` each validation continues
    where the previous one stopped.
    """
    if not is_batch_source(validation_data):
        return None
    stream = BatchStream(
        validation_data, validation_steps, needs_y=_needs_y(model, "test"), steps_name="validation_steps"
    )

    def run(cbs: Any = None) -> dict:
        logs = _evaluate_stream(model, stream, cbs)
        if logs is None:
            warnings.warn(RAN_OUT, stacklevel=2)
            return {}
        return {"val_" + k: v for k, v in logs.items()}

    return run


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
    """``Model.fit`` when ``x`` yields batches."""
    check_arguments(x, y, sample_weight, batch_size, validation_split)
    check_epochs(epochs)
    validation_freq = data_adapter.check_positive_int(validation_freq, "validation_freq")
    stream = BatchStream(x, steps_per_epoch, shuffle=shuffle, needs_y=_needs_y(model, "train"))
    if shuffle:
        _warn_shuffle_ignored(x, stream)
    runner = StepRunner(model, "train", class_weight)
    validate = validation(model, validation_data, validation_steps)
    if validate is None and validation_data is not None:
        from .fit_loop import array_validation

        validate = array_validation(model, validation_data, validation_steps, validation_batch_size)
    cbs = model._callbacks(callbacks, verbose, epochs, stream.epoch_steps)
    model.stop_training = False
    model._initial_epoch = None
    cbs.on_train_begin()
    initial_epoch = model._initial_epoch or initial_epoch  # BackupAndRestore may move the start
    logs: dict = {}
    trained = False
    for epoch in range(initial_epoch, epochs):
        cbs.on_epoch_begin(epoch)
        with training_errors_named(model, epoch), stream.epoch() as batches:
            acc = runner.run_epoch(batches, cbs, lambda: model.stop_training, stream.epoch_steps)
        if acc is None:
            if not trained:
                raise ValueError(
                    f"The {stream.name} given to fit yielded no batches: it must yield at least one "
                    "batch of (inputs, targets)"
                )
            warnings.warn(RAN_OUT, stacklevel=2)
            break
        trained = True
        logs = end_epoch(model, acc, epoch, validate, validation_freq, cbs)
        if model.stop_training or stream.exhausted:
            break  # a generator that ran out cannot feed another epoch
    finalize_training(model, epochs)
    cbs.on_train_end(logs)
    return model.history


def evaluate(
    model: Any,
    x: Any,
    y: Any,
    batch_size: Optional[int],
    verbose: int,
    sample_weight: Any,
    steps: Optional[int],
    callbacks: Any,
) -> dict:
    """``Model.evaluate`` when ``x`` yields batches: the logs dict."""
    check_arguments(x, y, sample_weight, batch_size)
    stream = BatchStream(x, steps, needs_y=_needs_y(model, "test"), steps_name="steps")
    cbs = None
    if callbacks is not None or verbose:
        cbs = model._callbacks(callbacks, verbose, 1, stream.epoch_steps)
    logs = _evaluate_stream(model, stream, cbs)
    if logs is None:
        raise ValueError(f"The {stream.name} given to evaluate yielded no batches")
    return logs


def predict(model: Any, x: Any, batch_size: Optional[int], verbose: int, steps: Optional[int], callbacks: Any) -> Any:
    """``Model.predict`` when ``x`` yields batches (of inputs, or tuples whose first item is the inputs)."""
    check_arguments(x, batch_size=batch_size)
    stream = BatchStream(x, steps, needs_y=False, steps_name="steps")
    cbs = None
    if callbacks is not None or verbose:
        cbs = model._callbacks(callbacks, verbose, 1, stream.epoch_steps)
        cbs.on_predict_begin()
    with stream.epoch() as batches:
        result = StepRunner(model, "predict").predict(batches, cbs)
    if result is None:
        raise ValueError(f"The {stream.name} given to predict yielded no batches")
    if cbs is not None:
        cbs.on_predict_end()
    return result


def _needs_y(model: Any, kind: str) -> bool:
    """Whether batches must carry targets: not for a model compiled without a loss (as Keras 3, it trains
    on the losses its layers add with ``add_loss``), nor for one whose own ``train_step``/``test_step`` reads
    the batch (a masked autoencoder's images alone)."""
    return model._compiled_loss is not None and not model._overrides_step(kind)
