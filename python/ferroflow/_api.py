"""What ``dir()`` of a public module lists: its public API, not the names its implementation imported.

Each public module ends with ``__dir__ = public_dir(globals(), "submodule", ...)``: ``dir(tf.math)`` then
shows ``reduce_sum`` but not ``Any``, ``annotations``, ``np`` or the files the package is made of.
Packages whose submodules and names load on first use take their ``__getattr__`` from ``lazy_getattr``.
"""

from __future__ import annotations

import importlib
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


def lazy_getattr(
    namespace: dict,
    submodules: Iterable[str] = (),
    names: Mapping[str, str | tuple[str, str]] | None = None,
    fallback: Callable[[str], Any] | None = None,
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports on first use, so that importing a package stays cheap.

    ``submodules`` are the package's own submodules; ``names`` maps a name to the module it lives in (a
    leading dot: relative to the package), or to ``(module, attribute)`` where it has another name there.
    What is found is kept in ``namespace`` (the next access does not come here). Other names go to
    ``fallback`` when given; what it cannot find is the usual ``AttributeError``."""
    package = namespace["__name__"]
    lazy_modules = frozenset(submodules)
    targets = dict(names or {})

    def __getattr__(name: str) -> Any:
        if name in lazy_modules:
            value = importlib.import_module(f".{name}", package)
        elif name in targets:
            target = targets[name]
            module, attribute = (target, name) if isinstance(target, str) else target
            value = getattr(importlib.import_module(module, package), attribute)
        else:
            try:
                if fallback is None:
                    raise AttributeError(name)
                value = fallback(name)
            except AttributeError:
                raise AttributeError(f"module '{package}' has no attribute '{name}'") from None
        namespace[name] = value
        return value

    return __getattr__
