"""The analyzer commands over one dump: ``lt`` (list tensors), ``ni`` (node info), ``li``/``lo`` (input and
recipient trees), plus ``pt`` and ``eval`` from ``tensor_commands``; output text as tfdbg prints it."""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ..lib.debug_data import DebugDumpDir
from .command_parser import ArgumentParser, bytes_to_readable_str, node_name_of
from .tensor_commands import TensorCommands
from .ui import CommandRegistry

_SORT_KEYS = ("timestamp", "dump_size", "op_type", "tensor_name")


def _parsers() -> dict:
    lt = ArgumentParser("list_tensors", "List dumped intermediate tensors.")
    lt.add_argument(
        "-f", "--tensor_filter", default="", help="List only Tensors passing the filter of the specified name"
    )
    lt.add_argument(
        "-fenn",
        "--filter_exclude_node_names",
        default="",
        help="When applying the tensor filter, exclude node with names matching the regular expression.",
    )
    lt.add_argument("-n", "--node_name_filter", default="", help="filter node name by regex.")
    lt.add_argument("-t", "--op_type_filter", default="", help="filter op type by regex.")
    lt.add_argument(
        "-s",
        "--sort_by",
        default="timestamp",
        help="the field to sort the data by: (timestamp | dump_size | op_type | tensor_name)",
    )
    lt.add_argument("-r", "--reverse", action="store_true", help="sort the data in reverse (descending) order")
    ni = ArgumentParser("node_info", "Show information about a node.")
    ni.add_argument(
        "node_name",
        help="Name of the node or an associated tensor, e.g., hidden1/Wx_plus_b/MatMul, hidden1/Wx_plus_b/MatMul:0",
    )
    ni.add_argument("-a", "--attributes", action="store_true", help="Also list attributes of the node.")
    ni.add_argument("-d", "--dumps", action="store_true", help="Also list dumps available from the node.")
    ni.add_argument(
        "-t",
        "--traceback",
        action="store_true",
        help="Also include the traceback of the node's creation (if available in Python).",
    )
    found = {"list_tensors": lt, "node_info": ni}
    for name, what in (("list_inputs", "inputs to"), ("list_outputs", "recipients of")):
        p = ArgumentParser(name, f"Show {what} a node.")
        p.add_argument(
            "node_name",
            help="Name of the node or an output tensor from the node, e.g., "
            "hidden1/Wx_plus_b/MatMul, hidden1/Wx_plus_b/MatMul:0",
        )
        p.add_argument("-c", "--control", action="store_true", help="Include control inputs.")
        p.add_argument(
            "-d",
            "--depth",
            type=int,
            default=20,
            help="Maximum depth of recursion used when showing the tree (default 20; 1 without -r).",
        )
        p.add_argument("-r", "--recursive", action="store_true", help="Show the tree recursively.")
        p.add_argument("-t", "--op_type", action="store_true", help="Show op types of the nodes.")
        found[name] = p
    return found


