"""``tf.summary.experimental``: the default step used by summary calls made without ``step``."""

from __future__ import annotations

from ._state import get_step, set_step

__all__ = ["get_step", "set_step"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
