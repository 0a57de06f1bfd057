"""A functional model built with a one-element list of outputs (``Model(inputs=[x], outputs=[y])``, as the
involution example writes it) runs, predicts and trains as Keras 3's: its call gives the tensor itself."""

import numpy as np

import ferroflow as tf
from ferroflow import keras


def _model():
    inp = keras.Input((3,))
    out = keras.layers.Dense(2, kernel_initializer="ones", name="d")(inp)
    return keras.Model(inputs=[inp], outputs=[out])


def test_call_and_predict_give_one_tensor():
    m = _model()
    x = np.arange(6, dtype="float32").reshape(2, 3)
    y = m(x)
    assert isinstance(y, tf.Tensor)
    np.testing.assert_allclose(y.numpy(), x.sum(1, keepdims=True) * np.ones((1, 2)))
    p = m.predict(x, verbose=0)
    assert isinstance(p, np.ndarray) and p.shape == (2, 2)
    # As Keras 3.15: `output` and `outputs` stay lists, `output_shape` is the one shape.
    assert isinstance(m.output, list) and isinstance(m.outputs, list)
    assert m.output_shape == (None, 2)
    assert m.get_config()["output_layers"] == [["d", 0, 0]]


def test_symbolic_call_gives_the_one_element_list():
    # Keras 3.15: called on KerasTensors the model gives [KerasTensor] (on values, the tensor itself).
    m = _model()
    inp = keras.Input((3,))
    out = m(inp)
    assert isinstance(out, list) and len(out) == 1 and keras.KerasTensor is type(out[0])
    assert out[0].shape == (None, 2)
    outer = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="ones")(out[0]))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(outer.predict(x, verbose=0), 2 * x.sum(1, keepdims=True))


def test_fit_with_one_loss():
    m = _model()
    m.compile("sgd", "mse")
    x = np.arange(6, dtype="float32").reshape(2, 3) / 10
    loss = m.train_on_batch(x, np.ones((2, 2), "float32"))
    # Dense of ones: outputs 0.3 and 1.2 against 1: ((0.7)^2 + (0.2)^2) / 2
    np.testing.assert_allclose(loss, 0.265, rtol=1e-6)
    again = keras.Model.from_config(m.get_config())
    assert isinstance(again(x), tf.Tensor)
