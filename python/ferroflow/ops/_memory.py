"""A size check before ops that allocate a tensor of a caller-given shape (``fill``, ``zeros``, random ops).

A request larger than the machine's physical memory cannot succeed: failing it here with ``MemoryError``
keeps the process alive, where the allocation itself could abort it or wake the kernel's OOM killer
(Linux overcommits, so a huge allocation may "succeed" and kill the process when first touched).
"""

from __future__ import annotations

import functools
import math
import os
from typing import Optional, Sequence

import numpy as np


@functools.lru_cache(maxsize=1)
def physical_memory_bytes() -> Optional[int]:
    """Total physical memory, or None where the platform does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def check_allocation(dims: Sequence[int], dtype: np.dtype, what: str) -> None:
    """Raises ``MemoryError`` when a tensor of shape ``dims`` and ``dtype`` exceeds physical memory."""
    elements = math.prod(int(d) for d in dims)
    nbytes = elements * np.dtype(dtype).itemsize
    limit = physical_memory_bytes()
    if limit is not None and nbytes > limit:
        raise MemoryError(
            f"{what}: cannot allocate a {np.dtype(dtype).name} tensor of shape {tuple(int(d) for d in dims)} "
            f"({nbytes:,} bytes); this machine has {limit:,} bytes of memory"
        )
