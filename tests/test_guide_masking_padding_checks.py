"""Behaviour behind the masking guide's blocks whose printed values are random: MyLayer's LSTM skips the
steps the embedding masks, and TemporalSoftmax weights only unmasked steps (see test_guide_masking_padding)."""

from __future__ import annotations

import numpy as np
import pytest

from test_guide_masking_padding import run_guide


@pytest.fixture(scope="module")
def guide() -> tuple:
    return run_guide()


def test_my_layer_skips_masked_steps(guide: tuple) -> None:
    """MyLayer's LSTM, given the embedding's mask, gives each row what it gives the row's unmasked steps alone."""
    ns = guide[1]
    layer, x = ns["my_layer"], ns["my_x"]
    out = layer(x).numpy()
    rows = [i for i in range(len(x)) if (x[i] == 0).any()]
    assert rows, "the seeded input has padded steps"
    for i in rows:
        kept = x[i][x[i] != 0][None]
        alone = layer.lstm(layer.embedding(kept)).numpy()
        np.testing.assert_allclose(out[i], alone[0], rtol=1e-5, atol=1e-6)


def test_temporal_softmax_sums_to_one_over_unmasked_steps(guide: tuple) -> None:
    """TemporalSoftmax divides by the sum of the (not exponentiated) masked inputs, as the guide writes it:
    masked steps are zero and the others are exp(x) / sum(x) over the unmasked steps."""
    ns = guide[1]
    model, tf = ns["model"], ns["tf"]
    ids = np.array([[3, 0, 5, 2, 0]])
    y = model(ids).numpy()[0, :, 0]
    x = model.layers[2](model.layers[1](ids)).numpy()[0, :, 0]
    mask = ids[0] != 0
    expected = np.where(mask, np.exp(x), 0.0) / np.sum(x[mask])
    np.testing.assert_allclose(y, expected, rtol=1e-5)
    assert tf.keras.layers.Embedding(10, 2, mask_zero=True).compute_mask(ids).numpy().tolist() == [mask.tolist()]
