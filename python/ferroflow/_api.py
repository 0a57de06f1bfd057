"""What ``dir()`` of a public module lists: its public API, not the names its implementation imported.

Each public module ends with ``__dir__ = public_dir(globals(), "submodule", ...)``: ``dir(tf.math)`` then
shows ``reduce_sum`` but not ``Any``, ``annotations``, ``np`` or the files the package is made of.
"""

from types import BuiltinFunctionType, FunctionType, ModuleType
from typing import Any, Callable, Iterable, Mapping

# Where helper names come from: typing's aliases (``Optional``, ``Logs = Optional[...]``) and
# ``from __future__ import annotations``.
_HELPER_MODULES = frozenset({"typing", "typing_extensions", "collections.abc", "__future__"})
# Where ferroflow's own classes and functions say they come from (``_core``: the native module).
_OWN_PACKAGES = frozenset({"ferroflow", "_core"})


def is_public(name: str, value: Any) -> bool:
    """Whether ``name`` bound to ``value`` in a module's namespace is part of its public API: not private, not
    a module, not a typing helper, and not a class or function imported from outside ferroflow
    (``dataclass``, ``SimpleNamespace``)."""
    if name.startswith("_") or isinstance(value, ModuleType):
        return False
    if getattr(value, "__module__", None) in _HELPER_MODULES or type(value).__module__ in _HELPER_MODULES:
        return False
    if isinstance(value, (type, FunctionType, BuiltinFunctionType)):
        return str(getattr(value, "__module__", "")).split(".")[0] in _OWN_PACKAGES
    return True


def public_dir(
    namespace: Mapping[str, Any], *submodules: str, names: Iterable[str] = (), hidden: Iterable[str] = ()
) -> Callable[[], list]:
    """A module ``__dir__`` listing the public names of ``namespace`` (its ``__all__`` when it has one), the
    public ``submodules`` (loaded or not) and ``names`` that load on first use.

    ``hidden`` names stay importable but are not listed: what the implementation imported from other
    ferroflow modules (``Tensor``, ``convert_to_tensor``) and older spellings kept for compatibility."""
    extra = set(submodules) | set(names)
    unlisted = set(hidden)

    def __dir__() -> list:
        declared = namespace.get("__all__")
        if declared is not None:
            listed = set(declared)
        else:
            listed = {name for name, value in list(namespace.items()) if is_public(name, value)}
        return sorted((listed | extra) - unlisted)

    return __dir__
