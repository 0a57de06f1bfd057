"""``Model.summary()``: Keras 3's table of layers, output shapes and parameter counts."""

from __future__ import annotations

import shutil
from typing import Any, Callable, Optional

import numpy as np

from ..framework import nest
from ..layers.input_layer import InputLayer
from ..utils.io_utils import is_interactive_logging_enabled, print_msg


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
    """``text`` word-wrapped to ``width`` as rich's table cells wrap it: a word longer than the column gets a
    line of its own, cut to ``width - 1`` characters and an ellipsis."""
    lines: list = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def _ratio_reduce(total: int, widths: list) -> list:
    """``widths`` less ``total`` in all, spread evenly over the columns: rich's ``ratio_reduce`` with equal
    ratios (Python's ``round``, halves to even, as rich uses)."""
    result, remaining, ratio = [], total, len(widths)
    for width in widths:
        cut = min(width, round(remaining / ratio))
        result.append(width - cut)
        remaining -= cut
        ratio -= 1
    return result


def _column_widths(line_length: int, positions: list, count: int) -> list:
    """The text width of each column. Keras splits ``line_length`` at ``positions`` and asks rich for a table
    that wide; rich adds one space of padding either side of every cell and ``count + 1`` rules, finds the
    table too wide by ``3 * count + 1`` and takes that back evenly from the columns."""
    widths, current = [], 0
    for pos in positions[:count]:
        width = int(pos) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    padded = [w + 2 for w in widths]
    excess = sum(padded) - (line_length - (count + 1))
    if excess > 0:
        padded = _ratio_reduce(excess, padded)
    return [max(w - 2, 0) for w in padded]


def _rows(model: Any, with_connections: bool) -> list:
    rows = []
    layers = model.__dict__.get("_operations") or model.layers  # a functional model's operations show too
    for layer in layers:
        kind = type(layer).__name__
        if kind == "Model" and getattr(layer, "_is_graph_network", False):
            kind = "Functional"  # keras.Model(inputs, outputs) is an instance of Keras's Functional class
        nodes = layer.__dict__.get("_inbound_nodes")
        if nodes:  # as Keras: the shapes of the layer's last symbolic call (eager calls don't change them)
            shape = _format_shape(nest.map_structure(lambda t: tuple(t.shape), nodes[-1].outputs))
        else:
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
    default_length = 108 if connections else 88
    positions = positions or ([0.3, 0.56, 0.74, 1.0] if connections else [0.45, 0.80, 1.0])
    if show_trainable:  # as Keras: a centred "Trainable" column (Y, N, or - for a layer without weights)
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        headers.append("Trainable")
    # Keras fits the table to the console, 4 columns narrower than it (80 columns when output is not a terminal).
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths = _column_widths(line_length, positions, len(headers))
    right = {2}  # the Param # column is right-aligned
    center = {len(headers) - 1} if show_trainable else set()

    def place(text: str, j: int, w: int) -> str:
        if j in center:
            left = (w - len(text)) // 2
            return " " * left + text + " " * (w - len(text) - left)
        return text.rjust(w) if j in right else text.ljust(w)

    def fmt(cells: list) -> list:
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for j, (lines, w) in enumerate(zip(wrapped, widths)):
                text = lines[i] if i < len(lines) else ""
                parts.append(f" {place(text, j, w)} ")
            out.append("│" + "│".join(parts) + "│")
        return out

    bars = ["━" * (w + 2) for w in widths]
    thin = ["─" * (w + 2) for w in widths]
    lines = [f'Model: "{model.name}"', "┏" + "┳".join(bars) + "┓"]
    lines += [line.replace("│", "┃") for line in fmt(headers)]
    lines.append("┡" + "╇".join(bars) + "┩")
    rows = _rows(model, connections)
    if show_trainable:
        for row, layer in zip(rows, model.layers):
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
    for i, row in enumerate(rows):
        lines += fmt(row)
        if i < len(rows) - 1:
            lines.append("├" + "┼".join(thin) + "┤")
    lines.append("└" + "┴".join(thin) + "┘")
    trainable = model.trainable_weights if model.built else []
    non_trainable = model.non_trainable_weights if model.built else []
    optimizer = getattr(model, "optimizer", None)
    # As Keras 3: an optimizer's variables count once it is built (by the first training step), not from compile().
    built = optimizer is not None and getattr(optimizer, "built", True)
    opt_vars = list(getattr(optimizer, "variables", None) or []) if built else []
    total = _count(trainable) + _count(non_trainable) + _count(opt_vars)
    total_mem = _memory(trainable) + _memory(non_trainable) + _memory(opt_vars)
    lines.append(f" Total params: {total:,} ({readable_memory_size(total_mem)})")
    lines.append(f" Trainable params: {_count(trainable):,} ({readable_memory_size(_memory(trainable))})")
    lines.append(f" Non-trainable params: {_count(non_trainable):,} ({readable_memory_size(_memory(non_trainable))})")
    if opt_vars:
        lines.append(f" Optimizer params: {_count(opt_vars):,} ({readable_memory_size(_memory(opt_vars))})")
    if print_fn is None and not is_interactive_logging_enabled():
        print_fn = print_msg  # a log record per line, as Keras's summary with interactive logging off
    if print_fn is None:
        print("\n".join(lines))
    else:
        for line in lines:
            print_fn(line)
