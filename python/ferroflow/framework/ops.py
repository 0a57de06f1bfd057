"""Running an op: eagerly on values (recorded by active tapes) or as a new node of the current graph."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from .. import _core
from . import context, graph_constants, graph_record
from .dtypes import DType, as_dtype
from .tensor import EagerTensor, Tensor

_op_cache: dict = {}
# Called with each op run eagerly when device-placement logging is on (``framework.device``); None when off.
eager_op_logger: Optional[Any] = None
# Called as ``eager_op_observer(op, output)`` after each op run eagerly while tfdbg dumps them
# (``tf.debugging.experimental.enable_dump_debug_info``); None when off.
eager_op_observer: Optional[Any] = None


def make_op(name: str, attrs: Optional[dict] = None) -> Any:
    """The native op for ``name``; ops without attributes are built once and reused."""
    if not attrs:
        op = _op_cache.get(name)
        if op is None:
            op = _op_cache[name] = _core.Op(name, None)
            graph_record.note_cached(op, name)
        return op
    op = _core.Op(name, attrs)
    if context._state.graphs or not context._global["eager"]:  # a graph is being built: keep the build record
        graph_record.note(op, name, attrs)
    return op


# The execution context read on every op; bound once (neither object is ever rebound, only mutated).
_context_state = context._state
_context_global = context._global
_execute = _core.execute
_NO_TAPES: tuple = ()


def apply(name: str, inputs: Sequence[Any], attrs: Optional[dict] = None, op_name: Optional[str] = None) -> Tensor:
    """Applies op ``name`` to ``inputs``: eagerly when no graph is being built, else as a graph node.

    The common case (eager, every input an ``EagerTensor``, no device-placement logging) runs without the
    imports, conversions and graph lookups of the general path, since per-op dispatch cost dominates small ops."""
    if not _context_state.graphs and _context_global["eager"] and eager_op_logger is None:
        core_inputs = []
        for x in inputs:
            if type(x) is not EagerTensor:
                break
            core_inputs.append(x._t)
        else:
            op = _op_cache.get(name) if not attrs else None
            if op is None:
                op = make_op(name, attrs)
            tapes = _context_state.tapes
            result = _execute(op, core_inputs, [t._tape for t in tapes if t._recording] if tapes else _NO_TAPES)
            if eager_op_observer is not None:
                eager_op_observer(op, result)
            return EagerTensor(result)
    return _apply_general(name, inputs, attrs, op_name)


def _apply_general(name: str, inputs: Sequence[Any], attrs: Optional[dict], op_name: Optional[str]) -> Tensor:
    """``apply`` for any inputs (variables, values to convert, symbolic tensors) and any context."""
    from .graph import SymbolicTensor
    from .variables import Variable

    graph = context.current_graph()
    if graph is None:
        for x in inputs:
            if isinstance(x, SymbolicTensor):
                graph = x.graph
                break
    op = make_op(name, attrs)
    if graph is None:
        if eager_op_logger is not None:
            eager_op_logger(op)
        core_inputs = []
        for x in inputs:
            if isinstance(x, EagerTensor):
                core_inputs.append(x._t)
            elif isinstance(x, Variable):
                core_inputs.append(x.value()._t if x._autocast else x._eager_read())
            else:
                core_inputs.append(convert_to_tensor(x)._t)
        tapes = [t._tape for t in context.active_tapes() if t._recording]
        result = _core.execute(op, core_inputs, tapes)
        if eager_op_observer is not None:
            eager_op_observer(op, result)
        return EagerTensor(result)
    if attrs:
        graph_record.note(op, name, attrs)  # also when the graph was found from the inputs, not the context
    ids = [graph_input(graph, x) for x in inputs]
    node = graph.add_node(op, ids, op_name or op.type_name)
    if name in ("assign", "assign_add", "assign_sub"):
        graph.stateful_nodes.append(node)
    return graph.tensor(node)


def graph_input(graph: Any, x: Any) -> int:
    """The node id of ``x`` in ``graph``, adding a read (variables) or a constant (values) if needed."""
    from .graph import SymbolicTensor, as_symbolic
    from .variables import Variable

    if isinstance(x, Variable):
        if x._autocast_target() is not None:  # read as a mixed-precision layer's compute dtype
            with graph.as_default():
                return x.value().node
        return x._graph_read(graph)
    if isinstance(x, SymbolicTensor) and x.graph is graph:
        return x.node
    return as_symbolic(graph, x).node


def _python_default_dtype(value: Any) -> Optional[DType]:
    """TensorFlow's dtypes for Python values: float -> float32, int -> int32, bool -> bool; a nested list
    takes the widest kind among all its elements (``[1, 3.0]`` is float32). None for NumPy values, which
    keep their own dtype."""
    if isinstance(value, np.ndarray):
        return None
    kinds = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, (bool, np.bool_)):
            kinds.add("b")
        elif isinstance(v, (str, bytes)):
            kinds.add("s")
        elif isinstance(v, (np.integer, np.floating, np.complexfloating)):
            return None  # NumPy scalars keep their dtype (via np.asarray)
        elif isinstance(v, int):
            kinds.add("i")
        elif isinstance(v, float):
            kinds.add("f")
        elif isinstance(v, complex):
            kinds.add("c")
        else:
            return None
    if "s" in kinds:
        return as_dtype("string")
    if "c" in kinds:
        return as_dtype("complex128")
    if "f" in kinds:
        return as_dtype("float32")
    if "i" in kinds:
        return as_dtype("int32")
    if "b" in kinds:
        return as_dtype("bool")
    # An empty list: float32, as TensorFlow's default.
    return as_dtype("float32") if isinstance(value, (list, tuple)) else None


# (base type, function, priority) from ``register_tensor_conversion_function``, lowest priority first.
CONVERSION_FUNCTIONS: list = []


def _converted(value: Any, dtype: Any, name: Any) -> Any:
    """The tensor a non-tensor object converts itself to (``__tf_tensor__``, or a registered conversion
    function), or None for the values convert_to_tensor handles itself."""
    if isinstance(value, (np.ndarray, np.generic, int, float, bool, str, bytes, list, tuple)) or value is None:
        return None
    method = getattr(type(value), "__tf_tensor__", None)
    if method is not None:
        return method(value, dtype, name)
    for base, function, _ in CONVERSION_FUNCTIONS:
        if isinstance(value, base):
            result = function(value, dtype=dtype, name=name, as_ref=False)
            if result is not NotImplemented:
                return result
    return None


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: Any = None) -> Tensor:
    """``tf.convert_to_tensor``: tensors pass through (dtype checked), other values become constants."""
    from .graph import SymbolicTensor
    from .variables import Variable

    want = as_dtype(dtype) if dtype is not None else None
    if isinstance(value, Variable):
        value = value.value()
    if isinstance(value, (EagerTensor, SymbolicTensor)):
        if want is not None and value.dtype != want:
            raise TypeError(
                f"expected a tensor of dtype {want.name}, received a tensor of dtype "
                f"{value.dtype.name}; use ferroflow.cast to convert it"
            )
        return value
    converted = _converted(value, want, name)
    if converted is not None:
        return convert_to_tensor(converted, dtype=dtype, name=name)
    if isinstance(value, (list, tuple)) and value and graph_constants.holds_graph_tensor(value):
        return graph_constants.pack(value, want)
    if want is None and dtype_hint is not None and not isinstance(value, np.ndarray):
        # TensorFlow tries the hint first and falls back to the value's own dtype when it does not fit.
        try:
            return convert_to_tensor(value, dtype=dtype_hint, name=name)
        except (TypeError, ValueError, OverflowError):
            pass
    if want is None:
        want = _python_default_dtype(value)
    arr = as_array(value, want)
    if arr.dtype.name == "bfloat16" or (want is not None and want.name == "bfloat16"):
        return _bfloat16_tensor(value, arr)
    if arr.dtype == object or arr.dtype.kind in "USV" or (want is not None and want.name == "string"):
        return _string_tensor(value, arr, want)
    if want is None:
        want = as_dtype(arr.dtype)
    elif arr.dtype.kind == "c" and not want.is_complex:
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype {want.name}: the values are complex")
    elif arr.dtype.kind == "f" and want.is_integer:
        if not np.all(np.isfinite(arr)) or np.any(np.floor(arr) != arr):
            raise TypeError(f"cannot convert {value!r} to a tensor of dtype {want.name}")
    want = _integer_range_checked(arr, want, dtype is None)
    arr = np.asarray(arr, dtype=want.as_numpy_dtype, order="C")
    return EagerTensor(_core.Tensor.from_numpy(arr))


def as_array(value: Any, want: Optional[DType] = None) -> np.ndarray:
    """``value`` as a NumPy array; Python strings (str and bytes, mixed) become an object array."""
    try:
        if want is not None and want.name == "string" and not isinstance(value, np.ndarray):
            return np.array(value, dtype=object)
        return np.asarray(value)
    except ValueError:
        # NumPy's "inhomogeneous shape": rows of different lengths (a RaggedTensor's job), or str and
        # non-UTF-8 bytes mixed in one list.
        if want is None and _python_default_dtype(value) == "string":
            return as_array(value, as_dtype("string"))
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    except TypeError as e:
        raise TypeError(f"cannot convert {type(value).__name__} to a tensor: {e}") from None


def _bfloat16_tensor(value: Any, arr: np.ndarray) -> Tensor:
    """A ``tf.bfloat16`` tensor: ``ml_dtypes.bfloat16`` arrays as they are; numbers through float32 and the
    core's round-to-nearest-even cast, so that NumPy (which has no bfloat16) needs no ml_dtypes for them."""
    if arr.dtype.name == "bfloat16":
        return EagerTensor(_core.Tensor.from_numpy(np.ascontiguousarray(arr)))
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype bfloat16")
    wide = EagerTensor(_core.Tensor.from_numpy(np.asarray(arr, dtype=np.float32, order="C")))
    return apply("cast", [wide], {"dtype": "bfloat16"})


