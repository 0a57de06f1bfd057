"""``tf.debugging.experimental``: ``enable_dump_debug_info`` dumps every eager op and every node of each
``tf.function`` run, for the offline analyzer (``--dump_dir=<dump_root>``).

The most recent ``circular_buffer_size`` records are kept in memory and written to ``dump_root`` (one dump
directory, the layout of ``dump_io``) when flushed: by the returned writer's ``FlushExecutionFiles()``, by
``disable_dump_debug_info()``, or at interpreter exit. Eager ops are named ``eager/<OpType>_<n>``; a
function's nodes keep their graph names, with one dump per call (``pt -n``).
"""

from __future__ import annotations

import atexit
import collections
import os
import re
import shutil
import threading
import time
from typing import Any, Callable, Optional, Union

import numpy as np

from ....framework import ops as _ops
from ....framework import trace as _trace
from ....framework.dtypes import as_dtype
from . import dump_io
from .debug_data import DebugTensorDatum, NodeInfo
from .graph_debug import WatchedPlan
from .session_debug import nbytes

__all__ = ["disable_dump_debug_info", "enable_dump_debug_info"]

_MODES = ("NO_TENSOR", "CURT_HEALTH", "CONCISE_HEALTH", "FULL_HEALTH", "SHAPE", "FULL_TENSOR")
_UNIMPLEMENTED_MODES = ("UNSPECIFIED", "FULL_NUMERICS", "REDUCE_INF_NAN_THREE_SLOTS")
# TensorFlow's DataType numbers, which the FULL_HEALTH and SHAPE summaries record.
_DTYPE_ENUM = {
    "float32": 1,
    "float64": 2,
    "int32": 3,
    "uint8": 4,
    "int16": 5,
    "int8": 6,
    "string": 7,
    "complex64": 8,
    "int64": 9,
    "bool": 10,
    "complex128": 18,
    "float16": 19,
    "uint16": 17,
    "uint32": 22,
    "uint64": 23,
    "bfloat16": 14,
}


def summarize(mode: str, value: Optional[np.ndarray], dtype: str, tensor_id: int) -> Optional[np.ndarray]:
    """What ``mode`` keeps of a tensor: the value, a float64 summary vector, or None (nothing)."""
    if mode == "NO_TENSOR" or value is None:
        return None
    if mode == "FULL_TENSOR":
        return value
    if mode == "SHAPE":
        shape = list(value.shape)[-6:]
        return np.array(
            [tensor_id, _DTYPE_ENUM.get(dtype, 0), value.ndim, value.size] + shape + [0] * (6 - len(shape)),
            dtype=np.float64,
        )
    if value.dtype.kind not in "fc":
        return None  # the health modes summarize floating-point tensors only
    real = value.real if value.dtype.kind == "c" else value
    neg_inf, pos_inf, nan = int(np.isneginf(real).sum()), int(np.isposinf(real).sum()), int(np.isnan(real).sum())
    if mode == "CURT_HEALTH":
        return np.array([tensor_id, float(neg_inf + pos_inf + nan > 0)], dtype=np.float64)
    if mode == "CONCISE_HEALTH":
        return np.array([tensor_id, value.size, neg_inf, pos_inf, nan], dtype=np.float64)
    finite = real[np.isfinite(real)]
    return np.array(
        [
            tensor_id,
            -1,
            _DTYPE_ENUM.get(dtype, 0),
            value.ndim,
            value.size,
            neg_inf,
            pos_inf,
            nan,
            (finite < 0).sum(),
            (finite == 0).sum(),
            (finite > 0).sum(),
        ],
        dtype=np.float64,
    )


