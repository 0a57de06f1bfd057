"""Small TF1 functions: the behaviour switches (``enable/disable_control_flow_v2``,
``enable/disable_resource_variables`` and their queries), ``executing_eagerly_outside_functions``,
``dimension_at_index``, and TF1's signatures of ``sparse_add`` / ``sparse_concat`` / ``sparse_reduce_sum`` /
``sparse_reduce_max`` (``thresh``, ``concat_dim``, ``reduction_axes``, ``keep_dims``).

ferroflow has one implementation of control flow and of variables, which behaves as TensorFlow's v2 ones;
the switches record the choice so that the queries report it, as TF1 code checks them.
"""

from __future__ import annotations

from typing import Any, Optional

from .arg_lookup import lookup

_switches = {"control_flow_v2": True, "resource_variables": True}


def enable_control_flow_v2() -> None:
    _switches["control_flow_v2"] = True


def disable_control_flow_v2() -> None:
    _switches["control_flow_v2"] = False


def control_flow_v2_enabled() -> bool:
    return _switches["control_flow_v2"]


def enable_resource_variables() -> None:
    _switches["resource_variables"] = True


def disable_resource_variables() -> None:
    _switches["resource_variables"] = False


def resource_variables_enabled() -> bool:
    return _switches["resource_variables"]


def executing_eagerly_outside_functions() -> bool:
    """Whether code outside ``tf.function`` runs eagerly: False while a TF1 graph is the default."""
    from ...framework import context

    graph = context.current_graph()
    return graph is None or bool(getattr(graph, "is_function", False))


def dimension_at_index(shape: Any, index: int) -> Any:
    """``shape[index]`` as a ``Dimension`` (an unknown rank gives an unknown Dimension)."""
    from ...framework.tensor_shape import TensorShape
    from .dimension import Dimension

    shape = TensorShape(shape)
    if shape.rank is None:
        return Dimension(None)
    return Dimension(shape[index])


def sparse_add(a: Any, b: Any, threshold: Any = None, thresh: Any = None) -> Any:
    """``a + b`` for sparse (and dense) operands; sums with magnitude below ``threshold`` are dropped."""
    from ... import sparse

    threshold = lookup("threshold", threshold, "thresh", thresh)
    return sparse.add(a, b, threshold=0 if threshold is None else threshold)


def sparse_concat(
    axis: Any,
    sp_inputs: Any,
    name: Optional[str] = None,
    expand_nonconcat_dim: bool = False,
    concat_dim: Any = None,
    expand_nonconcat_dims: Any = None,
) -> Any:
    from ... import sparse

    axis = lookup("axis", axis, "concat_dim", concat_dim)
    expand = lookup("expand_nonconcat_dims", expand_nonconcat_dims, "expand_nonconcat_dim", expand_nonconcat_dim)
    return sparse.concat(axis, sp_inputs, name=name, expand_nonconcat_dims=bool(expand))


def _sparse_reduction(kind: str) -> Any:
    def reduce(
        sp_input: Any, axis: Any = None, keepdims: Any = None, reduction_axes: Any = None, keep_dims: Any = None
    ) -> Any:
        from ... import sparse

        axis = lookup("axis", axis, "reduction_axes", reduction_axes)
        keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
        return getattr(sparse, kind)(sp_input, axis=axis, keepdims=bool(keepdims))

    reduce.__name__ = reduce.__qualname__ = f"sparse_{kind}"
    reduce.__doc__ = f"TF1's ``sparse_{kind}``: ``reduction_axes`` is the old ``axis``, ``keep_dims`` ``keepdims``."
    return reduce


sparse_reduce_sum = _sparse_reduction("reduce_sum")
sparse_reduce_max = _sparse_reduction("reduce_max")
