"""``ferroflow.nest``: flattening and rebuilding nested structures."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .framework.nest import flatten, is_nested, map_structure, pack_sequence_as  # noqa: F401

__dir__ = _public_dir(globals())
