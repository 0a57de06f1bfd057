"""``ferroflow.dtypes``: element types."""

from .framework.dtypes import DType, as_dtype, bool_, double, float32, float64, int32, int64  # noqa: F401
