"""Training with mixed precision: LossScaleOptimizer's dynamic scaling, Model.compile's wrapping, fit on MNIST
and the custom training loop of TensorFlow's "Mixed precision" guide.

The scale sequences, step counts and weights below are what TensorFlow 2.21 / Keras 3.15 give for the same
calls (``import tensorflow as tf``); tf.keras 2's get_scaled_loss/get_unscaled_gradients, gone from Keras 3,
are checked against the Keras 3 loop (scale_loss, then apply unscaling) they are equivalent to.
"""

import gzip
import os

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = tf.keras.layers
mixed_precision = tf.keras.mixed_precision
LossScaleOptimizer = mixed_precision.LossScaleOptimizer


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    mixed_precision.set_global_policy("float32")


def _mnist(n_train, n_test):
    root = os.path.join(os.environ.get("FERROFLOW_DATASETS", "/work/shared/datasets"), "mnist")
    if not os.path.isdir(root):
        pytest.skip("MNIST is not in FERROFLOW_DATASETS")

    def idx(name, count):
        with gzip.open(os.path.join(root, name)) as f:
            data = f.read()
        dims = data[3]
        shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
        return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)[:count]

    x_train = idx("train-images-idx3-ubyte.gz", n_train).reshape(-1, 784).astype("float32") / 255
    x_test = idx("t10k-images-idx3-ubyte.gz", n_test).reshape(-1, 784).astype("float32") / 255
    return (x_train, idx("train-labels-idx1-ubyte.gz", n_train)), (x_test, idx("t10k-labels-idx1-ubyte.gz", n_test))


def _guide_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    x = layers.Dense(10, name="dense_logits")(x)
    outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def test_guide_model_fits_mnist_under_mixed_float16():
    mixed_precision.set_global_policy("mixed_float16")
    tf.random.set_seed(0)
    (x_train, y_train), (x_test, y_test) = _mnist(6000, 2000)
    model = _guide_model()
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
    assert isinstance(model.optimizer, LossScaleOptimizer) and model.optimizer.name == "loss_scale_optimizer"
    assert type(model.optimizer.inner_optimizer).__name__ == "RMSprop"
    history = model.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.8 and np.isfinite(loss)
    assert int(model.optimizer.iterations.numpy()) == 3 * 38
    assert float(model.optimizer.dynamic_scale.numpy()) == 2.0**15  # no overflow: the scale stays
    assert all(w.dtype == tf.float32 for w in model.weights)


def _overflowing_layer():
    layer = layers.Dense(3, kernel_initializer="ones", dtype="mixed_float16")
    x = np.full((1, 4), 0.5, np.float32)
    layer(x)
    return layer, x


# (gradients finite, dynamic_scale, step_counter, iterations, kernel[0, 0]) after each step, from Keras 3.15:
# scales above 65504 overflow the float16 gradient, so the step is skipped and the scale halves.
KERAS_STEPS = [
    (False, 524288.0, 0, 0, 1.0),
    (False, 262144.0, 0, 0, 1.0),
    (False, 131072.0, 0, 0, 1.0),
    (False, 65536.0, 0, 0, 1.0),
    (False, 32768.0, 0, 0, 1.0),
    (True, 32768.0, 1, 1, 0.9999995231628418),
    (True, 32768.0, 2, 2, 0.9999990463256836),
    (True, 65536.0, 0, 3, 0.9999985694885254),
    (False, 32768.0, 0, 3, 0.9999985694885254),
    (True, 32768.0, 1, 4, 0.9999980926513672),
]


@pytest.mark.parametrize("traced", [False, True])
def test_dynamic_scaling_skips_halves_and_grows_as_keras(traced):
    layer, x = _overflowing_layer()
    opt = LossScaleOptimizer(keras.optimizers.SGD(1e-6), initial_scale=2.0**20, dynamic_growth_steps=3)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.cast(layer(x), "float32"))
            scaled = opt.scale_loss(loss)
        grads = tape.gradient(scaled, layer.trainable_variables)
        opt.apply(grads, layer.trainable_variables)
        return tf.reduce_all(tf.math.is_finite(grads[0]))

    run = tf.function(step) if traced else step
    for want in KERAS_STEPS:
        finite = bool(run().numpy())
        got = (finite, float(opt.dynamic_scale.numpy()), int(opt.step_counter.numpy()), int(opt.iterations.numpy()))
        assert got == want[:4]
        assert float(layer.kernel.numpy()[0, 0]) == pytest.approx(want[4], abs=1e-7)


