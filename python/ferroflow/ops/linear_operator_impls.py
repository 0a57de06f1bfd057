"""Operators defined by a tensor: ``LinearOperatorFullMatrix`` (any [batch] matrix), ``LinearOperatorDiag``
(a [batch] diagonal) and ``LinearOperatorLowerTriangular`` (the lower triangle of a [batch] matrix)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import linalg_ops
from .array_ops import expand_dims, where, zeros
from .linear_operator import LinearOperator
from .linear_operator_hints import as_operand, combined_non_singular_hint, commuting_hints
from .math_ops import abs as tf_abs
from .math_ops import log, matmul, reduce_prod, reduce_sum, sqrt


class LinearOperatorFullMatrix(LinearOperator):
    """An operator acting as a [batch] matrix ``A`` of shape ``[B1, ..., Bb, M, N]``."""

    def __init__(
        self,
        matrix: Any,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = None,
        name: str = "LinearOperatorFullMatrix",
    ) -> None:
        parameters = dict(
            matrix=matrix,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
        )
        self._matrix = as_operand(matrix)
        if not self._matrix.dtype.is_floating:
            raise TypeError(
                f"Argument `matrix` must have a floating dtype (float16, float32, float64). "
                f"Received: {self._matrix.dtype}."
            )
        if self._matrix.shape.rank is not None and self._matrix.shape.rank < 2:
            raise ValueError(f"Argument `matrix` must have at least 2 dimensions. Received shape {self._matrix.shape}.")
        super().__init__(
            dtype=self._matrix.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=parameters,
        )

    @property
    def matrix(self) -> Any:
        """The matrix defining this operator."""
        return self._matrix

    def _shape(self) -> TensorShape:
        return self._matrix.shape

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _to_dense(self) -> Tensor:
        return convert_to_tensor(self._matrix)


class RowScaling:
    """Mixin of the operators that scale row ``i`` of their argument by a factor (diagonal, scaled identity):
    ``_row_scale()`` is the [batch] vector of factors, or one factor per batch member as a length-1 vector.
    Real dtypes only, so the adjoint scales the same rows."""

    def _row_scale(self) -> Any:
        raise NotImplementedError("_row_scale is not implemented.")

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        x = linalg_ops.matrix_transpose(x) if adjoint_arg else x
        return expand_dims(self._row_scale(), -1) * x

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return self._row_scale() * x

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        rhs = linalg_ops.matrix_transpose(rhs) if adjoint_arg else rhs
        return rhs / expand_dims(self._row_scale(), -1)

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return rhs / self._row_scale()


class LinearOperatorDiag(RowScaling, LinearOperator):
    """An operator acting as a [batch] square diagonal matrix with diagonal ``diag`` ([B1, ..., Bb, N])."""

    def __init__(
        self,
        diag: Any,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = True,
        name: str = "LinearOperatorDiag",
    ) -> None:
        parameters = dict(
            diag=diag,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
        )
        self._diag = as_operand(diag)
        if self._diag.shape.rank is not None and self._diag.shape.rank < 1:
            raise ValueError(f"Argument diag must have at least 1 dimension.  Found: {self._diag}")
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        # Real dtypes only, so the diagonal matrix is its own transpose.
        if is_self_adjoint is False:
            raise ValueError("A real diagonal operator is always self adjoint.")
        super().__init__(
            dtype=self._diag.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=True,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def diag(self) -> Any:
        """The diagonal defining this operator."""
        return self._diag

    def _shape(self) -> TensorShape:
        shape = self._diag.shape
        return shape.concatenate(shape[-1:])

    def _row_scale(self) -> Any:
        return self._diag

    def _determinant(self) -> Tensor:
        return reduce_prod(self._diag, axis=-1)

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(tf_abs(self._diag)), axis=-1)

    def _to_dense(self) -> Tensor:
        n = self._diag.shape[-1]
        if n is None:
            return linalg_ops.diag(self._diag)
        # A select rather than diag * I: off the diagonal, -d * 0 would give -0.0 where TensorFlow gives 0.0.
        return where(np.eye(n, dtype=bool), expand_dims(self._diag, -1), zeros([], dtype=self.dtype))

    def _diag_part(self) -> Tensor:
        return convert_to_tensor(self._diag)

    def _trace(self) -> Tensor:
        return reduce_sum(self._diag, axis=-1)

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return x + linalg_ops.diag(self._diag)

    def _linop_inverse(self) -> LinearOperator:
        return LinearOperatorDiag(1.0 / convert_to_tensor(self._diag), **self._hints())

    def _linop_cholesky(self) -> LinearOperator:
        return LinearOperatorDiag(
            sqrt(self._diag), is_non_singular=True, is_self_adjoint=True, is_positive_definite=True, is_square=True
        )

    def _linop_matmul(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        # Imported here: the identity operators' module imports this one.
        from .linear_operator_identity import LinearOperatorScaledIdentity

        if isinstance(right, LinearOperatorDiag):
            return LinearOperatorDiag(self._diag * right.diag, is_square=True, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorScaledIdentity):
            scale = expand_dims(right.multiplier, -1)  # one multiplier per batch member, over the diagonal
            return LinearOperatorDiag(self._diag * scale, is_square=True, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorLowerTriangular):
            hints = commuting_hints(left, right)
            return LinearOperatorLowerTriangular(
                expand_dims(self._diag, -1) * right.to_dense(),
                is_non_singular=hints["is_non_singular"],
                is_self_adjoint=hints["is_self_adjoint"],
                is_square=True,
            )
        return super()._linop_matmul(left, right)

    def _linop_solve(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        from .linear_operator_identity import LinearOperatorScaledIdentity

        if isinstance(right, LinearOperatorDiag):
            return LinearOperatorDiag(right.diag / self._diag, is_square=True, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorScaledIdentity):
            scale = expand_dims(right.multiplier, -1)
            return LinearOperatorDiag(scale / self._diag, is_square=True, **commuting_hints(left, right))
        if isinstance(right, LinearOperatorLowerTriangular):
            hints = commuting_hints(left, right)
            return LinearOperatorLowerTriangular(
                right.to_dense() / expand_dims(self._diag, -1),
                is_non_singular=hints["is_non_singular"],
                is_self_adjoint=hints["is_self_adjoint"],
                is_square=True,
            )
        return super()._linop_solve(left, right)


class LinearOperatorLowerTriangular(LinearOperator):
    """An operator acting as the lower triangle of a [batch] square matrix ``tril`` (the rest is ignored)."""

    def __init__(
        self,
        tril: Any,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = None,
        name: str = "LinearOperatorLowerTriangular",
    ) -> None:
        parameters = dict(
            tril=tril,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
        )
        self._tril = as_operand(tril)
        shape = self._tril.shape
        if shape.rank is not None and shape.rank < 2:
            raise ValueError(f"Argument tril must have at least 2 dimensions.  Found: {self._tril}")
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        rows, cols = (shape[-2], shape[-1]) if shape.rank is not None else (None, None)
        if rows is not None and cols is not None and rows != cols:
            raise ValueError(
                f"Only square lower triangular operators supported at this time. Received `tril` of shape {shape}."
            )
        super().__init__(
            dtype=self._tril.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def tril(self) -> Any:
        """The matrix whose lower triangle defines this operator."""
        return self._tril

    def _get_tril(self) -> Tensor:
        return linalg_ops.band_part(self._tril, -1, 0)

    def _shape(self) -> TensorShape:
        return self._tril.shape

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return matmul(self._get_tril(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        rhs = linalg_ops.matrix_transpose(rhs) if adjoint_arg else rhs
        return linalg_ops.triangular_solve(self._tril, rhs, lower=True, adjoint=adjoint)

    def _determinant(self) -> Tensor:
        return reduce_prod(self._diag_part(), axis=-1)

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(tf_abs(self._diag_part())), axis=-1)

    def _to_dense(self) -> Tensor:
        return self._get_tril()

    def _diag_part(self) -> Tensor:
        return linalg_ops.diag_part(self._tril)

    def _linop_matmul(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        if isinstance(right, LinearOperatorDiag):
            # Scaling the columns of a lower-triangular matrix keeps it lower triangular.
            return LinearOperatorLowerTriangular(
                self.to_dense() * expand_dims(convert_to_tensor(right.diag), -2),
                is_non_singular=combined_non_singular_hint(right, left),
                is_self_adjoint=commuting_hints(right, left)["is_self_adjoint"],
                is_square=True,
            )
        return super()._linop_matmul(left, right)
