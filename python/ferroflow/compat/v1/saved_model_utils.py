"""``tf.compat.v1.saved_model.utils``: ``TensorInfo``, the description of one tensor of a TF1 graph a
``SignatureDef`` refers to (its name in the graph, dtype and static shape), and the way back from it to the
tensor of a loaded graph."""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...summary import _proto
from .proto_message import ProtoMessage
from .run_metadata import DTYPE_NAMES, TensorShapeProto, dtype_enum


class _CooSparse(ProtoMessage):
    _FIELDS = {
        "values_tensor_name": (1, "string"),
        "indices_tensor_name": (2, "string"),
        "dense_shape_tensor_name": (3, "string"),
    }


_CooSparse.__name__ = _CooSparse.__qualname__ = "CooSparse"


class TensorInfo(ProtoMessage):
    """TF1's ``TensorInfo`` message: ``name`` (``"x:0"``), ``dtype`` (TensorFlow's enum: 1 is DT_FLOAT),
    ``tensor_shape`` (a ``TensorShapeProto``; -1 for an unknown dimension) or, for a ``SparseTensor``,
    ``coo_sparse`` (the names of its three component tensors)."""

    CooSparse = _CooSparse
    _FIELDS = {
        "name": (1, "string"),
        "dtype": (2, "int"),
        "tensor_shape": (3, TensorShapeProto),
        "coo_sparse": (4, _CooSparse),
    }
    _ENUMS = {"dtype": {**DTYPE_NAMES, 8: "DT_COMPLEX64", 18: "DT_COMPLEX128"}}

    def WhichOneof(self, group: str) -> Optional[str]:  # noqa: N802 (protobuf's name)
        """Which of the ``encoding`` fields is set: ``name``, ``coo_sparse`` or None."""
        if group != "encoding":
            raise ValueError(f'Protocol message has no "{group}" field.')
        if self.name:
            return "name"
        if self.coo_sparse.SerializeToString():
            return "coo_sparse"
        return None


def shape_proto(shape: Any) -> TensorShapeProto:
    """A ``TensorShapeProto`` of a ``TensorShape``-like value (None dims: -1; unknown rank: ``unknown_rank``)."""
    dims = getattr(shape, "dims", shape) if shape is not None else None
    if dims is None or getattr(shape, "rank", 0) is None:
        return TensorShapeProto.of(None)
    return TensorShapeProto.of([getattr(d, "value", d) for d in dims])


def shape_of_proto(proto: TensorShapeProto) -> Optional[list]:
    """The inverse of ``shape_proto``: a list of dims (None unknown), or None for an unknown rank."""
    if proto.unknown_rank:
        return None
    return [None if d.size < 0 else int(d.size) for d in proto.dim]


_ENUMS = {name: dtype_enum(name) for name in _proto._DTYPES} | {"complex64": 8, "complex128": 18}


def enum_of_dtype(dtype: Any) -> int:
    """``tf.float32`` -> 1 (DT_FLOAT): TensorFlow's ``DataType`` number (0, DT_INVALID, when it has none)."""
    return _ENUMS.get(getattr(dtype, "name", dtype), 0)


def dtype_name_of_enum(value: int) -> str:
    """``1`` -> ``"float32"``: the dtype a ``TensorInfo``'s enum stands for."""
    for name, number in _ENUMS.items():
        if number == value:
            return name
    raise ValueError(f"unknown TensorFlow dtype enum {value!r}")


def build_tensor_info(tensor: Any) -> TensorInfo:
    """The ``TensorInfo`` of a graph tensor (or variable, or ``SparseTensor``): what a ``SignatureDef`` records so
    that a loaded graph can find the tensor again by name.

    Raises:
        RuntimeError: executing eagerly (there is no graph to name the tensor in).
        TypeError: ``tensor`` is not a tensor.
    """
    if context.executing_eagerly():
        raise RuntimeError("`build_tensor_info` is not supported in eager execution.")
    from ...framework.sparse_tensor import SparseTensor

    if isinstance(tensor, SparseTensor):
        info = TensorInfo(dtype=enum_of_dtype(tensor.dtype), tensor_shape=shape_proto(tensor.shape))
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
        return info
    if not all(hasattr(tensor, a) for a in ("name", "dtype", "shape")):
        raise TypeError(f"build_tensor_info expects a graph Tensor, received {type(tensor).__name__}: {tensor!r}")
    return TensorInfo(name=tensor.name, dtype=enum_of_dtype(tensor.dtype), tensor_shape=shape_proto(tensor.shape))


def _scoped(name: str, import_scope: Optional[str]) -> str:
    return f"{import_scope.rstrip('/')}/{name}" if import_scope else name


def get_tensor_from_tensor_info(tensor_info: TensorInfo, graph: Any = None, import_scope: Optional[str] = None) -> Any:
    """The tensor of ``graph`` (the default graph) that ``tensor_info`` names, under ``import_scope`` if given.

    Raises:
        KeyError: the graph has no tensor of that name.
        ValueError: ``tensor_info`` names no tensor.
    """
    graph = graph if graph is not None else context.get_default_graph()
    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return graph.get_tensor_by_name(_scoped(tensor_info.name, import_scope))
    if encoding == "coo_sparse":
        from ...framework.sparse_tensor import SparseTensor

        coo = tensor_info.coo_sparse
        return SparseTensor(
            graph.get_tensor_by_name(_scoped(coo.indices_tensor_name, import_scope)),
            graph.get_tensor_by_name(_scoped(coo.values_tensor_name, import_scope)),
            graph.get_tensor_by_name(_scoped(coo.dense_shape_tensor_name, import_scope)),
        )
    raise ValueError(
        f"Invalid TensorInfo.encoding: {encoding}. Expected `coo_sparse`, `composite_tensor`, or `name` for a dense "
        "tensor."
    )


def get_element_from_tensor_info(tensor_info: TensorInfo, graph: Any = None, import_scope: Optional[str] = None) -> Any:
    """The tensor or operation ``tensor_info.name`` names (``"x:0"`` or ``"init"``)."""
    graph = graph if graph is not None else context.get_default_graph()
    return graph.as_graph_element(_scoped(tensor_info.name, import_scope))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), names=("build_tensor_info", "get_tensor_from_tensor_info"))
__all__ = ["build_tensor_info", "get_tensor_from_tensor_info"]
