"""AutoGraph's runtime operators for expressions: ``and``/``or``/``not``, ``a if t else b``, and the checks
of statements that stay Python. Each dispatches on its operand when the converted code runs: a symbolic
tensor (a graph is being traced) gives graph ops, anything else (Python values, eager tensors) keeps
Python's semantics.
"""

from __future__ import annotations

import linecache
import sys
from typing import Any, Callable, Optional

from ..framework import context
from ..framework.graph import SymbolicTensor


class Undefined:
    """The value of a variable that has no value yet at this point of a converted function (assigned in
    only one branch, or first assigned inside a loop). Using it raises ``UnboundLocalError``, as Python
    would have."""

    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name: str) -> None:
        self.symbol_name = symbol_name

    def __repr__(self) -> str:
        return f"Undefined({self.symbol_name!r})"

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise UnboundLocalError(f"'{self.symbol_name}' is used before assignment")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._fail()

    __bool__ = __call__ = __iter__ = __len__ = __getitem__ = __index__ = __float__ = __int__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _fail
    __floordiv__ = __mod__ = __pow__ = __matmul__ = __neg__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __hash__ = object.__hash__


def is_symbolic(x: Any) -> bool:
    """Whether control flow on ``x`` belongs in the graph: a graph tensor, or any tensor or variable while a
    graph is being built (a constant such as ``tf.range(100)`` is an eager tensor there, and TensorFlow
    would loop over it in the graph rather than unroll it)."""
    if isinstance(x, SymbolicTensor):
        return True
    from ..framework.tensor import Tensor
    from ..framework.variables import Variable

    return isinstance(x, (Tensor, Variable)) and context.current_graph() is not None


def has_no_value(x: Any) -> bool:
    """Whether ``x`` has no value while tracing (a graph tensor, or a variable read in a graph): what the
    statements kept as Python cannot take. An eager tensor there is used by its value."""
    if isinstance(x, SymbolicTensor):
        return True
    from ..framework.variables import Variable

    return isinstance(x, Variable) and context.current_graph() is not None


def truth(x: Any) -> bool:
    from ..framework.variables import Variable

    return bool(x.value() if isinstance(x, Variable) else x)


def _tensor(x: Any) -> Any:
    from ..framework.ops import convert_to_tensor
    from ..framework.variables import Variable

    return x.value() if isinstance(x, Variable) else convert_to_tensor(x)


# -- expressions
def not_(x: Any) -> Any:
    if is_symbolic(x):
        from ..framework.ops import apply

        return apply("logical_not", [_tensor(x)])
    return not x


def and_(*operands: Callable[[], Any]) -> Any:
    """``a and b and ...`` with each operand a thunk: Python short-circuits on Python values; once a value
    is a tensor, the result is the logical and of it and the remaining operands (all evaluated)."""
    return _bool_op(operands, "logical_and", stop_when=False)


def or_(*operands: Callable[[], Any]) -> Any:
    return _bool_op(operands, "logical_or", stop_when=True)


def _bool_op(operands: tuple, op: str, stop_when: bool) -> Any:
    from ..framework.ops import apply

    value = operands[0]()
    for thunk in operands[1:]:
        if is_symbolic(value):
            value = apply(op, [_tensor(value), _tensor(thunk())])
            continue
        if truth(value) is stop_when:
            return value
        value = thunk()
    return value


def if_exp(cond: Any, true_fn: Callable, false_fn: Callable, line: int) -> Any:
    """``a if cond else b``: a ``tf.cond`` when ``cond`` is a graph tensor."""
    if is_symbolic(cond):
        from ..ops.cond_ops import cond as tf_cond

        return tf_cond(cond, true_fn, false_fn)
    return true_fn() if truth(cond) else false_fn()


# -- Python statements that cannot take a tensor
_UNSUPPORTED = {
    "if_return": (
        "a return statement inside an if whose condition is a tensor is only converted when the returns end "
        "the branches (and no loop, with or try block holds them); assign the result to a variable and "
        "return it after the if"
    ),
    "if_jump": (
        "break and continue inside an if whose condition is a tensor are only converted in loops that AutoGraph "
        "converts; this loop stays a Python loop because it holds a return or yield statement"
    ),
    "loop_return": (
        "a return statement cannot be placed inside this TensorFlow loop; this may happen if a return "
        "statement depends on a static Python condition such as a hyperparameter"
    ),
    "generator": (
        "generator functions are not converted by AutoGraph: control flow on a tensor inside a generator "
        "is not supported"
    ),
    "python_for_break": (
        "break and return statements which depend on a TF condition are not supported in Python for loops. "
        "Did you intend to make it a TF loop?"
    ),
    "python_while": (
        "The condition of while loop started as non-Tensor, then changed to Tensor. This may happen either "
        "because variables changed type, or when a break or return statement inside the loop depends on a "
        "Tensor condition. In both cases, changing to a TF loop should remove the error."
    ),
}


def located(message: str, line: int, filename: Optional[str] = None, depth: int = 2) -> str:
    """``message`` with the place in user code it is about: ``filename`` (by default the file of the
    converted code that called the runtime, ``depth`` frames up) and ``line``, as TensorFlow's "in user
    code" errors show it."""
    if filename is None:
        filename = sys._getframe(depth).f_code.co_filename
    source = linecache.getline(filename, line).strip()
    where = f'File "{filename}", line {line}'
    return f"in user code:\n\n    {where}\n        {source}\n\n    {message}"


def unsupported(kind: str, line: int, filename: Optional[str] = None, depth: int = 3) -> NotImplementedError:
    return NotImplementedError(located(_UNSUPPORTED[kind], line, filename, depth))


def py_cond(cond: Any, line: int, kind: str) -> Any:
    """The test of an ``if``/``while`` kept as Python: raises naming ``line`` when it is a graph tensor."""
    if has_no_value(cond):
        raise unsupported(kind, line)
    return cond


def py_iter(iterable: Any, line: int, kind: str) -> Any:
    """The iterable of a ``for`` loop kept as Python: raises naming ``line`` when it is a graph tensor."""
    if has_no_value(iterable):
        raise unsupported(kind, line)
    return iterable