def _string_tensor(value: Any, arr: np.ndarray, want: Any) -> Tensor:
    """A ``tf.string`` tensor from bytes/str values (str is stored as UTF-8), or TensorFlow's TypeError."""
    is_text = arr.dtype.kind in "SU" or (
        arr.dtype == object and all(isinstance(v, (bytes, str)) for v in arr.reshape(-1))
    )
    if want is not None and want.name != "string":
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype {want.name}: the values are strings")
    if not is_text:
        raise TypeError(
            f"cannot convert {value!r} to a tensor of dtype string"
            if want is not None
            else f"cannot convert a value of NumPy dtype {arr.dtype} to a tensor; expected numbers, bools or strings"
        )
    return EagerTensor(_core.Tensor.from_numpy(arr))


def _integer_range_checked(arr: np.ndarray, want: DType, inferred: bool) -> DType:
    """``want``, or int64 for inferred Python ints beyond int32 (as TensorFlow does); never a silent wrap."""
    target = np.dtype(want.as_numpy_dtype)
    if arr.dtype.kind not in "iu" or target.kind not in "iu" or arr.dtype == target or arr.size == 0:
        return want
    info = np.iinfo(target)
    lo, hi = int(arr.min()), int(arr.max())
    if info.min <= lo and hi <= info.max:
        return want
    if inferred and target == np.int32 and np.iinfo(np.int64).min <= lo and hi <= np.iinfo(np.int64).max:
        return as_dtype("int64")
    raise ValueError(
        f"cannot convert integer values in [{lo}, {hi}] to a tensor of dtype {want.name}: "
        f"expected values in [{info.min}, {info.max}]"
    )