class DebugAnalyzer:
    """Analyzer commands over ``dump``, with the named ``tensor_filters`` for ``lt -f``."""

    def __init__(self, dump: DebugDumpDir, tensor_filters: Optional[dict] = None) -> None:
        self._dump = dump
        self._filters = tensor_filters if tensor_filters is not None else {}
        self._parsers = _parsers()
        self._tensors = TensorCommands(dump)

    def register(self, registry: CommandRegistry) -> CommandRegistry:
        for name, alias, handler in (
            ("list_tensors", "lt", self.list_tensors),
            ("node_info", "ni", self.node_info),
            ("list_inputs", "li", self.list_inputs),
            ("list_outputs", "lo", self.list_outputs),
        ):
            registry.register(name, handler, self._parsers[name].format_help(), [alias])
        self._tensors.register(registry)
        return registry

    # -- lt
    def list_tensors(self, args: list) -> str:
        parsed = self._parsers["list_tensors"].parse_args(args)
        if parsed.sort_by not in _SORT_KEYS:
            raise ValueError(
                f"Unsupported key to sort tensors by: {parsed.sort_by}; expected one of {' | '.join(_SORT_KEYS)}"
            )
        data = self._dump.dumped_tensor_data
        if parsed.tensor_filter:
            fn = self._filters.get(parsed.tensor_filter)
            if fn is None:
                raise ValueError(f'There is no tensor filter named "{parsed.tensor_filter}".')
            data = self._dump.find(fn, exclude_node_names=parsed.filter_exclude_node_names or None)
        elif parsed.filter_exclude_node_names:
            raise ValueError("The -fenn/--filter_exclude_node_names flag is valid only with -f/--tensor_filter")
        name_re = re.compile(parsed.node_name_filter) if parsed.node_name_filter else None
        type_re = re.compile(parsed.op_type_filter) if parsed.op_type_filter else None
        op_of = self._dump.node_op_type
        data = [
            d
            for d in data
            if (name_re is None or name_re.match(d.node_name))
            and (type_re is None or type_re.match(op_of(d.node_name)))
        ]
        t0 = self._dump.t0
        rows = [
            (
                f"[{(d.timestamp - t0) / 1000.0:.3f}]",
                bytes_to_readable_str(d.dump_size_bytes),
                op_of(d.node_name),
                d.tensor_name,
                d,
            )
            for d in data
        ]
        key: Callable[[Any], Any] = {
            "timestamp": lambda r: (r[4].timestamp, r[4].order),
            "dump_size": lambda r: r[4].dump_size_bytes,
            "op_type": lambda r: r[2],
            "tensor_name": lambda r: r[3],
        }[parsed.sort_by]
        rows.sort(key=key, reverse=parsed.reverse)
        heads = ("t (ms)", "Size (B)", "Op type", "Tensor name")
        widths = [max([len(heads[i])] + [len(r[i]) for r in rows]) + (2 if i == 0 else 1) for i in range(3)]
        lines = ["".join(h.ljust(w) for h, w in zip(heads, widths)) + heads[3]]
        lines += ["".join(c.ljust(w) for c, w in zip(r[:3], widths)) + r[3] for r in rows]
        head = (
            f'{len(rows)} dumped tensor(s) passing filter "{parsed.tensor_filter}":'
            if parsed.tensor_filter
            else f"{len(rows)} dumped tensor(s):"
        )
        return "\n".join([head, ""] + lines)

    # -- ni
    def node_info(self, args: list) -> str:
        parsed = self._parsers["node_info"].parse_args(args)
        node = self._node(parsed.node_name)
        dump = self._dump
        lines = [f"Node {node}", "", f"  Op: {dump.node_op_type(node)}", f"  Device: {dump.node_device(node)}", ""]
        for what, items, ctrl in (
            ("input(s)", dump.node_inputs(node), dump.node_inputs(node, True)),
            ("recipient(s)", dump.node_recipients(node), dump.node_recipients(node, True)),
        ):
            lines.append(f"  {len(items)} {what} + {len(ctrl)} control {what}:")
            if items:
                lines.append(f"    {len(items)} {what}:")
                lines += [f"      [{dump.node_op_type(i)}] {i}" for i in items]
            lines.append("")
        if parsed.attributes:
            lines.append("Node attributes:")
            for key, value in sorted(dump.node_attributes(node).items()):
                lines += [f"  {key}:", f"    {value}", ""]
        if parsed.dumps:
            keys = dump.debug_watch_keys(node)
            data = [d for k in keys for d in dump.watch_key_to_data(k)]
            lines += [f"{len(data)} dumped tensor(s):", ""]
            lines += [
                f"  Slot {d.output_slot} @ {d.debug_op} @ {(d.timestamp - dump.t0) / 1000.0:.3f} ms" for d in data
            ]
            lines.append("")
        if parsed.traceback:
            lines.append("Traceback of node construction is not available: ferroflow graphs do not record it.")
        return "\n".join(lines)

    def _node(self, name: str) -> str:
        node, _ = node_name_of(name)
        if not self._dump.node_exists(node):
            raise ValueError(f'There is no node named "{node}" in the partition graphs')
        return node

    # -- li / lo
    def list_inputs(self, args: list) -> str:
        return self._tree(self._parsers["list_inputs"].parse_args(args), "Inputs to", self._dump.node_inputs)

    def list_outputs(self, args: list) -> str:
        return self._tree(self._parsers["list_outputs"].parse_args(args), "Recipients of", self._dump.node_recipients)

    def _tree(self, parsed: Any, title: str, children_of: Callable[[str], list]) -> str:
        node = self._node(parsed.node_name)
        depth = parsed.depth if parsed.recursive else 1
        if depth < 1:
            raise ValueError(f"-d/--depth must be at least 1; received {parsed.depth}")
        lines = [f'{title} node "{node}" (Depth limit = {depth}):']
        self._dfs(children_of, node, 1, depth, lines, [], parsed.op_type)
        lines += ["", "Legend:", "  (d): recursion depth = d."]
        if parsed.op_type:
            lines.append("  [Op]: Input node has op type Op.")
        return "\n".join(lines)

    def _dfs(
        self,
        children_of: Callable,
        node: str,
        depth: int,
        max_depth: int,
        lines: list,
        unfinished: list,
        show_op_type: bool,
    ) -> None:
        """Draws the tree below ``node``; ``unfinished`` holds the depths whose last child is still to come."""
        children = [c for c in children_of(node) if self._dump.node_exists(c)]
        if not children:
            if depth == 1:
                lines.append("  [None]")
            return
        unfinished.append(depth)
        hang = "".join("|  " if k + 1 in unfinished else "   " for k in range(depth - 1)) + "|- "
        if depth > max_depth:
            lines.append(hang + "...")
            unfinished.pop()
            return
        for i, child in enumerate(children):
            if i == len(children) - 1:
                unfinished.pop()
            op = f"[{self._dump.node_op_type(child)}] " if show_op_type else ""
            lines.append(f"{hang}({depth}) {op}{child}")
            self._dfs(children_of, child, depth + 1, max_depth, lines, unfinished, show_op_type)


def create_analyzer_registry(dump: DebugDumpDir, tensor_filters: Optional[dict] = None) -> CommandRegistry:
    """A command registry with ``help``, ``exit`` and every analyzer command over ``dump``."""
    return DebugAnalyzer(dump, tensor_filters).register(CommandRegistry())
