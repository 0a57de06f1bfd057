"""keras.ops's further neural-network ops (activations, normalizations, attention, transposed convolution,
adaptive pooling, pixel shuffles, fold/unfold, psnr, polar): values against Keras 3's formulas in NumPy and
against recorded Keras 3 output, dtypes, errors, graphs, functional models, and gradients against finite
differences."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import check_gradient
from keras_ops_nn_more_cases import CASES, arr
from keras_ops_nn_more_expected import EXPECTED

ops = keras.ops

X = np.array([-3.5, -2.0, -1.0, -0.75, -0.5, -0.2, 0.0, 0.3, 0.5, 0.9, 1.0, 2.5, 3.0, 4.0])


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# name -> (keyword arguments, NumPy formula from Keras's definition)
ACTIVATIONS = {
    "celu": ({}, lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0))),
    "celu_alpha": ({"alpha": 2.0}, lambda x: np.maximum(x, 0) + 2.0 * np.expm1(np.minimum(x, 0) / 2.0)),
    "hard_shrink": ({}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    "hard_shrink_threshold": ({"threshold": 1.0}, lambda x: np.where(np.abs(x) > 1.0, x, 0)),
    "hard_silu": ({}, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "hard_swish": ({}, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "hard_tanh": ({}, lambda x: np.clip(x, -1, 1)),
    "soft_shrink": ({}, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    "soft_shrink_threshold": ({"threshold": 2.0}, lambda x: np.where(x > 2, x - 2, np.where(x < -2, x + 2, 0))),
    "sparse_plus": ({}, lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    "sparse_sigmoid": ({}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2))),
    "squareplus": ({}, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "squareplus_b": ({"b": 0.5}, lambda x: (x + np.sqrt(x * x + 0.5)) / 2),
    "tanh_shrink": ({}, lambda x: x - np.tanh(x)),
    "threshold": ({"threshold": 0.5, "default_value": -7.0}, lambda x: np.where(x > 0.5, x, -7.0)),
}


@pytest.mark.parametrize("case", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_activation_values_and_dtype(case, dtype):
    kwargs, formula = ACTIVATIONS[case]
    name = case.split("_threshold")[0].split("_alpha")[0].replace("squareplus_b", "squareplus")
    x = X.astype(dtype)
    y = getattr(ops, name)(x, **kwargs)
    assert y.dtype.name == dtype
    tol = 2e-3 if dtype == "float16" else 1e-6
    np.testing.assert_allclose(y.numpy(), formula(X), rtol=tol, atol=tol)


@pytest.mark.parametrize(
    "name", ["celu", "hard_silu", "hard_tanh", "sparse_plus", "sparse_sigmoid", "squareplus", "tanh_shrink"]
)
def test_float_activations_take_lists_and_integers_as_float32(name):
    """A Python list is float32 in Keras; integer tensors are computed in float32 too."""
    formula = ACTIVATIONS[name][1]
    np.testing.assert_allclose(getattr(ops, name)([-2.0, 0.5, 3.0]).numpy(), formula(np.array([-2.0, 0.5, 3.0])), 1e-6)
    y = getattr(ops, name)(np.array([-2, 0, 1, 3], np.int32))
    assert y.dtype.name == "float32"
    np.testing.assert_allclose(y.numpy(), formula(np.array([-2.0, 0.0, 1.0, 3.0])), rtol=1e-6, atol=1e-7)


def test_keras_documented_examples():
    np.testing.assert_allclose(ops.celu(np.array([-1.0, 0.0, 1.0])).numpy(), [-0.63212056, 0.0, 1.0], 1e-7)
    np.testing.assert_allclose(ops.glu(np.array([-1.0, 0.0, 1.0, 1.0])).numpy(), [-0.73105858, 0.0], 1e-7)
    np.testing.assert_allclose(ops.tanh_shrink(np.array([-1.0, 0.0, 1.0])).numpy(), [-0.23840584, 0, 0.23840584], 1e-7)
    np.testing.assert_allclose(ops.threshold(np.array([-1.0, 0.0, 1.0, 2.0]), 1, 0).numpy(), [0, 0, 0, 2])
    np.testing.assert_allclose(ops.sparse_sigmoid([-6.0, 1.0, 0.0, 1.0, 6.0]).numpy(), [0, 1, 0.5, 1, 1])
    np.testing.assert_allclose(ops.squareplus(np.array([-1.0, 0.0, 1.0])).numpy(), [0.618034, 1.0, 1.618034], 1e-6)
    np.testing.assert_allclose(ops.sparsemax(np.array([-1.0, 0.0, 1.0])).numpy(), [0.0, 0.0, 1.0])
    x = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]
    y = ops.batch_normalization(x, mean=[0.4, 0.5, 0.6], variance=[0.67, 0.67, 0.67], axis=-1)
    np.testing.assert_allclose(y.numpy(), [[-0.36624] * 3, [0.0] * 3, [0.36624] * 3], atol=1e-5)
    y = ops.layer_normalization(ops.arange(5, dtype="float32"))
    np.testing.assert_allclose(y.numpy(), [-1.4142135, -0.70710677, 0.0, 0.7071067, 1.4142135], rtol=1e-5)


def test_threshold_keeps_integers_with_an_integer_default():
    y = ops.threshold(np.array([-2, -1, 0, 1, 2, 3]), 1, 0)
    assert y.dtype.name == "int64"
    np.testing.assert_array_equal(y.numpy(), [0, 0, 0, 0, 2, 3])
    y = ops.threshold(np.array([-2, 1, 3], np.int32), 1, -1.5)
    assert y.dtype.name == "float32"
    np.testing.assert_array_equal(y.numpy(), [-1.5, -1.5, 3.0])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_glu_along_an_axis(axis):
    x = arr((4, 6, 2), dtype="float64")
    a, b = np.split(x, 2, axis=axis)
    np.testing.assert_allclose(ops.glu(x, axis=axis).numpy(), a * _sigmoid(b), rtol=1e-12)


def test_glu_odd_axis_is_a_value_error():
    with pytest.raises(ValueError, match="divisible by 2"):
        ops.glu(np.zeros((2, 3)))


def _sparsemax(z):
    """The published algorithm along the last axis (Martins & Astudillo, 2016)."""
    zs = -np.sort(-z, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    cum = np.cumsum(zs, axis=-1)
    support = 1 + k * zs > cum
    kz = support.sum(-1, keepdims=True)
    tau = (np.take_along_axis(cum, kz - 1, -1) - 1) / kz
    return np.maximum(z - tau, 0)


@pytest.mark.parametrize("axis", [-1, 0])
def test_sparsemax_projects_onto_the_simplex(axis):
    x = arr((5, 4), dtype="float64") * 2
    want = np.moveaxis(_sparsemax(np.moveaxis(x, axis, -1)), -1, axis)
    y = ops.sparsemax(x, axis=axis).numpy()
    np.testing.assert_allclose(y, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.sum(axis=axis), 1.0, rtol=1e-12)
    with pytest.raises(ValueError, match="out of bounds"):
        ops.sparsemax(x, axis=2)


def _compare(name, got):
    want = EXPECTED[name]
    got = np.asarray(got)
    assert got.dtype.name == want["dtype"]
    assert list(got.shape) == want["shape"]
    if isinstance(want["value"], dict):
        value = np.array(want["value"]["real"]) + 1j * np.array(want["value"]["imag"])
    else:
        value = np.array(want["value"])
    np.testing.assert_allclose(got, value, rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_recorded_keras(name):
    fn, args, kwargs = CASES[name]
    _compare(name, getattr(ops, fn)(*args, **kwargs))


@pytest.mark.parametrize(
    "name",
    [
        "conv_transpose_2d_same_s2",
        "conv_transpose_1d_same_first",
        "conv_transpose_3d",
        "adaptive_max_pool_2d",
        "unfold_strided",
        "fold_strided",
        "attention_causal",
        "layer_normalization_axes",
    ],
)
def test_matches_recorded_keras_in_a_graph_with_unknown_batch(name):
    fn, args, kwargs = CASES[name]
    first = tf.constant(args[0])
    rest = [tf.constant(a) for a in args[1:]]
    spec = tf.TensorSpec([None] + list(first.shape[1:]), first.dtype)
    graph = tf.function(lambda x: getattr(ops, fn)(x, *rest, **kwargs), input_signature=[spec])
    _compare(name, graph(first))


@pytest.mark.parametrize("name", ["conv_transpose_1d", "conv_transpose_2d_channels_first", "conv_transpose_3d_same"])
def test_conv_transpose_in_a_graph_with_unknown_spatial_sizes(name):
    """Only the channels known while tracing: the output sizes are computed when the graph runs."""
    fn, args, kwargs = CASES[name]
    x, kernel = tf.constant(args[0]), tf.constant(args[1])
    first = kwargs.get("data_format") == "channels_first"
    shape = [None] * x.shape.rank
    shape[1 if first else -1] = x.shape[1 if first else -1]
    graph = tf.function(lambda v: ops.conv_transpose(v, kernel, **kwargs), input_signature=[tf.TensorSpec(shape)])
    _compare(name, graph(x))


@pytest.mark.parametrize(
    "name", ["conv_transpose_1d", "adaptive_average_pool_2d", "depth_to_space", "unfold_basic", "layer_normalization"]
)
def test_functional_model_records_the_op(name):
    fn, args, kwargs = CASES[name]
    inp = keras.Input(shape=args[0].shape[1:], batch_size=None)
    out = getattr(ops, fn)(inp, *args[1:], **kwargs)
    model = keras.Model(inp, out)
    assert tuple(out.shape) == (None,) + tuple(EXPECTED[name]["shape"][1:])
    _compare(name, model(args[0]))


# Points away from the kinks, where finite differences are meaningful.
SMOOTH = np.array([-3.7, -2.2, -1.3, -0.8, -0.3, 0.2, 0.7, 1.4, 2.6, 3.3])


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("celu", {"alpha": 1.5}),
        ("hard_shrink", {}),
        ("soft_shrink", {}),
        ("hard_silu", {}),
        ("hard_tanh", {}),
        ("sparse_plus", {}),
        ("sparse_sigmoid", {}),
        ("squareplus", {}),
        ("tanh_shrink", {}),
        ("threshold", {"threshold": 0.5, "default_value": 2.0}),
    ],
)
def test_activation_gradients(name, kwargs):
    check_gradient(lambda x: getattr(ops, name)(x, **kwargs), SMOOTH)


def test_glu_and_sparsemax_gradients():
    check_gradient(lambda x: ops.glu(x, axis=0), arr((4, 3), dtype="float64"))
    check_gradient(lambda x: ops.sparsemax(x), arr((3, 5), dtype="float64") * 2)


def test_normalization_gradients():
    x, mean, var = arr((3, 4), dtype="float64"), arr((4,), 1, "float64"), arr((4,), 2, "float64") ** 2 + 0.1
    offset, scale = arr((4,), 3, "float64"), arr((4,), 4, "float64")
    for wrt in range(5):
        check_gradient(
            lambda *a: ops.batch_normalization(a[0], a[1], a[2], axis=-1, offset=a[3], scale=a[4]),
            x,
            mean,
            var,
            offset,
            scale,
            wrt=wrt,
        )
    x3, gamma, beta = arr((2, 3, 4), dtype="float64"), arr((3, 4), 1, "float64"), arr((3, 4), 2, "float64")
    for wrt in range(3):
        check_gradient(lambda *a: ops.layer_normalization(a[0], a[1], a[2], axis=(1, 2)), x3, gamma, beta, wrt=wrt)
    for wrt in range(2):
        check_gradient(lambda *a: ops.rms_normalization(a[0], a[1]), x3, arr((4,), 3, "float64"), wrt=wrt)


def test_attention_gradients():
    q, k, v = arr((1, 3, 2, 4), dtype="float64"), arr((1, 4, 2, 4), 1, "float64"), arr((1, 4, 2, 4), 2, "float64")
    bias, mask = arr((1, 2, 3, 4), 3, "float64"), arr((1, 1, 3, 4), 4) > -0.5
    for wrt in range(4):
        check_gradient(
            lambda *a: ops.dot_product_attention(a[0], a[1], a[2], bias=a[3], mask=mask, is_causal=True),
            q,
            k,
            v,
            bias,
            wrt=wrt,
        )
    # grouped-query heads: the key and value heads are shared by several query heads
    kg, vg = arr((1, 4, 1, 4), 1, "float64"), arr((1, 4, 1, 4), 2, "float64")
    for wrt in range(3):
        check_gradient(lambda *a: ops.dot_product_attention(*a), q, kg, vg, wrt=wrt)


@pytest.mark.parametrize(
    "kwargs", [{"strides": 2}, {"strides": (2, 1), "padding": "same"}, {"data_format": "channels_first", "strides": 2}]
)
def test_conv_transpose_gradients(kwargs):
    x = arr((1, 3, 3, 2), dtype="float64")
    if kwargs.get("data_format") == "channels_first":
        x = x.transpose(0, 3, 1, 2)
    kernel = arr((2, 3, 3, 2), 1, "float64")
    for wrt in range(2):
        check_gradient(lambda a, b: ops.conv_transpose(a, b, **kwargs), x, kernel, wrt=wrt)


def test_conv_transpose_1d_and_3d_gradients():
    check_gradient(
        lambda a, b: ops.conv_transpose(a, b, strides=2), arr((2, 3, 2), dtype="float64"), arr((3, 2, 2), 1, "float64")
    )
    check_gradient(
        lambda a, b: ops.conv_transpose(a, b, strides=2),
        arr((1, 2, 2, 2, 2), dtype="float64"),
        arr((2, 2, 2, 1, 2), 1, "float64"),
    )


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_transpose_is_the_adjoint_of_conv_with_dilation(rank):
    """``<conv(x, k), y> = <x, conv_transpose(y, k)>``: dilation (which TensorFlow's CPU kernel refuses)."""
    x = arr((2,) + (5,) * rank + (3,), dtype="float64")
    kernel = arr((3,) * rank + (3, 2), 1, "float64")
    y = arr((2,) + (5,) * rank + (2,), 2, "float64")
    forward = ops.conv(x, kernel, padding="same", dilation_rate=2).numpy()
    back = ops.conv_transpose(y, kernel, padding="same", dilation_rate=2).numpy()
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(forward * y), np.sum(x * back), rtol=1e-10)


