"""``LinearOperatorIdentity`` and ``LinearOperatorScaledIdentity``: ``I`` and ``c I`` of a static size,
never materialized (``matmul`` returns its argument, scaled)."""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.dtypes import as_dtype, float32
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import linalg_ops
from .array_ops import expand_dims, ones, zeros
from .construction_ops import eye
from .linear_operator import LinearOperator
from .linear_operator_hints import as_operand, commuting_hints
from .linear_operator_impls import LinearOperatorDiag, RowScaling
from .math_ops import abs as tf_abs
from .math_ops import log, sqrt
from .structure_ops import broadcast_static_shape


def _static_ints(value: Any, what: str, rank: int) -> np.ndarray:
    """``num_rows`` (``rank`` 0) or ``batch_shape`` (``rank`` 1) as known integers, checked as TensorFlow does."""
    if isinstance(value, Tensor):
        try:
            value = value.numpy()
        except Exception:  # a graph tensor has no value to size the operator with
            raise ValueError(f"Argument {what} must be known when the operator is built.  Found: {value}") from None
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and rank == 1):
        raise TypeError(f"Argument {what} must be integer type.  Found: {value}")
    if arr.ndim != rank:
        raise ValueError(f"Argument {what} must be a {rank}-D Tensor.  Found: {value}")
    if np.any(arr < 0):
        raise ValueError(f"Argument {what} must be non-negative.  Found: {value}")
    return arr.astype(np.int64)