def test_fit_with_an_explicit_loss_scale_optimizer():
    mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, kernel_initializer="ones"), layers.Activation("linear", dtype="float32")]
    )
    opt = LossScaleOptimizer(keras.optimizers.SGD(1e-6), initial_scale=2.0**20, dynamic_growth_steps=2)
    model.compile(optimizer=opt, loss="mse")
    assert model.optimizer is opt
    x, y = np.full((8, 4), 0.5, np.float32), np.zeros((8, 3), np.float32)
    model.fit(x, y, batch_size=1, epochs=1, verbose=0, shuffle=False)
    # Keras 3.15: six skipped steps bring 2**20 down to 2**15 (with 2**16 overflowing too), then two updates.
    assert float(opt.dynamic_scale.numpy()) == 32768.0 and int(opt.step_counter.numpy()) == 0
    assert int(opt.iterations.numpy()) == 2
    assert float(model.layers[0].kernel.numpy()[0, 0]) == pytest.approx(0.9999987, abs=1e-7)


def test_compile_wraps_only_under_mixed_float16():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    assert type(model.optimizer).__name__ == "SGD"
    mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.optimizer, LossScaleOptimizer)
    assert type(model.optimizer.inner_optimizer).__name__ == "SGD"
    model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    assert type(model.optimizer).__name__ == "SGD"


def test_loss_scale_factor_is_applied_and_undone_as_keras():
    kernels = []
    for factor in (None, 4.0):
        model = keras.Sequential([keras.Input((3,)), layers.Dense(2, kernel_initializer="ones")])
        model.compile(optimizer=keras.optimizers.SGD(0.1, loss_scale_factor=factor), loss="mse")
        x = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
        model.fit(x, np.zeros((4, 2), np.float32), batch_size=2, epochs=1, verbose=0, shuffle=False)
        kernels.append(model.layers[0].kernel.numpy())
    np.testing.assert_allclose(kernels[0], kernels[1], rtol=1e-6)
    np.testing.assert_allclose(kernels[0][:, 0], [0.7947865128517151, 0.7632017731666565, 0.7316169738769531])


def test_optimizer_arguments_and_delegation():
    with pytest.raises(ValueError, match="LossScaleOptimizer no longer supports `dynamic=False`"):
        LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False)
    with pytest.raises(ValueError, match="LossScaleOptimizer does not support `clipnorm`. Instead, set `clipnorm`"):
        LossScaleOptimizer(keras.optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="LossScaleOptimizer does not support arguments: `foo`."):
        LossScaleOptimizer(keras.optimizers.SGD(), foo=1)
    with pytest.raises(TypeError, match="expects a keras Optimizer"):
        LossScaleOptimizer("sgd")
    keras.backend.clear_session()  # Keras names optimizers uniquely in the session: "loss_scale_optimizer" first
    inner = keras.optimizers.SGD(0.1, loss_scale_factor=8.0)
    opt = LossScaleOptimizer(inner)
    assert (opt.initial_scale, opt.dynamic_growth_steps, opt.dynamic) == (32768.0, 2000, True)
    assert inner.loss_scale_factor is None  # else the gradients would be unscaled twice
    assert float(opt.learning_rate) == pytest.approx(0.1)
    opt.learning_rate = 0.5
    assert inner.learning_rate == 0.5
    v = tf.Variable([1.0, 2.0])
    opt.build([v])
    names = [w.path for w in opt.variables]  # Keras 3's paths; the names are the last part
    assert names[:4] == [
        "loss_scale_optimizer/iteration",
        "loss_scale_optimizer/learning_rate",
        "loss_scale_optimizer/step_counter",
        "loss_scale_optimizer/dynamic_scale",
    ]
    assert len(names) == 6 and opt.iterations is inner.iterations
    assert float(opt.scale_loss(tf.constant(2.0)).numpy()) == 65536.0
    config = keras.optimizers.serialize(opt)
    assert config["class_name"] == "LossScaleOptimizer" and config["module"] == "keras.optimizers"
    assert config["config"]["inner_optimizer"]["class_name"] == "SGD"
    back = keras.optimizers.deserialize(config)
    assert isinstance(back, LossScaleOptimizer) and back.initial_scale == 32768.0
    assert type(back.inner_optimizer).__name__ == "SGD" and back.learning_rate == 0.5


