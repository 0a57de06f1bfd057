"""``variable_scope`` and ``get_variable``: TF1's named, shareable variables.

``get_variable`` keeps a store per graph (and one for eager code), keyed by the full scoped name, so
``reuse=True`` finds the variable made under the same ``variable_scope`` path.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from ...framework import context
from ...framework.dtypes import as_dtype, float32
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from . import initializers as init_ops


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

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None, dtype: Any = float32) -> None:
        self._name = name
        self._reuse = reuse
        self.initializer = initializer
        self.dtype = as_dtype(dtype)

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
        reuse = self._reuse
        if reuse is None or inherited is True:
            reuse = inherited  # a reusing scope's children reuse too, whatever they ask
        scope = VariableScope(
            reuse,
            full,
            self._initializer if self._initializer is not None else initializer,
            self._dtype if self._dtype is not None else dtype,
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


def _default_initializer(name: str, dtype: Any) -> Any:
    if dtype.is_floating:
        return init_ops.GlorotUniform()
    if dtype.is_integer or dtype.is_bool:
        return init_ops.Zeros()
    raise ValueError(f"an initializer for variable {name} of dtype {dtype.name} is required")


def get_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: Optional[bool] = None,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: Any = None,
    custom_getter: Any = None,
    constraint: Any = None,
    **unused: Any,
) -> Variable:
    """Gets the variable ``<scope>/name`` or creates it, following the enclosing ``variable_scope``'s reuse."""
    scope = get_variable_scope()
    full = f"{scope.name}/{name}" if scope.name else name
    store = _store()
    want_shape = None if shape is None else [int(d) for d in (shape.as_list() if hasattr(shape, "as_list") else shape)]
    existing = store.variables.get(full)
    if existing is not None:
        if scope.reuse is not True and scope.reuse is not AUTO_REUSE:
            raise ValueError(
                f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                "reuse=tf.AUTO_REUSE in VarScope?"
            )
        if want_shape is not None and list(existing.shape) != want_shape:
            raise ValueError(
                f"Trying to share variable {full}, but specified shape {tuple(want_shape)} and found shape "
                f"{tuple(existing.shape)}."
            )
        if dtype is not None and as_dtype(dtype) != existing.dtype:
            raise ValueError(
                f"Trying to share variable {full}, but specified dtype {as_dtype(dtype).name} and found "
                f"dtype {existing.dtype.name}."
            )
        return existing
    if scope.reuse is True:
        raise ValueError(
            f"Variable {full} does not exist, or was not created with tf.get_variable(). Did you mean to set "
            "reuse=tf.AUTO_REUSE in VarScope?"
        )
    d = as_dtype(dtype) if dtype is not None else scope.dtype
    init = initializer if initializer is not None else scope.initializer
    if init is None:
        init = _default_initializer(full, d)
    if isinstance(init, type):
        init = init()  # TF1 accepts the class itself, e.g. initializer=tf.zeros_initializer
    if callable(init) and not isinstance(init, (Tensor, Variable)):
        if want_shape is None:
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but instead was None.")
        value = init(want_shape, dtype=d)
    else:
        value = init
    graph = context.current_graph()
    # The variable's name is already fully scoped: build its initializer outside the graph's name scopes.
    saved = None
    if graph is not None:
        saved, graph._scopes = graph._scopes, []
    try:
        v = Variable(
            value, trainable=True if trainable is None else trainable, name=full, dtype=d, collections=collections
        )
    finally:
        if graph is not None:
            graph._scopes = saved
    if graph is not None and v.name != full and not any(o.name == full for o in graph.get_collection("variables")):
        # Variable names are made unique process-wide; TF1 names are unique per graph, and scripts fetch by them.
        v._name = full
    if want_shape is not None and list(v.shape) != want_shape:
        raise ValueError(
            f"the initializer of variable {full} gave shape {tuple(v.shape)}, but shape {tuple(want_shape)} "
            "was requested"
        )
    store.variables[full] = v
    if regularizer is not None and graph is not None:
        graph.add_to_collection("regularization_losses", regularizer(v))
    return v


def get_local_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool = False,
    collections: Any = None,
    **kwargs: Any,
) -> Variable:
    """``get_variable`` for a LOCAL_VARIABLES variable (not saved, not trained): counters, metric totals."""
    keys = ["local_variables"] + [c for c in (collections or []) if c != "local_variables"]
    return get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer, trainable=False,
        collections=keys, **kwargs,
    )


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
