"""Parsing a debugger command line: tokens (quotes and ``[...]`` slices kept whole), tensor names with slicing,
and argument parsers that report errors instead of exiting the process."""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

_SLICING = re.compile(r"^\[[\d\s,:\-]*\]$")


class CommandUsageError(ValueError):
    """A command line its parser rejects (unknown flag, missing argument ...)."""


class ArgumentParser(argparse.ArgumentParser):
    """``argparse`` for one debugger command: errors raise ``CommandUsageError`` and never exit."""

    def __init__(self, prog: str, description: str) -> None:
        super().__init__(
            prog=prog, description=description, add_help=False, formatter_class=argparse.RawDescriptionHelpFormatter
        )

    def error(self, message: str) -> NoReturn:
        raise CommandUsageError(message)

    def exit(self, status: int = 0, message: Any = None) -> NoReturn:
        raise CommandUsageError(message or f"{self.prog}: exited with status {status}")


def tokenize(line: str) -> list:
    """Splits on whitespace, keeping quoted text (quotes removed) and bracketed slices (``x:0[1, :]``) whole."""
    tokens, current, quote, depth, started = [], [], None, 0, False
    for ch in line.strip():
        if quote is not None:
            if ch == quote:
                quote = None
            else:
                current.append(ch)
            continue
        if ch in "\"'" and depth == 0:
            quote, started = ch, True
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        if ch.isspace() and depth == 0:
            if started:
                tokens.append("".join(current))
                current, started = [], False
            continue
        current.append(ch)
        started = True
    if quote is not None:
        raise CommandUsageError(f"unterminated quote {quote} in command: {line}")
    if started:
        tokens.append("".join(current))
    return tokens


def parse_tensor_name_with_slicing(text: str) -> tuple:
    """``("hidden/MatMul:0", "[1, :]")`` from ``hidden/MatMul:0[1, :]``; the slicing is "" when absent."""
    if text.count("[") == 1 and text.endswith("]"):
        at = text.index("[")
        return text[:at], text[at:]
    return text, ""


def parse_slicing(slicing: str) -> tuple:
    """``"[0:3, 1]"`` as the index tuple ``(slice(0, 3), 1)``; ValueError for anything but ints and colons."""
    if not _SLICING.match(slicing):
        raise ValueError(f"Invalid tensor-slicing string: {slicing!r}; expected e.g. [0:3] or [1, :]")
    parsed = []
    for part in slicing[1:-1].split(","):
        bounds = [b.strip() for b in part.split(":")]
        try:
            if len(bounds) == 1:
                parsed.append(int(bounds[0]))
            elif len(bounds) <= 3:
                parsed.append(slice(*[int(b) if b else None for b in bounds]))
            else:
                raise ValueError
        except ValueError:
            raise ValueError(f"Invalid tensor-slicing string: {slicing!r}") from None
    return tuple(parsed)


def node_name_of(name: str) -> tuple:
    """``(node, slot)`` from ``node`` or ``node:slot`` (``loss`` and ``loss:0`` both name node ``loss``)."""
    node, sep, slot = name.rpartition(":")
    if sep and slot.isdigit():
        return node, int(slot)
    return name, 0


def bytes_to_readable_str(num_bytes: int, include_b: bool = False) -> str:
    """``184``, ``1.50k``, ``2.00M``: sizes as tfdbg prints them."""
    if num_bytes < 1024:
        text = f"{num_bytes}"
    elif num_bytes < 1024**2:
        text = f"{num_bytes / 1024:.2f}k"
    elif num_bytes < 1024**3:
        text = f"{num_bytes / 1024**2:.2f}M"
    else:
        text = f"{num_bytes / 1024**3:.2f}G"
    return text + ("B" if include_b else "")
