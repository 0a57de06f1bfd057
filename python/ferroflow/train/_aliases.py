"""Finding a variable's saved value through another path to the same object (TensorFlow matches objects, not
key strings): a checkpoint records, besides each value's key, the other paths that reached an object already
saved (``mapped/one`` -> ``listed/0``, ``model/_functional/_operations/1`` -> ``optimizer/_trainable_variables/0``
...), so a variable restored through any of them finds its value."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

ALIASES_KEY = "object_aliases"


def resolve(key: str, aliases: Dict[str, str]) -> Optional[str]:
    """``key`` with its longest aliased prefix replaced by the object's saved path, repeatedly; None if no
    prefix of ``key`` is an alias."""
    changed = False
    for _ in range(64):  # each step replaces a prefix; a cycle cannot arise from one walk, but stay bounded
        parts = key.split("/")
        for n in range(len(parts), 0, -1):
            target = aliases.get("/".join(parts[:n]))
            if target is not None:
                key = "/".join([target] + parts[n:])
                changed = True
                break
        else:
            break
    return key if changed else None


def values_by_key(
    variables: List[Tuple[str, object]], values: Dict[str, object], aliases: Dict[str, str]
) -> Tuple[Dict[str, object], Set[str]]:
    """``values`` plus, for each variable whose key the file lacks, the value found through an alias under
    the variable's key; and the saved keys taken that way (they are used, not left over)."""
    out = dict(values)
    used: Set[str] = set()
    if not aliases:
        return out, used
    for key, _ in variables:
        if key in out:
            continue
        saved = resolve(key, aliases)
        if saved is not None and saved in values:
            out[key] = values[saved]
            used.add(saved)
    return out, used