def test_pooling_and_patch_gradients():
    x = arr((1, 5, 7, 2), dtype="float64")
    check_gradient(lambda a: ops.adaptive_average_pool(a, (2, 3)), x)
    check_gradient(lambda a: ops.adaptive_max_pool(a, (2, 3)), x)
    check_gradient(lambda a: ops.adaptive_average_pool(a, 3), arr((2, 7, 2), dtype="float64"))
    check_gradient(lambda a: ops.unfold(a, 2, padding=1, stride=2), arr((1, 2, 4, 5), dtype="float64"))
    check_gradient(lambda a: ops.fold(a, (4, 5), 2, padding=1, stride=2), arr((1, 8, 9), dtype="float64"))
    check_gradient(lambda a: ops.depth_to_space(a, 2), arr((1, 2, 3, 8), dtype="float64"))
    check_gradient(lambda a: ops.space_to_depth(a, 2, data_format="channels_first"), arr((1, 2, 4, 2), dtype="float64"))


def test_psnr_and_polar_gradients():
    a, b = arr((3, 4), dtype="float64"), arr((3, 4), 1, "float64")
    check_gradient(lambda u, v: ops.psnr(u, v, 2.0), a, b)
    check_gradient(lambda u, v: ops.psnr(u, v, 2.0), a, b, wrt=1)
    check_gradient(lambda r, t: tf.math.real(ops.polar(r, t)), a, b)
    check_gradient(lambda r, t: tf.math.imag(ops.polar(r, t)), a, b, wrt=1)


