"""TF1's graph inputs and variable collections: ``placeholder``, ``global_variables``, the initializer ops."""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...framework.dtypes import as_dtype
from ...framework.ops import apply
from ...framework.tensor import Tensor
from ...framework.variables import Variable


def placeholder(dtype: Any, shape: Any = None, name: Optional[str] = None) -> Tensor:
    """``tf.compat.v1.placeholder``: a graph input that ``Session.run`` must feed through ``feed_dict``."""
    if context.current_graph() is None:
        raise RuntimeError(
            "tf.placeholder() is not compatible with eager execution: call "
            "tf.compat.v1.disable_eager_execution() first, or build inside `with tf.Graph().as_default():`"
        )
    attrs: dict = {"dtype": as_dtype(dtype).name}
    if shape is not None:
        dims = shape.as_list() if hasattr(shape, "as_list") else ([shape] if isinstance(shape, int) else shape)
        attrs["shape"] = [None if d is None or d == -1 else int(d) for d in dims]
    return apply("placeholder", [], attrs, op_name=name or "Placeholder")


def _graph_or_none() -> Any:
    return context.current_graph()


def global_variables(scope: Optional[str] = None) -> list:
    """The variables of the default graph (TF1's GLOBAL_VARIABLES collection); [] when running eagerly."""
    graph = _graph_or_none()
    found = graph.get_collection("variables") if graph is not None else []
    return [v for v in found if scope is None or v.name.startswith(scope)]


def trainable_variables(scope: Optional[str] = None) -> list:
    graph = _graph_or_none()
    found = graph.get_collection("trainable_variables") if graph is not None else []
    return [v for v in found if scope is None or v.name.startswith(scope)]


def variables_initializer(var_list: Any, name: str = "init") -> Any:
    """One op that runs the initializers of ``var_list``; None when running eagerly (nothing to do)."""
    graph = next((v.graph for v in var_list if getattr(v, "graph", None) is not None), None)
    graph = graph if graph is not None else _graph_or_none()
    if graph is None:
        return None
    inits = [v.initializer for v in var_list if getattr(v, "initializer", None) is not None]
    with graph.as_default():
        return apply("group", inits, op_name=name)


def global_variables_initializer() -> Any:
    return variables_initializer(global_variables(), name="init")


def local_variables(scope: Optional[str] = None) -> list:
    """The default graph's LOCAL_VARIABLES (metric accumulators, per-session counters); [] eagerly."""
    graph = _graph_or_none()
    return graph.get_collection("local_variables", scope) if graph is not None else []


def model_variables(scope: Optional[str] = None) -> list:
    graph = _graph_or_none()
    return graph.get_collection("model_variables", scope) if graph is not None else []


def local_variables_initializer() -> Any:
    """One op that runs the initializers of the LOCAL_VARIABLES (a no-op when there are none)."""
    return variables_initializer(local_variables(), name="init")


def report_uninitialized_variables(var_list: Any = None, name: str = "report_uninitialized_variables") -> Any:
    """A string tensor: the names of the variables of ``var_list`` (global and local ones by default) that have
    no value yet, as TF1's readiness check of ``Scaffold`` and ``SessionManager`` fetches it."""
    from .host_tensor import HostTensor, string_array, unique_name

    graph = context.get_default_graph()
    if var_list is None:
        var_list = global_variables() + local_variables()
    var_list = list(var_list)

    def compute() -> Any:
        return string_array([v.op.name.encode() for v in var_list if not v._v.is_initialized()])

    return HostTensor(graph, unique_name(graph, name), "ReportUninitializedVariables", [], compute, "string", [None])


def is_variable_initialized(variable: Variable) -> bool:
    return bool(variable._v.is_initialized())


def moving_average_variables(scope: Optional[str] = None) -> list:
    """The default graph's MOVING_AVERAGE_VARIABLES: the variables an ``ExponentialMovingAverage`` follows."""
    graph = _graph_or_none()
    return graph.get_collection("moving_average_variables", scope) if graph is not None else []


initialize_all_variables = global_variables_initializer
all_variables = global_variables
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
