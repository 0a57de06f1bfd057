"""``ferroflow.math``: TensorFlow's ``tf.math`` namespace."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .ops import math_special as special  # noqa: F401
from .ops.betainc_ops import betainc  # noqa: F401
from .ops.complex_ops import angle, conj, imag, real  # noqa: F401
from .ops.counting_ops import confusion_matrix, in_top_k  # noqa: F401
from .ops.igamma_ops import igamma, igammac  # noqa: F401
from .ops.math_derived_ops import (  # noqa: F401
    count_nonzero,
    divide_no_nan,
    log_sigmoid,
    logical_xor,
    polyval,
    reciprocal_no_nan,
    reduce_all,
    reduce_any,
    squared_difference,
    tan,
    xdivy,
    xlogy,
)
from .ops.math_extra_ops import (  # noqa: F401
    cumulative_logsumexp,
    invert_permutation,
    is_non_decreasing,
    is_strictly_increasing,
    multiply_no_nan,
    reduce_euclidean_norm,
    rint,
    scalar_mul,
    xlog1py,
    zero_fraction,
)
from .ops.math_more_ops import (  # noqa: F401
    accumulate_n,
    bessel_i0,
    bessel_i0e,
    bessel_i1,
    bessel_i1e,
    nextafter,
)
from .ops.math_ops import (  # noqa: F401
    abs,
    add,
    add_n,
    argmax,
    argmin,
    ceil,
    cos,
    divide,
    equal,
    exp,
    expm1,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    l2_normalize,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    reciprocal,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_std,
    reduce_sum,
    reduce_variance,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    softplus,
    sqrt,
    square,
    subtract,
    tanh,
    truediv,
)
from .ops.nn_misc_ops import approx_max_k, approx_min_k  # noqa: F401
from .ops.nn_ops import log_softmax, softmax, softsign  # noqa: F401
from .ops.scan_ops import cumprod, cumsum  # noqa: F401
from .ops.segment_ops import (  # noqa: F401
    segment_max,
    segment_mean,
    segment_min,
    segment_prod,
    segment_sum,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_prod,
    unsorted_segment_sqrt_n,
    unsorted_segment_sum,
)
from .ops.sorting_ops import bincount, top_k  # noqa: F401
from .ops.special_math_ops import (  # noqa: F401
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cosh,
    digamma,
    erf,
    erfc,
    erfcinv,
    erfinv,
    lbeta,
    lgamma,
    ndtri,
    sinh,
)
from .ops.zeta_ops import polygamma, zeta  # noqa: F401

__dir__ = _public_dir(globals(), "special")