def binary_operands(a: Any, b: Any) -> tuple:
    """Converts two operands of a binary op, giving Python numbers the dtype of the tensor operand."""
    if NUMPY_PROMOTION[0] is None:  # the common cases, answered before the general checks
        ta, tb = type(a), type(b)
        if ta is EagerTensor:
            if tb is EagerTensor:
                return a, b
            if tb is float or tb is int:
                scalar = _scalar_like(b, a._t.dtype)
                if scalar is not None:
                    return a, scalar
        elif tb is EagerTensor and (ta is float or ta is int):
            scalar = _scalar_like(a, b._t.dtype)
            if scalar is not None:
                return scalar, b
    from .variables import Variable

    def is_tensorish(x: Any) -> bool:
        return isinstance(x, (Tensor, Variable))

    if is_tensorish(a) and not is_tensorish(b):
        b = convert_to_tensor(b, dtype=_dtype_of(a)) if _is_python_number(b) else convert_to_tensor(b)
    elif is_tensorish(b) and not is_tensorish(a):
        a = convert_to_tensor(a, dtype=_dtype_of(b)) if _is_python_number(a) else convert_to_tensor(a)
    elif not is_tensorish(a) and not is_tensorish(b):
        # Neither is a tensor (tf.maximum(0., [1, -1])): the first sets the dtype, as TensorFlow's op
        # conversion does, and Python numbers in the second follow it.
        a = convert_to_tensor(a)
        b = convert_to_tensor(b, dtype=a.dtype) if _is_python_number(b) else convert_to_tensor(b)
    if NUMPY_PROMOTION[0] is not None:
        return NUMPY_PROMOTION[0](a, b)
    return a, b


_FLOAT_SCALAR_DTYPES = {"float32": np.float32, "float64": np.float64, "float16": np.float16}
_INT_SCALAR_DTYPES = {"int32": (np.int32, -(2**31), 2**31 - 1), "int64": (np.int64, -(2**63), 2**63 - 1)}