class DumpWriter:
    """The dumping state of ``enable_dump_debug_info``; its flush methods write the buffer to ``dump_root``."""

    def __init__(
        self, dump_root: str, mode: str, circular_buffer_size: int, op_regex: Optional[str], tensor_dtypes: Any
    ) -> None:
        self.dump_root = dump_root
        self.tensor_debug_mode = mode
        self.circular_buffer_size = circular_buffer_size
        self._op_regex = re.compile(op_regex) if op_regex else None
        self._dtypes = tensor_dtypes
        self._records: Any = collections.deque(maxlen=circular_buffer_size if circular_buffer_size > 0 else None)
        self._nodes: dict = {}
        self._plans: dict = {}
        self._count = 0
        self._lock = threading.Lock()

    def _wanted(self, op_type: str, dtype: str) -> bool:
        if self._op_regex is not None and not self._op_regex.match(op_type):
            return False
        if self._dtypes is None:
            return True
        if callable(self._dtypes):
            return bool(self._dtypes(as_dtype(dtype)))
        return as_dtype(dtype) in self._dtypes

    def _record(self, info: NodeInfo, value: Optional[np.ndarray], timestamp: int, order: int) -> None:
        if not self._wanted(info.op_type, info.dtype):
            return
        with self._lock:
            self._count += 1
            kept = summarize(self.tensor_debug_mode, value, info.dtype, self._count)
            datum = DebugTensorDatum(
                None,
                info.name,
                0,
                self.tensor_debug_mode,
                timestamp,
                0 if kept is None else nbytes(kept),
                value=kept,
                order=self._count,
            )
            self._nodes.setdefault(info.name, info)
            self._records.append(datum)

    # -- the hooks
    def eager_op(self, op: Any, output: Any) -> None:
        # NO_TENSOR keeps no values: the output is not copied out of the native tensor.
        value = None if self.tensor_debug_mode == "NO_TENSOR" else np.asarray(output.numpy())
        name = f"eager/{op.type_name}_{self._count + 1}"
        info = NodeInfo(name, op.type_name, [], output.dtype, list(output.shape), attributes={"execution": "eager"})
        self._record(info, value, int(time.time() * 1e6), 0)

    def graph_run(self, concrete: Any, feeds: list) -> list:
        watched = self._plans.get(id(concrete))
        if watched is None or watched[0] is not concrete:
            watched = self._plans[id(concrete)] = (
                concrete,
                WatchedPlan(concrete.graph, concrete.fetch_nodes, concrete.feed_nodes),
            )
        plan = watched[1]
        outputs, datums = plan.run(feeds)
        infos = {n.name: n for n in plan.nodes}
        for d in datums:
            self._record(infos[d.node_name], d.get_tensor(), d.timestamp, d.order)
        return outputs

    # -- writing
    def FlushExecutionFiles(self) -> None:  # noqa: N802  (TensorFlow's writer method names)
        """Writes the buffered records to ``dump_root`` (replacing what an earlier flush wrote)."""
        with self._lock:
            datums = list(self._records)
            names = {d.node_name for d in datums}
            nodes = [n for name, n in self._nodes.items() if name in names]
        shutil.rmtree(os.path.join(self.dump_root, dump_io.TENSOR_DIR), ignore_errors=True)
        run_info = {
            "kind": "dump_debug_info",
            "tensor_debug_mode": self.tensor_debug_mode,
            "circular_buffer_size": self.circular_buffer_size,
            "executions": self._count,
        }
        dump_io.write_run(self.dump_root, nodes, datums, run_info)

    def FlushNonExecutionFiles(self) -> None:  # noqa: N802
        self.FlushExecutionFiles()

    def Close(self) -> None:  # noqa: N802
        self.FlushExecutionFiles()


_state: dict = {"writer": None}


def enable_dump_debug_info(
    dump_root: str,
    tensor_debug_mode: str = "NO_TENSOR",
    circular_buffer_size: int = 1000,
    op_regex: Optional[str] = None,
    tensor_dtypes: Union[list, tuple, Callable[[Any], bool], None] = None,
) -> DumpWriter:
    """Dumps every eager op and every node of each ``tf.function`` run under ``dump_root``.

    ``tensor_debug_mode``: ``NO_TENSOR`` (which ops ran), ``CURT_HEALTH`` / ``CONCISE_HEALTH`` /
    ``FULL_HEALTH`` (counts of -inf, +inf and NaN of floating tensors), ``SHAPE``, or ``FULL_TENSOR``.
    ``op_regex`` and ``tensor_dtypes`` narrow what is dumped. Returns the writer (``FlushExecutionFiles()``).
    """
    if tensor_debug_mode not in _MODES:
        if tensor_debug_mode in _UNIMPLEMENTED_MODES:
            raise NotImplementedError(
                f"tfdbg dumping: support for tensor debug mode {tensor_debug_mode} is not implemented yet"
            )
        raise ValueError(
            f"Invalid value in tensor_debug_mode ('{tensor_debug_mode}'). Valid options are: "
            f"{list(_UNIMPLEMENTED_MODES[:1] + _MODES)}"
        )
    if isinstance(circular_buffer_size, bool) or not isinstance(circular_buffer_size, int):
        raise TypeError(f"circular_buffer_size must be an integer; received {circular_buffer_size!r}")
    if tensor_dtypes is not None:
        if not isinstance(tensor_dtypes, (list, tuple)) and not callable(tensor_dtypes):
            raise ValueError(
                "If specified, tensor_dtypes is expected to be a list, a tuple, or a callable that "
                f"takes a DType argument and returns a boolean, but received {tensor_dtypes}"
            )
        if isinstance(tensor_dtypes, (list, tuple)):
            tensor_dtypes = [as_dtype(d) for d in tensor_dtypes]
    dump_root = os.fspath(dump_root)
    writer = _state["writer"]
    if writer is not None:
        if writer.circular_buffer_size != circular_buffer_size:
            raise ValueError(
                f"There is already a dumping callback configured with a different circular-buffer size "
                f"({writer.circular_buffer_size}). Therefore the newly request circular-buffer size "
                f"({circular_buffer_size}) will not be honored."
            )
        if writer.tensor_debug_mode != tensor_debug_mode:
            raise ValueError(
                f"There is already a dumping callback configured for dump root {writer.dump_root} with "
                f"a different tensor-debug mode ({writer.tensor_debug_mode}). Therefore the newly "
                f"request tensor-debug mode ({tensor_debug_mode}) size will not be honored."
            )
        writer.dump_root = dump_root
        return writer
    os.makedirs(dump_root, exist_ok=True)
    writer = _state["writer"] = DumpWriter(dump_root, tensor_debug_mode, circular_buffer_size, op_regex, tensor_dtypes)
    _ops.eager_op_observer = writer.eager_op
    _trace.plan_runner = writer.graph_run
    atexit.register(disable_dump_debug_info)
    return writer


def disable_dump_debug_info() -> None:
    """Writes what ``enable_dump_debug_info`` buffered and stops dumping; a no-op when it is off."""
    writer = _state["writer"]
    if writer is None:
        return
    _ops.eager_op_observer = None
    _trace.plan_runner = None
    _state["writer"] = None
    writer.FlushExecutionFiles()


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
