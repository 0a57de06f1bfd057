"""Converting Python functions: source -> AST -> converted AST -> a new function over the original's
globals and closure cells.

The converted code is compiled under the original file name and line numbers, so tracebacks and the
runtime's errors point at the user's source. Conversions are cached per code object (and per
``recursive`` option); each function object gets a new function built from the cached code with its own
closure, defaults and globals. Calls in converted code go through ``converted_call``, which converts the
user functions they reach (not ferroflow's, nor library or standard-library code). A lambda is
converted when its source line holds no other lambda with the same parameters.
"""

from __future__ import annotations
import __future__

import ast
import functools
import inspect
import itertools
import logging
import os
import sysconfig
import textwrap
import types
from typing import Any, Callable, Optional

from ._transformer import convert_function


class ConversionError(Exception):
    """A function could not be converted (its source is unavailable, or it is not a Python function)."""


_CACHE: dict = {}  # (original code, recursive) -> (converted code, converted source) or the ConversionError
_CONVERTED_CODES: set = set()  # code objects made by conversion (they are never converted again)
_VERBOSITY = [int(os.environ.get("AUTOGRAPH_VERBOSITY", "0") or 0), False]
_SKIP_MODULES = frozenset(
    {"ferroflow", "numpy", "scipy", "keras", "tensorflow", "jax", "pandas", "builtins", "functools", "typing"}
)
_LIBRARY_PATHS = tuple(
    {p for k, p in sysconfig.get_paths().items() if k in ("stdlib", "platstdlib", "purelib", "platlib")}
)
_FUTURE_FLAGS = functools.reduce(
    lambda acc, name: acc | getattr(__future__, name).compiler_flag, __future__.all_feature_names, 0
)
_DO_NOT_CONVERT = "_ferroflow_do_not_convert"


def log(level: int, message: str) -> None:
    if _VERBOSITY[0] >= level:
        if _VERBOSITY[1]:
            print(message)
        logging.getLogger("ferroflow.autograph").info(message)


def convert(entity: Any, recursive: bool = True) -> Callable:
    """The converted form of a function, method or ``functools.partial``; ``ConversionError`` otherwise."""
    if isinstance(entity, functools.partial):
        return functools.partial(convert(entity.func, recursive), *entity.args, **entity.keywords)
    if isinstance(entity, types.MethodType):
        return types.MethodType(convert(entity.__func__, recursive), entity.__self__)
    if not isinstance(entity, types.FunctionType):
        raise ConversionError(
            f"converting {entity!r}: cannot apply autograph to a function that doesn't expose a __code__ object. "
            "If this is a @tf.function, try passing f.python_function instead."
        )
    if entity.__code__ in _CONVERTED_CODES:
        return entity
    key = (entity.__code__, bool(recursive))
    entry = _CACHE.get(key)
    if entry is None:
        try:
            entry = _transform(entity, recursive)
        except ConversionError as e:
            entry = e
        _CACHE[key] = entry
    if isinstance(entry, ConversionError):
        raise entry
    return _instantiate(entity, entry[0])


def maybe_convert(entity: Any, recursive: bool = True) -> Callable:
    """``entity`` converted, or ``entity`` itself when it is not convertible user code (logged)."""
    target = entity.func if isinstance(entity, functools.partial) else entity
    target = getattr(target, "__func__", target)
    if not is_user_function(target):
        return entity
    try:
        return convert(entity, recursive)
    except ConversionError as e:
        log(1, f"AutoGraph could not transform {entity!r} and will run it as-is: {e}")
        return entity