def _scalar_like(value: Any, core_dtype: str) -> Optional[Tensor]:
    """A Python float or int as a scalar tensor of a float or int32/int64 tensor's dtype, as
    ``convert_to_tensor(value, dtype=...)`` makes it; None for the cases that need its checks (a float for an
    integer dtype, an int out of range, other dtypes)."""
    np_dtype = _FLOAT_SCALAR_DTYPES.get(core_dtype)
    if np_dtype is None:
        spec = _INT_SCALAR_DTYPES.get(core_dtype)
        if spec is None or type(value) is not int or not spec[1] <= value <= spec[2]:
            return None
        np_dtype = spec[0]
    return EagerTensor(_core.Tensor.from_numpy(np.asarray(np.asarray(value), dtype=np_dtype, order="C")))


# ``tf.experimental.numpy.experimental_enable_numpy_behavior()`` sets it: mixed dtypes in binary operators are
# then cast to NumPy's result type.
NUMPY_PROMOTION: list = [None]


def _dtype_of(x: Any) -> DType:
    return x.dtype


def _is_python_number(x: Any) -> bool:
    return isinstance(x, (int, float, complex, bool, np.number, np.bool_)) or (
        isinstance(x, (list, tuple)) and len(x) > 0 and all(_is_python_number(v) for v in x)
    )


def truediv(a: Any, b: Any, op_name: Optional[str] = None) -> Tensor:
    """``a / b``: integers are divided as floats, as ``tf.math.truediv`` does: 8- and 16-bit ones as float32
    (so ``uint8_images / 255`` is float32), 32- and 64-bit ones as float64. Two integer tensors of different
    dtypes are a TypeError, as in TensorFlow."""
    a, b = binary_operands(a, b)
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.dtype.is_integer and b.dtype.is_integer:
        if a.dtype != b.dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {a.dtype!r} != {b.dtype!r}.")
        wide = "float32" if a.dtype.name in ("int8", "uint8", "int16", "uint16") else "float64"
        a = apply("cast", [a], {"dtype": wide})
        b = apply("cast", [b], {"dtype": wide})
    return apply("div", [a, b], op_name=op_name)


def getitem(x: Any, key: Any) -> Tensor:
    """NumPy basic indexing (ints, slices, ``...``, ``None``) as a strided slice; a bool tensor or array as the
    whole key selects with ``tf.boolean_mask``, as TensorFlow's ``x[x > 0]`` does."""
    if (isinstance(key, Tensor) and key.dtype == as_dtype("bool")) or (
        isinstance(key, np.ndarray) and key.dtype == np.bool_
    ):
        from ..ops.scatter_ops import boolean_mask

        return boolean_mask(x, key)
    if not isinstance(key, tuple):
        key = (key,)
    if any(_is_graph_index(k) for k in key):
        return _getitem_graph_index(x, key)
    specs = []
    for k in key:
        if k is Ellipsis:
            specs.append(("ellipsis",))
        elif k is None:
            specs.append(("newaxis",))
        elif isinstance(k, slice):
            specs.append(("range", _index(k.start), _index(k.stop), 1 if k.step is None else _index(k.step)))
        else:
            try:
                specs.append(("index", _index(k)))
            except TypeError:
                raise TypeError(
                    "only integers, slices (`:`), ellipsis (`...`) and None are valid indices, "
                    f"received {type(k).__name__}"
                ) from None
    return apply("strided_slice", [x], {"specs": specs}, op_name="strided_slice")


def _is_graph_index(k: Any) -> bool:
    """A scalar integer tensor whose value is only known when the graph runs (``x[i]`` in a ``tf.range`` loop)."""
    return isinstance(k, Tensor) and not isinstance(k, EagerTensor) and k.dtype.is_integer and k.shape.rank == 0


def _getitem_graph_index(x: Any, key: tuple) -> Tensor:
    """``x[..., i, ...]`` with graph-valued scalar indices: the static part of the key slices first (a graph
    index keeps its axis as ``:``), then each graph index gathers on its axis, last first so the earlier axes
    keep their positions (TensorFlow builds one strided slice with dynamic begin; the values are the same)."""
    if any(k is Ellipsis or k is None for k in key):
        raise TypeError(
            "indices that are tensors only known when the graph runs can be combined with ints and "
            "slices only, not with `...` or None"
        )
    static = tuple(slice(None) if _is_graph_index(k) else k for k in key)
    out = getitem(x, static)
    axes = []
    axis = 0
    for k in key:
        if _is_graph_index(k):
            axes.append((axis, k))
        if isinstance(k, slice) or _is_graph_index(k):
            axis += 1
    from ..ops.array_ops import gather

    for axis, k in reversed(axes):
        out = gather(out, k, axis=axis)
    return out


def _index(v: Any) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise TypeError("a bool is not a valid index")
    if isinstance(v, EagerTensor):
        return int(v)
    return int(v.__index__())
