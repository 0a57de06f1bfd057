"""tf.train.Checkpoint keys: the lists below are what ``tf.train.list_variables`` prints in TensorFlow 2.21 with
Keras 3 for the same object graphs (breadth-first, first path wins, Keras 3's attribute names)."""

from __future__ import annotations

import numpy as np

import ferroflow as tf

keras = tf.keras
L = keras.layers
SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def _keys(tmp_path, ckpt) -> list:
    path = ckpt.write(str(tmp_path / "c"))
    listed = [k for k, _ in tf.train.list_variables(path)]
    assert listed[0] == "_CHECKPOINTABLE_OBJECT_GRAPH"
    assert all(k.endswith(SUFFIX) for k in listed[1:])
    return [k[: -len(SUFFIX)] for k in listed[1:]]


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.l1 = L.Dense(5)

    def call(self, x):
        return self.l1(x)


def _trained_net():
    net = Net()
    opt = keras.optimizers.Adam(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(net(tf.ones([2, 1])))
    opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
    return net, opt


def test_guide_model_and_adam(tmp_path):
    net, opt = _trained_net()
    assert _keys(tmp_path, tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net)) == [
        "net/l1/_kernel", "net/l1/bias", "optimizer/_iterations", "optimizer/_learning_rate",
        "optimizer/_variables/2", "optimizer/_variables/3", "optimizer/_variables/4", "optimizer/_variables/5",
        "step",
    ]  # fmt: skip


def test_sequential_counts_its_input_layer_and_weightless_layers(tmp_path):
    m = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dropout(0.1), L.Dense(2)])
    assert _keys(tmp_path, tf.train.Checkpoint(model=m)) == [
        "model/_functional/_operations/1/_kernel", "model/_functional/_operations/1/bias",
        "model/_functional/_operations/3/_kernel", "model/_functional/_operations/3/bias",
    ]  # fmt: skip
    s = keras.Sequential([L.Dense(4), L.Dense(2)])
    s(tf.zeros([1, 3]))  # built by a call: Keras adds the input layer then
    assert _keys(tmp_path, tf.train.Checkpoint(model=s)) == [
        "model/_functional/_operations/1/_kernel", "model/_functional/_operations/1/bias",
        "model/_functional/_operations/2/_kernel", "model/_functional/_operations/2/bias",
    ]  # fmt: skip


def test_functional_operations(tmp_path):
    i = keras.Input((3,))
    o = L.Dense(2)(L.BatchNormalization()(L.Dense(4)(i)))
    assert _keys(tmp_path, tf.train.Checkpoint(model=keras.Model(i, o))) == [
        "model/_operations/1/_kernel", "model/_operations/1/bias", "model/_operations/2/beta",
        "model/_operations/2/gamma", "model/_operations/2/moving_mean", "model/_operations/2/moving_variance",
        "model/_operations/3/_kernel", "model/_operations/3/bias",
    ]  # fmt: skip


