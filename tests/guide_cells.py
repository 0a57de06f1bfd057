"""Running a TensorFlow guide's code cells in order, as a notebook does, and capturing what each prints.

A cell's text is what it prints plus, when its last statement is an expression that is not None, that value's
``repr`` (the notebook's ``Out[]``). Exceptions are shown as ``EXC <type>: <message>`` so a cell that TensorFlow
answers with an error is compared by the error's type and message.
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
import os
import re
from typing import Iterator, Optional

import pytest


@contextlib.contextmanager
def fresh_run(directory, datasets=None, clear_session: bool = True) -> Iterator[None]:
    """A guide's run as in a fresh process: Keras's layer-name counters at zero (names such as dense_4 count
    from there), ``directory`` as the working directory (cells write files), and ``FERROFLOW_DATASETS`` set to
    ``datasets`` when given; the directory and environment are restored afterwards."""
    if clear_session:
        import ferroflow as tf

        tf.keras.backend.clear_session()
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        with pytest.MonkeyPatch.context() as mp:
            if datasets is not None:
                mp.setenv("FERROFLOW_DATASETS", str(datasets))
            yield
    finally:
        os.chdir(cwd)


def run_cells(cells: list, ns: Optional[dict] = None, source_name: Optional[str] = None) -> list:
    """The printed text of each cell, run one after the other in one namespace (``ns``, a new one by default)
    with ``import ferroflow as tf``. With ``source_name`` each cell's source is registered in ``linecache`` as
    ``<source_name-N>``, as a notebook does, so AutoGraph can read the functions a cell defines."""
    ns = {} if ns is None else ns
    exec("import ferroflow as tf\nimport numpy as np", ns)
    outputs = []
    for index, (code, _) in enumerate(cells):
        filename = "<cell>"
        if source_name is not None:
            filename = f"<{source_name}-{index}>"
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                tree = ast.parse(code)
                last = None
                if tree.body and isinstance(tree.body[-1], ast.Expr):
                    last = ast.Expression(tree.body.pop().value)
                exec(compile(tree, filename, "exec"), ns)
                if last is not None:
                    value = eval(compile(last, filename, "eval"), ns)
                    if value is not None:
                        print(repr(value))
            except Exception as e:  # the cell's error is part of its output, as in the notebook
                print(f"EXC {type(e).__name__}: {str(e)[:300]}")
        outputs.append(buf.getvalue())
    return outputs


def cell_test(cells: list):
    """A parametrized test, one case per cell, over the outputs of one in-order run of all the cells."""

    @pytest.fixture(scope="module")
    def outputs() -> list:
        return run_cells(cells)

    @pytest.mark.parametrize("index", range(len(cells)))
    def test_cell(outputs: list, index: int) -> None:
        assert outputs[index] == cells[index][1], f"cell {index}:\n{cells[index][0]}"

    return outputs, test_cell


def mask_numbers(text: str) -> str:
    """``text`` with each number as ``N``, runs of whitespace as one space and none before ``,`` or ``]``:
    the form of a cell whose values are random or timings (they differ from run to run, in TensorFlow too)."""
    masked = " ".join(re.sub(r"-?\d+(\.\d*)?(e[-+]?\d+)?", "N", text).split())
    return re.sub(r" ([,\]])", r"\1", masked)  # NumPy pads short numbers before the comma


def cell_indices(cells: list, gaps: dict) -> list:
    """The parameters of a guide's per-cell test: one index per cell, each cell still differing from
    TensorFlow's output (a key of ``gaps``) marked strict xfail with its reason, so it fails once it matches."""
    return [
        pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=gaps[i])) if i in gaps else i
        for i in range(len(cells))
    ]


def keras_form(text: str) -> str:
    """Each line as its last carriage-return segment, without ANSI colours, backspaces and timings, numbers
    masked: what a Keras progress bar finally shows, independent of how long the steps took and of the
    random initial weights."""
    text = re.sub(r"\x1b\[[0-9;]*m|\x08", "", text)
    lines = [line.split("\r")[-1] if line.strip("\r") else "" for line in text.split("\n")]
    text = re.sub(r"\b\d+(\.\d+)?(ms|us|s|m)(/step)?\b|\b\d+:\d+\b", "T", "\n".join(lines))
    return mask_numbers(text)


def write_expected(module: str, outputs: list, recorded_by: str, printer: str = "TensorFlow 2.21") -> None:
    """Writes ``tests/<module>_expected.py``: ``EXPECTED``, what ``printer`` printed for each cell of
    ``<module>_cells.CELLS`` (the recording scripts in ``tests/data/`` run the cells under the peer)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), module + "_expected.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# ruff: noqa: E501\n")
        f.write(f'"""What {printer} prints for each cell of ``{module}_cells.CELLS``\n')
        f.write(f'(recorded by ``tests/data/{recorded_by}``)."""\n\n')
        f.write("EXPECTED = [\n" + "".join(f"    {o!r},\n" for o in outputs) + "]\n")
