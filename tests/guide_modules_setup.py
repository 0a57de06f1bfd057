"""Shared setup of the "Introduction to modules" and "Basic training loops" guide tests.

Both guides draw their weights or noise from ``tf.random.normal`` without a seed, so their printed
numbers differ from run to run and between frameworks. A setup cell replaces ``tf.random.normal``, for
the guide's run only, with draws from NumPy's ``RandomState(k)`` for the k-th call: the same numbers
under TensorFlow and ferroflow, so every printed digit can be compared. The original is put back after
the run. Object addresses in default reprs (``<... object at 0x7f...>``) are masked, and the cells run
in a temporary directory, where the checkpoint and SavedModel cells write.
"""

from __future__ import annotations

import os
import re

SEED_CELL = (
    """\
import itertools
_draws = itertools.count()
_random_normal = tf.random.normal


def _fixed_normal(shape, mean=0.0, stddev=1.0, dtype=tf.float32, seed=None, name=None):
    values = np.random.RandomState(next(_draws)).standard_normal(tuple(shape))
    return tf.constant(values * stddev + mean, dtype=dtype)


tf.random.normal = _fixed_normal
""",
    "",
)


def normalize(text: str) -> str:
    """A cell's output with default-repr addresses masked (they differ in every run)."""
    return re.sub(r" at 0x[0-9a-fA-F]+>", " at 0x>", text)


def run_guide(cells: list, directory) -> tuple:
    """Each cell's normalized output and the namespace, running the seed cell first, in ``directory``.
    Automatic layer and model names start afresh, as in the new process the guide ran in."""
    import ferroflow as tf
    from guide_cells import run_cells

    tf.keras.backend.clear_session()
    ns: dict = {}
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        outputs = [normalize(text) for text in run_cells([SEED_CELL] + cells, ns)]
    finally:
        os.chdir(cwd)
        if "_random_normal" in ns:
            ns["tf"].random.normal = ns["_random_normal"]
    return outputs[1:], ns
