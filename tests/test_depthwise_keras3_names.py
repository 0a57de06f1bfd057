"""DepthwiseConv1D/2D name their weight ``kernel`` as Keras 3 does (Keras 2 said ``depthwise_kernel``): the
attribute, the weight path, the config keys, the checkpoint keys, and files exchanged with Keras 3 both ways;
files with the old name (Keras 2 HDF5, ferroflow's earlier weights and name-based checkpoints) still load.

The Keras 3 fixtures are written by tests/data/make_keras3_depthwise.py (TensorFlow 2.21 / Keras 3)."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
REF = np.load(os.path.join(DATA, "depthwise.npz"))
with open(os.path.join(DATA, "depthwise.json")) as _f:
    META = json.load(_f)
h5py = pytest.importorskip("h5py")


def _model2d():  # the same layers as make_keras3_depthwise.py
    inputs = tf.keras.Input((12, 12, 4))
    h = L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, name="dw_a")(inputs)
    h = L.DepthwiseConv2D(3, use_bias=False, activation="relu", name="dw_b")(h)
    h = L.SeparableConv2D(5, 3, padding="same", depth_multiplier=2, name="sep")(h)
    return tf.keras.Model(inputs, h, name="dw2d")


def _model1d():
    inputs = tf.keras.Input((10, 3))
    h = L.DepthwiseConv1D(3, depth_multiplier=3, name="dw1_a")(inputs)
    h = L.DepthwiseConv1D(2, strides=2, padding="same", name="dw1_b")(h)
    return tf.keras.Model(inputs, h, name="dw1d")


def _jsonish(config):
    return json.loads(json.dumps(config, default=list))


def _initializer_base(config):
    """The config without the initializer's own arguments (Keras 3.15 adds ``input_axes``/``output_axes`` to
    every GlorotUniform, not a depthwise matter)."""
    config = dict(config)
    config["depthwise_initializer"] = {k: v for k, v in config["depthwise_initializer"].items() if k != "config"}
    return config


def test_weight_names_paths_and_attributes_are_keras3s():
    model2d, model1d = _model2d(), _model1d()
    assert [w.path for w in model2d.weights] == META["paths2d"]
    assert [w.path for w in model1d.weights] == META["paths1d"]
    for layer in (model2d.get_layer("dw_a"), model1d.get_layer("dw1_a")):
        assert [w.name for w in layer.weights] == ["kernel", "bias"]
        assert layer.weights[0] is layer.kernel and not hasattr(layer, "depthwise_kernel")
    sep = model2d.get_layer("sep")  # SeparableConv2D keeps both names in Keras 3
    assert [w.name for w in sep.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert sep.depthwise_kernel.shape == (3, 3, 8, 2) and sep.pointwise_kernel.shape == (1, 1, 16, 5)


@pytest.mark.parametrize("model, name", [(_model2d, "dw_a"), (_model1d, "dw1_a")])
def test_config_has_keras3s_keys_in_keras3s_order(model, name):
    got = _jsonish(model().get_layer(name).get_config())
    want = META[f"config_{name}"]
    assert list(got) == list(want)
    assert _initializer_base(got) == _initializer_base(want)
    assert got["depthwise_initializer"]["config"]["seed"] is None
    rebuilt = type(model().get_layer(name)).from_config(got)
    assert _jsonish(rebuilt.get_config()) == got


def test_checkpoint_keys_are_keras3s(tmp_path):
    model = _model2d()
    prefix = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
    keys = sorted(k for k, _ in tf.train.list_variables(prefix) if not k.startswith(("_CHECKPOINTABLE", "save_")))
    assert keys == META["checkpoint_keys"]
    fresh = _model2d()
    tf.train.Checkpoint(model=fresh).restore(prefix).assert_existing_objects_matched()
    x = REF["x2d"]
    np.testing.assert_array_equal(fresh(x).numpy(), model(x).numpy())


def test_keras3_files_load_and_compute_like_keras():
    loaded = tf.keras.models.load_model(os.path.join(DATA, "depthwise2d.keras"))
    assert [w.path for w in loaded.weights] == META["paths2d"]
    np.testing.assert_allclose(loaded(REF["x2d"]).numpy(), REF["y2d"], rtol=1e-5, atol=1e-5)
    model2d, model1d = _model2d(), _model1d()
    model2d.load_weights(os.path.join(DATA, "depthwise2d.weights.h5"))
    model1d.load_weights(os.path.join(DATA, "depthwise1d.weights.h5"))
    np.testing.assert_allclose(model2d(REF["x2d"]).numpy(), REF["y2d"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model1d(REF["x1d"]).numpy(), REF["y1d"], rtol=1e-5, atol=1e-5)


def _layout(path):
    """Every group and dataset of an HDF5 file: path, shape, and the ``name`` attribute of ``vars`` groups."""
    out = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.append((n, getattr(o, "shape", None), o.attrs.get("name"))))
    # an input layer's name counts the inputs made so far in the process (``input_layer_3``)
    return [(n, shape, None if n.startswith("layers/input_layer") else name) for n, shape, name in out]


def test_ferroflow_files_have_keras3s_layout_and_round_trip(tmp_path):
    """What Keras 3 reads: the same HDF5 layout as its own file of the same model (keys ``depthwise_conv2d``,
    ``vars/0`` the kernel), and the same outputs after a round trip through ``.weights.h5`` and ``.keras``."""
    import zipfile

    model = _model2d()
    model.load_weights(os.path.join(DATA, "depthwise2d.weights.h5"))
    weights = str(tmp_path / "m.weights.h5")
    model.save_weights(weights)
    assert _layout(weights) == _layout(os.path.join(DATA, "depthwise2d.weights.h5"))
    archive = str(tmp_path / "m.keras")
    model.save(archive)
    with zipfile.ZipFile(archive) as zf:
        config = json.loads(zf.read("config.json"))
    dw = [entry for entry in config["config"]["layers"] if entry["class_name"] == "DepthwiseConv2D"]
    assert [list(entry["config"]) for entry in dw] == [list(META["config_dw_a"])] * 2
    fresh = _model2d()
    fresh.load_weights(weights)
    for restored in (tf.keras.models.load_model(archive), fresh):
        np.testing.assert_allclose(restored(REF["x2d"]).numpy(), REF["y2d"], rtol=1e-5, atol=1e-5)
    m1 = _model1d()
    m1.load_weights(os.path.join(DATA, "depthwise1d.weights.h5"))
    w1 = str(tmp_path / "m1.weights.h5")
    m1.save_weights(w1)
    assert _layout(w1) == _layout(os.path.join(DATA, "depthwise1d.weights.h5"))


def test_files_with_the_old_name_still_load(tmp_path):
    """ferroflow's earlier ``.weights.npz`` files and name-based (TF1 ``Saver``) checkpoints named the weight
    ``<layer>/depthwise_kernel``; they load into the renamed weight."""
    from ferroflow.saving import write_weights_file

    model = _model2d()
    model.load_weights(os.path.join(DATA, "depthwise2d.weights.h5"))
    old_names = [w.path.replace("dw_a/kernel", "dw_a/depthwise_kernel") for w in model.weights]
    old_names = [n.replace("dw_b/kernel", "dw_b/depthwise_kernel") for n in old_names]
    npz = str(tmp_path / "old.weights.npz")
    write_weights_file(npz, [(n, w.numpy()) for n, w in zip(old_names, model.weights)])
    fresh = _model2d()
    fresh.load_weights(npz)
    np.testing.assert_allclose(fresh(REF["x2d"]).numpy(), REF["y2d"], rtol=1e-5, atol=1e-5)

    tf1 = tf.compat.v1
    layer = model.get_layer("dw_a")
    old = tf1.train.Saver(var_list={"dw_a/depthwise_kernel": layer.kernel, "dw_a/bias": layer.bias})
    prefix = old.save(None, str(tmp_path / "v1"))
    target = _model2d().get_layer("dw_a")
    saver = tf1.train.Saver(var_list=target.weights)
    assert sorted(saver._names) == ["dw_a/bias", "dw_a/kernel"]
    saver.restore(None, prefix)
    np.testing.assert_array_equal(target.kernel.numpy(), layer.kernel.numpy())
    np.testing.assert_array_equal(target.bias.numpy(), layer.bias.numpy())
    with pytest.raises(tf.errors.NotFoundError):  # the fallback is for depthwise names only
        tf1.train.Saver(var_list={"dw_a/other": target.kernel}).restore(None, prefix)


def test_keras2_h5_with_depthwise_kernel_names_loads_into_mobilenet(tmp_path):
    """Keras 2's HDF5 layout, as Keras's published MobileNet files write it (``conv_dw_1/depthwise_kernel:0``)."""
    A = tf.keras.applications
    source = A.MobileNet(alpha=0.25, input_shape=(32, 32, 3), classes=10, weights=None)
    path = str(tmp_path / "legacy.h5")
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [layer.name.encode() for layer in source.layers]
        for layer in source.layers:
            group = f.create_group(layer.name)
            names = [f"{layer.name}/{w.name}:0" for w in layer.weights]
            if isinstance(layer, L.DepthwiseConv2D):
                names = [n.replace("/kernel:0", "/depthwise_kernel:0") for n in names]
            group.attrs["weight_names"] = [n.encode() for n in names]
            for name, w in zip(names, layer.weights):
                group[name] = w.numpy()
    assert "conv_dw_1/depthwise_kernel:0" in h5py.File(path, "r")["conv_dw_1"]
    loaded = A.MobileNet(alpha=0.25, input_shape=(32, 32, 3), classes=10, weights=path)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(loaded(x).numpy(), source(x).numpy(), rtol=1e-5, atol=1e-6)


def _np_depthwise(x, kernel, stride, padding):
    """Direct definition in float64: output channel ``c * m + j`` is input channel ``c`` correlated with
    ``kernel[:, :, c, j]``; ``same`` pads as TensorFlow (the extra row/column after)."""
    n, h, w, c = x.shape
    kh, kw, _, m = kernel.shape
    if padding == "same":
        oh, ow = -(-h // stride), -(-w // stride)
        ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    else:
        oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, c, m))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i : i + stride * oh : stride, j : j + stride * ow : stride, :]
            out += patch[..., None] * kernel[i, j]
    return out.reshape(n, oh, ow, c * m)


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_depthwise_conv2d_matches_the_definition_at_a_mobilenet_shape(stride, padding):
    rng = np.random.default_rng(stride)
    x = rng.standard_normal((2, 32, 32, 64)).astype("float32")
    layer = L.DepthwiseConv2D(3, strides=stride, padding=padding, depth_multiplier=2, bias_initializer="normal")
    y = layer(x).numpy()
    assert layer.kernel.shape == (3, 3, 64, 2) and layer.bias.shape == (128,)
    want = _np_depthwise(x.astype("float64"), layer.kernel.numpy().astype("float64"), stride, padding)
    want += layer.bias.numpy()
    assert y.shape == want.shape == layer.compute_output_shape((2, 32, 32, 64))
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-4)
