"""Flag validators of ``tf.compat.v1.flags``: ``register_validator`` / ``validator``, the multi-flag forms,
``mark_flag(s)_as_required`` and ``mark_flags_as_mutual_exclusive``. They run after each parse and each
assignment of a flag they watch; a failing one raises ``IllegalFlagValueError``."""

from __future__ import annotations

from typing import Any, Callable, Iterable, List

from .flag_values import FLAGS, FlagValues


def register_validator(
    flag_name: str,
    checker: Callable[[Any], bool],
    message: str = "Flag validation failed",
    flag_values: FlagValues = FLAGS,
) -> None:
    """After each parse (and each assignment), ``checker(value)`` must be true, else IllegalFlagValueError."""
    flag_values.add_validator([flag_name], lambda values: checker(values[flag_name]), message)


def validator(flag_name: str, message: str = "Flag validation failed", flag_values: FlagValues = FLAGS) -> Callable:
    def decorate(checker: Callable[[Any], bool]) -> Callable[[Any], bool]:
        register_validator(flag_name, checker, message, flag_values)
        return checker

    return decorate


def register_multi_flags_validator(
    flag_names: List[str],
    multi_flags_checker: Callable[[dict], bool],
    message: str = "Flags validation failed",
    flag_values: FlagValues = FLAGS,
) -> None:
    flag_values.add_validator(list(flag_names), multi_flags_checker, message)


def multi_flags_validator(
    flag_names: List[str], message: str = "Flag validation failed", flag_values: FlagValues = FLAGS
) -> Callable:
    def decorate(checker: Callable[[dict], bool]) -> Callable[[dict], bool]:
        register_multi_flags_validator(flag_names, checker, message, flag_values)
        return checker

    return decorate


def mark_flag_as_required(flag_name: str, flag_values: FlagValues = FLAGS) -> None:
    """Parsing fails unless the flag ends up with a value other than None."""
    register_validator(
        flag_name,
        lambda value: value is not None,
        f"Flag --{flag_name} must have a value other than None.",
        flag_values,
    )


def mark_flags_as_required(flag_names: Iterable[str], flag_values: FlagValues = FLAGS) -> None:
    for name in flag_names:
        mark_flag_as_required(name, flag_values)


def mark_flags_as_mutual_exclusive(
    flag_names: List[str], required: bool = False, flag_values: FlagValues = FLAGS
) -> None:
    """At most one (exactly one with ``required``) of the flags may have a value other than None."""

    def check(values: dict) -> bool:
        count = sum(1 for v in values.values() if v is not None)
        return count == 1 if required else count <= 1

    names = ", ".join(f"--{n}" for n in flag_names)
    message = f"{'Exactly' if required else 'At most'} one of ({names}) must have a value other than None."
    register_multi_flags_validator(flag_names, check, message, flag_values)
