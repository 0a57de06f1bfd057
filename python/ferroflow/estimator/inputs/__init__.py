"""``tf.compat.v1.estimator.inputs``: input functions over NumPy arrays and pandas DataFrames."""

from ferroflow._api import public_dir as _public_dir

from .numpy_io import numpy_input_fn
from .pandas_io import pandas_input_fn

__all__ = ["numpy_input_fn", "pandas_input_fn"]

__dir__ = _public_dir(globals())
