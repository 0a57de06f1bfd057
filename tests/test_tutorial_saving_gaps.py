"""What the "Save and load models" tutorial exposed, each checked on its own against Keras 3 / TensorFlow 2.21:
summary() counts optimizer variables only once the optimizer is built, ModelCheckpoint's message for a
weights-only path of another format is Keras's, and load_weights(None) (what ``tf.train.latest_checkpoint``
returns for a folder without checkpoints) is os.stat's TypeError."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def _model() -> tf.keras.Model:
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


def _summary(model: tf.keras.Model) -> str:
    lines: list = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


def test_summary_counts_optimizer_params_once_built() -> None:
    model = _model()
    text = _summary(model)
    assert "Optimizer params" not in text and " Total params: 8 (32.00 B)" in text
    model.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
    text = _summary(model)
    # Keras 3: iteration count and learning rate plus Adam's two slots per weight (2 + 2 * 8)
    assert " Optimizer params: 18 (" in text and " Total params: 26 (" in text


def test_model_checkpoint_weights_only_suffix_message() -> None:
    with pytest.raises(ValueError) as info:
        tf.keras.callbacks.ModelCheckpoint("training_1/cp.ckpt", save_weights_only=True)
    assert str(info.value) == (
        "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
        "`.weights.h5` (Keras weights format). Received: filepath=training_1/cp.ckpt"
    )


def test_load_weights_none_is_a_type_error(tmp_path) -> None:
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    with pytest.raises(TypeError, match="^stat: path should be string, bytes, os.PathLike or integer, not NoneType$"):
        _model().load_weights(None)


def test_load_weights_other_suffix_still_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        _model().load_weights("training_1/cp.ckpt")