class Sub(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [L.Dense(3), L.Dense(2)]
        self.seq = keras.Sequential([keras.Input((2,)), L.Dense(2)])
        self.rnn = L.LSTM(2)
        self.table = {"a": L.Dense(1)}

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self.seq(x) + self.rnn(tf.stack([x, x], 1)) + self.table["a"](x)


def test_subclassed_model_attributes(tmp_path):
    m = Sub()
    m(tf.zeros([1, 4]))
    keys = _keys(tmp_path, tf.train.Checkpoint(model=m))
    tf_keys = [
        "model/rnn/cell/bias", "model/rnn/cell/kernel", "model/rnn/cell/recurrent_kernel",
        "model/seq/_functional/_operations/1/_kernel", "model/seq/_functional/_operations/1/bias",
    ]  # fmt: skip
    # Keras 3 leaves lists and dicts of layers out of TensorFlow checkpoints; ferroflow saves them too.
    extra = [f"model/blocks/{i}/{n}" for i in range(2) for n in ("_kernel", "bias")]
    assert keys == sorted(tf_keys + extra + ["model/table/a/_kernel", "model/table/a/bias"])


def test_layer_attribute_names(tmp_path):
    e, cv, dw, sp = L.Embedding(4, 2), L.Conv2D(2, 3), L.DepthwiseConv2D(3), L.SeparableConv2D(2, 3)
    e(tf.zeros([1, 3], "int32"))
    for layer in (cv, dw, sp):
        layer(tf.zeros([1, 5, 5, 1]))
    assert _keys(tmp_path, tf.train.Checkpoint(e=e, cv=cv, dw=dw, sp=sp)) == [
        "cv/_kernel", "cv/bias", "dw/bias", "dw/kernel", "e/_embeddings", "sp/bias", "sp/depthwise_kernel",
        "sp/pointwise_kernel",
    ]  # fmt: skip


def test_built_optimizers_track_the_variables_they_update(tmp_path):
    s = keras.Sequential([L.Dense(4), L.Dense(2)])
    s(tf.zeros([1, 3]))
    sgd = keras.optimizers.SGD(0.1, momentum=0.9)
    sgd.build(s.trainable_variables)
    trainable = [f"opt/_trainable_variables/{i}" for i in range(4)]
    assert _keys(tmp_path, tf.train.Checkpoint(opt=sgd)) == (
        ["opt/_iterations", "opt/_learning_rate"] + trainable + [f"opt/_variables/{i}" for i in range(2, 6)]
    )
    adam = keras.optimizers.Adam(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9))
    adam.build(s.trainable_variables)  # a schedule: no learning-rate variable, slots from _variables/1
    assert _keys(tmp_path, tf.train.Checkpoint(opt=adam)) == (
        ["opt/_iterations"] + trainable + [f"opt/_variables/{i}" for i in range(1, 9)]
    )


def test_first_path_wins_keyword_arguments_sorted_attributes_in_order(tmp_path):
    net = Net()
    net(tf.zeros([1, 3]))
    opt = keras.optimizers.SGD(0.1, momentum=0.9)
    opt.build(net.trainable_variables)
    opt_first = ["_iterations", "_learning_rate", "_trainable_variables/0", "_trainable_variables/1"]
    opt_first += ["_variables/2", "_variables/3"]
    assert _keys(tmp_path, tf.train.Checkpoint(a=opt, z=net)) == [f"a/{k}" for k in opt_first]
    assert _keys(tmp_path, tf.train.Checkpoint(z=opt, a=net)) == [
        "a/l1/_kernel", "a/l1/bias", "z/_iterations", "z/_learning_rate", "z/_variables/2", "z/_variables/3",
    ]  # fmt: skip
    ckpt = tf.train.Checkpoint()
    ckpt.z = opt  # attributes keep the order they were set in
    ckpt.a = net
    assert _keys(tmp_path, ckpt) == [f"z/{k}" for k in opt_first]
    shared = L.Dense(2)
    shared.build((None, 2))
    assert _keys(tmp_path, tf.train.Checkpoint(b=tf.train.Checkpoint(x=shared), a=shared)) == ["a/_kernel", "a/bias"]


def test_compiled_model_tracks_its_optimizer(tmp_path):
    s = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    s.compile("adam", "mse")
    s.fit(np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    opt_keys = ["_iterations", "_learning_rate", "_trainable_variables/0", "_trainable_variables/1"]
    opt_keys += [f"_variables/{i}" for i in range(2, 6)]
    assert _keys(tmp_path, tf.train.Checkpoint(model=s)) == [f"model/optimizer/{k}" for k in opt_keys]
    assert _keys(tmp_path, tf.train.Checkpoint(model=s, optimizer=s.optimizer)) == [f"optimizer/{k}" for k in opt_keys]


def test_module_containers(tmp_path):
    mod = tf.Module()
    mod.v = tf.Variable(1.0)
    mod.lst = [tf.Variable(2.0)]
    mod.lst.append(tf.Variable(3.0))
    mod.d = {"k": tf.Variable(4.0)}
    mod.d["z"] = tf.Variable(5.0)
    mod.nested = [[tf.Variable(6.0)], {"q": tf.Variable(7.0)}]
    mod.tup = (tf.Variable(8.0),)
    assert _keys(tmp_path, tf.train.Checkpoint(mod=mod)) == [
        "mod/d/k", "mod/d/z", "mod/lst/0", "mod/lst/1", "mod/nested/0/0", "mod/nested/1/q", "mod/tup/0", "mod/v",
    ]  # fmt: skip
