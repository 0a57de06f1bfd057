"""The list and dict wrappers of tracked attributes (TensorFlow's ``ListWrapper`` and ``_DictWrapper``).

As in TensorFlow, ``ckpt.listed = [v1]`` stores a ``ListWrapper``: a real ``list`` (so ``isinstance``,
equality and every list method behave as before) whose items stay tracked after the assignment, and whose
mutations give a pending ``restore()`` the chance to assign values to variables added later
(``restore.listed.append(v)`` restores ``v`` at once). Dicts become ``_DictWrapper`` the same way. Lists and
dicts held inside are wrapped too. The checkpoint keys are the item positions and the dict keys
(``listed/0``, ``mapped/one``), as TensorFlow's.
"""

from __future__ import annotations

from typing import Any

from ..framework import context


def _changed() -> None:
    """A tracked container changed: a waiting restore may now find variables for its values."""
    pending = context.deferred_restore["pending"]
    if pending:
        context.deferred_restore["dirty"] = False
        pending()


def wrap(value: Any) -> Any:
    """``value`` with its lists and dicts (nested ones too) as tracking wrappers; anything else unchanged."""
    if isinstance(value, (ListWrapper, _DictWrapper)):
        return value
    if type(value) is list:
        return ListWrapper(value)
    if type(value) is dict:
        return _DictWrapper(value)
    return value


def _is_trackable(value: Any) -> bool:
    from ._graph import is_trackable

    return not isinstance(value, (str, bytes)) and is_trackable(value)


class ListWrapper(list):
    """A list whose items a checkpoint tracks, including those appended after it was assigned.

    As TensorFlow's, tracking is for lists that only grow: once an element that a checkpoint tracks is replaced,
    deleted or moved (``__setitem__``, ``del``, ``insert``, ``sort`` ...), saving the list raises ValueError,
    since a restore could not tell which saved value belongs to which element."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__(wrap(item) for item in items)
        self._non_append_mutation = False

    def __repr__(self) -> str:
        return f"ListWrapper({list.__repr__(self)})"

    def _moves_tracked(self, *incoming: Any) -> None:
        if self._non_append_mutation or any(_is_trackable(v) for v in (*self, *incoming)):
            self._non_append_mutation = True

    def _checkpoint_children(self) -> dict:
        if self._non_append_mutation:
            raise ValueError(
                f"Unable to save the object {self!r} (a list wrapper constructed to track trackable TensorFlow "
                "objects). A list element was replaced (__setitem__, __setslice__), deleted (__delitem__, "
                "__delslice__), or moved (sort). In order to support restoration on object creation, tracking is "
                "exclusively for append-only data structures.\n\nIf you don't need this list checkpointed, wrap it "
                "in a non-trackable object; it will be subsequently ignored."
            )
        return {str(i): item for i, item in enumerate(self)}

    def append(self, item: Any) -> None:
        super().append(wrap(item))
        _changed()

    def extend(self, items: Any) -> None:
        super().extend(wrap(item) for item in items)
        _changed()

    def insert(self, index: Any, item: Any) -> None:
        self._moves_tracked(item)
        super().insert(index, wrap(item))
        _changed()

    def __setitem__(self, index: Any, item: Any) -> None:
        if isinstance(index, slice):
            replaced = list.__getitem__(self, index)
            if any(_is_trackable(v) for v in replaced):
                self._non_append_mutation = True
            super().__setitem__(index, [wrap(i) for i in item])
        else:
            if _is_trackable(list.__getitem__(self, index)):
                self._non_append_mutation = True
            super().__setitem__(index, wrap(item))
        _changed()

    def __delitem__(self, index: Any) -> None:
        self._moves_tracked()
        super().__delitem__(index)

    def pop(self, index: Any = -1) -> Any:
        self._moves_tracked()
        return super().pop(index)

    def remove(self, item: Any) -> None:
        self._moves_tracked()
        super().remove(item)

    def clear(self) -> None:
        self._moves_tracked()
        super().clear()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        self._moves_tracked()
        super().sort(*args, **kwargs)

    def reverse(self) -> None:
        self._moves_tracked()
        super().reverse()

    def __iadd__(self, items: Any) -> ListWrapper:
        self.extend(items)
        return self

    def __imul__(self, n: Any) -> ListWrapper:
        if n <= 0:
            self._moves_tracked()
        return super().__imul__(n)  # type: ignore[return-value]

    def copy(self) -> ListWrapper:
        return ListWrapper(self)


class _DictWrapper(dict):
    """A dict whose values a checkpoint tracks, including those set after it was assigned."""

    def __init__(self, items: Any = (), **kwargs: Any) -> None:
        super().__init__()
        for key, value in dict(items, **kwargs).items():
            super().__setitem__(key, wrap(value))

    def __repr__(self) -> str:
        return f"DictWrapper({dict.__repr__(self)})"

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, wrap(value))
        _changed()

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            super().__setitem__(key, wrap(value))
        _changed()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def copy(self) -> _DictWrapper:
        return _DictWrapper(self)