class LinearOperatorIdentity(LinearOperator):
    """An operator acting as a [batch] identity matrix of ``num_rows`` rows."""

    _is_identity = True

    def __init__(
        self,
        num_rows: Any,
        batch_shape: Any = None,
        dtype: Any = None,
        is_non_singular: Optional[bool] = True,
        is_self_adjoint: Optional[bool] = True,
        is_positive_definite: Optional[bool] = True,
        is_square: Optional[bool] = True,
        assert_proper_shapes: bool = False,
        name: str = "LinearOperatorIdentity",
    ) -> None:
        parameters = dict(
            num_rows=num_rows,
            batch_shape=batch_shape,
            dtype=dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            assert_proper_shapes=assert_proper_shapes,
            name=name,
        )
        for hint, what in [
            (is_self_adjoint, "self adjoint"),
            (is_non_singular, "non-singular"),
            (is_positive_definite, "positive-definite"),
            (is_square, "square"),
        ]:
            if not hint:
                raise ValueError(f"An identity operator is always {what}.")
        self._num_rows = int(_static_ints(num_rows, "num_rows", 0))
        self._batch: Optional[List[int]] = None
        if batch_shape is not None:
            self._batch = _static_ints(batch_shape, "batch_shape", 1).tolist()
        super().__init__(
            dtype=as_dtype(dtype or float32),
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=True,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    def _shape(self) -> TensorShape:
        return TensorShape((self._batch or []) + [self._num_rows, self._num_rows])

    def _broadcast_batch(self, x: Tensor, trailing: int) -> Tensor:
        """``x`` broadcast against the operator's batch shape, as ``I @ x`` would be."""
        if not self._batch:
            return x
        lead = x.shape[:-trailing]
        if lead.rank is not None and None not in lead and broadcast_static_shape(lead, self._batch) == lead:
            return x
        return x + zeros(self._batch + [1] * trailing, dtype=self.dtype)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        x = linalg_ops.matrix_transpose(x) if adjoint_arg else x
        return self._broadcast_batch(x, 2)

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return self._broadcast_batch(x, 1)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._matmul(rhs, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return self._broadcast_batch(rhs, 1)

    def _determinant(self) -> Tensor:
        return ones(self._batch or [], dtype=self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(self._batch or [], dtype=self.dtype)

    def _trace(self) -> Tensor:
        return float(self._num_rows) * ones(self._batch or [], dtype=self.dtype)

    def _diag_part(self) -> Tensor:
        return ones((self._batch or []) + [self._num_rows], dtype=self.dtype)

    def _to_dense(self) -> Tensor:
        return eye(self._num_rows, batch_shape=self._batch, dtype=self.dtype)

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return x + eye(self._num_rows, dtype=self.dtype)

    def _linop_inverse(self) -> LinearOperator:
        return self

    def _linop_cholesky(self) -> LinearOperator:
        return self

    def _linop_matmul(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        return right

    def _linop_solve(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        return right


class LinearOperatorScaledIdentity(RowScaling, LinearOperator):
    """An operator acting as ``multiplier`` times the identity (a batch of them for a batch of multipliers)."""

    def __init__(
        self,
        num_rows: Any,
        multiplier: Any,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = True,
        assert_proper_shapes: bool = False,
        name: str = "LinearOperatorScaledIdentity",
    ) -> None:
        parameters = dict(
            num_rows=num_rows,
            multiplier=multiplier,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            assert_proper_shapes=assert_proper_shapes,
            name=name,
        )
        if is_square is False:
            raise ValueError("A ScaledIdentity operator is always square.")
        # Real dtypes only, so c I is its own transpose.
        if is_self_adjoint is False:
            raise ValueError("A real diagonal operator is always self adjoint.")
        self._multiplier = as_operand(multiplier)
        self._num_rows = int(_static_ints(num_rows, "num_rows", 0))
        super().__init__(
            dtype=self._multiplier.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=True,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def multiplier(self) -> Any:
        """The scalar (or [batch] of scalars) multiplying the identity."""
        return self._multiplier

    def _shape(self) -> TensorShape:
        return self._multiplier.shape.concatenate([self._num_rows, self._num_rows])

    def _multiplier_matrix(self) -> Tensor:
        return expand_dims(expand_dims(self._multiplier, -1), -1)

    def _row_scale(self) -> Tensor:
        return expand_dims(self._multiplier, -1)  # one factor per batch member, broadcast over the rows

    def _determinant(self) -> Tensor:
        return convert_to_tensor(self._multiplier) ** self._num_rows

    def _log_abs_determinant(self) -> Tensor:
        return float(self._num_rows) * log(tf_abs(self._multiplier))

    def _trace(self) -> Tensor:
        return float(self._num_rows) * convert_to_tensor(self._multiplier)

    def _diag_part(self) -> Tensor:
        return expand_dims(self._multiplier, -1) * ones([self._num_rows], dtype=self.dtype)

    def _to_dense(self) -> Tensor:
        return self._multiplier_matrix() * eye(self._num_rows, dtype=self.dtype)

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return x + self._to_dense()

    def _rebuilt(self, multiplier: Any, **hints: Any) -> LinearOperator:
        return LinearOperatorScaledIdentity(self._num_rows, multiplier, is_square=True, **hints)

    def _linop_inverse(self) -> LinearOperator:
        hints = {"is_non_singular": self.is_non_singular, "is_positive_definite": self.is_positive_definite}
        return self._rebuilt(1.0 / convert_to_tensor(self._multiplier), is_self_adjoint=True, **hints)

    def _linop_cholesky(self) -> LinearOperator:
        hints = {"is_non_singular": True, "is_self_adjoint": True, "is_positive_definite": True}
        return self._rebuilt(sqrt(self._multiplier), **hints)

    def _linop_matmul(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        if isinstance(right, LinearOperatorScaledIdentity):
            return self._rebuilt(self._multiplier * right.multiplier, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorDiag):
            scale = expand_dims(self._multiplier, -1)
            return LinearOperatorDiag(right.diag * scale, is_square=True, **commuting_hints(left, right))
        return super()._linop_matmul(left, right)

    def _linop_solve(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        if isinstance(right, LinearOperatorScaledIdentity):
            return self._rebuilt(right.multiplier / self._multiplier, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorDiag):
            scale = expand_dims(self._multiplier, -1)
            return LinearOperatorDiag(right.diag / scale, is_square=True, **commuting_hints(left, right))
        return super()._linop_solve(left, right)
