"""Bad input at the Keras API boundary: each mistake ends in an ordinary exception that says what was expected
and what was received, and the model still works afterwards."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError


def _classifier(features=784, classes=10, loss="sparse_categorical_crossentropy"):
    model = tf.keras.Sequential([tf.keras.Input((features,)), tf.keras.layers.Dense(8, activation="relu"),
                                 tf.keras.layers.Dense(classes)], name="classifier")
    model.compile("adam", loss)
    return model


def _data(n=32, features=784, classes=10):
    rng = np.random.RandomState(0)
    return rng.rand(n, features).astype("float32"), rng.randint(0, classes, n)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_wrong_input_rank_names_model_and_both_shapes(method):
    model = _classifier()
    x = np.zeros((32, 28, 28), "float32")
    args = (x,) if method == "predict" else (x, np.zeros(32, "int32"))
    with pytest.raises(ValueError, match=r"layer 'classifier'.*expected ndim=2, found ndim=3.*\(32, 28, 28\).*"
                                         r"expected shape=\(None, 784\)"):
        getattr(model, method)(*args, verbose=0)
    assert model.predict(np.zeros((2, 784), "float32"), verbose=0).shape == (2, 10)


def test_wrong_feature_size_shows_the_real_batch_shape():
    with pytest.raises(ValueError, match=r"expected shape=\(None, 784\), found shape=\(32, 100\)"):
        _classifier().predict(np.zeros((32, 100), "float32"), verbose=0)


def test_built_dense_names_itself_and_both_sizes():
    dense = tf.keras.layers.Dense(3, name="dense_1")
    dense(np.zeros((2, 784), "float32"))
    with pytest.raises(ValueError, match=r"layer 'dense_1'.*axis -1 .* value 784.*\(32, 28, 28\)"):
        dense(np.zeros((32, 28, 28), "float32"))


def test_dict_input_to_sequential_lists_the_keys():
    with pytest.raises(ValueError, match=r"Sequential model 'classifier' takes a single input.*\['foo'\]"):
        _classifier().predict({"foo": np.zeros((2, 784), "float32")}, verbose=0)


def test_too_many_inputs_are_counted():
    with pytest.raises(ValueError, match=r"expects 1 input\(s\), but it received 2 input arrays.*\(4, 784\)"):
        _classifier().predict([np.zeros((4, 784), "float32")] * 2, verbose=0)


def test_x_y_length_mismatch_names_both_counts():
    x, y = _data()
    with pytest.raises(ValueError, match=r"x has 32, y has 10"):
        _classifier().fit(x, y[:10], verbose=0)


@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch"])
@pytest.mark.parametrize("bad", [10, -1, 2**40])
def test_sparse_label_outside_range_names_the_value(method, bad):
    x, y = _data()
    y = y.astype("int64")
    y[5] = bad
    model = _classifier()
    kwargs = {} if method == "train_on_batch" else {"verbose": 0}
    with pytest.raises(InvalidArgumentError, match=rf"label value {bad} is outside the valid range \[0, 10\)") as e:
        getattr(model, method)(x, y, **kwargs)
    assert isinstance(e.value, ValueError)
    assert np.isfinite(model.predict(x[:2], verbose=0)).all()


@pytest.mark.parametrize("value, shown", [(2.5, "2.5"), (np.nan, "nan"), (np.inf, "inf")])
def test_non_integer_float_labels_for_a_sparse_loss(value, shown):
    x, y = _data()
    y = y.astype("float32")
    y[3] = value
    with pytest.raises(ValueError, match=rf"expects integer class labels.*value {shown} at index 3"):
        _classifier().fit(x, y, verbose=0)


def test_whole_float_labels_are_accepted():
    x, y = _data()
    history = _classifier().fit(x, y.astype("float32"), verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize("x, words", [
    (np.array([[1, "a"]] * 32, dtype=object), "dtype object"),
    # String inputs reach the model (DenseFeatures and the lookup layers take them); Dense cannot cast them.
    (np.array([["a"] * 784] * 32), "Cast string to float32 is not supported"),
    (np.zeros((32, 784), dtype=complex), "dtype complex128"),
    ([[1.0, 2.0], [3.0]], "inhomogeneous"),
])
def test_non_numeric_x_is_a_type_error(x, words):
    with pytest.raises(TypeError, match=words):
        _classifier().fit(x, np.zeros(32, "int32"), verbose=0)


def test_scalar_x_needs_a_sample_axis():
    with pytest.raises(ValueError, match="must have a first \\(sample\\) axis"):
        _classifier().predict(3.0, verbose=0)


@pytest.mark.parametrize("method", ["fit", "predict"])
def test_empty_dataset(method):
    model = _classifier()
    x = np.zeros((0, 784), "float32")
    with pytest.raises(ValueError, match="non-empty.*0 samples"):
        model.fit(x, np.zeros(0, "int32"), verbose=0) if method == "fit" else model.predict(x, verbose=0)


@pytest.mark.parametrize("name, value", [("batch_size", 0), ("batch_size", -1), ("batch_size", 2.5),
                                         ("batch_size", 2**64), ("steps_per_epoch", 0), ("validation_freq", 0)])
def test_counts_out_of_range(name, value):
    x, y = _data()
    with pytest.raises(ValueError, match=rf"`{name}` must be a positive integer.*{name}={value!r}"):
        _classifier().fit(x, y, verbose=0, **{name: value})


@pytest.mark.parametrize("epochs", [-1, "3", 1.5])
def test_epochs_out_of_range(epochs):
    x, y = _data()
    with pytest.raises(ValueError, match=r"`epochs` must be a non-negative integer"):
        _classifier().fit(x, y, epochs=epochs, verbose=0)


@pytest.mark.parametrize("split", [1.0, 1.5, -0.1])
def test_validation_split_out_of_range(split):
    x, y = _data()
    with pytest.raises(ValueError, match=r"`validation_split` must be in \[0, 1\)"):
        _classifier().fit(x, y, validation_split=split, verbose=0)


def test_predict_batch_size_zero():
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer.*received batch_size=0"):
        _classifier().predict(np.zeros((2, 784), "float32"), batch_size=0, verbose=0)


def test_sample_weight_length():
    x, y = _data()
    with pytest.raises(ValueError, match=r"expected 32 values, received shape \(5,\)"):
        _classifier().fit(x, y, sample_weight=np.ones(5), verbose=0)


def test_fit_before_compile():
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
    with pytest.raises(RuntimeError, match="must call `compile\\(\\)`"):
        model.fit(np.zeros((2, 4)), np.zeros((2, 2)), verbose=0)


def test_missing_targets():
    with pytest.raises(ValueError, match="received y=None"):
        _classifier().fit(np.zeros((2, 784), "float32"), None, verbose=0)
