"""TF1's summary ops: ``scalar``, ``histogram``, ``image``, ``text``, ``tensor_summary``, ``merge``, ``merge_all``.

In a graph each returns a string tensor (a ``HostTensor``) whose value, when a session runs it, is a
serialized ``Summary`` for ``FileWriter.add_summary``; it joins the SUMMARIES collection (or
``collections``), which ``merge_all`` merges. The tag is the op's unique scoped name (``train/loss``,
``loss_1``). Run eagerly, a summary is written to the default ``tf.summary`` writer when there is one
with a step (returning ``b""``), else its serialized ``Summary`` is returned, as TensorFlow 2 does.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ...framework import context
from ...framework.graph import SymbolicTensor, as_symbolic
from ...framework.ops import convert_to_tensor
from ...framework.variables import Variable
from ...summary import _proto
from ...summary import _state as _v2_state
from . import summary_encode as _encode
from .host_tensor import HostTensor, unique_name

SUMMARIES = "summaries"
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _clean_tag(name: Optional[str]) -> Optional[str]:
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


def _scope(graph: Any, name: str, family: Optional[str]) -> tuple:
    """``(tag, op name)``: the unique scoped name, its tag prefixed by ``family`` (TF1's ``summary_scope``)."""
    name, family = _clean_tag(name), _clean_tag(family)
    scope = unique_name(graph, name if family is None else f"{family}/{name}")
    return (scope if family is None else f"{family}/{scope}"), scope


def _input(graph: Any, value: Any) -> Any:
    if isinstance(value, (Variable, HostTensor)):
        return value
    if isinstance(value, SymbolicTensor):
        return as_symbolic(graph, value)  # a tensor of another graph is refused
    return as_symbolic(graph, convert_to_tensor(value))


def _v2_step() -> Any:
    step = _v2_state.get_step()
    if step is not None:
        return step
    from .train import get_global_step

    return get_global_step()


def _summary(
    op_type: str,
    name: str,
    family: Optional[str],
    value: Any,
    collections: Any,
    encode: Callable[..., bytes],
    v2_write: Optional[Callable[[str, Any, Any], Any]] = None,
) -> Any:
    graph = context.current_graph()
    if graph is None:  # eager: TensorFlow 2 writes through tf.summary when it has a writer and a step
        tag = _clean_tag(name) if family is None else f"{_clean_tag(family)}/{_clean_tag(name)}"
        if v2_write is not None and _v2_state.default_writer() is not None and _v2_step() is not None:
            v2_write(tag, value, _v2_step())
            return convert_to_tensor(b"")
        return convert_to_tensor(encode(tag, convert_to_tensor(value).numpy()))
    tag, scope = _scope(graph, name, family)
    tensor = HostTensor(graph, scope, op_type, [_input(graph, value)], lambda v: encode(tag, v))
    graph.add_to_collections([SUMMARIES] if collections is None else collections, tensor)
    return tensor


def _check_numeric(value: Any, what: str) -> None:
    dtype = getattr(value, "dtype", None)
    if dtype is not None and getattr(dtype, "name", str(dtype)) in ("string", "bool"):
        raise TypeError(f"tf.summary.{what} expects a numeric tensor, received dtype {dtype.name}")


def scalar(name: str, tensor: Any, collections: Any = None, family: Optional[str] = None) -> Any:
    """A ``Summary`` holding the scalar ``tensor`` as ``simple_value`` (TensorBoard's Scalars tab)."""
    from ...summary import scalar as v2_scalar

    _check_numeric(tensor, "scalar")
    return _summary(
        "ScalarSummary",
        name,
        family,
        tensor,
        collections,
        _encode.scalar,
        lambda tag, v, step: v2_scalar(tag, v, step=step),
    )


def histogram(name: str, values: Any, collections: Any = None, family: Optional[str] = None) -> Any:
    """A ``Summary`` holding a ``HistogramProto`` of ``values`` in TensorFlow's default buckets."""
    from ...summary import histogram as v2_histogram

    _check_numeric(values, "histogram")
    return _summary(
        "HistogramSummary",
        name,
        family,
        values,
        collections,
        _encode.histogram,
        lambda tag, v, step: v2_histogram(tag, v, step=step),
    )


def image(name: str, tensor: Any, max_outputs: int = 3, collections: Any = None, family: Optional[str] = None) -> Any:
    """PNG images of the first ``max_outputs`` of ``[batch, height, width, 1|3|4]`` ``tensor`` (uint8, or floats
    rescaled as TensorFlow does), tagged ``name/image/<i>`` (``name/image`` when ``max_outputs`` is 1)."""
    shape = getattr(tensor, "shape", None)
    if shape is not None and getattr(shape, "rank", None) not in (None, 4):
        raise ValueError(f"tf.summary.image expects a 4-D tensor [batch, height, width, channels], received {shape}")
    return _summary(
        "ImageSummary", name, family, tensor, collections, lambda tag, v: _encode.image(tag, v, int(max_outputs))
    )


def tensor_summary(
    name: str,
    tensor: Any,
    summary_description: Optional[str] = None,
    collections: Any = None,
    summary_metadata: Optional[bytes] = None,
    family: Optional[str] = None,
    display_name: Optional[str] = None,
) -> Any:
    """A ``Summary`` holding ``tensor`` itself with ``summary_metadata`` (serialized bytes)."""
    metadata = summary_metadata or b""
    if display_name is not None:
        metadata += _proto.f_str(2, display_name)
    if summary_description is not None:
        metadata += _proto.f_str(3, summary_description)
    return _summary(
        "TensorSummaryV2", name, family, tensor, collections, lambda tag, v: _encode.tensor(tag, v, metadata)
    )


def text(name: str, tensor: Any, collections: Any = None) -> Any:
    """A string ``tensor`` as a text summary (Markdown in TensorBoard's Text tab)."""
    dtype = getattr(tensor, "dtype", None)
    if dtype is None or getattr(dtype, "name", "") != "string":
        label = getattr(tensor, "name", repr(tensor))
        raise ValueError(f"Expected tensor {label} to have dtype string, got {getattr(dtype, 'name', dtype)}")
    metadata = _proto.summary_metadata("text")
    graph = context.current_graph()
    if graph is None and _v2_state.default_writer() is not None and _v2_step() is not None:
        from ...summary import text as v2_text

        v2_text(name, tensor, step=_v2_step())
        return convert_to_tensor(b"")
    return tensor_summary(name, tensor, collections=collections, summary_metadata=metadata)


def merge(inputs: Any, collections: Any = None, name: Optional[str] = None) -> Any:
    """One ``Summary`` with the values of every summary in ``inputs``; a tag met twice is an error at run time."""
    graph = context.current_graph()
    if graph is None:
        raise RuntimeError(
            "Merging tf.summary.* ops is not compatible with eager execution. Use tf.contrib.summary instead."
        )
    inputs = [_input(graph, s) for s in inputs]
    tensor = HostTensor(
        graph, unique_name(graph, _clean_tag(name) or "Merge/MergeSummary"), "MergeSummary", inputs, _encode.merge
    )
    graph.add_to_collections(collections or [], tensor)
    return tensor


def merge_all(key: str = SUMMARIES, scope: Optional[str] = None, name: Optional[str] = None) -> Any:
    """``merge`` of every summary in collection ``key`` (filtered by ``scope``); None when there is none."""
    graph = context.current_graph()
    if graph is None:
        raise RuntimeError(
            "Merging tf.summary.* ops is not compatible with eager execution. Use tf.contrib.summary instead."
        )
    found = graph.get_collection(key, scope)
    return merge(found, name=name) if found else None
