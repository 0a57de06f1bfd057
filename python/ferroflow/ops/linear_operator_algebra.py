"""The operator algebra of ``LinearOperator``: products, solves, adjoints, inverses and Cholesky factors that
are themselves operators. Subclasses override the ``_linop_*`` methods where their structure gives a closed
form (the inverse of a diagonal operator is diagonal ...); the generic forms wrap the operands."""

from __future__ import annotations

from typing import Any

from . import linalg_ops
from .linear_operator_hints import product_hints


class LinearOperatorAlgebra:
    """Mixin of ``LinearOperator``: ``adjoint``, ``inverse``, ``cholesky`` and the operator products."""

    _is_identity = False  # LinearOperatorIdentity: products with it are the other operand

    # The wrappers' module imports the base class, so it is imported here when first needed.
    def _linop_matmul(self, left: Any, right: Any) -> Any:
        if right._is_identity:
            return left
        from .linear_operator_wrappers import LinearOperatorComposition

        return LinearOperatorComposition([left, right], **product_hints(left, right))

    def _linop_solve(self, left: Any, right: Any) -> Any:
        if right._is_identity:
            return left.inverse()
        from .linear_operator_wrappers import LinearOperatorComposition, LinearOperatorInversion

        return LinearOperatorComposition([LinearOperatorInversion(left), right], **product_hints(left, right))

    def _hints(self) -> dict:
        return {
            "is_non_singular": self.is_non_singular,
            "is_self_adjoint": self.is_self_adjoint,
            "is_positive_definite": self.is_positive_definite,
            "is_square": self.is_square,
        }

    def _linop_adjoint(self) -> Any:
        from .linear_operator_wrappers import LinearOperatorAdjoint

        return LinearOperatorAdjoint(self, **self._hints())

    def adjoint(self, name: str = "adjoint") -> Any:
        """The operator ``A^T`` (real dtypes: the adjoint is the transpose); ``self`` when self-adjoint."""
        if self.is_self_adjoint is True:
            return self
        return self._linop_adjoint()

    H = property(adjoint, None)

    def _linop_inverse(self) -> Any:
        from .linear_operator_wrappers import LinearOperatorInversion

        return LinearOperatorInversion(self, **self._hints())

    def inverse(self, name: str = "inverse") -> Any:
        """The operator ``A^-1``."""
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        return self._linop_inverse()

    def _can_use_cholesky(self) -> bool:
        return bool(self.is_self_adjoint and self.is_positive_definite)

    def _dense_cholesky(self) -> Any:
        """The Cholesky factor of the dense matrix, differentiated as a function of a symmetric matrix."""
        dense = self.to_dense()
        # The hints promise dense == dense^T, so this changes no value; it makes the gradient symmetric (as
        # TensorFlow's Cholesky gradient is) instead of landing on the lower triangle the factorization reads.
        return linalg_ops.cholesky(0.5 * (dense + linalg_ops.matrix_transpose(dense)))

    def _linop_cholesky(self) -> Any:
        from .linear_operator_impls import LinearOperatorLowerTriangular

        chol = self._dense_cholesky()
        return LinearOperatorLowerTriangular(chol, is_non_singular=True, is_self_adjoint=False, is_square=True)

    def cholesky(self, name: str = "cholesky") -> Any:
        """The lower-triangular operator ``L`` with ``L @ L^T = A`` (needs the self-adjoint and PD hints)."""
        if not self._can_use_cholesky():
            raise ValueError("Cannot take the Cholesky decomposition: Not a positive definite self adjoint matrix.")
        return self._linop_cholesky()
