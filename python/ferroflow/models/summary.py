"""``Model.summary()``: Keras 3's table of layers, output shapes and parameter counts."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..framework import nest
from ..layers.input_layer import InputLayer


def readable_memory_size(size: float) -> str:
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _memory(variables: list) -> int:
    return int(sum(int(np.prod(v.shape)) * np.dtype(v.dtype.as_numpy_dtype).itemsize for v in variables))


def _count(variables: list) -> int:
    return int(sum(int(np.prod(v.shape)) for v in variables))


def _format_shape(shape: Any) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, (list, dict)) or (isinstance(shape, tuple) and shape and isinstance(shape[0], tuple)):
        flat = shape.values() if isinstance(shape, dict) else shape
        return "[" + ", ".join(_format_shape(s) for s in flat) + "]"
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _wrap(text: str, width: int) -> list:
    lines = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        cut = width if cut <= 0 else cut
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    lines.append(text)
    return lines


def _rows(model: Any, with_connections: bool) -> list:
    rows = []
    layers = model.layers
    for layer in layers:
        kind = type(layer).__name__
        shape = _format_shape(getattr(layer, "_last_output_shape", None))
        if isinstance(layer, InputLayer):
            params = "0"
        elif layer.built:
            params = f"{layer.count_params():,}"
        else:
            params = "0 (unbuilt)"
        row = [f"{layer.name} ({kind})", shape, params]
        if with_connections:
            refs = []
            for node in layer._inbound_nodes:
                if getattr(model, "_nodes", None) is not None and any(node is n for n in model._nodes):
                    for t in node.input_tensors:
                        src, idx, tidx = t._keras_history
                        refs.append(f"{src.name}[{idx}][{tidx}]")
            row.append(", ".join(refs) if refs else "-")
        rows.append(row)
    return rows


def _is_sequential_like(model: Any) -> bool:
    nodes = getattr(model, "_nodes", None)
    if not getattr(model, "_is_graph_network", False) or nodes is None:
        return True
    for node in nodes:
        if len(node.input_tensors) > 1 or len(nest.flatten(node.outputs)) > 1:
            return False
    return len(model.inputs) == 1 and len(model.outputs) == 1


def print_summary(
    model: Any,
    line_length: Optional[int] = None,
    positions: Optional[list] = None,
    print_fn: Optional[Callable] = None,
    show_trainable: bool = False,
) -> None:
    connections = not _is_sequential_like(model)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connections else [])
    line_length = line_length or (108 if connections else 88)
    positions = positions or ([0.3, 0.6, 0.70, 1.0] if connections else [0.45, 0.84, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths, current = [], 0
    for pos in positions[: len(headers)]:
        width = int(pos) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    right = {2}  # the Param # column is right-aligned

    def fmt(cells: list) -> list:
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for j, (lines, w) in enumerate(zip(wrapped, widths)):
                text = lines[i] if i < len(lines) else ""
                parts.append(f" {text.rjust(w) if j in right else text.ljust(w)} ")
            out.append("│" + "│".join(parts) + "│")
        return out

    bars = ["━" * (w + 2) for w in widths]
    thin = ["─" * (w + 2) for w in widths]
    lines = [f'Model: "{model.name}"', "┏" + "┳".join(bars) + "┓"]
    lines += [line.replace("│", "┃") for line in fmt(headers)]
    lines.append("┡" + "╇".join(bars) + "┩")
    rows = _rows(model, connections)
    for i, row in enumerate(rows):
        lines += fmt(row)
        if i < len(rows) - 1:
            lines.append("├" + "┼".join(thin) + "┤")
    lines.append("└" + "┴".join(thin) + "┘")
    trainable = model.trainable_weights if model.built else []
    non_trainable = model.non_trainable_weights if model.built else []
    optimizer = getattr(model, "optimizer", None)
    opt_vars = list(getattr(optimizer, "variables", None) or []) if optimizer is not None else []
    total = _count(trainable) + _count(non_trainable) + _count(opt_vars)
    total_mem = _memory(trainable) + _memory(non_trainable) + _memory(opt_vars)
    lines.append(f" Total params: {total:,} ({readable_memory_size(total_mem)})")
    lines.append(f" Trainable params: {_count(trainable):,} ({readable_memory_size(_memory(trainable))})")
    lines.append(f" Non-trainable params: {_count(non_trainable):,} ({readable_memory_size(_memory(non_trainable))})")
    if opt_vars:
        lines.append(f" Optimizer params: {_count(opt_vars):,} ({readable_memory_size(_memory(opt_vars))})")
    if print_fn is None:
        print("\n".join(lines))
    else:
        for line in lines:
            print_fn(line)
