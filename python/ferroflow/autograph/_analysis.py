"""Static analysis of a function's AST for AutoGraph: which names a statement binds, which it reads, and
which names are live (may be read later) after each statement.

Liveness decides what a converted ``if`` or loop carries out: a variable assigned in a branch or a loop
body becomes a ``cond`` output or a loop variable only if something may read it afterwards (or, for a loop,
in a later iteration). The analysis over-approximates reads (any load anywhere in a statement, nested
functions included), so a variable it calls dead is never read again.
"""

from __future__ import annotations

import ast
from typing import Iterable, Optional

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LOOPS = (ast.While, ast.For, ast.AsyncFor)


def _target_names(target: ast.AST, out: set) -> None:
    if isinstance(target, ast.Name):
        out.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            _target_names(elt, out)
    elif isinstance(target, ast.Starred):
        _target_names(target.value, out)


def assigned(nodes: Iterable[ast.AST]) -> set:
    """The names these statements bind in their own scope (assignments, loop and ``with`` targets,
    imports, ``def``/``class`` names, ``except ... as``, ``:=``), not those bound inside nested scopes."""
    out: set = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
            return
        if isinstance(node, (ast.Lambda,) + _COMPREHENSIONS):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                out.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for n in nodes:
        visit(n)
    return out


def reads(node: Optional[ast.AST]) -> set:
    """Every name loaded anywhere in ``node`` (nested functions and comprehensions included), and the
    targets of augmented assignments, which read before they write."""
    out: set = set()
    if node is not None:
        _visit_reads(node, frozenset(), out)
    return out


def _parameter_names(args: ast.arguments) -> set:
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return {a.arg for a in every}


def _visit_reads(n: ast.AST, bound: frozenset, out: set) -> None:
    """Adds to ``out`` the loads of ``n`` that read the enclosing scope: inside a lambda, a nested function
    or a comprehension, its parameters or targets shadow the enclosing names (``ds.map(lambda x: x * k)``
    does not read an outer ``x``)."""
    if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Load, ast.Del)):
        if n.id not in bound:
            out.add(n.id)
        return
    if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id not in bound:
        out.add(n.target.id)
    if isinstance(n, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
        outer = [*n.args.defaults, *[d for d in n.args.kw_defaults if d is not None]]
        outer += getattr(n, "decorator_list", [])
        for child in outer:
            _visit_reads(child, bound, out)
        inner = bound | _parameter_names(n.args)
        for child in n.body if isinstance(n.body, list) else [n.body]:
            _visit_reads(child, inner, out)
        return
    if isinstance(n, _COMPREHENSIONS):
        targets: set = set()
        for gen in n.generators:
            _target_names(gen.target, targets)
        for i, gen in enumerate(n.generators):
            _visit_reads(gen.iter, bound if i == 0 else bound | targets, out)
            for cond in gen.ifs:
                _visit_reads(cond, bound | targets, out)
        for part in (n.key, n.value) if isinstance(n, ast.DictComp) else (n.elt,):
            _visit_reads(part, bound | targets, out)
        return
    for child in ast.iter_child_nodes(n):
        _visit_reads(child, bound, out)


def block_reads(stmts: Iterable[ast.AST]) -> set:
    out: set = set()
    for s in stmts:
        out |= reads(s)
    return out


def kills(stmt: ast.stmt) -> set:
    """Names a simple statement surely overwrites."""
    out: set = set()
    if isinstance(stmt, ast.Assign):
        for t in stmt.targets:
            _target_names(t, out)
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        _target_names(stmt.target, out)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        out = assigned([stmt])
    return out


class _Loop:
    def __init__(self, head: set, after: set) -> None:
        self.head, self.after = head, after


def annotate(stmts: list, live_out: set, loop: Optional[_Loop] = None) -> set:
    """Sets ``stmt._ag_live_out`` on every statement of ``stmts`` (recursively) and, on loops,
    ``_ag_head_live`` (names live where the loop tests whether to run again); returns the names live
    before the block."""
    live = set(live_out)
    for s in reversed(stmts):
        s._ag_live_out = set(live)
        live = _live_in(s, live, loop)
    return live


def _live_in(s: ast.stmt, out: set, loop: Optional[_Loop]) -> set:
    if isinstance(s, ast.If):
        return reads(s.test) | annotate(s.body, out, loop) | annotate(s.orelse, out, loop)
    if isinstance(s, _LOOPS):
        after = out | annotate(s.orelse, out, loop)
        head = set(after)
        for _ in range(8):  # a few rounds reach the fixed point of these small set equations
            inner = _Loop(head, out)
            body_in = annotate(s.body, head, inner)
            if isinstance(s, ast.While):
                new = reads(s.test) | body_in | after
            else:  # the target is bound before the body runs; the break flag is tested at the head
                targets: set = set()
                _target_names(s.target, targets)
                extra = getattr(s, "_ag_extra_test", None)
                new = (body_in - targets) | after | ({extra} if extra else set())
            if new == head:
                break
            head = new
        s._ag_head_live = head
        return head | (reads(s.iter) if isinstance(s, (ast.For, ast.AsyncFor)) else set())
    if isinstance(s, (ast.With, ast.AsyncWith)):
        items, bound = set(), set()
        for item in s.items:
            items |= reads(item.context_expr)
            if item.optional_vars is not None:
                _target_names(item.optional_vars, bound)
        return items | (annotate(s.body, out, loop) - bound)
    if isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
        inner = out | reads(s)
        for block in (s.body, s.orelse, s.finalbody):
            annotate(block, inner, loop)
        for handler in s.handlers:
            annotate(handler.body, inner, loop)
        return inner
    if isinstance(s, ast.Return):
        return reads(s.value)
    if isinstance(s, ast.Break):
        return set(loop.after) if loop else set()
    if isinstance(s, ast.Continue):
        return set(loop.head) if loop else set()
    if isinstance(s, ast.Raise):
        return reads(s)
    return (out - kills(s)) | reads(s)


def contains(stmts: Iterable[ast.AST], kinds: tuple, through_loops: bool = True) -> bool:
    """Whether any node of ``kinds`` occurs in these statements outside nested scopes; with
    ``through_loops`` False, the bodies of nested loops are skipped (their ``else`` blocks are not)."""

    def visit(node: ast.AST) -> bool:
        if isinstance(node, kinds):
            return True
        if isinstance(node, _SCOPES):
            return False
        if not through_loops and isinstance(node, _LOOPS):
            return any(visit(c) for c in node.orelse)
        return any(visit(c) for c in ast.iter_child_nodes(node))

    return any(visit(s) for s in stmts)


def is_generator(fn: ast.AST) -> bool:
    """Whether a function's own body yields (which makes it a generator)."""
    return contains(fn.body, (ast.Yield, ast.YieldFrom))


def declared(fn: ast.AST, kind: type) -> set:
    """Names a function declares ``global`` (kind ``ast.Global``) or ``nonlocal`` in its own scope."""
    out: set = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, kind):
            out.update(node.names)
        if isinstance(node, _SCOPES):
            return
        for c in ast.iter_child_nodes(node):
            visit(c)

    for s in fn.body:
        visit(s)
    return out


def parameters(fn: ast.AST) -> set:
    a = fn.args
    names = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
    if a.vararg:
        names.add(a.vararg.arg)
    if a.kwarg:
        names.add(a.kwarg.arg)
    return names
