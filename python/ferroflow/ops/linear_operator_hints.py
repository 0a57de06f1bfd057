"""How the matrix-property hints (``is_non_singular``, ``is_square`` ...) of linear operators combine when
operators are multiplied, inverted or transposed, as TensorFlow combines them."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor


def combined_non_singular_hint(a: Any, b: Any) -> Optional[bool]:
    """Whether ``a @ b`` is non-singular, from the two operators' hints."""
    if a.is_non_singular is False or b.is_non_singular is False:
        return False
    return a.is_non_singular and b.is_non_singular


def composed_is_square(a: Any, b: Any) -> Optional[bool]:
    """Whether ``a @ b`` is square, from the two operators' hints (TensorFlow's rule)."""
    if a.is_square and b.is_square:
        return True
    if a.is_square is False and b.is_square is False:
        m, n = a.range_dimension, b.domain_dimension
        if m is not None and n is not None:
            return m == n
    if a.is_square is not None and b.is_square is not None and a.is_square != b.is_square:
        return False
    return None


def product_hints(a: Any, b: Any) -> dict:
    """Hints of a generic ``a @ b``: a non-square product is known singular and not self-adjoint."""
    is_square = composed_is_square(a, b)
    if is_square is False:
        return {"is_square": False, "is_non_singular": False, "is_self_adjoint": False, "is_positive_definite": False}
    return {"is_square": is_square, "is_non_singular": combined_non_singular_hint(a, b) if is_square else None}


def commuting_hints(a: Any, b: Any) -> dict:
    """Hints of ``a @ b`` for operators that commute (diagonal and scaled identity ones)."""
    self_adjoint = None
    if a.is_self_adjoint and b.is_self_adjoint:
        self_adjoint = True
    elif {a.is_self_adjoint, b.is_self_adjoint} == {True, False}:
        self_adjoint = False
    pd = a.is_positive_definite and a.is_self_adjoint and b.is_positive_definite and b.is_self_adjoint
    return {
        "is_non_singular": combined_non_singular_hint(a, b),
        "is_self_adjoint": self_adjoint,
        "is_positive_definite": True if pd else None,
    }


def same_as_operator(operator: Any, attr: str, given: Optional[bool], message: str) -> Optional[bool]:
    """A wrapper's hint that must equal its operator's (inverse, adjoint): whichever is known, unless they differ."""
    known = getattr(operator, attr)
    if (known is False and given) or (known and given is False):
        raise ValueError(message)
    if known or given:
        return True
    if known is False or given is False:
        return False
    return None


def as_operand(value: Any) -> Any:
    """``value`` as a tensor, but variables stay variables so that each use reads their current value."""
    from ..framework.variables import Variable

    return value if isinstance(value, Variable) else convert_to_tensor(value)
