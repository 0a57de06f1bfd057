"""The summary functions (``tf.summary.scalar``, ``histogram``, ``text``, ``graph``, ``write``) in TF2's formats.

Each writes a ``Summary.Value`` holding a tensor and the metadata of the TensorBoard plugin that shows it
(``scalars``: a float32 scalar; ``histograms``: a float64 ``[k, 3]`` tensor of (left edge, right edge,
count) rows, TensorBoard's bucketing; ``text``: a string tensor). They return True when written and False
when no default writer is set (or ``record_if`` is off), as TensorFlow does.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from . import _proto, _state

DEFAULT_BUCKET_COUNT = 30


def _tag(name: str) -> str:
    scopes = context._state.eager_scopes
    return "/".join([*scopes, name]) if scopes else name


def _numpy(data: Any, what: str) -> np.ndarray:
    if context.current_graph() is not None or type(data).__name__ == "SymbolicTensor":
        raise NotImplementedError(
            f"tf.summary.{what} runs eagerly only: it received a symbolic tensor (a summary inside a traced "
            "function or model call); write summaries from eager code such as a callback"
        )
    if hasattr(data, "numpy"):
        data = data.numpy()
    return np.asarray(data)


def write(tag: str, tensor: Any, step: Optional[int] = None, metadata: Any = None, name: Optional[str] = None) -> bool:
    """Writes ``tensor`` under ``tag`` with ``metadata`` (serialized ``SummaryMetadata`` bytes, or None)."""
    if not _state.should_record_summaries():
        return False
    at = _state.resolve_step(step)
    array = _numpy(tensor, "write")
    if array.dtype.kind == "U":
        array = np.char.encode(array, "utf-8")
    value = _proto.summary_value(_tag(tag), metadata or b"", tensor_proto=_proto.tensor(array))
    return _state.write_event(at, summary_proto=_proto.summary([value]))


def scalar(name: str, data: Any, step: Optional[int] = None, description: Optional[str] = None) -> bool:
    """Writes a scalar summary (shown by TensorBoard's Scalars tab)."""
    if not _state.should_record_summaries():
        return False
    at = _state.resolve_step(step)
    array = _numpy(data, "scalar")
    if array.size != 1 or array.ndim != 0:
        raise ValueError(f"tf.summary.scalar expects a scalar, received data of shape {array.shape}")
    meta = _proto.summary_metadata("scalars", description=description or "", data_class=_proto.DATA_CLASS_SCALAR)
    tensor = _proto.tensor(np.asarray(array, dtype="float32"))
    return _state.write_event(at, summary_proto=_proto.summary([_proto.summary_value(_tag(name), meta, tensor)]))


def histogram_buckets(data: Any, bucket_count: Optional[int] = None) -> np.ndarray:
    """TensorBoard's histogram tensor: ``bucket_count`` equal-width buckets between the min and the max."""
    count = DEFAULT_BUCKET_COUNT if bucket_count is None else max(0, int(bucket_count))
    values = np.asarray(data, dtype="float64").ravel()
    if values.size == 0 or count == 0:
        return np.zeros((count, 3), dtype="float64")
    lo, hi = values.min(), values.max()
    if hi == lo:  # one distinct value: every bucket has zero width and the last one holds all values
        counts = np.zeros(count)
        counts[-1] = values.size
        edges = np.full(count, hi)
        return np.stack([edges, edges, counts], axis=1)
    width = (hi - lo) / count
    index = np.minimum(np.floor((values - lo) / width).astype("int64"), count - 1)
    counts = np.bincount(index, minlength=count).astype("float64")
    edges = np.linspace(lo, hi, count + 1)
    edges[-1] = hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def histogram(name: str, data: Any, step: Optional[int] = None, buckets: Optional[int] = None,
              description: Optional[str] = None) -> bool:
    """Writes a histogram of ``data``'s values (shown by the Histograms and Distributions tabs)."""
    if not _state.should_record_summaries():
        return False
    at = _state.resolve_step(step)
    array = _numpy(data, "histogram")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"tf.summary.histogram expects numeric data, received dtype {array.dtype}")
    meta = _proto.summary_metadata("histograms", description=description or "", data_class=_proto.DATA_CLASS_TENSOR)
    tensor = _proto.tensor(histogram_buckets(array, buckets))
    return _state.write_event(at, summary_proto=_proto.summary([_proto.summary_value(_tag(name), meta, tensor)]))


def text(name: str, data: Any, step: Optional[int] = None, description: Optional[str] = None) -> bool:
    """Writes a string, or an array of strings, as a text summary (Markdown in TensorBoard's Text tab)."""
    if not _state.should_record_summaries():
        return False
    at = _state.resolve_step(step)
    array = _numpy(data, "text")
    if array.dtype.kind == "O" and all(isinstance(v, (str, bytes)) for v in array.ravel()):
        array = np.array([v.encode("utf-8") if isinstance(v, str) else v for v in array.ravel()],
                         dtype=object).reshape(array.shape)
    elif array.dtype.kind == "U":
        array = np.char.encode(array, "utf-8")
    elif array.dtype.kind != "S":
        raise ValueError(f"tf.summary.text expects string data, received dtype {array.dtype}")
    meta = _proto.summary_metadata("text", description=description or "", data_class=_proto.DATA_CLASS_TENSOR)
    tensor = _proto.tensor(array)
    return _state.write_event(at, summary_proto=_proto.summary([_proto.summary_value(_tag(name), meta, tensor)]))


def graph(graph_data: Any) -> bool:
    """Writes a graph for TensorBoard's Graphs tab: a ferroflow ``Graph`` or serialized ``GraphDef`` bytes."""
    if not _state.should_record_summaries():
        return False
    if isinstance(graph_data, (bytes, bytearray)):
        data = bytes(graph_data)
    elif hasattr(graph_data, "_g"):
        from ._graph_def import graph_to_graph_def

        data = graph_to_graph_def(graph_data)
    else:
        raise TypeError(f"tf.summary.graph expects a Graph or serialized GraphDef bytes, received "
                        f"{type(graph_data).__name__}")
    return _state.write_event(0, graph_def=data)


def flush(writer: Any = None, name: Optional[str] = None) -> None:
    """Flushes ``writer``, or the default writer when None (``tf.summary.flush``)."""
    writer = writer if writer is not None else _state.default_writer()
    if writer is not None:
        writer.flush()
