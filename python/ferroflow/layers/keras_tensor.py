"""``KerasTensor`` (a shape and dtype with a history) and symbolic layer calls for the functional API.

Calling a layer on KerasTensors traces the call once in a scratch graph whose batch dimension is
unknown: that builds the layer and gives the output shapes, and the call is recorded as a ``Node``
that a functional ``Model`` later replays on real (eager or symbolic) inputs.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..framework.dtypes import as_dtype
from ..framework.graph import SymbolicTensor
from ..framework.tensor_shape import TensorShape
from ._keras_tensor_operators import KerasTensorOperators as _Operators
from ._util import replaying_node, unique_name
from .input_spec import display_shape

_TF_FUNCTION_MESSAGE = (
    "A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic placeholder for "
    "a shape and dtype, used when constructing Keras Functional models or Keras Functions. You can only use it "
    "as input to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`). You are "
    "likely doing something like:\n\n```\nx = Input(...)\n...\ntf_fn(x)  # Invalid.\n```\n\nWhat you should "
    "do instead is wrap `tf_fn` in a layer:\n\n```\nclass MyLayer(Layer):\n    def call(self, x):\n"
    "        return tf_fn(x)\n\nx = MyLayer()(x)\n```\n"
)


class KerasTensor(_Operators):
    """A symbolic placeholder of the functional API: ``shape`` (batch ``None``), ``dtype`` and history.

    Without a ``name`` it is named as Keras names it, ``keras_tensor``, ``keras_tensor_1`` ... in the order the
    tensors are made (reset by ``keras.backend.clear_session``), so a printed KerasTensor reads as in Keras."""

    _is_keras_tensor = True

    def __init__(
        self, shape: Any, dtype: Any = "float32", sparse: bool = False, ragged: bool = False, name: Optional[str] = None
    ) -> None:
        self._tensor_shape = TensorShape(shape)
        self._dtype = as_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name if name is not None else unique_name("keras_tensor")
        self._keras_history: Optional[tuple] = None  # (layer, node_index, tensor_index)

    @property
    def shape(self) -> Any:
        """Keras 3's form: a tuple with ``None`` for unknown sizes, ``(None, 784)`` (a TensorShape if the rank is
        unknown, which Keras 3 never has)."""
        s = self._tensor_shape
        return s if s.rank is None else tuple(s.as_list())

    @property
    def dtype(self) -> str:
        """Keras 3's form: the dtype's name, ``'float32'``."""
        return self._dtype.name

    @property
    def ndim(self) -> int:
        return len(self._tensor_shape)

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={display_shape(self._tensor_shape)}, dtype={self.dtype}, sparse={self.sparse}, "
            f"ragged={self.ragged}, name={self.name}>"
        )

    def _composite_spec(self) -> Any:
        """The ``SparseTensorSpec``/``RaggedTensorSpec`` of a sparse or ragged KerasTensor (None if dense)."""
        from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec

        if self.sparse:
            return SparseTensorSpec(self._tensor_shape, self._dtype)
        if self.ragged:
            return RaggedTensorSpec(self._tensor_shape, self._dtype, ragged_rank=ragged_rank_of(self.shape))
        return None

    def __bool__(self) -> bool:
        raise TypeError("A KerasTensor is symbolic: it has no value to test as a bool")

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        """Keras 3's error: a TensorFlow function (``tf.nn.relu``, ``tf.concat``) cannot take a KerasTensor."""
        raise ValueError(_TF_FUNCTION_MESSAGE)

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "A KerasTensor is symbolic: it's a placeholder for a shape and a dtype. It doesn't have any actual "
            "numerical value. You cannot convert it to a NumPy array."
        )


class Node:
    """One recorded layer call: the arguments (holding KerasTensors) and the output KerasTensors."""

    def __init__(self, layer: Any, args: tuple, kwargs: dict, outputs: Any) -> None:
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(nest.flatten(outputs)):
            t._keras_history = (layer, self.index, i)

    @property
    def input_tensors(self) -> list:
        return [x for x in nest.flatten((self.args, self.kwargs)) if getattr(x, "_is_keras_tensor", False)]

    @property
    def parent_nodes(self) -> list:
        out = []
        for t in self.input_tensors:
            layer, node_index, _ = t._keras_history
            out.append(layer._inbound_nodes[node_index])
        return out


