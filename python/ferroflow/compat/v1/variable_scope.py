"""``variable_scope`` and ``get_variable``: TF1's named, shareable variables.

``get_variable`` keeps a store per graph (and one for eager code), keyed by the full scoped name, so
``reuse=True`` finds the variable made under the same ``variable_scope`` path.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from ...framework import context
from ...framework.dtypes import as_dtype, float32


class _ReuseMode:
    """``tf.compat.v1.AUTO_REUSE``: get the variable if it exists, else create it."""

    def __repr__(self) -> str:
        return "AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class _Store:
    """Variables made by ``get_variable`` and the use counts of default scope names, for one graph."""

    def __init__(self) -> None:
        self.variables: dict = {}
        self.scope_counts: dict = {}


_eager_store = _Store()


def _store() -> _Store:
    graph = context.current_graph()
    if graph is None:
        return _eager_store
    store = getattr(graph, "_v1_store", None)
    if store is None:
        store = graph._v1_store = _Store()
    return store


class VariableScope:
    """The state of one ``variable_scope``: its full name, reuse mode, default initializer and dtype."""

    def __init__(
        self,
        reuse: Any,
        name: str = "",
        initializer: Any = None,
        dtype: Any = float32,
        regularizer: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
    ) -> None:
        self._name = name
        self._reuse = reuse
        self.initializer = initializer
        self.dtype = as_dtype(dtype)
        self.regularizer = regularizer
        self.partitioner = partitioner
        self.custom_getter = custom_getter

    @property
    def name(self) -> str:
        return self._name

    @property
    def original_name_scope(self) -> str:
        return self._name + "/" if self._name else ""

    @property
    def reuse(self) -> Any:
        return self._reuse

    def reuse_variables(self) -> None:
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self.initializer = initializer

    def set_dtype(self, dtype: Any) -> None:
        self.dtype = as_dtype(dtype)

    def set_regularizer(self, regularizer: Any) -> None:
        self.regularizer = regularizer

    def set_partitioner(self, partitioner: Any) -> None:
        self.partitioner = partitioner

    def set_custom_getter(self, custom_getter: Any) -> None:
        self.custom_getter = custom_getter

    def __repr__(self) -> str:
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


class _ScopeStack(threading.local):
    def __init__(self) -> None:
        self.stack: list = []


_scopes = _ScopeStack()
_root = VariableScope(reuse=False)


def get_variable_scope() -> VariableScope:
    return _scopes.stack[-1] if _scopes.stack else _root


class variable_scope:
    """``with tf.compat.v1.variable_scope("layer", reuse=...) as scope:`` prefixes ``get_variable`` names.

    ``reuse=None`` inherits the parent's mode; once a scope reuses, its children do too (as in TF1).
    Ops built inside get the scope as their name prefix.
    """

    def __init__(
        self,
        name_or_scope: Any,
        default_name: Optional[str] = None,
        values: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        reuse: Any = None,
        dtype: Any = None,
        use_resource: Any = None,
        constraint: Any = None,
        auxiliary_name_scope: bool = True,
    ) -> None:
        if name_or_scope is None and default_name is None:
            raise TypeError("variable_scope needs a name_or_scope or a default_name, received neither")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._initializer = initializer
        self._reuse = reuse
        self._dtype = dtype
        self._extras = {"regularizer": regularizer, "partitioner": partitioner, "custom_getter": custom_getter}
        self._graph: Any = None

    def __enter__(self) -> VariableScope:
        parent = get_variable_scope()
        if isinstance(self._name_or_scope, VariableScope):
            base = self._name_or_scope
            full, inherited = base.name, base.reuse
            initializer, dtype = base.initializer, base.dtype
        else:
            if self._name_or_scope is None:
                name = self._unique_default(parent)
            else:
                name = str(self._name_or_scope).rstrip("/")
            full = f"{parent.name}/{name}" if parent.name else name
            inherited, initializer, dtype = parent.reuse, parent.initializer, parent.dtype
            base = parent
        extras = {key: value if value is not None else getattr(base, key) for key, value in self._extras.items()}
        own_getter, outer_getter = self._extras["custom_getter"], base.custom_getter
        if own_getter is not None and outer_getter is not None and own_getter is not outer_getter:
            # A nested custom getter runs inside the enclosing one, as TF1 composes them.
            extras["custom_getter"] = _compose_getters(outer_getter, own_getter)
        reuse = self._reuse
        if reuse is None or inherited is True:
            reuse = inherited  # a reusing scope's children reuse too, whatever they ask
        scope = VariableScope(
            reuse,
            full,
            self._initializer if self._initializer is not None else initializer,
            self._dtype if self._dtype is not None else dtype,
            **extras,
        )
        _scopes.stack.append(scope)
        self._graph = context.current_graph()
        if self._graph is not None:
            self._graph.push_scope(full.rsplit("/", 1)[-1])
        return scope

    def __exit__(self, *exc: object) -> None:
        _scopes.stack.pop()
        if self._graph is not None:
            self._graph.pop_scope()

    def _unique_default(self, parent: VariableScope) -> str:
        counts = _store().scope_counts
        key = f"{parent.name}/{self._default_name}"
        n = counts.get(key, 0)
        counts[key] = n + 1
        return self._default_name if n == 0 else f"{self._default_name}_{n}"


from ferroflow._api import public_dir as _public_dir  # noqa: E402

# get_variable and the functions it uses live in variable_getter.py (imported here after the scope machinery).
from .variable_getter import (  # noqa: E402, F401
    _compose_getters,
    _default_initializer,
    add_regularization,
    get_local_variable,
    get_variable,
)

__dir__ = _public_dir(globals())
