"""What every ``fit`` loop does around an epoch, whether it is fed arrays or batches: the ``epochs`` check, naming
the layer and epoch of a NaN/Inf failure, the end-of-epoch logs, validation and callbacks, and the end of
training."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

import numpy as np

from .._core import InvalidArgumentError


def check_epochs(epochs: Any) -> None:
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"`epochs` must be a non-negative integer; received epochs={epochs!r}")


@contextmanager
def training_errors_named(model: Any, epoch: int) -> Iterator[None]:
    """Re-raises a NaN/Inf check that failed during the epoch as an error naming the layer and the epoch."""
    try:
        yield
    except InvalidArgumentError as e:
        from ..debugging import annotate_training_error

        annotated = annotate_training_error(e, model, epoch)
        if annotated is None:
            raise
        raise annotated from None


def end_epoch(
    model: Any, acc: Any, epoch: int, validate: Optional[Callable[[Any], dict]], validation_freq: int, cbs: Any
) -> dict:
    """Stores the epoch's results, validates when ``validation_freq`` says so, and calls ``on_epoch_end``;
    returns the epoch's logs. Validation runs with the fit's callbacks, so that, as in Keras 3, they see
    ``on_test_begin``/``on_test_batch_*``/``on_test_end`` (the progress bar stays silent within fit)."""
    logs = acc.logs()
    model._store_results(acc)
    if validate is not None and (epoch + 1) % validation_freq == 0:
        logs.update(validate(cbs))
        model._store_results(acc)  # model.metrics report training values after fit, as in Keras
    cbs.on_epoch_end(epoch, logs)
    return logs


def finalize_training(model: Any, epochs: int) -> None:
    """What Keras's ``fit`` does after its last epoch, before ``on_train_end``: the optimizer's
    ``finalize_variable_values`` (weight averaging copies the averages onto the variables)."""
    optimizer = getattr(model, "optimizer", None)
    finalize = getattr(optimizer, "finalize_variable_values", None)
    if finalize is not None and epochs > 0 and getattr(optimizer, "built", False):
        finalize(model.trainable_weights)
