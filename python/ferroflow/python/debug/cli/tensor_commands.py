"""``pt`` (print a dumped tensor, sliced with ``pt name[0:3]``) and ``eval`` (a NumPy expression over
`` `node:0` `` references), and the tensor formatting they share with ``pf``."""

from __future__ import annotations

import re
import sys
from typing import Any, Optional

import numpy as np

from ..lib.debug_data import DEFAULT_DEBUG_OP, DebugDumpDir
from .command_parser import ArgumentParser, node_name_of, parse_slicing, parse_tensor_name_with_slicing
from .ui import CommandRegistry

_TENSOR_REF = re.compile(r"`(.*?)`")
_EXEC_INDEX = re.compile(r"\[(\d*)\]$")


def format_tensor(value: Any, title: str, print_all: bool = False, numeric_summary: bool = False) -> str:
    """``Tensor "title":`` with dtype, shape and the value's ``repr`` (ellipses for large ones unless
    ``print_all``), optionally with counts of NaN/Inf/negative/zero/positive elements and finite statistics."""
    if value is None:
        return f'Tensor "{title}":\n\n  (no value dumped for this tensor)'
    arr = np.asarray(value)
    lines = [
        f'Tensor "{title}":',
        f"  dtype: {arr.dtype.name if arr.dtype != object else 'string'}",
        f"  shape: {arr.shape}",
        "",
    ]
    if numeric_summary and arr.size and (arr.dtype.kind in "biufc"):
        lines += [numeric_summary_text(arr), ""]
    with np.printoptions(threshold=sys.maxsize if print_all else 1000, linewidth=100):
        lines.append(repr(arr))
    return "\n".join(lines)


def numeric_summary_text(arr: np.ndarray) -> str:
    if arr.dtype.kind == "b":
        return f"Numeric summary:\n  False: {int(np.sum(~arr))}  True: {int(np.sum(arr))}  total: {arr.size}"
    real = arr.real if arr.dtype.kind == "c" else arr
    finite = real[np.isfinite(real)]
    counts = [
        ("nan", np.isnan(real).sum()),
        ("-inf", np.isneginf(real).sum()),
        ("-", (finite < 0).sum()),
        ("0", (finite == 0).sum()),
        ("+", (finite > 0).sum()),
        ("+inf", np.isposinf(real).sum()),
        ("total", arr.size),
    ]
    head = "| " + " ".join(f"{k:>6}" for k, _ in counts) + " |"
    row = "| " + " ".join(f"{int(v):>6}" for _, v in counts) + " |"
    lines = ["Numeric summary:", head, row]
    if finite.size:
        stats = [("min", finite.min()), ("max", finite.max()), ("mean", finite.mean()), ("std", finite.std())]
        lines.append("| " + " ".join(f"{k:>12}" for k, _ in stats) + " |")
        lines.append("| " + " ".join(f"{float(v):>12.6g}" for _, v in stats) + " |")
    return "\n".join(lines)


def _parsers() -> dict:
    pt = ArgumentParser("print_tensor", "Print the value of a dumped tensor.")
    pt.add_argument(
        "tensor_name",
        help="Name of the tensor, followed by any slicing indices, e.g., "
        "hidden1/Wx_plus_b/MatMul:0, hidden1/Wx_plus_b/MatMul:0[1, :]",
    )
    pt.add_argument(
        "-n",
        "--number",
        type=int,
        default=-1,
        help="0-based dump number for the specified tensor. Required for tensor with multiple dumps.",
    )
    pt.add_argument(
        "-a", "--all", action="store_true", help="Print the tensor in its entirety, i.e., do not use ellipses."
    )
    pt.add_argument(
        "-s",
        "--numeric_summary",
        action="store_true",
        help="Include summary for non-empty tensors of numeric (int*, float*, complex*) and Boolean types.",
    )
    pt.add_argument(
        "-w", "--write_path", default="", help="Path of the numpy file to write the tensor data to, using numpy.save()."
    )
    ev = ArgumentParser(
        "eval",
        "Evaluate an arbitrary expression. Can use tensor values from the current debug "
        "dump. The debug tensor names should be enclosed in pairs of backticks. Expressions "
        "with spaces should be enclosed in a pair of double quotes or a pair of single quotes. "
        "By default, numpy is imported as np.\nExamples:\n  eval np.argmax(`Softmax:0`)\n"
        "  eval 'np.sum(`Softmax:0`, axis=1)'",
    )
    ev.add_argument("expression", nargs="+", help="Expression to be evaluated (its words are joined).")
    ev.add_argument("-a", "--all", action="store_true", help="Print the result in its entirety.")
    ev.add_argument(
        "-w",
        "--write_path",
        default="",
        help="Path of the numpy file to write the evaluation result to, using numpy.save()",
    )
    return {"print_tensor": pt, "eval": ev}