def _trace(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Runs ``layer(*args, **kwargs)`` in a scratch graph on placeholders; returns output KerasTensors."""
    from ..framework.function import FuncGraph
    from ..framework.ops import apply

    graph = FuncGraph()
    graph.run_callbacks = []  # value checks traced here (segment ids in range) run when the model runs, not here
    input_masks: dict = {}  # id(placeholder mask) -> the KerasTensor mask it stands for
    with graph.as_default():

        def to_placeholder(x: Any) -> Any:
            if getattr(x, "_is_keras_tensor", False) and (x.sparse or x.ragged):
                from ..framework.composite_graph import placeholders

                return placeholders(x._composite_spec(), "input")[0]
            if getattr(x, "_is_keras_tensor", False):
                attrs = {"dtype": x.dtype, "shape": list(x.shape)}
                p = apply("placeholder", [], attrs, op_name="input")
                mask = getattr(x, "_keras_mask", None)
                if mask is not None:  # the layer sees the mask as it will at run time
                    p._keras_mask = apply("placeholder", [], {"dtype": "bool", "shape": list(mask._tensor_shape)})
                    input_masks[id(p._keras_mask)] = mask
                return p
            return x

        sargs, skwargs = nest.map_structure(to_placeholder, (args, kwargs))
        with replaying_node():
            outputs = layer(*sargs, **skwargs)

    def to_keras(t: Any) -> Any:
        from ..framework.ragged_tensor import RaggedTensor
        from ..framework.sparse_tensor import SparseTensor

        if isinstance(t, SymbolicTensor):
            out = KerasTensor(t.shape, t.dtype)
            mask = getattr(t, "_keras_mask", None)
            if mask is not None:  # a mask passed through unchanged stays the same KerasTensor, as in Keras
                same = input_masks.get(id(mask))
                out._keras_mask = same if same is not None else KerasTensor(mask.shape, mask.dtype)
            return out
        if isinstance(t, (SparseTensor, RaggedTensor)):
            return KerasTensor(t.shape, t.dtype, sparse=isinstance(t, SparseTensor), ragged=isinstance(t, RaggedTensor))
        raise TypeError(f"Layer '{layer.name}' returned {type(t).__name__}; a layer must return tensors")

    return nest.map_structure(to_keras, outputs)


def ragged_rank_of(shape: Any) -> int:
    """A ragged input's ragged dimensions: the unknown ones right after the batch axis (at least one)."""
    dims = list(shape)[1:]
    k = 0
    while k < len(dims) and dims[k] is None:
        k += 1
    return max(1, min(k, len(dims)))


def symbolic_call(layer: Any, args: tuple, kwargs: dict) -> Any:
    """A layer called on KerasTensors: trace once for shapes, record the call as a Node."""
    kwargs = dict(kwargs)
    training = kwargs.get("training", None)
    if training is None:
        kwargs.pop("training", None)
    outputs = _trace(layer, args, kwargs)
    struct = getattr(layer, "_outputs_struct", None)
    if isinstance(struct, list) and len(struct) == 1 and not isinstance(outputs, list):
        # As Keras 3's Functional: Model(inputs, [y]) called on KerasTensors gives the one-element list (run
        # on values it gives the tensor itself, which is what tracing saw).
        outputs = [outputs]
    layer._last_output_shape = nest.map_structure(lambda t: tuple(t.shape), outputs)
    Node(layer, args, kwargs, outputs)
    return outputs


def output_shape_by_tracing(layer: Any, input_shape: Any) -> Any:
    def is_shape(s: Any) -> bool:
        return isinstance(s, (tuple, list, TensorShape)) and all(d is None or isinstance(d, int) for d in s)

    if is_shape(input_shape):
        inputs = KerasTensor(input_shape, layer.compute_dtype)
    else:
        inputs = _pack_shapes(input_shape, layer.compute_dtype)
    outputs = _trace(layer, (inputs,), {})
    return nest.map_structure(lambda t: tuple(t.shape), outputs)


def _pack_shapes(shapes: Any, dtype: str) -> Any:
    if isinstance(shapes, dict):
        return {k: _pack_shapes(v, dtype) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and isinstance(shapes[0], (list, tuple, TensorShape)):
        return [_pack_shapes(s, dtype) for s in shapes]
    return KerasTensor(shapes, dtype)