def is_user_function(fn: Any) -> bool:
    """Whether ``fn`` is a Python function AutoGraph converts: user code with source, not marked
    ``do_not_convert``, not ferroflow's nor a library's."""
    if not isinstance(fn, types.FunctionType) or getattr(fn, _DO_NOT_CONVERT, False):
        return False
    code = fn.__code__
    if code in _CONVERTED_CODES:  # (code without source, such as exec'd strings, fails to convert: run as is)
        return False
    if code.co_flags & (inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return False
    if str(getattr(fn, "__module__", "") or "").split(".")[0] in _SKIP_MODULES:
        return False
    return not code.co_filename.startswith(_LIBRARY_PATHS)


def source_of(entity: Any, recursive: bool = True) -> str:
    """The converted source of a function or method (``tf.autograph.to_code``)."""
    fn = convert(entity, recursive)
    fn = fn.func if isinstance(fn, functools.partial) else fn
    fn = getattr(fn, "__func__", fn)
    for entry in _CACHE.values():
        if not isinstance(entry, ConversionError) and entry[0] is fn.__code__:
            return entry[1]
    raise ConversionError(f"no converted source for {entity!r}")


def _transform(fn: types.FunctionType, recursive: bool) -> tuple:
    try:
        source = inspect.getsource(fn.__code__)  # the code object: getsource(fn) would follow __wrapped__
    except (OSError, TypeError) as e:
        raise ConversionError(
            f"Unable to locate the source code of {fn!r}. Note that functions defined in certain environments, "
            "like the interactive Python shell, do not expose their source code. If that is the case, you should "
            "define them in a .py source file. If you are certain the code is graph-compatible, wrap the call "
            f"using @tf.autograph.experimental.do_not_convert. Original error: {e}"
        ) from None
    first = source.splitlines()[0] if source else ""
    indent = len(first) - len(first.lstrip())
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError as e:
        raise ConversionError(f"could not parse the source of {fn!r}: {e}") from None
    for n in ast.walk(tree):
        if "lineno" in n._attributes and hasattr(n, "col_offset"):
            n.col_offset += indent
            if getattr(n, "end_col_offset", None) is not None:
                n.end_col_offset += indent
    ast.increment_lineno(tree, fn.__code__.co_firstlineno - 1)
    if fn.__code__.co_name == "<lambda>":
        node: Any = _lambda_definition(tree, fn)
    else:
        node = tree.body[0] if tree.body else None
        if not isinstance(node, ast.FunctionDef) or node.name != fn.__code__.co_name:
            raise ConversionError(f"the source of {fn!r} is not a plain function definition")
    # The factory defines the function: its decorators, defaults and annotations are not evaluated again
    # (the new function takes the original's defaults; annotations are copied).
    node.decorator_list, node.returns = [], None
    args = node.args
    args.defaults, args.kw_defaults = [], [None] * len(args.kwonlyargs)
    for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if a is not None:
            a.annotation = None
    if "__class__" in fn.__code__.co_freevars and (args.posonlyargs or args.args):
        _explicit_super(node, (args.posonlyargs or args.args)[0].arg)
    convert_function(node, itertools.count(1), convert_calls=recursive)
    converted_source = ast.unparse(node)
    factory = ast.parse("def __ag_factory():\n    ag__ = None\n    return None\n").body[0]
    cells = [ast.parse(f"{name} = None").body[0] for name in fn.__code__.co_freevars]
    factory.body = factory.body[:1] + cells + [node, ast.Return(value=ast.Name(id=node.name, ctx=ast.Load()))]
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    flags = fn.__code__.co_flags & _FUTURE_FLAGS
    try:
        code = compile(module, fn.__code__.co_filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as e:
        raise ConversionError(f"the converted code of {fn!r} does not compile: {e}") from None
    namespace: dict = {}
    exec(code, namespace)
    new_code = namespace["__ag_factory"]().__code__
    _remember(new_code)
    log(2, f"Converted {fn!r}:\n{converted_source}")
    return new_code, converted_source


def _explicit_super(fn: ast.FunctionDef, first: str) -> None:
    """``super()`` -> ``super(__class__, <first parameter>)`` in ``fn``'s own body: the zero-argument form
    finds its arguments in the calling frame, which is a generated branch or loop function after conversion."""
    for n in ast.walk(fn):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "super" and not n.args:
            n.args = [ast.Name(id="__class__", ctx=ast.Load()), ast.Name(id=first, ctx=ast.Load())]


def _lambda_definition(tree: ast.AST, fn: types.FunctionType) -> ast.FunctionDef:
    """``def __ag_lambda(<args>): return <body>`` for the one lambda of the source line(s) that has ``fn``'s
    parameters (several such lambdas on one line cannot be told apart: not converted)."""
    code = fn.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS)
    params = list(code.co_varnames[:count])
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Lambda) and n.lineno == code.co_firstlineno and _lambda_params(n.args) == params
    ]
    if len(found) != 1:
        raise ConversionError(f"could not find the source of {fn!r} unambiguously")
    lam = found[0]
    body = ast.copy_location(ast.Return(value=lam.body), lam.body)
    node = ast.FunctionDef(name="__ag_lambda", args=lam.args, body=[body], decorator_list=[], returns=None)
    return ast.copy_location(node, lam)


def _lambda_params(args: ast.arguments) -> list:
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    return names + [a.arg for a in (args.vararg, args.kwarg) if a is not None]


def _remember(code: types.CodeType) -> None:
    _CONVERTED_CODES.add(code)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _remember(const)


def _instantiate(fn: types.FunctionType, code: types.CodeType) -> types.FunctionType:
    from . import _runtime

    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    closure = []
    for name in code.co_freevars:
        if name == "ag__":
            closure.append(types.CellType(_runtime))
        elif name in cells:
            closure.append(cells[name])
        else:
            raise ConversionError(f"the converted code of {fn!r} refers to an unknown closure variable {name!r}")
    new = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__, tuple(closure) or None)
    new.__kwdefaults__ = dict(fn.__kwdefaults__) if fn.__kwdefaults__ else None
    new.__dict__.update(fn.__dict__)
    new.__doc__, new.__qualname__, new.__module__ = fn.__doc__, fn.__qualname__, fn.__module__
    new.__annotations__ = dict(getattr(fn, "__annotations__", {}) or {})
    return new


def converted_call(f: Any, args: tuple, kwargs: Optional[dict]) -> Any:
    """A call in converted code: user functions are converted first; ``range`` and ``len`` of graph tensors
    become ``tf.range`` and the dynamic length, and ``iter`` of a dataset a run-time iterator, as TensorFlow's
    AutoGraph converts them."""
    kwargs = kwargs or {}
    if f is range or f is len:
        from ._builtins import graph_builtin

        handled, value = graph_builtin(f, args, kwargs)
        if handled:
            return value
    if f is iter and len(args) == 1 and not kwargs:
        from ._dataset_loops import GraphIterator, runs_in_graph

        if runs_in_graph(args[0]):  # iter(dataset) in tf.function: an iterator made at run time
            return args[0] if isinstance(args[0], GraphIterator) else GraphIterator(args[0])
    if isinstance(f, (types.FunctionType, types.MethodType, functools.partial)):
        f = maybe_convert(f)
    return f(*args, **kwargs)


def do_not_convert(func: Optional[Callable] = None) -> Any:
    """``tf.autograph.experimental.do_not_convert``: ``func`` wrapped so AutoGraph calls it as it is."""
    if func is None:
        return do_not_convert

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    setattr(wrapper, _DO_NOT_CONVERT, True)
    return wrapper
