"""``tf.compat.v1.flags`` (also ``tf.compat.v1.app.flags``): absl-style command-line flags for TF1 scripts.

``DEFINE_string / integer / float / boolean / enum / list / multi_*`` register flags on ``FLAGS``; reading
``FLAGS.name`` before parsing parses ``sys.argv`` (TF1's behaviour), ``tf.compat.v1.app.run`` parses
them explicitly. The old keyword names ``flag_name``, ``default_value`` and ``docstring`` are accepted.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Optional

from .flag_parsers import boolean as _boolean
from .flag_parsers import enum as _enum
from .flag_parsers import numeric as _numeric
from .flag_parsers import separated as _split
from .flag_validators import (  # noqa: F401
    mark_flag_as_required,
    mark_flags_as_mutual_exclusive,
    mark_flags_as_required,
    multi_flags_validator,
    register_multi_flags_validator,
    register_validator,
    validator,
)
from .flag_values import (  # noqa: F401
    FLAGS,
    CantOpenFlagFileError,
    DuplicateFlagError,
    Error,
    Flag,
    FlagValues,
    IllegalFlagValueError,
    UnparsedFlagAccessError,
    UnrecognizedFlagError,
    ValidationError,
)


class FlagHolder:
    """What ``DEFINE_*`` returns: ``holder.value`` reads the flag from its ``FlagValues``."""

    def __init__(self, flag_values: FlagValues, flag: Flag) -> None:
        self._flag_values = flag_values
        self._name = flag.name

    @property
    def name(self) -> str:
        return self._name

    @property
    def value(self) -> Any:
        return getattr(self._flag_values, self._name)

    @property
    def default(self) -> Any:
        return self._flag_values[self._name].default

    @property
    def present(self) -> bool:
        return bool(self._flag_values[self._name].present)


def _renamed(define: Callable) -> Callable:
    """TF1's old keyword names of the define functions: flag_name, default_value, docstring."""

    @functools.wraps(define)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for old, new in (("flag_name", "name"), ("default_value", "default"), ("docstring", "help")):
            if old in kwargs:
                kwargs[new] = kwargs.pop(old)
        return define(*args, **kwargs)

    return wrapper


def _define(
    parse: Callable, name: str, default: Any, help: Optional[str], flag_values: FlagValues, **kw: Any
) -> FlagHolder:
    required = kw.pop("required", False)
    flag = Flag(parse, name, default, help, **kw)
    flag_values[name] = flag
    if required:
        mark_flag_as_required(name, flag_values)
    return FlagHolder(flag_values, flag)


@_renamed
def DEFINE_string(
    name: str, default: Any, help: Optional[str], flag_values: FlagValues = FLAGS, **args: Any
) -> FlagHolder:  # noqa: N802, A002
    return _define(str, name, default, help, flag_values, flag_type="string", **args)


@_renamed
def DEFINE_boolean(
    name: str, default: Any, help: Optional[str], flag_values: FlagValues = FLAGS, **args: Any
) -> FlagHolder:  # noqa: N802, A002
    return _define(_boolean, name, default, help, flag_values, boolean=True, flag_type="bool", **args)


DEFINE_bool = DEFINE_boolean


@_renamed
def DEFINE_integer(  # noqa: N802
    name: str,
    default: Any,
    help: Optional[str],
    lower_bound: Any = None,
    upper_bound: Any = None,  # noqa: A002
    flag_values: FlagValues = FLAGS,
    **args: Any,
) -> FlagHolder:
    return _define(_numeric("int", lower_bound, upper_bound), name, default, help, flag_values, flag_type="int", **args)


@_renamed
def DEFINE_float(  # noqa: N802
    name: str,
    default: Any,
    help: Optional[str],
    lower_bound: Any = None,
    upper_bound: Any = None,  # noqa: A002
    flag_values: FlagValues = FLAGS,
    **args: Any,
) -> FlagHolder:
    parse = _numeric("float", lower_bound, upper_bound)
    return _define(parse, name, default, help, flag_values, flag_type="float", **args)


def DEFINE_enum(  # noqa: N802
    name: str,
    default: Any,
    enum_values: Iterable[str],
    help: Optional[str],
    flag_values: FlagValues = FLAGS,  # noqa: A002
    case_sensitive: bool = True,
    **args: Any,
) -> FlagHolder:
    return _define(_enum(enum_values, case_sensitive), name, default, help, flag_values, flag_type="enum", **args)


def DEFINE_list(
    name: str, default: Any, help: Optional[str], flag_values: FlagValues = FLAGS, **args: Any
) -> FlagHolder:  # noqa: N802, A002
    """A comma-separated list of strings."""
    return _define(_split(","), name, default, help, flag_values, flag_type="list", **args)


def DEFINE_spaceseplist(
    name: str, default: Any, help: Optional[str], flag_values: FlagValues = FLAGS, **args: Any
) -> FlagHolder:  # noqa: N802, A002
    """A whitespace-separated list of strings."""
    return _define(_split(None), name, default, help, flag_values, flag_type="list", **args)


def _multi(parse: Callable, kind: str) -> Callable:
    def define(
        name: str, default: Any, help: Optional[str], flag_values: FlagValues = FLAGS, **args: Any
    ) -> FlagHolder:  # noqa: A002
        return _define(parse, name, default, help, flag_values, multi=True, flag_type=f"multi_{kind}", **args)

    define.__name__ = define.__qualname__ = f"DEFINE_multi_{kind}"
    define.__doc__ = f"A flag that may repeat: its value is the list of every {kind} given."
    return define


DEFINE_multi_string = _multi(str, "string")


def DEFINE_multi_integer(  # noqa: N802
    name: str,
    default: Any,
    help: Optional[str],
    lower_bound: Any = None,
    upper_bound: Any = None,  # noqa: A002
    flag_values: FlagValues = FLAGS,
    **args: Any,
) -> FlagHolder:
    return _multi(_numeric("int", lower_bound, upper_bound), "integer")(name, default, help, flag_values, **args)


def DEFINE_multi_float(  # noqa: N802
    name: str,
    default: Any,
    help: Optional[str],
    lower_bound: Any = None,
    upper_bound: Any = None,  # noqa: A002
    flag_values: FlagValues = FLAGS,
    **args: Any,
) -> FlagHolder:
    return _multi(_numeric("float", lower_bound, upper_bound), "float")(name, default, help, flag_values, **args)


def DEFINE_multi_enum(  # noqa: N802
    name: str,
    default: Any,
    enum_values: Iterable[str],
    help: Optional[str],
    flag_values: FlagValues = FLAGS,  # noqa: A002
    case_sensitive: bool = True,
    **args: Any,
) -> FlagHolder:
    return _multi(_enum(enum_values, case_sensitive), "enum")(name, default, help, flag_values, **args)


def DEFINE_alias(name: str, original_name: str, flag_values: FlagValues = FLAGS) -> FlagHolder:  # noqa: N802
    """``--name`` sets the flag ``--original_name`` (one Flag under two names)."""
    if original_name not in flag_values:
        raise UnrecognizedFlagError(original_name)
    flag_values[name] = flag_values[original_name]
    return FlagHolder(flag_values, flag_values[original_name])


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("functools",))
