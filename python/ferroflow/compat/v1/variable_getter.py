"""``get_variable`` and ``get_local_variable``: the variable a ``variable_scope`` path names, found in the
graph's store or created there, with the scope's initializer, regularizer, partitioner and custom getter."""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...framework.dtypes import as_dtype
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from . import initializers as init_ops
from .variable_scope import AUTO_REUSE, _store, get_variable_scope


def _compose_getters(outer: Any, inner: Any) -> Any:
    """The inner scope's getter runs first; the getter it calls is the outer one (TF1's nesting)."""

    def composed(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return inner(lambda *a, **k: outer(getter, *a, **k), *args, **kwargs)

    return composed


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
    """Gets the variable ``<scope>/name`` or creates it, following the enclosing ``variable_scope``'s reuse;
    the scope's regularizer, partitioner and custom getter apply when the call gives none."""
    scope = get_variable_scope()
    kwargs = dict(
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        collections=collections,
        caching_device=caching_device,
        partitioner=partitioner,
        validate_shape=validate_shape,
        use_resource=use_resource,
        constraint=constraint,
    )
    getter = custom_getter if custom_getter is not None else scope.custom_getter
    if getter is not None:  # custom getters see the full name, as TF1's do
        full = f"{scope.name}/{name}" if scope.name else name
        return getter(_full_name_getter, full, **kwargs)
    return _get_variable(name, **kwargs)


def _full_name_getter(name: str, *args: Any, **kwargs: Any) -> Variable:
    return _get_variable(name, *args, full_name=True, **kwargs)


def _get_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: Optional[bool] = None,
    collections: Any = None,
    partitioner: Any = None,
    full_name: bool = False,
    **unused: Any,
) -> Variable:
    scope = get_variable_scope()
    full = name if full_name else (f"{scope.name}/{name}" if scope.name else name)
    regularizer = regularizer if regularizer is not None else scope.regularizer
    partitioner = partitioner if partitioner is not None else scope.partitioner
    if partitioner is not None:
        from .partitioned_variables import partitioned_variable

        return partitioned_variable(
            scope, full, shape, dtype, initializer, regularizer, trainable, collections, partitioner
        )
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
    if graph is not None and v._name != full and not any(_named(o, full) for o in graph.get_collection("variables")):
        # Variable names are made unique process-wide; TF1 names are unique per graph, and scripts fetch by them.
        v._name = full
    if want_shape is not None and list(v.shape) != want_shape:
        raise ValueError(
            f"the initializer of variable {full} gave shape {tuple(v.shape)}, but shape {tuple(want_shape)} "
            "was requested"
        )
    store.variables[full] = v
    add_regularization(graph, regularizer, v)
    return v


def add_regularization(graph: Any, regularizer: Any, value: Any) -> None:
    """``regularizer(value)`` into REGULARIZATION_LOSSES (nothing for ``tf.no_regularizer``'s None)."""
    if regularizer is None or graph is None:
        return
    loss = regularizer(value)
    if loss is not None:
        graph.add_to_collection("regularization_losses", loss)


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
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=False,
        collections=keys,
        **kwargs,
    )


def _named(variable: Any, name: str) -> bool:
    return getattr(variable, "_name", None) == name