@pytest.mark.parametrize("legacy", [True, False])
def test_guide_custom_training_loop(legacy):
    mixed_precision.set_global_policy("mixed_float16")
    tf.random.set_seed(1)
    (x_train, y_train), (x_test, y_test) = _mnist(4096, 1024)
    model = _guide_model()
    optimizer = LossScaleOptimizer(keras.optimizers.RMSprop())
    loss_object = keras.losses.SparseCategoricalCrossentropy()
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(256)
    test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(256)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            predictions = model(x)
            loss = loss_object(y, predictions)
            scaled_loss = optimizer.get_scaled_loss(loss) if legacy else optimizer.scale_loss(loss)
        scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
        if legacy:  # the guide's tf.keras 2 loop
            gradients = optimizer.get_unscaled_gradients(scaled_gradients)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        else:  # Keras 3: apply unscales
            optimizer.apply(scaled_gradients, model.trainable_variables)
        return loss

    @tf.function
    def test_step(x):
        return model(x, training=False)

    losses = []
    for _ in range(3):
        epoch_loss_avg = keras.metrics.Mean()
        test_accuracy = keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
        for x, y in train_dataset:
            epoch_loss_avg(train_step(x, y))
        for x, y in test_dataset:
            test_accuracy.update_state(y, test_step(x))
        losses.append(float(epoch_loss_avg.result()))
    # TensorFlow 2.21 on the same data (Keras 3 loop): losses 1.54, 0.74, 0.50; test accuracy 0.84.
    assert losses[0] > losses[1] > losses[2] and losses[2] < 0.7
    assert float(test_accuracy.result()) > 0.78
    assert float(optimizer.loss_scale.numpy()) == 32768.0 and int(optimizer.iterations.numpy()) == 48


def test_unscaled_gradients_are_not_unscaled_twice():
    v = tf.Variable([1.0, 2.0])
    opt = LossScaleOptimizer(keras.optimizers.SGD(0.5), initial_scale=4.0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v)
        scaled = opt.get_scaled_loss(loss)
    assert float(scaled.numpy()) == 20.0
    assert float(opt.get_scaled_loss(lambda: loss)().numpy()) == 20.0
    grads = opt.get_unscaled_gradients(tape.gradient(scaled, [v]) + [None])
    assert grads[1] is None
    np.testing.assert_allclose(grads[0].numpy(), [2.0, 4.0])
    opt.apply_gradients(zip(grads[:1], [v]))
    np.testing.assert_allclose(v.numpy(), [0.0, 0.0])  # 1 - 0.5 * 2, 2 - 0.5 * 4
    opt.apply([tf.constant([4.0, 8.0])], [v])  # scaled gradients: apply divides by the scale
    np.testing.assert_allclose(v.numpy(), [-0.5, -1.0])


def test_mixed_model_saves_and_loads(tmp_path):
    mixed_precision.set_global_policy("mixed_float16")
    inputs = keras.Input((4,))
    x = layers.Dense(8, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Dense(3)(x)
    outputs = layers.Activation("softmax", dtype="float32")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(5)
    model.fit(rng.random((16, 4), np.float32), rng.integers(0, 3, 16), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    back = keras.models.load_model(tmp_path / "m.keras")
    assert [layer.dtype_policy.name for layer in back.layers[1:]] == [
        "mixed_float16",
        "mixed_float16",
        "mixed_float16",
        "float32",
    ]
    assert isinstance(back.optimizer, LossScaleOptimizer) and type(back.optimizer.inner_optimizer).__name__ == "Adam"
    xs = rng.random((5, 4), np.float32)
    np.testing.assert_allclose(back.predict(xs, verbose=0), model.predict(xs, verbose=0), atol=1e-6)
    assert back(xs).dtype == tf.float32 and back.layers[1](xs).dtype == tf.float16
