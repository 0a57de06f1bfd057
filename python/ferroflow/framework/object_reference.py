"""``Tensor.ref()`` / ``Variable.ref()``: a hashable stand-in compared by identity.

Tensors and variables compare elementwise (``==`` makes a tensor), so they cannot be dict keys or set members;
TensorFlow's ``ref()`` wraps one in a ``Reference`` whose equality and hash are the wrapped object's identity,
and ``deref()`` gives the object back.
"""

from __future__ import annotations

from typing import Any


class Reference:
    """TensorFlow's ``object_identity.Reference``: equal to another reference to the same object only."""

    __slots__ = ("_wrapped", "__weakref__")

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def deref(self) -> Any:
        """The wrapped tensor or variable."""
        return self._wrapped

    def _assert_type(self, other: Any) -> None:
        if not isinstance(other, Reference):
            raise TypeError("Cannot compare wrapped object with unwrapped object")

    def __eq__(self, other: Any) -> bool:
        if other is None:
            return False
        self._assert_type(other)
        return self._wrapped is other._wrapped

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: Any) -> bool:
        self._assert_type(other)
        return id(self._wrapped) < id(other._wrapped)

    def __gt__(self, other: Any) -> bool:
        self._assert_type(other)
        return id(self._wrapped) > id(other._wrapped)

    def __hash__(self) -> int:
        return id(self._wrapped)

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._wrapped!r}>"


def ref(self: Any) -> Reference:
    """A hashable reference to this object (``x.ref().deref() is x``), usable as a dict key or set member."""
    return Reference(self)


def experimental_ref(self: Any) -> Reference:
    """Deprecated alias of ``ref()``."""
    return Reference(self)