def test_fold_sums_overlaps_and_unfold_is_its_adjoint():
    x = arr((2, 3, 5, 6), dtype="float64")
    cols = ops.unfold(x, 3, padding=1).numpy()
    ones = ops.fold(np.ones_like(cols), (5, 6), 3, padding=1).numpy()
    # every pixel is read once per window that covers it: 9 inside, fewer at the borders
    assert ones[0, 0, 2, 2] == 9 and ones[0, 0, 0, 0] == 4
    y = arr(cols.shape, 1, "float64")
    np.testing.assert_allclose(np.sum(cols * y), np.sum(x * ops.fold(y, (5, 6), 3, padding=1).numpy()), rtol=1e-10)


def test_adaptive_pool_windows_are_pytorch_s():
    x = np.arange(10, dtype="float64").reshape(1, 10, 1)
    # windows [floor(i * 10 / 4), ceil((i + 1) * 10 / 4)): [0, 3), [2, 5), [5, 8), [7, 10)
    np.testing.assert_allclose(ops.adaptive_average_pool(x, 4).numpy().ravel(), [1, 3, 6, 8])
    np.testing.assert_allclose(ops.adaptive_max_pool(x, 4).numpy().ravel(), [2, 4, 7, 9])
    # more outputs than inputs: windows overlap
    np.testing.assert_allclose(ops.adaptive_max_pool(x[:, :3], 5).numpy().ravel(), [0, 1, 1, 2, 2])
    y = ops.adaptive_max_pool(np.arange(6, dtype=np.int32).reshape(1, 6, 1), 2)
    assert y.dtype.name == "int32"
    np.testing.assert_array_equal(y.numpy().ravel(), [2, 5])


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_half_and_double_precision_dtypes(dtype):
    x = arr((2, 3, 4), dtype=dtype)
    for fn in (ops.layer_normalization, ops.rms_normalization):
        y = fn(x)
        assert y.dtype.name == dtype
        want = fn(x.astype("float32")).numpy()
        np.testing.assert_allclose(y.numpy(), want, rtol=2e-3 if dtype == "float16" else 1e-6, atol=2e-3)
    q = arr((1, 3, 2, 4), dtype=dtype)
    y = ops.dot_product_attention(q, q, q)
    assert y.dtype.name == dtype
    want = ops.dot_product_attention(*[q.astype("float32")] * 3).numpy()
    np.testing.assert_allclose(y.numpy(), want, rtol=5e-3, atol=5e-3)
    assert ops.polar(x, x).dtype.name == ("complex128" if dtype == "float64" else "complex64")


