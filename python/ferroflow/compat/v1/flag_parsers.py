"""How the text of a ``tf.compat.v1.flags`` flag becomes its value, with absl's checks and error texts: numbers
within bounds, booleans, enums and separated lists. Each parser also has ``check``, which validates a default
that is already a value (absl checks defaults as it checks parsed text).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, List, Optional


def bounds_text(kind: str, lower: Any, upper: Any) -> str:
    """absl's words for a bounded flag in its error ("a non-negative integer", "a number in the range [0, 1]")."""
    noun = "integer" if kind == "int" else "number"
    article = "an" if kind == "int" else "a"
    if lower is not None and upper is not None:
        return f"{article} {noun} in the range [{lower}, {upper}]"
    if lower == 0:
        return f"a non-negative {noun}"
    if lower == 1 and kind == "int":
        return f"a positive {noun}"
    if upper == 0:
        return f"a non-positive {noun}"
    if upper == -1 and kind == "int":
        return f"a negative {noun}"
    if lower is not None:
        return f"{article} {noun} >= {lower}"
    if upper is not None:
        return f"{article} {noun} <= {upper}"
    return f"{article} {noun}"


def numeric(kind: str, lower: Any, upper: Any) -> Callable:
    """The parser of an ``int`` (hexadecimal ``0x..`` too) or ``float`` flag between ``lower`` and ``upper``."""
    convert = int if kind == "int" else float

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"Expect argument to be a {'integer' if kind == 'int' else 'number'}, got {type(value)}")
        if (lower is not None and value < lower) or (upper is not None and value > upper):
            raise ValueError(f"{value} is not {bounds_text(kind, lower, upper)}")
        return value

    def parse(text: str) -> Any:
        if kind == "int":
            text = text.strip()
            base = 16 if text.lower().startswith(("0x", "-0x")) else 10
            return check(int(text, base))
        return check(convert(text))

    parse.check = check  # type: ignore[attr-defined]
    return parse


def boolean(text: Any) -> bool:
    """A boolean flag's value: a bool, or the text true/t/1 or false/f/0 in any case."""
    if isinstance(text, bool):
        return text
    if isinstance(text, str):
        lowered = text.lower()
        if lowered in ("true", "t", "1"):
            return True
        if lowered in ("false", "f", "0"):
            return False
    raise ValueError(("Non-boolean argument to boolean flag", text))


boolean.check = boolean  # type: ignore[attr-defined]


def enum(values: Iterable[str], case_sensitive: bool = True) -> Callable:
    """The parser of a flag taking one of ``values``."""
    allowed = list(values)
    if not allowed:
        raise ValueError(f"enum_values cannot be empty, found '{allowed}'")

    def parse(text: str) -> str:
        if case_sensitive and text in allowed:
            return text
        if not case_sensitive:
            for v in allowed:
                if v.upper() == str(text).upper():
                    return v
        raise ValueError(f"value should be one of <{'|'.join(allowed)}>")

    parse.check = parse  # type: ignore[attr-defined]
    return parse


def separated(separator: Optional[str]) -> Callable:
    """The parser of a list flag: text split at ``separator`` (whitespace when None), or a list as it is."""

    def parse(text: Any) -> List[str]:
        if isinstance(text, (list, tuple)):
            return [str(v) for v in text]
        if not text:
            return []
        parts = text.split(separator) if separator else text.split()
        return [p.strip() for p in parts if p.strip()] if separator else parts

    parse.check = parse  # type: ignore[attr-defined]
    return parse
