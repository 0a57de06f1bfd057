"""``tf.linalg.LinearOperator``: a [batch of] matrices known by what they do (``matmul``, ``solve`` ...),
so that structured operators (diagonal, identity, triangular) never need their dense matrix."""

from __future__ import annotations

import abc
from typing import Any, Optional

from ..framework.dtypes import DType, as_dtype
from ..framework.module import Module
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import linalg_ops
from .array_ops import expand_dims, squeeze
from .construction_ops import eye
from .linear_operator_algebra import LinearOperatorAlgebra
from .linear_operator_shape import LinearOperatorShape
from .math_ops import exp, log, reduce_sum


class LinearOperator(LinearOperatorShape, LinearOperatorAlgebra, Module, metaclass=abc.ABCMeta):
    """A [batch of] linear operator[s]: subclasses implement ``_shape``, ``_matmul`` and cheaper ``_to_dense`` ...."""

    # Subclasses override ``_to_dense``, ``_solve``, ``_determinant`` ... where their structure makes them
    # cheaper than the generic dense forms here.

    def __init__(
        self,
        dtype: Any,
        graph_parents: Any = None,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = None,
        name: Optional[str] = None,
        parameters: Optional[dict] = None,
    ) -> None:
        # The hints imply one another; contradicting ones are a caller's mistake.
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        # Module.__init__ is skipped: it restricts names to identifiers, TensorFlow's operators do not.
        self._name = name or type(self).__name__
        self._scope_name = self._name
        self._dtype = as_dtype(dtype) if dtype is not None else None
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._parameters = dict(parameters or {})

    @property
    def dtype(self) -> DType:
        """The dtype of the tensors this operator acts on."""
        return self._dtype

    @property
    def parameters(self) -> dict:
        """The arguments this operator was built from."""
        return dict(self._parameters)

    @property
    def is_non_singular(self) -> Optional[bool]:
        """The hint that the operator is invertible (None: unknown)."""
        return self._is_non_singular

    @property
    def is_self_adjoint(self) -> Optional[bool]:
        """The hint that the operator equals its transpose (None: unknown)."""
        return self._is_self_adjoint

    @property
    def is_positive_definite(self) -> Optional[bool]:
        """The hint that ``x^T A x > 0`` for every nonzero ``x`` (None: unknown)."""
        return self._is_positive_definite

    @property
    def is_square(self) -> Optional[bool]:
        """Whether the operator is square: the hint when given, else from the static shape."""
        m, n = self.range_dimension, self.domain_dimension
        auto = None if m is None or n is None else m == n
        if self._is_square_hint is False and auto:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        return auto if self._is_square_hint is None else self._is_square_hint

    @abc.abstractmethod
    def _shape(self) -> TensorShape:
        raise NotImplementedError("_shape is not implemented.")

    def _input(self, x: Any) -> Tensor:
        x = convert_to_tensor(x)
        if x.dtype != self.dtype:
            raise TypeError(f"Expected argument to have dtype {self.dtype}.  Found: {x.dtype} in tensor {x}")
        return x

    def _check_dim(self, method: str, arg: str, x: Tensor, self_axis: int, arg_axis: int, vector: bool) -> None:
        """Raises ValueError when ``x``'s dimension ``arg_axis`` cannot meet the operator's ``self_axis``."""
        want = self.shape[self_axis] if self.shape.rank else None
        rank = x.shape.rank
        layout = f"[..., {want}]" if vector else (f"[..., {want}, R]" if arg_axis == -2 else f"[..., R, {want}]")
        if rank is not None and rank < (1 if vector else 2):
            raise ValueError(f"{self.name}.{method} expects `{arg}` of shape {layout}, received shape {x.shape}")
        got = x.shape[arg_axis] if rank is not None else None
        if want is not None and got is not None and want != got:
            raise ValueError(
                f"Dimensions {want} and {got} are not compatible: {self.name}.{method} expects `{arg}` of shape "
                f"{layout} for an operator of shape {self.shape}, received shape {x.shape}"
            )

    def _check_composable(self, arg: str, left: LinearOperator, right: LinearOperator) -> None:
        n, m = left.domain_dimension, right.range_dimension
        if n is not None and m is not None and n != m:
            raise ValueError(f"Operators are incompatible. Expected `{arg}` to have dimension {n} but got {m}.")

    @abc.abstractmethod
    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        raise NotImplementedError("_matmul is not implemented.")

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "matmul") -> Any:
        """``A @ x`` (``A^T`` with ``adjoint``, ``x^T`` with ``adjoint_arg``); an operator for an operator ``x``."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            self._check_composable("x", left, right)
            # The left operand's closed forms apply (``self`` may be its adjoint wrapper by now).
            return left._linop_matmul(left, right)
        x = self._input(x)
        self._check_dim("matmul", "x", x, -2 if adjoint else -1, -1 if adjoint_arg else -2, vector=False)
        return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def __matmul__(self, other: Any) -> Any:
        """``A @ other``: ``matmul``."""
        return self.matmul(other)

    # NumPy arrays and lists on the left: NumPy defers to ``__rmatmul__``, which uses ``x @ A = (A^T @ x^T)^T``.
    __array_ufunc__ = None

    def __rmatmul__(self, other: Any) -> Tensor:
        """``other @ A`` for an array or list ``other``."""
        return linalg_ops.matrix_transpose(self.matmul(other, adjoint=True, adjoint_arg=True))

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return squeeze(self.matmul(expand_dims(x, -1), adjoint=adjoint), axis=-1)

    def matvec(self, x: Any, adjoint: bool = False, name: str = "matvec") -> Tensor:
        """``A @ x`` for a [batch] vector ``x`` ([..., N]); ``A^T @ x`` with ``adjoint``."""
        x = self._input(x)
        self._check_dim("matvec", "x", x, -2 if adjoint else -1, -1, vector=True)
        return self._matvec(x, adjoint=adjoint)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        rhs = linalg_ops.matrix_transpose(rhs) if adjoint_arg else rhs
        if self._can_use_cholesky():
            return linalg_ops.cholesky_solve(self._dense_cholesky(), rhs)
        return linalg_ops.solve(self.to_dense(), rhs, adjoint=adjoint)

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "solve") -> Any:
        """``x`` with ``A @ x = rhs`` (``A^T`` with ``adjoint``, ``rhs^T`` with ``adjoint_arg``)."""
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to not be square.")
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            self._check_composable("rhs", left, right)
            return left._linop_solve(left, right)
        rhs = self._input(rhs)
        self._check_dim("solve", "rhs", rhs, -1 if adjoint else -2, -1 if adjoint_arg else -2, vector=False)
        return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return squeeze(self.solve(expand_dims(rhs, -1), adjoint=adjoint), axis=-1)

    def solvevec(self, rhs: Any, adjoint: bool = False, name: str = "solve") -> Tensor:
        """``x`` with ``A @ x = rhs`` for a [batch] vector ``rhs`` ([..., M])."""
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to not be square.")
        rhs = self._input(rhs)
        self._check_dim("solvevec", "rhs", rhs, -1 if adjoint else -2, -1, vector=True)
        return self._solvevec(rhs, adjoint=adjoint)

    def _to_dense(self) -> Tensor:
        # Generic: the operator applied to the identity; subclasses with a cheaper form override it.
        if not self.batch_shape.is_fully_defined() or self.domain_dimension is None:
            raise ValueError(f"{self.name}: to_dense needs a fully known shape, the operator has {self.shape}")
        return self.matmul(eye(self.domain_dimension, batch_shape=self.batch_shape.as_list(), dtype=self.dtype))

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """The dense [batch] matrix this operator represents."""
        return self._to_dense()

    def _diag_part(self) -> Tensor:
        return linalg_ops.diag_part(self.to_dense())

    def diag_part(self, name: str = "diag_part") -> Tensor:
        """The main diagonal, shape ``[B1, ..., Bb, min(M, N)]``."""
        return self._diag_part()

    def _trace(self) -> Tensor:
        return reduce_sum(self.diag_part(), axis=-1)

    def trace(self, name: str = "trace") -> Tensor:
        """The sum of the main diagonal, shape ``[B1, ..., Bb]``."""
        return self._trace()

    def _check_square_for_determinant(self) -> None:
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is expected to not be square.")

    def _determinant(self) -> Tensor:
        if self._can_use_cholesky():
            return exp(self.log_abs_determinant())
        return linalg_ops.det(self.to_dense())

    def determinant(self, name: str = "det") -> Tensor:
        """The determinant of each matrix in the batch."""
        self._check_square_for_determinant()
        return self._determinant()

    def _log_abs_determinant(self) -> Tensor:
        if self._can_use_cholesky():
            chol_diag = linalg_ops.diag_part(self._dense_cholesky())
            return 2.0 * reduce_sum(log(chol_diag), axis=-1)
        return linalg_ops.slogdet(self.to_dense())[1]

    def log_abs_determinant(self, name: str = "log_abs_det") -> Tensor:
        """``log|det A|`` of each matrix in the batch."""
        self._check_square_for_determinant()
        return self._log_abs_determinant()

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return self.to_dense() + x

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """``A + x`` for a [batch] matrix ``x`` of the operator's shape."""
        x = self._input(x)
        want = self.shape[-2:] if self.shape.rank else TensorShape(None)
        if x.shape.rank is not None and (x.shape.rank < 2 or not x.shape[-2:].is_compatible_with(want)):
            raise ValueError(
                f"{self.name}.add_to_tensor expects `x` of shape [..., {want[0]}, {want[1]}], received {x.shape}"
            )
        return self._add_to_tensor(x)
