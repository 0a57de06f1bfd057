"""Rewrites an RE2 pattern (TensorFlow's regex dialect) into the core's regex syntax.

The two agree except inside a bracketed class, where the core reads ``[`` as opening a nested class and
``&&``, ``--`` and ``~~`` as set operations, while RE2 reads them as literal characters. Escaping those
characters there keeps RE2's meaning (``f"[{string.punctuation}]"`` is a common pattern that needs it).
"""

from __future__ import annotations


def _class_end(pattern: str, i: int) -> int:
    """The index just past the ``:]`` ending a POSIX class ``[:name:]`` starting at ``i``, or -1."""
    end = pattern.find(":]", i + 2)
    name = pattern[i + 2 : end] if end >= 0 else ""
    return end + 2 if name.isalpha() else -1


def re2_to_core(pattern: str) -> str:
    """``pattern`` with the characters RE2 reads literally inside a class escaped."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if not in_class:
            out.append(c)
            i += 1
            if c == "[":
                in_class = True
                if i < n and pattern[i] == "^":
                    out.append("^")
                    i += 1
                if i < n and pattern[i] == "]":  # a leading `]` is a literal member
                    out.append("\\]")
                    i += 1
            continue
        if c == "]":
            in_class = False
            out.append(c)
        elif c == "[" and pattern.startswith("[:", i) and _class_end(pattern, i) > 0:
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
            continue
        elif c in "[&~" or (c == "-" and out[-1] == "-"):
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)
