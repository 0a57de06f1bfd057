"""``keras.mixed_precision``: dtype policies (``"mixed_float16"``) and the loss-scaling optimizer.

``set_global_policy("mixed_float16")`` makes new layers compute in float16 on float32 variables;
``Model.compile`` then wraps the optimizer in a ``LossScaleOptimizer``.
"""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir
from ferroflow.layers.dtype_policy import DTypePolicy, dtype_policy, set_dtype_policy
from ferroflow.optimizers.loss_scale_optimizer import LossScaleOptimizer

Policy = DTypePolicy  # tf.keras 2's name
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]

__dir__ = _public_dir(globals())
