"""What ``dir()`` of a public module lists: its public API, not the names its implementation imported.

Each public module ends with ``__dir__ = public_dir(globals(), "submodule", ...)``: ``dir(tf.math)`` then
shows ``reduce_sum`` but not ``Any``, ``annotations``, ``np`` or the files the package is made of.
"""

from types import ModuleType
from typing import Any, Callable, Iterable, Mapping

# Where helper names come from: typing's aliases (``Optional``, ``Logs = Optional[...]``) and
# ``from __future__ import annotations``.
_HELPER_MODULES = frozenset({"typing", "typing_extensions", "collections.abc", "__future__"})


def is_public(name: str, value: Any) -> bool:
    """Whether ``name`` bound to ``value`` in a module's namespace is part of its public API."""
    if name.startswith("_") or isinstance(value, ModuleType):
        return False
    return getattr(value, "__module__", None) not in _HELPER_MODULES and type(value).__module__ not in _HELPER_MODULES


def public_dir(namespace: Mapping[str, Any], *submodules: str, names: Iterable[str] = ()) -> Callable[[], list]:
    """A module ``__dir__`` listing the public names of ``namespace`` (its ``__all__`` when it has one), the
    public ``submodules`` (loaded or not) and ``names`` that load on first use."""
    extra = set(submodules) | set(names)

    def __dir__() -> list:
        declared = namespace.get("__all__")
        if declared is not None:
            listed = set(declared)
        else:
            listed = {name for name, value in list(namespace.items()) if is_public(name, value)}
        return sorted(listed | extra)

    return __dir__
