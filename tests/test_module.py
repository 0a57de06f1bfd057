"""``tf.Module``: naming, variable and submodule tracking, name scopes, checkpoints; the modules guide's examples."""

import numpy as np
import pytest

import ferroflow as tf


class SimpleModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.a_variable = tf.Variable(5.0, name="train_me")
        self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")

    def __call__(self, x):
        return self.a_variable * x + self.non_trainable_variable


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([in_features, out_features]), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)


class SequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


def test_the_guides_simple_module_calls_and_lists_its_variables():
    m = SimpleModule(name="simple")
    assert float(m(tf.constant(5.0))) == 30.0
    assert m.name == "simple"
    assert [v.name for v in m.trainable_variables] == ["train_me:0"]
    # Attribute order: a_variable before non_trainable_variable.
    assert [v.name for v in m.variables] == ["train_me:0", "do_not_train_me:0"]
    assert [v.name for v in m.non_trainable_variables] == ["do_not_train_me:0"]
    assert repr(m.variables[0]) == "<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>"


def test_submodules_are_found_through_attributes_and_their_variables_collected():
    model = SequentialModule(name="the_model")
    out = model(tf.constant([[2.0, 2.0, 2.0]]))
    assert out.shape == (1, 2)
    assert model.submodules == (model.dense_1, model.dense_2)
    assert len(model.variables) == 4
    assert [v.shape for v in model.trainable_variables] == [(3,), (3, 3), (2,), (3, 2)]  # b before w


def test_default_names_come_from_the_class_and_bad_names_are_refused():
    assert SequentialModule().name == "sequential_module"
    assert Dense(1, 1).name == "dense"

    class HTTPServerModel(tf.Module):
        pass

    assert HTTPServerModel().name == "http_server_model"
    with pytest.raises(ValueError, match="not a valid module name"):
        tf.Module(name="has space")
    with pytest.raises(ValueError, match="not a valid module name"):
        tf.Module(name="1st")


def test_lists_dicts_and_nesting_are_walked_once_each_and_cycles_are_cut():
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            shared = tf.Variable(1.0, name="shared")
            self.layers = [Dense(2, 2), Dense(2, 1)]
            self.table = {"b": shared, "a": tf.Variable(2.0, name="a")}
            self.again = shared
            self.me = self  # a cycle
            self.not_state = np.ones(3)

    h = Holder()
    names = [v.name for v in h.variables]
    assert names.count("shared:0") == 1
    assert len(h.variables) == 2 + 4
    assert h.submodules == tuple(h.layers)
    paths = [p for p, _ in h._flatten(predicate=lambda x: isinstance(x, tf.Variable), with_path=True)]
    assert ("table", "a") in paths and ("layers", 0, "w") in paths


def test_trainable_variables_train_in_a_custom_loop():
    tf.random.set_seed(1)
    model = Dense(3, 1)
    x = tf.constant(np.random.RandomState(0).rand(16, 3).astype(np.float32))
    y = tf.reduce_sum(x, axis=1, keepdims=True)
    losses = []
    for _ in range(50):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        for g, v in zip(grads, model.trainable_variables):
            v.assign_sub(0.1 * g)
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]


def test_name_scope_prefixes_variables_made_inside_it():
    class Scoped(tf.Module):
        @tf.Module.with_name_scope
        def build(self):
            self.v = tf.Variable(1.0, name="v")
            return self.v

    s = Scoped(name="outer")
    assert s.build().name == "outer/v:0"
    with s.name_scope:
        assert tf.Variable(0.0, name="w").name == "outer/w:0"
    assert tf.Variable(0.0, name="w").name == "w:0"


def test_keras_layers_held_by_a_module_count_as_submodules():
    class WithLayer(tf.Module):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(4)
            self.dense.build((None, 3))

    m = WithLayer()
    assert m.submodules == (m.dense,)
    assert len(m.variables) == 2


