"""``ferroflow.dtypes``: element types."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .framework.dtypes import (  # noqa: F401  # noqa: F401
    DType,
    as_dtype,
    bfloat16,
    bool_,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .ops.array_ops import cast  # noqa: F401
from .ops.complex_ops import complex  # noqa: F401
from .ops.math_extra_ops import saturate_cast  # noqa: F401

bool = bool_  # noqa: A001  (``tf.dtypes.bool``, as ``tf.bool``)

__dir__ = _public_dir(globals(), hidden=("bool_",))
