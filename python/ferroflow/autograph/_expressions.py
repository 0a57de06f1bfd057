"""Expression rewrites of converted code: ``and``/``or``/``not`` and ``a if t else b`` become runtime
operators (graph ops on tensors, Python semantics otherwise), and calls go through
``ag__.converted_call`` so that the user functions they reach are converted too.
"""

from __future__ import annotations

import ast

from ._analysis import contains

# Builtins that look at the calling frame: calling them from the runtime would see the wrong frame.
_FRAME_BUILTINS = frozenset({"super", "locals", "globals", "vars", "eval", "exec", "dir", "__import__"})
_UNSPLITTABLE = (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)


def ag(attr: str) -> ast.Attribute:
    """``ag__.<attr>``: a name of the runtime module the converted code closes over."""
    return ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr=attr, ctx=ast.Load())


def thunk(expr: ast.expr) -> ast.Lambda:
    empty = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    return ast.copy_location(ast.Lambda(args=empty, body=expr), expr)


def call(attr: str, args: list, like: ast.AST) -> ast.Call:
    return ast.copy_location(ast.Call(func=ag(attr), args=args, keywords=[]), like)


class Expressions(ast.NodeTransformer):
    """Rewrites one expression (or the expressions of one simple statement); nested ``def``/``class``
    statements are left to the statement converter."""

    def __init__(self, convert_calls: bool = True) -> None:
        self.convert_calls = convert_calls

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        if contains(node.values, _UNSPLITTABLE):
            return node
        op = "and_" if isinstance(node.op, ast.And) else "or_"
        return call(op, [thunk(v) for v in node.values], node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return call("not_", [node.operand], node)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        if contains([node.body, node.orelse], _UNSPLITTABLE):
            return node
        line = ast.Constant(value=node.lineno)
        return call("if_exp", [node.test, thunk(node.body), thunk(node.orelse), line], node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not self.convert_calls:
            return node
        func = node.func
        if isinstance(func, ast.Name) and func.id in _FRAME_BUILTINS:
            return node
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "ag__":
            return node
        args = ast.Tuple(elts=node.args, ctx=ast.Load())
        if node.keywords:
            keys = [None if k.arg is None else ast.Constant(value=k.arg) for k in node.keywords]
            kwargs: ast.expr = ast.Dict(keys=keys, values=[k.value for k in node.keywords])
        else:
            kwargs = ast.Constant(value=None)
        return call("converted_call", [func, args, kwargs], node)


def convert(node: ast.AST, convert_calls: bool = True) -> ast.AST:
    return Expressions(convert_calls).visit(node)
