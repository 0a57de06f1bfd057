"""KerasTensor names: Keras names each new one ``keras_tensor``, ``keras_tensor_1`` ... (an ``Input`` only
takes its ``name=``), and a mask a layer passes through unchanged stays the same KerasTensor. The names in
these tests are what Keras 3 (TF 2.21) prints for the same calls."""

import ferroflow as tf

keras = tf.keras


def test_names_count_inputs_outputs_and_masks() -> None:
    keras.backend.clear_session()
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
    y = keras.layers.Dense(3)(x)
    assert [inputs.name, x.name, x._keras_mask.name, y.name] == [
        "keras_tensor",
        "keras_tensor_1",
        "keras_tensor_2",
        "keras_tensor_3",
    ]
    assert repr(x._keras_mask) == (
        "<KerasTensor shape=(None, None), dtype=bool, sparse=False, ragged=False, name=keras_tensor_2>"
    )
    assert keras.Input((3,), name="digits").name == "digits"
    keras.backend.clear_session()
    assert keras.Input((3,)).name == "keras_tensor"


def test_passed_through_mask_is_the_same_tensor() -> None:
    class MyActivation(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return tf.nn.relu(inputs)

    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
    mask = x._keras_mask
    for layer in (MyActivation(), keras.layers.Dense(2), keras.layers.Activation("relu")):
        x = layer(x)
        assert x._keras_mask is mask
    # a layer that computes a new mask gives a new KerasTensor
    masked = keras.layers.Masking()(keras.Input((5, 2)))
    assert masked._keras_mask.name != masked.name


def test_input_layer_output_is_auto_named() -> None:
    keras.backend.clear_session()
    layer = keras.layers.InputLayer(shape=(3,))
    assert (layer.name, layer.output.name) == ("input_layer", "keras_tensor")
