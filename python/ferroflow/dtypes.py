"""``ferroflow.dtypes``: element types."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .framework.dtypes import DType, as_dtype, bool_, double, float32, float64, int32, int64  # noqa: F401
from .ops.math_extra_ops import saturate_cast  # noqa: F401

__dir__ = _public_dir(globals())