class TensorCommands:
    """``pt`` and ``eval`` over ``dump``."""

    def __init__(self, dump: DebugDumpDir) -> None:
        self._dump = dump
        self._parsers = _parsers()

    def register(self, registry: CommandRegistry) -> None:
        registry.register("print_tensor", self.print_tensor, self._parsers["print_tensor"].format_help(), ["pt"])
        registry.register("eval", self.eval, self._parsers["eval"].format_help(), ["ev"])

    def print_tensor(self, args: list) -> str:
        parsed = self._parsers["print_tensor"].parse_args(args)
        name, slicing = parse_tensor_name_with_slicing(parsed.tensor_name)
        node, slot = node_name_of(name)
        if not self._dump.node_exists(node):
            raise ValueError(f'Node "{node}" does not exist in partition graphs')
        keys = [k for k in self._dump.debug_watch_keys(node) if k.startswith(f"{node}:{slot}:")]
        data = [d for k in keys for d in self._dump.watch_key_to_data(k)]
        if not data:
            raise ValueError(f'Tensor "{node}:{slot}" did not generate any dumps.')
        if len(data) > 1 and parsed.number < 0:
            lines = [f'Tensor "{node}:{slot}" generated {len(data)} dumps:']
            lines += [
                f"  #{i}: {d.watch_key} @ {(d.timestamp - self._dump.t0) / 1000.0:.3f} ms" for i, d in enumerate(data)
            ]
            return "\n".join(lines + ["", "Use the -n (--number) flag to specify which dump to print."])
        index = max(parsed.number, 0)
        if index >= len(data):
            raise ValueError(
                f"Specified number ({index}) exceeds the number of available dumps ({len(data)}) "
                f'for tensor "{node}:{slot}"'
            )
        datum = data[index]
        value = datum.get_tensor()
        if slicing and value is not None:
            value = np.asarray(value)[parse_slicing(slicing)]
        if parsed.write_path and value is not None:
            np.save(parsed.write_path, np.asarray(value))
        text = format_tensor(value, f"{datum.watch_key}{slicing}", parsed.all, parsed.numeric_summary)
        if parsed.write_path and value is not None:
            text += f"\n\nWrote the tensor to {parsed.write_path}"
        return text

    def eval(self, args: list) -> str:
        parsed = self._parsers["eval"].parse_args(args)
        parsed.expression = " ".join(parsed.expression)
        value = evaluate(self._dump, parsed.expression)
        if parsed.write_path:
            np.save(parsed.write_path, np.asarray(value))
        title = f"from eval of expression '{parsed.expression}'"
        if isinstance(value, np.ndarray):
            return format_tensor(value, title, parsed.all)
        return f'Tensor "{title}":\n\n{value!r}'


def _parse_reference(ref: str) -> tuple:
    """``(node, slot, debug_op, exec_index)`` from ``node:slot``, ``node:slot:debug_op`` or either with ``[i]``."""
    ref = ref.strip()
    m = _EXEC_INDEX.search(ref)
    index = 0
    if m is not None:
        index = int(m.group(1) or 0)
        ref = ref[: m.start()]
    parts = ref.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and not parts[2].isdigit():
        return parts[0], int(parts[1]), parts[2], index
    node, slot = node_name_of(ref)
    if node == ref and ":" in ref:
        raise ValueError(f"The debug tensor name in the to-be-evaluated expression is malformed: '{ref}'")
    return node, slot, None, index


def evaluate(dump: DebugDumpDir, expression: str, namespace: Optional[dict] = None) -> Any:
    """The value of ``expression``, a Python expression (``np`` is NumPy) in which each `` `node:0` `` stands
    for that tensor's dumped value."""
    values: dict = {}

    def substitute(m: re.Match) -> str:
        node, slot, debug_op, index = _parse_reference(m.group(1))
        if debug_op is None:
            # Without a debug op: DebugIdentity, or the one debug op the tensor was dumped by.
            ops = [k.rsplit(":", 1)[1] for k in dump.debug_watch_keys(node) if k.startswith(f"{node}:{slot}:")]
            debug_op = ops[0] if len(ops) == 1 else DEFAULT_DEBUG_OP
        found = dump.get_tensors(node, slot, debug_op) if dump.node_exists(node) else []
        if index >= len(found) or found[index] is None:
            raise ValueError(f"Eval failed due to the value of {node}:{slot}:{debug_op} being unavailable")
        key = f"_tfdbg_v{len(values)}"
        values[key] = found[index]
        return key

    rewritten = _TENSOR_REF.sub(substitute, expression)
    scope = {"np": np, **(namespace or {}), **values}
    # The debugger's eval is the user's own expression, typed at their own prompt, as in tfdbg.
    return eval(rewritten, scope)  # noqa: S307
