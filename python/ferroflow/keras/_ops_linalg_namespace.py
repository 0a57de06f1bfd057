"""``keras.ops.linalg``: Keras 3's linear algebra ops, the same functions as ``keras.ops``'s."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

from . import ops as _ops

# Keras 3's keras.ops.linalg names, taken from keras.ops once they exist (ops.py imports this module last).
__all__ = (
    "cholesky cholesky_inverse det eig eigh inv jvp lstsq lu_factor matrix_rank norm pinv qr solve "
    "solve_triangular svd "
).split()
globals().update({_name: getattr(_ops, _name) for _name in __all__})
__dir__ = _public_dir(globals())
