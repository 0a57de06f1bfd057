"""``Variable``'s operators (arithmetic, comparison, indexing, conversion): each applies the tensor's to its value."""

from __future__ import annotations

from typing import Any, Callable

_DELEGATED = (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ "
    "__rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ __rmatmul__ __neg__ __abs__ "
    "__lt__ __le__ __gt__ __ge__ __getitem__ __float__ __int__ __bool__ __iter__ __and__ __rand__ __or__ __ror__ "
    "__xor__ __rxor__ __invert__"
).split()


def _delegate(name: str) -> Callable:
    def method(self: Any, *args: Any) -> Any:
        return getattr(self.value(), name)(*args)

    method.__name__ = name
    return method


def _equal(self: Any, other: Any) -> Any:
    """Elementwise, as TensorFlow 2's variables (identity after ``compat.v1.disable_tensor_equality``)."""
    from .tensor import elementwise_equality

    return self.value() == other if elementwise_equality() else self is other


def _not_equal(self: Any, other: Any) -> Any:
    from .tensor import elementwise_equality

    return self.value() != other if elementwise_equality() else self is not other


def install(cls: type) -> None:
    """Gives ``cls`` (``Variable``) the operators; it stays hashable by identity, as TensorFlow's variables."""
    for name in _DELEGATED:
        setattr(cls, name, _delegate(name))
    cls.__hash__ = object.__hash__  # type: ignore[method-assign,assignment]
    cls.__eq__ = _equal  # type: ignore[method-assign,assignment]
    cls.__ne__ = _not_equal  # type: ignore[method-assign,assignment]
