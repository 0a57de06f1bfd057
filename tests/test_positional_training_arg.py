"""A value passed positionally in ``call``'s ``training`` slot: Keras 3 takes it as the training flag and
passes it again by keyword, so the call fails with Python's 'multiple values' TypeError (a Python bool there
fails earlier, with the positional-argument ValueError). Messages checked against TF 2.21."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
X = np.ones((1, 2), "float32")


class WithTraining(keras.layers.Layer):
    def call(self, x, training=None):
        return x


class MaskThenTraining(keras.layers.Layer):
    def call(self, x, mask=None, training=None):
        return x


@pytest.mark.parametrize(
    "make, args, owner",
    [
        (lambda: keras.Model(i := keras.Input((2,)), keras.layers.Dense(1)(i)), (X, X), "Functional"),
        (lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), (X, X), "Sequential"),
        (lambda: keras.layers.Dropout(0.5), (X, X), "Dropout"),
        (WithTraining, (X, X), "WithTraining"),
        (MaskThenTraining, (X, None, X), "MaskThenTraining"),
    ],
)
def test_a_value_in_the_training_slot_raises(make, args, owner) -> None:
    with pytest.raises(TypeError, match=rf"^{owner}\.call\(\) got multiple values for argument 'training'$"):
        make()(*args)


def test_none_in_the_training_slot_or_a_mask_slot_is_accepted() -> None:
    assert WithTraining()(X, None).shape == (1, 2)
    assert MaskThenTraining()(X, X).shape == (1, 2)
    model = keras.Model(i := keras.Input((2,)), keras.layers.Dense(1)(i))
    assert model(X, None).shape == (1, 1)
    assert model(X, training=False).shape == (1, 1)


def test_a_python_bool_there_raises_the_positional_value_error() -> None:
    with pytest.raises(ValueError, match=r"Only input tensors may be passed as positional arguments"):
        keras.layers.Dropout(0.5)(X, True)


def test_symbolic_call_checks_too() -> None:
    x = keras.Input((2,))
    with pytest.raises(TypeError, match="WithTraining.call"):
        WithTraining()(x, x)
