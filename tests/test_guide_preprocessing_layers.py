"""Keras's guide "Working with preprocessing layers": each code block run in order under ferroflow, its printed
text compared with what TensorFlow 2.21 + Keras 3 prints for the same code (``guide_preprocessing_layers_expected``).

CIFAR-10 is replaced by seeded random uint8 images of its shape (see ``guide_preprocessing_layers_cells``).
Blocks that train or print outputs of randomly initialised weights are compared in ``keras_form``: each
progress bar reduced to its final state, timings dropped, numbers masked.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest

from guide_cells import cell_indices, mask_numbers
from guide_preprocessing_layers_cells import BLOCKS, CIFAR_STANDIN, RANDOM_BLOCKS
from guide_preprocessing_layers_expected import EXPECTED

GAPS: dict = {}


def keras_form(text: str) -> str:
    """Each line as its last carriage-return segment, without ANSI colours, backspaces and timings, numbers
    masked: what a progress bar finally shows, independent of how long the steps took."""
    text = re.sub(r"\x1b\[[0-9;]*m|\x08", "", text)
    lines = [line.split("\r")[-1] if line.strip("\r") else "" for line in text.split("\n")]
    text = re.sub(r"\b\d+(\.\d+)?(ms|us|s|m)(/step)?\b|\b\d+:\d+\b", "T", "\n".join(lines))
    return mask_numbers(text)


@pytest.fixture(scope="module")
def outputs() -> list:
    ns: dict = {}
    exec("import numpy as np\n" + CIFAR_STANDIN, ns)
    printopts = np.get_printoptions()
    texts = []
    try:
        for code in BLOCKS:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                try:
                    exec(code, ns)
                except Exception as e:  # the error is the block's output, as in TensorFlow's run
                    print(f"EXC {type(e).__name__}: {str(e)[:300]}")
            texts.append(buf.getvalue())
    finally:
        np.set_printoptions(**printopts)
    return texts


@pytest.mark.parametrize("index", cell_indices(BLOCKS, GAPS))
def test_block(outputs: list, index: int) -> None:
    form = keras_form if index in RANDOM_BLOCKS else (lambda text: text)
    assert form(outputs[index]) == form(EXPECTED[index]), f"block {index}:\n{BLOCKS[index]}"


def test_keras_form_keeps_the_final_bar() -> None:
    bar = "\r\x1b[1m1/2\x1b[0m ━━ 460ms/step - loss: 2.9693\x08\x08\r\x1b[1m2/2\x1b[0m ━━━━ 1s 21ms/step - loss: 3.2\n"
    assert keras_form(bar) == "N/N ━━━━ T T - loss: N"


@pytest.mark.parametrize("index", [8, 9, 10])
def test_encoded_text_exact(outputs: list, index: int) -> None:
    """The text blocks' adapt/encode output (before training) is deterministic: compared unmasked."""
    head = outputs[index].split("\nTraining model...")[0]
    assert head == EXPECTED[index].split("\nTraining model...")[0]
    assert head.startswith("Encoded text:")


@pytest.mark.parametrize("index", [9, 10])
def test_end_to_end_error_exact(outputs: list, index: int) -> None:
    """Keras 3 refuses the (batch, 1, vocabulary) output of TextVectorization on an Input(shape=(1,)) string
    input for a model of Input(shape=(vocabulary,)); the error text is compared without the layer counters."""
    counters = re.compile(r"(input_layer|functional)_\d+")
    got = counters.sub(r"\1", outputs[index].splitlines()[-1])
    assert got == counters.sub(r"\1", EXPECTED[index].splitlines()[-1])
    assert got.startswith("EXC ValueError: Input 0 with name 'input_layer' of layer 'functional'")
