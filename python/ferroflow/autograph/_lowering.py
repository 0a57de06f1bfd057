"""Rewrites that run before control flow is converted: ``return`` inside ``if`` and ``break``/``continue``
in loops become assignments to variables, so that branches and loop bodies can be traced as functions.

- Returns: an ``if`` whose returns all sit at the ends of its branches (possibly nested ifs) takes the
  statements after it into the branch that falls through; then every ``return e`` becomes
  ``retval_ = e`` and a single ``return retval_`` follows the ``if``. Returns elsewhere (in loops,
  ``with`` or ``try`` blocks) stay: the statement holding them keeps Python semantics and raises if its
  condition turns out to be a tensor.
- Loops without ``return``/``yield``: ``break`` sets ``break_N`` (tested by the loop condition, or by the
  ``for`` loop's extra test), ``continue`` sets ``continue_N``; the statements after one that may have set
  a flag run under ``if not flag:``. A loop's ``else`` block runs after it under ``if not break_N:``.
"""

from __future__ import annotations

import ast
import copy
from typing import Iterator

from ._analysis import contains

_JUMPS = (ast.Break, ast.Continue)
_LOOPS = (ast.While, ast.For)


def _name(id_: str, store: bool = False) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _assign(id_: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[_name(id_, True)], value=value)


def _not(id_: str) -> ast.expr:
    return ast.UnaryOp(op=ast.Not(), operand=_name(id_))


# -- returns
def _ends_in_return(block: list) -> bool:
    if not block:
        return False
    last = block[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.If) and _ends_in_return(last.body) and _ends_in_return(last.orelse)


def _returns_only_in_ifs(block: list) -> bool:
    """Whether every ``return`` in ``block`` is a statement of it or of ifs nested in it (not of a loop,
    ``with`` or ``try``), so that the ifs can be rewritten into assignments."""
    for s in block:
        if isinstance(s, ast.If):
            if not (_returns_only_in_ifs(s.body) and _returns_only_in_ifs(s.orelse)):
                return False
        elif not isinstance(s, ast.Return) and contains([s], (ast.Return,)):
            return False
    return True


def _fold(block: list) -> list:
    """Moves what follows a returning ``if`` into its branches that fall through (recursively)."""
    for i, s in enumerate(block):
        if isinstance(s, ast.If) and contains([s], (ast.Return,)) and _returns_only_in_ifs([s]):
            rest = block[i + 1 :]
            body, orelse = _fold(s.body), _fold(s.orelse)
            if not _ends_in_return(body):
                body = _fold(body + copy.deepcopy(rest))
            if not _ends_in_return(orelse):
                orelse = _fold(orelse + rest)
            s.body, s.orelse = body, orelse
            return block[:i] + [s]
    return block


def _to_assignments(block: list, name: str) -> list:
    out = []
    for s in block:
        if isinstance(s, ast.Return):
            value = s.value if s.value is not None else ast.Constant(value=None)
            out.append(ast.copy_location(_assign(name, value), s))
        elif isinstance(s, ast.If) and contains([s], (ast.Return,)):
            s.body, s.orelse = _to_assignments(s.body, name), _to_assignments(s.orelse, name)
            out.append(s)
        else:
            out.append(s)
    return out


def lower_returns(fn: ast.FunctionDef, name: str = "retval_") -> None:
    """Rewrites the returning ifs of ``fn``'s body (in place), as the module docstring describes."""
    body = fn.body
    if not any(isinstance(s, ast.If) and contains([s], (ast.Return,)) and _returns_only_in_ifs([s]) for s in body):
        return
    if not _ends_in_return(body):
        body = body + [ast.copy_location(ast.Return(value=None), body[-1])]
    body = _fold(body)
    last = body[-1]
    if isinstance(last, ast.If) and contains([last], (ast.Return,)) and _ends_in_return([last]):
        last.body, last.orelse = _to_assignments(last.body, name), _to_assignments(last.orelse, name)
        body.append(ast.copy_location(ast.Return(value=_name(name)), last))
    fn.body = body


# -- break / continue
def lower_loops(block: list, counter: Iterator[int]) -> list:
    """``block`` with the loops in it (at any depth, outside nested functions) rewritten as described in the
    module docstring. Loops holding ``return`` or ``yield`` keep their jumps: they stay Python loops."""
    out = []
    for s in block:
        for field in ("body", "orelse", "finalbody"):
            if hasattr(s, field) and not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                setattr(s, field, lower_loops(getattr(s, field), counter))
        for handler in getattr(s, "handlers", ()):
            handler.body = lower_loops(handler.body, counter)
        if isinstance(s, _LOOPS) and not contains([s], (ast.Return, ast.Yield, ast.YieldFrom)):
            out.extend(_lower_loop(s, next(counter)))
        else:
            out.append(s)
    return out


def _lower_loop(loop: ast.stmt, n: int) -> list:
    has_break = contains(loop.body, (ast.Break,), through_loops=False)
    has_continue = contains(loop.body, (ast.Continue,), through_loops=False)
    before, after = [], []
    brk, cont = f"break_{n}", f"continue_{n}"
    if has_break:
        before.append(ast.copy_location(_assign(brk, ast.Constant(value=False)), loop))
        if isinstance(loop, ast.While):
            loop.test = ast.BoolOp(op=ast.And(), values=[_not(brk), loop.test])
        else:
            loop._ag_extra_test = brk
    if has_break or has_continue:
        flag = cont if has_continue else brk
        sets = [brk, cont] if has_break and has_continue else [flag]
        body = _jumps(loop.body, brk, cont, sets, flag)
        if has_continue:
            body = [ast.copy_location(_assign(cont, ast.Constant(value=False)), loop.body[0])] + body
        loop.body = body
    if loop.orelse:
        orelse, loop.orelse = loop.orelse, []
        after = [ast.copy_location(ast.If(test=_not(brk), body=orelse, orelse=[]), orelse[0])] if has_break else orelse
    for node in before + after:
        ast.fix_missing_locations(node)
    return before + [loop] + after


def _jumps(block: list, brk: str, cont: str, sets: list, flag: str) -> list:
    """A loop body's ``block`` with its jumps turned into flag assignments and the rest guarded."""
    out = []
    for i, s in enumerate(block):
        if isinstance(s, _JUMPS):
            names = sets if isinstance(s, ast.Break) else [cont]
            out.extend(ast.copy_location(_assign(f, ast.Constant(value=True)), s) for f in names)
            return out  # what follows a jump in the same block never runs
        if contains([s], _JUMPS, through_loops=False):
            for field in ("body", "orelse", "finalbody"):
                if hasattr(s, field) and not (field == "body" and isinstance(s, _LOOPS)):
                    setattr(s, field, _jumps(getattr(s, field), brk, cont, sets, flag))
            for handler in getattr(s, "handlers", ()):
                handler.body = _jumps(handler.body, brk, cont, sets, flag)
            out.append(s)
            rest = block[i + 1 :]
            if rest:
                guard = ast.If(test=_not(flag), body=_jumps(rest, brk, cont, sets, flag), orelse=[])
                out.append(ast.copy_location(guard, rest[0]))
            return out
        out.append(s)
    return out