def test_a_module_checkpoint_round_trips(tmp_path):
    model = SequentialModule()
    x = tf.constant([[1.0, -2.0, 3.0]])
    before = model(x).numpy()
    ckpt = tf.train.Checkpoint(model=model)
    path = ckpt.write(str(tmp_path / "my_checkpoint"))
    keys = [name for name, _ in tf.train.list_variables(path)]
    assert any(k.startswith("model/dense_1/w") for k in keys), keys
    fresh = SequentialModule()
    assert not np.allclose(fresh(x).numpy(), before)
    tf.train.Checkpoint(model=fresh).restore(path)
    np.testing.assert_allclose(fresh(x).numpy(), before)


def test_the_basic_training_loops_guide_runs_with_a_module_and_a_keras_model():
    class MyModel(tf.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(5.0)
            self.b = tf.Variable(0.0)

        def __call__(self, x):
            return self.w * x + self.b

    x = tf.cast(tf.linspace(-2, 2, 201), tf.float32)
    tf.random.set_seed(0)
    y = x * 3.0 + 2.0 + tf.random.normal(shape=[201])
    model = MyModel()
    assert [float(v) for v in model.variables] == [0.0, 5.0]  # b before w, by attribute name
    for _ in range(10):
        with tf.GradientTape() as t:
            current_loss = tf.reduce_mean(tf.square(y - model(x)))
        dw, db = t.gradient(current_loss, [model.w, model.b])
        model.w.assign_sub(0.1 * dw)
        model.b.assign_sub(0.1 * db)
    assert abs(float(model.w) - 3.0) < 0.2

    class MyModelKeras(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(5.0)
            self.b = tf.Variable(0.0)

        def call(self, x):
            return self.w * x + self.b

    keras_model = MyModelKeras()
    keras_model.compile(
        run_eagerly=False,
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),
        loss=tf.keras.losses.mean_squared_error,
    )
    # As Keras 3: tf.Variable attributes are not Keras weights, so fit has nothing to train (and warns).
    with pytest.warns(UserWarning, match="The model does not have any trainable weights"):
        history = keras_model.fit(x, y, epochs=3, batch_size=1000, verbose=0)
    assert len(keras_model.trainable_weights) == 0
    assert history.history["loss"][-1] == history.history["loss"][0]
    assert float(keras_model.w) == 5.0


class _Lazy(tf.Module):
    """A module whose tf.function ``__call__`` makes its variables from random values on the first call, as
    the Core APIs quickstart's LinearRegression does."""

    def __init__(self):
        self.built = False

    @tf.function
    def __call__(self, x):
        if not self.built:
            self.w = tf.Variable(tf.random.uniform(shape=[x.shape[-1], 1]) * 2.0 - 1.0)
            self.b = tf.Variable(tf.zeros([]))
            self.built = True
        return tf.squeeze(tf.matmul(x, self.w) + self.b, axis=1)


def test_a_tf_function_method_makes_variables_from_values_computed_in_its_trace():
    model = _Lazy()
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = model(tf.constant(x)).numpy()
    w = model.w.numpy()
    assert w.shape == (3, 1) and w.dtype == np.float32 and np.all(np.abs(w) <= 1.0)
    np.testing.assert_allclose(y, x @ w[:, 0], rtol=1e-6)
    # The variables are made once: later calls (and gradients) use them.
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(tf.constant(x)))
    gb, gw = tape.gradient(loss, model.variables)
    np.testing.assert_allclose(gw.numpy()[:, 0], x.sum(0))
    assert float(gb) == 2.0 and model.w.numpy().tolist() == w.tolist()


def test_module_variables_after_calling_a_tf_function_method():
    """Calling a tf.function method caches its per-instance function on the object; the module's variable
    walk skips it and lists variables sorted by attribute name, as TensorFlow does."""
    model = _Lazy()
    model(tf.ones([1, 2]))
    assert model.variables == (model.b, model.w)
    assert model.trainable_variables == (model.b, model.w)


def test_a_variable_initialized_from_a_function_argument_is_a_value_error():
    @tf.function
    def f(x):
        return tf.Variable(x * 2.0)

    with pytest.raises(ValueError):
        f(tf.constant(1.0))
