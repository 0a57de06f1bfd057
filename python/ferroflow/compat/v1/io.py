"""``tf.compat.v1.io``: ``tf.io`` with TF1's signatures of ``decode_raw`` (``bytes``), ``parse_example`` and
``parse_single_example`` (``name`` third). Every other name is ``tf.io``'s."""

from __future__ import annotations

from typing import Any

from .strings_v1 import decode_raw, parse_example, parse_single_example  # noqa: F401

_OWN = {"decode_raw", "parse_example", "parse_single_example"}


def __getattr__(name: str) -> Any:
    from ... import io as _io

    try:
        return getattr(_io, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.io' has no attribute '{name}'") from None


def __dir__() -> list:
    from ... import io as _io

    return sorted(set(dir(_io)) | _OWN)
