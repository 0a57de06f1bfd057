"""The command-line flags behind ``tf.compat.v1.flags``: ``Flag``, ``FlagValues`` (``FLAGS``) and the errors.

TensorFlow re-exports absl's flags; this is the part TF1 scripts use, with absl's parsing rules (``--name=v``,
``--name v``, ``-name``, ``--[no]bool``, ``--`` ending the flags, flags and positional arguments mixed) and
its messages. As TF1's ``FLAGS`` does, reading a flag before the flags were parsed parses ``sys.argv``.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Optional


class Error(Exception):
    """The base of the flags errors."""


class IllegalFlagValueError(Error):
    """A flag was given a value its parser or validators refuse."""


class UnrecognizedFlagError(Error):
    """The command line names a flag that is not defined."""

    def __init__(self, flagname: str, flagvalue: str = "", suggestions: Any = None) -> None:
        self.flagname = flagname
        self.flagvalue = flagvalue
        super().__init__(f"Unknown command line flag '{flagname}'")


class UnparsedFlagAccessError(Error):
    """A flag's value was read before the flags were parsed."""


class DuplicateFlagError(Error):
    """Two flags were defined with one name."""


class ValidationError(Error):
    """A validator refused the flags' values."""


class CantOpenFlagFileError(Error):
    """A ``--flagfile`` could not be read."""


class Flag:
    """One flag: its name, default, help text, current value and how its text is parsed."""

    def __init__(
        self,
        parse: Callable[[str], Any],
        name: str,
        default: Any,
        help_string: Optional[str],
        short_name: Optional[str] = None,
        boolean: bool = False,
        multi: bool = False,
        flag_type: str = "string",
    ) -> None:
        self.name = name
        self.short_name = short_name
        self.help = help_string or "(no help available)"
        self.boolean = boolean
        self.multi = multi
        self.flag_type = flag_type
        self.present = 0
        self.using_default_value = True
        self._parse = parse
        self.default = self._convert(default)
        self.value = self.default

    def _convert(self, value: Any) -> Any:
        if value is None or not isinstance(value, str) or self.multi or self.flag_type == "string":
            return self._coerce(value)
        return self._parse(value)

    def _coerce(self, value: Any) -> Any:
        """A default given as a Python value: lists for multi flags, bounds checked for numbers."""
        if self.multi and value is not None and not isinstance(value, (list, tuple)):
            value = [value]
        if self.multi and value is not None:
            return [self._parse(v) if isinstance(v, str) else self._check(v) for v in value]
        return None if value is None else self._check(value)

    def _check(self, value: Any) -> Any:
        checker = getattr(self._parse, "check", None)
        return checker(value) if checker is not None else value

    def parse(self, argument: Any) -> None:
        """Sets the value from the command line (a repeated multi flag appends)."""
        try:
            value = self._parse(argument) if isinstance(argument, str) else self._check(argument)
        except (TypeError, ValueError) as e:
            shown = argument if isinstance(argument, str) else repr(argument)
            raise IllegalFlagValueError(f"flag --{self.name}={shown}: {e}") from None
        if self.multi:
            self.value = (self.value if self.present and self.value else []) + (
                value if isinstance(value, list) else [value]
            )
        else:
            self.value = value
        self.present += 1
        self.using_default_value = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} --{self.name}={self.value!r}>"


