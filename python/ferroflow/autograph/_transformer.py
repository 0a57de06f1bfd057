"""The statement converter: ``if``, ``while`` and ``for`` statements become calls of the runtime
(``ag__.if_stmt``, ``ag__.while_stmt``, ``ag__.for_stmt``) with their branches and bodies as nested
functions, which read and write the enclosing variables through ``nonlocal`` and ``get_state``/
``set_state`` functions, as TensorFlow's AutoGraph generates them.

A variable that a converted statement assigns but that is not yet bound is first bound to
``ag__.Undefined(name)`` (so that ``nonlocal`` and ``get_state`` can refer to it). Statements that cannot
become functions (an ``if`` or loop holding ``return``/``yield``, jumps in Python loops, anything in a
generator) stay Python statements whose condition or iterable is checked: a tensor there raises an error
naming the line.
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from . import _analysis, _lowering
from ._expressions import ag, convert, thunk


class _Scope:
    """What the converter knows while walking one function body."""

    def __init__(self, fn: ast.AST, counter: Iterator[int], convert_calls: bool) -> None:
        self.counter, self.convert_calls = counter, convert_calls
        self.globals = _analysis.declared(fn, ast.Global)
        self.nonlocals = _analysis.declared(fn, ast.Nonlocal)
        self.generator = _analysis.is_generator(fn)

    def expr(self, node: ast.AST) -> ast.AST:
        return convert(node, self.convert_calls)


def convert_function(fn: ast.AST, counter: Iterator[int], convert_calls: bool = True) -> None:
    """Converts ``fn`` (a ``FunctionDef``) in place, nested functions included; with ``convert_calls``,
    calls go through ``ag__.converted_call``."""
    if not isinstance(fn, ast.FunctionDef):
        return
    scope = _Scope(fn, counter, convert_calls)
    if not scope.generator:
        _lowering.lower_returns(fn)
        fn.body = _lowering.lower_loops(fn.body, counter)
    _analysis.annotate(fn.body, set())
    fn.body = _block(fn.body, scope, _analysis.parameters(fn))


def _block(stmts: list, scope: _Scope, defined: set) -> list:
    """Converted statements; ``defined`` (names surely bound so far) is updated as they go."""
    out: list = []
    for s in stmts:
        out.extend(_statement(s, scope, defined))
    return out


def _statement(s: ast.stmt, scope: _Scope, defined: set) -> list:
    if isinstance(s, ast.FunctionDef):
        convert_function(s, scope.counter, scope.convert_calls)
        defined.add(s.name)
        return [s]
    if isinstance(s, (ast.AsyncFunctionDef, ast.ClassDef, ast.AsyncFor, ast.AsyncWith)):
        defined |= _analysis.assigned([s])
        return [s]
    if isinstance(s, (ast.If, ast.While, ast.For)):
        kind = _python_only(s, scope)
        if kind is not None:
            return [_python_statement(s, kind, scope, defined)]
        if isinstance(s, ast.If):
            return _if(s, scope, defined)
        return _loop(s, scope, defined)
    if isinstance(s, ast.With):
        for item in s.items:
            item.context_expr = scope.expr(item.context_expr)
        defined |= _analysis.assigned([i.optional_vars for i in s.items if i.optional_vars])
        s.body = _block(s.body, scope, defined)
        return [s]
    if isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
        # An exception may cut any block short: names bound inside do not count as bound after the try.
        s.body = _block(s.body, scope, set(defined))
        for handler in s.handlers:
            handler.body = _block(handler.body, scope, set(defined) | ({handler.name} if handler.name else set()))
        s.orelse = _block(s.orelse, scope, set(defined))
        s.finalbody = _block(s.finalbody, scope, set(defined))
        return [s]
    s = scope.expr(s)
    if isinstance(s, ast.Delete):
        defined -= _analysis.assigned(
            [ast.Name(id=t.id, ctx=ast.Store()) for t in s.targets if isinstance(t, ast.Name)]
        )
    defined |= _analysis.kills(s)
    return [s]


def _python_only(s: ast.stmt, scope: _Scope) -> Optional[str]:
    """Why ``s`` must stay a Python statement (a key of the runtime's messages), or None."""
    if scope.generator:
        return "generator"
    if isinstance(s, ast.If):
        if _analysis.contains([s], (ast.Return,)):
            return "if_return"
        if _analysis.contains([s], (ast.Break, ast.Continue), through_loops=False):
            return "if_jump"
        return None
    if _analysis.contains([s], (ast.Return, ast.Yield, ast.YieldFrom)):
        return "loop_return"
    return None


def _python_statement(s: ast.stmt, kind: str, scope: _Scope, defined: set) -> ast.stmt:
    line = ast.Constant(value=s.lineno)
    if isinstance(s, ast.For):
        s.iter = ast.copy_location(
            ast.Call(func=ag("py_iter"), args=[scope.expr(s.iter), line, ast.Constant(kind)], keywords=[]), s.iter
        )
    else:
        s.test = ast.copy_location(
            ast.Call(func=ag("py_cond"), args=[scope.expr(s.test), line, ast.Constant(kind)], keywords=[]), s.test
        )
    inner = set(defined)
    s.body = _block(s.body, scope, inner)
    else_defined = set(defined)
    s.orelse = _block(s.orelse, scope, else_defined)
    if isinstance(s, ast.If):
        defined |= inner & else_defined
    return s


# -- generated code
def _parse(src: str, line: int) -> list:
    nodes = ast.parse(src).body
    for node in nodes:
        for n in ast.walk(node):
            if "lineno" in n._attributes:
                n.lineno = n.end_lineno = line
                n.col_offset = n.end_col_offset = 0
    return nodes


def _declare(names: list, scope: _Scope) -> str:
    glob = [n for n in names if n in scope.globals]
    other = [n for n in names if n not in scope.globals]
    text = ""
    if glob:
        text += f"    global {', '.join(glob)}\n"
    if other:
        text += f"    nonlocal {', '.join(other)}\n"
    return text


def _function(name: str, params: str, declared: list, body: list, scope: _Scope, line: int) -> ast.FunctionDef:
    fn = _parse(f"def {name}({params}):\n{_declare(declared, scope)}    pass\n", line)[0]
    fn.body = fn.body[:-1] + (body or fn.body[-1:])
    return fn


def _state_functions(n: int, names: list, scope: _Scope, line: int) -> list:
    """``get_state_n`` / ``set_state_n`` over ``names``."""
    values = "".join(f"{v}, " for v in names)
    src = f"def get_state_{n}():\n    return ({values})\n"
    src += f"def set_state_{n}(ag__state):\n{_declare(names, scope)}"
    src += f"    ({values}) = ag__state\n" if names else "    pass\n"
    return _parse(src, line)


def _guards(names: set, scope: _Scope, defined: set, line: int) -> list:
    """Binds each of ``names`` not yet surely bound to ``ag__.Undefined(name)`` unless it has a value."""
    out = []
    for name in sorted(names - defined - scope.globals - scope.nonlocals):
        src = f"try:\n    {name}\nexcept NameError:\n    {name} = ag__.Undefined({name!r})\n"
        out.extend(_parse(src, line))
    defined |= names
    return out


def _if(s: ast.If, scope: _Scope, defined: set) -> list:
    n, line = next(scope.counter), s.lineno
    modified = _analysis.assigned(s.body + s.orelse)
    state = sorted(modified & s._ag_live_out)
    out = _guards(modified, scope, defined, line)
    declared = sorted(modified)
    body = _function(f"if_body_{n}", "", declared, _block(s.body, scope, set(defined)), scope, line)
    orelse = _function(f"else_body_{n}", "", declared, _block(s.orelse, scope, set(defined)), scope, line)
    names = "".join(f"{v!r}, " for v in state)
    call = _parse(
        f"ag__.if_stmt(__test__, if_body_{n}, else_body_{n}, get_state_{n}, set_state_{n}, ({names}), {line})", line
    )[0]
    call.value.args[0] = scope.expr(s.test)
    return out + [body, orelse] + _state_functions(n, state, scope, line) + [call]


def _loop(s: ast.stmt, scope: _Scope, defined: set) -> list:
    n, line = next(scope.counter), s.lineno
    options, body_stmts = _loop_options(s.body, scope)
    is_for = isinstance(s, ast.For)
    targets = _analysis.assigned([ast.Assign(targets=[s.target], value=None)]) if is_for else set()
    modified = _analysis.assigned(body_stmts) | targets
    state = sorted(modified & (s._ag_head_live | s._ag_live_out))
    out = _guards(modified, scope, defined, line)
    declared = sorted(modified)
    body = _block(body_stmts, scope, set(defined))
    if is_for:
        bind = ast.copy_location(ast.Assign(targets=[s.target], value=ast.Name(id=f"itr_{n}", ctx=ast.Load())), s)
        body_fn = _function(f"loop_body_{n}", f"itr_{n}", declared, [bind] + body, scope, line)
    else:
        body_fn = _function(f"loop_body_{n}", "", declared, body, scope, line)
    out += [body_fn] + _state_functions(n, state, scope, line)
    names = "".join(f"{v!r}, " for v in state)
    opts = "None"
    if options is not None:
        out += [ast.copy_location(ast.Assign(targets=[ast.Name(id=f"opts_{n}", ctx=ast.Store())], value=options), s)]
        opts = f"opts_{n}"
    tail = f"get_state_{n}, set_state_{n}, ({names}), {opts}, {line})"
    if is_for:
        call = _parse(f"ag__.for_stmt(__iter__, None, loop_body_{n}, {tail}", line)[0]
        call.value.args[0] = scope.expr(s.iter)
        flag = getattr(s, "_ag_extra_test", None)
        if flag is not None:
            test = ast.Call(func=ag("not_"), args=[ast.Name(id=flag, ctx=ast.Load())], keywords=[])
            call.value.args[1] = thunk(ast.copy_location(test, s))
    else:
        test_fn = _function(
            f"loop_test_{n}", "", [], [ast.copy_location(ast.Return(value=scope.expr(s.test)), s)], scope, line
        )
        out.append(test_fn)
        call = _parse(f"ag__.while_stmt(loop_test_{n}, loop_body_{n}, {tail}", line)[0]
    return out + [call]


def _loop_options(body: list, scope: _Scope) -> tuple:
    """The ``tf.autograph.experimental.set_loop_options(...)`` call at the top level of a loop body, as a
    call of ``ag__.loop_options`` (evaluated before the loop), and the body without it."""
    options, rest = None, []
    for s in body:
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            func = s.value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "set_loop_options":
                options = ast.copy_location(
                    ast.Call(func=ag("loop_options"), args=s.value.args, keywords=s.value.keywords), s
                )
                options.args = [scope.expr(a) for a in options.args]
                for k in options.keywords:
                    k.value = scope.expr(k.value)
                continue
        rest.append(s)
    return options, rest
