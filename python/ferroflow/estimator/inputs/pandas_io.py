"""``tf.compat.v1.estimator.inputs.pandas_input_fn``: an ``input_fn`` over a pandas ``DataFrame`` (pandas is
optional: without it the call raises an error saying so)."""

from __future__ import annotations

import collections
from typing import Any, Callable, Optional

import numpy as np

from .numpy_io import _check_shuffle, dataset_of


class PandasNotInstalledError(ImportError, TypeError):
    """pandas is needed; an ``ImportError``, and the ``TypeError`` TensorFlow raises in this case."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise PandasNotInstalledError(
            "pandas_input_fn should not be called without pandas installed: install pandas (pip install pandas) or "
            "use numpy_input_fn with the DataFrame's columns as arrays"
        ) from None
    return pandas


def _unique_target_key(features: Any, target_key: str) -> str:
    while target_key in features:
        target_key += "_n"
    return target_key


def pandas_input_fn(
    x: Any,
    y: Any = None,
    batch_size: int = 128,
    num_epochs: Optional[int] = 1,
    shuffle: Any = None,
    queue_capacity: int = 1000,
    num_threads: int = 1,
    target_column: str = "target",
) -> Callable[[], Any]:
    """An ``input_fn`` giving batches of the columns of the DataFrame ``x`` (a dict of column tensors) and of
    ``y`` (a Series, or a DataFrame: a dict), ``num_epochs`` times, shuffled if ``shuffle``."""
    pd = _pandas()
    _check_shuffle(shuffle)
    if not isinstance(target_column, str):
        raise TypeError("target_column must be a string type")
    if not isinstance(x, pd.DataFrame):
        raise TypeError(f"x must be a pandas DataFrame; got {type(x).__name__}")
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError(f"num_epochs must be None or a positive integer, given: {num_epochs}")
    features = collections.OrderedDict((str(c), np.asarray(x[c].values)) for c in x.columns)
    target: Any = None
    if y is not None:
        if target_column in x:
            raise ValueError(
                f"Cannot use name {target_column} for target column: DataFrame already has a column with that "
                f"name: {x.columns}"
            )
        if not np.array_equal(np.asarray(x.index), np.asarray(y.index)):
            raise ValueError(f"Index for x and y are mismatched.\nIndex for x: {x.index}\nIndex for y: {y.index}\n")
        if isinstance(y, pd.DataFrame):
            target = collections.OrderedDict(
                (_unique_target_key(features, str(c)), np.asarray(y[c].values)) for c in y.columns
            )
        else:
            target = np.asarray(y.values)

    def input_fn() -> Any:
        from ...compat.v1.iterator_ops import make_one_shot_iterator

        dataset = dataset_of(features, target, batch_size, num_epochs, shuffle, queue_capacity)
        element = make_one_shot_iterator(dataset).get_next()
        return element if target is None else tuple(element)

    return input_fn