class FlagValues:
    """The registry of flags and their values: ``FLAGS.name`` reads a value, ``FLAGS(argv)`` parses."""

    def __init__(self, parse_on_read: bool = False) -> None:
        self.__dict__["_flags_by_name"] = {}
        self.__dict__["_parsed"] = False
        self.__dict__["_validators"] = []
        self.__dict__["_parse_on_read"] = parse_on_read

    # -- registry
    def __setitem__(self, name: str, flag: Flag) -> None:
        flags = self._flags_by_name
        if name in flags and flags[name] is not flag:
            raise DuplicateFlagError(
                f"The flag '{name}' is defined twice. Description from first occurrence: {flags[name].help}"
            )
        flags[name] = flag

    def __getitem__(self, name: str) -> Flag:
        return self._flags_by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._flags_by_name

    def __iter__(self) -> Any:
        return iter(self._flags_by_name)

    def __len__(self) -> int:
        return len(self._flags_by_name)

    def __dir__(self) -> List[str]:
        return sorted(self._flags_by_name)

    # -- values
    def __getattr__(self, name: str) -> Any:
        flags = self.__dict__["_flags_by_name"]
        if name not in flags:
            raise AttributeError(name)
        if not self.__dict__["_parsed"]:
            if not self.__dict__["_parse_on_read"]:
                raise UnparsedFlagAccessError(f"Trying to access flag --{name} before flags were parsed.")
            self(sys.argv)
        return flags[name].value

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._flags_by_name:
            raise UnrecognizedFlagError(name, str(value))
        flag = self._flags_by_name[name]
        flag.value = flag._coerce(value) if flag.multi else (None if value is None else flag._check(value))
        flag.using_default_value = False
        self._run_validators([name])

    def __delattr__(self, name: str) -> None:
        if name not in self._flags_by_name:
            raise AttributeError(name)
        del self._flags_by_name[name]

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        self.__dict__["_parsed"] = True

    def unparse_flags(self) -> None:
        """Every flag back to its default, and the flags marked as not parsed."""
        for flag in self._flags_by_name.values():
            flag.value, flag.present, flag.using_default_value = flag.default, 0, True
        self.__dict__["_parsed"] = False

    def flag_values_dict(self) -> Dict[str, Any]:
        return {name: flag.value for name, flag in self._flags_by_name.items()}

    def get_flag_value(self, name: str, default: Any) -> Any:
        return self._flags_by_name[name].value if name in self._flags_by_name else default

    def set_default(self, name: str, value: Any) -> None:
        flag = self._flags_by_name[name]
        flag.default = flag._convert(value)
        if flag.using_default_value:
            flag.value = flag.default

    def add_validator(self, flag_names: List[str], check: Callable[[Dict[str, Any]], bool], message: str) -> None:
        self._validators.append((list(flag_names), check, message))

    def _run_validators(self, changed: Optional[List[str]] = None) -> None:
        for names, check, message in self._validators:
            if changed is not None and not set(names) & set(changed):
                continue
            values = {n: self._flags_by_name[n].value for n in names if n in self._flags_by_name}
            try:
                ok = check(values)
            except ValidationError as e:
                ok, message = False, str(e)
            if not ok:
                shown = names[0]
                raise IllegalFlagValueError(f"flag --{shown}={values.get(shown)}: {message}")

    # -- parsing
    def _lookup(self, name: str) -> Optional[Flag]:
        flag = self._flags_by_name.get(name)
        if flag is None:
            flag = next((f for f in self._flags_by_name.values() if f.short_name == name), None)
        return flag

    def __call__(self, argv: List[str], known_only: bool = False) -> List[str]:
        """Parses the flags of ``argv`` (``argv[0]`` is the program); returns ``argv[0]`` and what is left:
        positional arguments, everything after ``--``, and with ``known_only`` the unknown flags."""
        if isinstance(argv, str):
            raise TypeError("argv should be a tuple/list of strings, not bytes or string.")
        if not argv:
            raise ValueError("argv cannot be an empty list, and must contain the program name as the first element.")
        rest: List[str] = []
        args = list(argv[1:])
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":
                rest.extend(args[i:])
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, value = arg.lstrip("-"), False, None
            if "=" in name:
                name, value = name.split("=", 1)
                has_value = True
            flag = self._lookup(name)
            if flag is None and name.startswith("no") and not has_value:
                negated = self._lookup(name[2:])
                if negated is not None and negated.boolean:
                    negated.parse("false")
                    continue
            if flag is None:
                if known_only:
                    rest.append(arg)
                    continue
                raise UnrecognizedFlagError(name, value or "")
            if flag.boolean and not has_value:
                flag.parse("true")
                continue
            if not has_value:
                if i >= len(args):
                    raise Error(f"Missing value for flag {arg}")
                value = args[i]
                i += 1
            flag.parse(value)
        self.__dict__["_parsed"] = True
        self._run_validators()
        return [argv[0]] + rest

    def help_text(self) -> str:
        lines = []
        for flag in sorted(self._flags_by_name.values(), key=lambda f: f.name):
            prefix = f"-{flag.short_name}," if flag.short_name else ""
            shown = f"--[no]{flag.name}" if flag.boolean else f"--{flag.name}"
            lines.append(f"  {prefix}{shown}: {flag.help}")
            if flag.default is not None:
                default = str(flag.default).lower() if flag.boolean else flag.default
                lines.append(f"    (default: '{default}')")
        return "\n".join(lines)


# The flags of tf.compat.v1.flags: reading one before parsing parses sys.argv, as TF1's FLAGS does.
FLAGS = FlagValues(parse_on_read=True)
