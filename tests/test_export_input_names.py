"""``Model.export``'s serving input names, as Keras 3.15 with TensorFlow 2.21 gives them (recorded there with
the same models: ``tf.saved_model.load(path).signatures["serving_default"].structured_input_signature``)."""

import numpy as np

import ferroflow as tf

keras = tf.keras


def _served_names(model, tmp_path, **kwargs):
    model.export(str(tmp_path / "m"), verbose=False, **kwargs)
    signature = tf.saved_model.load(str(tmp_path / "m")).signatures["serving_default"]
    return signature, sorted(signature.structured_input_signature[1])


def test_inputs_are_named_after_the_keras_input_tensors(tmp_path):
    model = keras.Sequential([keras.Input((3,), name="feats"), keras.layers.Dense(2)])
    signature, names = _served_names(model, tmp_path)
    assert names == ["feats"]  # Keras: ['feats']
    x = np.arange(6, dtype="float32").reshape(2, 3)
    (out,) = signature(feats=tf.constant(x)).values()
    np.testing.assert_allclose(out.numpy(), model.predict(x, verbose=0), rtol=1e-6)


def test_an_unnamed_input_keeps_its_tensor_name(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    _, names = _served_names(model, tmp_path)
    assert names == [inputs.name] and inputs.name.startswith("keras_tensor")  # Keras: ['keras_tensor_3']


def test_several_inputs(tmp_path):
    a, b = keras.Input((3,), name="a"), keras.Input((4,), name="b")
    model = keras.Model([a, b], keras.layers.Dense(2)(keras.layers.Concatenate()([a, b])))
    signature, names = _served_names(model, tmp_path)
    assert names == ["a", "b"]  # Keras: ['b', 'a'] (the same keys)
    xa, xb = np.ones((1, 3), "float32"), np.full((1, 4), 2.0, "float32")
    (out,) = signature(a=tf.constant(xa), b=tf.constant(xb)).values()
    np.testing.assert_allclose(out.numpy(), model.predict([xa, xb], verbose=0), rtol=1e-6)


def test_input_signature_names_and_tensorflow_argument_names(tmp_path):
    model = keras.Sequential([keras.Input((3,), name="feats"), keras.layers.Dense(2)])
    named = [tf.TensorSpec((None, 3), tf.float32, name="zz")]
    assert _served_names(model, tmp_path, input_signature=named)[1] == ["zz"]  # Keras: ['zz']
    unnamed = [tf.TensorSpec((None, 3), tf.float32)]
    assert _served_names(model, tmp_path, input_signature=unnamed)[1] == ["args_0"]  # Keras: ['args_0']
    a, b = keras.Input((3,), name="a"), keras.Input((4,), name="b")
    two = keras.Model([a, b], keras.layers.Dense(2)(keras.layers.Concatenate()([a, b])))
    nested = [[tf.TensorSpec((None, 3)), tf.TensorSpec((None, 4))]]
    assert _served_names(two, tmp_path, input_signature=nested)[1] == ["args_0", "args_0_1"]  # Keras: the same


def test_a_subclassed_model_serves_args_0(tmp_path):
    class Affine(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Affine()
    model(tf.zeros((1, 3)))
    assert _served_names(model, tmp_path)[1] == ["args_0"]  # Keras: ['args_0']