def test_attention_masks_fully_masked_rows_uniformly():
    q, k, v = arr((1, 2, 1, 3)), arr((1, 4, 1, 3), 1), arr((1, 4, 1, 3), 2)
    mask = np.zeros((1, 1, 2, 4), bool)
    mask[0, 0, 1, :2] = True
    y = ops.dot_product_attention(q, k, v, mask=mask).numpy()
    np.testing.assert_allclose(y[0, 0, 0], v[0, :, 0].mean(0), rtol=1e-6)
    logits = q[0, 1, 0] @ k[0, :2, 0].T / np.sqrt(3)
    p = np.exp(logits - logits.max())
    np.testing.assert_allclose(y[0, 1, 0], (p / p.sum()) @ v[0, :2, 0], rtol=1e-5)


def test_layer_normalization_rms_scaling_is_deprecated():
    x = arr((2, 5), dtype="float64")
    with pytest.warns(UserWarning, match="deprecated"):
        y = ops.layer_normalization(x, rms_scaling=True)
    np.testing.assert_allclose(y.numpy(), x / np.sqrt(x.var(-1, keepdims=True) + 1e-7), rtol=1e-10)


def test_rms_normalization_of_a_scalar_is_a_vector_of_one():
    y = ops.rms_normalization(np.float32(3.0))
    assert tuple(y.shape) == (1,)
    np.testing.assert_allclose(y.numpy(), [1.0], rtol=1e-6)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: ops.dot_product_attention(*[arr((1, 2, 1, 2))] * 3, flash_attention=True), ValueError, "Flash"),
        (lambda: ops.dot_product_attention(*[arr((1, 2, 1, 2))] * 3, attn_logits_soft_cap=2.0), ValueError, "TPU"),
        (lambda: ops.dot_product_attention(*[arr((2, 1, 2))] * 3), ValueError, "4D"),
        (lambda: ops.dot_product_attention(arr((1, 2, 3, 2)), *[arr((1, 2, 2, 2))] * 2), ValueError, "multiple"),
        (lambda: ops.conv_transpose(arr((1, 3, 3, 2)), arr((2, 2, 1, 3))), ValueError, "input channels"),
        (lambda: ops.conv_transpose(arr((1, 3, 3, 2)), arr((2, 2, 1, 2)), padding="full"), ValueError, "padding"),
        (lambda: ops.conv_transpose(arr((1, 3, 2)), arr((2, 1, 2)), data_format="NWC"), ValueError, "data_format"),
        (
            lambda: ops.conv_transpose(arr((1, 3, 3, 2)), arr((2, 2, 1, 2)), output_padding=1),
            tf.errors.InvalidArgumentError,
            "shape",
        ),
        (lambda: ops.adaptive_average_pool(arr((2, 3)), 2), ValueError, "1D, 2D, or 3D"),
        (lambda: ops.adaptive_max_pool(arr((1, 4, 4, 1)), (2, 2, 2)), ValueError, "output_size"),
        (lambda: ops.depth_to_space(arr((1, 2, 2, 4)), 1), ValueError, "at least 2"),
        (lambda: ops.space_to_depth(arr((2, 2, 4)), 2), ValueError, "4D"),
        (lambda: ops.unfold(arr((2, 3, 4)), 2), ValueError, "4D"),
        (lambda: ops.unfold(arr((1, 1, 2, 2)), 3), ValueError, "does not fit"),
        (lambda: ops.fold(arr((1, 4)), 3, 2), ValueError, "3D"),
        (lambda: ops.fold(arr((1, 6, 4)), 3, 2), ValueError, "divisible"),
        (lambda: ops.fold(arr((1, 4, 5)), 3, 2), ValueError, "blocks"),
        (lambda: ops.psnr(arr((2, 3)), arr((3, 2)), 1.0), ValueError, "must match"),
        (lambda: ops.batch_normalization(arr((2, 3)), arr((2,)), arr((3,)), axis=-1), ValueError, "mean"),
        (lambda: ops.batch_normalization(arr((2, 3)), arr((3,)), arr((3,)), axis=2), ValueError, "out of bounds"),
        (lambda: ops.layer_normalization(arr((2, 3)), axis=3), ValueError, "out of bounds"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


# dir(keras.ops.nn) of Keras 3.15, its public names
KERAS_OPS_NN = """adaptive_average_pool adaptive_max_pool average_pool batch_normalization binary_crossentropy
categorical_crossentropy celu conv conv_transpose ctc_decode ctc_loss depth_to_space depthwise_conv
dot_product_attention elu fold gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh layer_normalization
leaky_relu log_sigmoid log_softmax max_pool moments multi_hot normalize one_hot polar psnr relu relu6
rms_normalization selu separable_conv sigmoid silu soft_shrink softmax softplus softsign space_to_depth
sparse_categorical_crossentropy sparse_plus sparse_sigmoid sparsemax squareplus swish tanh_shrink threshold
unfold""".split()


def test_keras_ops_nn_has_keras_s_names_as_keras_ops_functions():
    public = [n for n in dir(ops.nn) if not n.startswith("_")]
    assert public == KERAS_OPS_NN
    for name in KERAS_OPS_NN:
        assert getattr(ops.nn, name) is getattr(ops, name), name


@pytest.mark.parametrize("dtype, want", [("float16", 8.96875), ("float64", 8.963251236303318)])
def test_psnr_computes_in_the_inputs_precision(dtype, want):
    """Recorded from Keras 3: float16 inputs give Keras's float16 rounding, float64 its double value."""
    x = np.sin(np.arange(6)).reshape(2, 3).astype(dtype)
    y = ops.psnr(x, x * np.asarray(0.5, dtype), 1.0)
    assert y.dtype.name == dtype
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12)
