"""Operators built from other operators: ``LinearOperatorComposition`` (a product), ``LinearOperatorInversion``
(``A^-1``, applied by solving with ``A``) and ``LinearOperatorAdjoint`` (``A^T``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import linalg_ops
from .linear_operator import LinearOperator
from .linear_operator_hints import same_as_operator
from .structure_ops import broadcast_static_shape


def _is_adjoint_pair(x: LinearOperator, y: LinearOperator) -> bool:
    """Whether ``y`` is known to be ``x``'s adjoint (by identity, not by value)."""
    if x is y and x.is_self_adjoint is not None:
        return bool(x.is_self_adjoint)
    return x.H is y or y.H is x


def _is_aat_form(operators: list) -> bool:
    """Whether the product has the form ``A1 ... Ak Ak^T ... A1^T`` (so it is symmetric)."""
    n = len(operators)
    return n % 2 == 0 and all(_is_adjoint_pair(operators[i], operators[-1 - i]) for i in range(n // 2))


class LinearOperatorComposition(LinearOperator):
    """The product ``op_1 @ op_2 @ ... @ op_J`` of operators, applied one after another."""

    def __init__(
        self,
        operators: Iterable[LinearOperator],
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = None,
        name: Optional[str] = None,
    ) -> None:
        parameters = dict(
            operators=operators,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
        )
        if isinstance(operators, LinearOperator) or not isinstance(operators, Iterable):
            raise TypeError(f'Expected argument "operators" to be iterable.  Found: {type(operators).__name__}')
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        for op in operators:
            if not isinstance(op, LinearOperator):
                raise TypeError(f"Expected a list of LinearOperators. Found: {type(op).__name__}")
        dtype = operators[0].dtype
        if any(op.dtype != dtype for op in operators):
            found = "   ".join(str((op.name, op.dtype)) for op in operators)
            raise TypeError(f"Expected all operators to have the same dtype.  Found {found}")
        for left, right in zip(operators, operators[1:]):
            n, m = left.domain_dimension, right.range_dimension
            if n is not None and m is not None and n != m:
                raise ValueError(
                    f"Dimensions {n} and {m} are not compatible: {left.name} (shape {left.shape}) cannot be "
                    f"composed with {right.name} (shape {right.shape})"
                )
        self._operators = operators
        if all(op.is_non_singular for op in operators):
            if is_non_singular is False:
                raise ValueError("The composition of non-singular operators is always non-singular.")
            is_non_singular = True
        aat = _is_aat_form(operators)
        if aat or (len(operators) == 1 and operators[0].is_self_adjoint):
            if is_self_adjoint is False:
                raise ValueError(
                    "The composition was determined to be self-adjoint but user provided incorrect `False` hint."
                )
            is_self_adjoint = True
        if aat:
            if is_square is False:
                raise ValueError(
                    "The composition was determined have the form A @ A.H, hence it must be square. "
                    "The user provided an incorrect `False` hint."
                )
            is_square = True
            if is_non_singular:
                if is_positive_definite is False:
                    raise ValueError(
                        "The composition was determined to be non-singular and have the form A @ A.H, hence it "
                        "must be positive-definite. The user provided an incorrect `False` hint."
                    )
                is_positive_definite = True
        super().__init__(
            dtype=dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name or "_o_".join(op.name for op in operators),
            parameters=parameters,
        )

    @property
    def operators(self) -> list:
        """The factors, leftmost first."""
        return self._operators

    def _shape(self) -> TensorShape:
        batch = self._operators[0].batch_shape
        for op in self._operators[1:]:
            batch = broadcast_static_shape(batch, op.batch_shape)
        matrix = [self._operators[0].range_dimension, self._operators[-1].domain_dimension]
        return batch.concatenate(matrix)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        # A1 A2 x applies A2 first; (A1 A2)^T x = A2^T A1^T x applies A1^T first.
        order = self._operators if adjoint else self._operators[::-1]
        out = order[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            out = op.matmul(out, adjoint=adjoint)
        return out

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        # (A1 A2)^-1 = A2^-1 A1^-1 applies A1^-1 first; with the adjoint, A2^-T first.
        order = self._operators[::-1] if adjoint else self._operators
        out = order[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            out = op.solve(out, adjoint=adjoint)
        return out

    def _determinant(self) -> Tensor:
        out = self._operators[0].determinant()
        for op in self._operators[1:]:
            out = out * op.determinant()
        return out

    def _log_abs_determinant(self) -> Tensor:
        out = self._operators[0].log_abs_determinant()
        for op in self._operators[1:]:
            out = out + op.log_abs_determinant()
        return out

    def _to_dense(self) -> Tensor:
        out = self._operators[-1].to_dense()
        for op in self._operators[-2::-1]:
            out = op.matmul(out)
        return out


def _wrapper_hints(operator: LinearOperator, what: str, hints: dict) -> dict:
    """A wrapper's hints: each equals its operator's (``what``: "inverse" or "adjoint"), unless they contradict."""
    messages = {
        "is_square": "square",
        "is_non_singular": "non-singular",
        "is_self_adjoint": "self-adjoint",
        "is_positive_definite": "positive-definite",
    }
    return {
        attr: same_as_operator(
            operator, attr, hints[attr], f"An operator is {word} if and only if its {what} is {word}."
        )
        for attr, word in messages.items()
    }


class _LinearOperatorWrapper(LinearOperator):
    """An operator made from one other operator, whose hints must agree with that operator's."""

    _what = ""  # "inverse" or "adjoint": names the wrapper in hint errors
    _name_suffix = ""  # the default name is the operator's with this suffix

    def __init__(
        self,
        operator: LinearOperator,
        is_non_singular: Optional[bool] = None,
        is_self_adjoint: Optional[bool] = None,
        is_positive_definite: Optional[bool] = None,
        is_square: Optional[bool] = None,
        name: Optional[str] = None,
    ) -> None:
        hints = dict(
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
        )
        parameters = dict(operator=operator, name=name, **hints)
        self._check_hints(operator, hints)
        self._operator = operator
        super().__init__(
            dtype=operator.dtype,
            name=name or operator.name + self._name_suffix,
            parameters=parameters,
            **_wrapper_hints(operator, self._what, hints),
        )

    def _check_hints(self, operator: LinearOperator, hints: dict) -> None:
        """Raises ValueError where the operator or the given hints rule this wrapper out."""

    @property
    def operator(self) -> LinearOperator:
        """The operator this one is made from (before inversion, or before taking the adjoint)."""
        return self._operator


class LinearOperatorInversion(_LinearOperatorWrapper):
    """The inverse ``A^-1`` of a square non-singular operator: ``matmul`` solves with ``A``, ``solve`` multiplies."""

    _what = "inverse"
    _name_suffix = "_inv"

    def _check_hints(self, operator: LinearOperator, hints: dict) -> None:
        for attr in ("is_non_singular", "is_square"):
            if getattr(operator, attr) is False or hints[attr] is False:
                raise ValueError(
                    f"Argument `{attr}` or argument `operator` must have supplied hint `{attr}` equal to `True` or "
                    f"`None`. Found `operator.{attr}`: {getattr(operator, attr)}, `{attr}`: {hints[attr]}."
                )

    def _shape(self) -> TensorShape:
        return self._operator.shape

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self) -> Tensor:
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self) -> Tensor:
        return -self._operator.log_abs_determinant()

    def _linop_inverse(self) -> LinearOperator:
        return self._operator

    def _linop_solve(self, left: LinearOperator, right: LinearOperator) -> LinearOperator:
        return self._operator.matmul(right)


class LinearOperatorAdjoint(_LinearOperatorWrapper):
    """The adjoint ``A^T`` of an operator (real dtypes: its transpose), applied through ``A``'s own methods."""

    _what = "adjoint"
    _name_suffix = "_adjoint"

    def _shape(self) -> TensorShape:
        shape = self._operator.shape
        if shape.rank is None:
            return shape
        return shape[:-2].concatenate([shape[-1], shape[-2]])

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return self._operator.matvec(x, adjoint=not adjoint)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return self._operator.solvevec(rhs, adjoint=not adjoint)

    def _determinant(self) -> Tensor:
        return self._operator.determinant()

    def _log_abs_determinant(self) -> Tensor:
        return self._operator.log_abs_determinant()

    def _trace(self) -> Tensor:
        return self._operator.trace()

    def _diag_part(self) -> Tensor:
        return self._operator.diag_part()  # a matrix and its transpose share their diagonal

    def _to_dense(self) -> Tensor:
        return linalg_ops.matrix_transpose(self._operator.to_dense())

    def _linop_adjoint(self) -> LinearOperator:
        return self._operator
