"""``optimizer.learning_rate`` and ``optimizer.iterations`` as Keras 3's variables: read, assigned, driven by a
schedule, read by ``keras.backend.get_value`` and by the learning-rate callbacks. Expected values recorded from
tensorflow-cpu 2.21 (Keras 3.15)."""

import numpy as np
import pytest

import ferroflow as tf


def test_learning_rate_is_a_float32_variable():
    opt = tf.keras.optimizers.SGD(0.1)
    lr = opt.learning_rate
    assert hasattr(lr, "assign") and opt.learning_rate is lr  # a variable (Keras's own class under TensorFlow)
    value = lr.numpy()
    assert type(value) is np.float32 and value == np.float32(0.1)
    assert lr.dtype == tf.float32 and tuple(lr.shape) == () and not lr.trainable
    assert float(lr) == 0.10000000149011612
    assert float(lr * 2) == pytest.approx(0.2)
    assert any(v is lr for v in opt.variables)
    assert not hasattr(opt, "lr")  # Keras 3 has no `lr` alias


def test_iterations_is_an_int64_variable():
    opt = tf.keras.optimizers.SGD(0.1)
    it = opt.iterations
    assert hasattr(it, "assign_add") and it.dtype == tf.int64
    assert type(it.numpy()) is np.int64 and it.numpy() == 0
    opt.apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])
    assert opt.iterations.numpy() == 1


def test_setting_and_assigning_keep_the_variable():
    opt = tf.keras.optimizers.SGD(0.1)
    lr = opt.learning_rate
    opt.learning_rate = 0.01
    assert opt.learning_rate is lr and lr.numpy() == np.float32(0.01)
    opt.learning_rate.assign(0.02)
    assert opt.learning_rate.numpy() == np.float32(0.02)
    assert float(opt.learning_rate) == 0.019999999552965164
    opt.learning_rate = tf.constant(0.25)
    assert opt.learning_rate.numpy() == np.float32(0.25)
    opt.learning_rate = np.float64(0.2)
    assert opt.learning_rate.numpy() == np.float32(0.2)
    assert bool(opt.learning_rate == np.float32(0.2))


def test_get_config_reads_the_float32_value():
    opt = tf.keras.optimizers.SGD(0.1)
    assert opt.get_config()["learning_rate"] == 0.10000000149011612
    opt.learning_rate = 0.3
    assert opt.get_config()["learning_rate"] == 0.30000001192092896


def test_string_optimizer_default_learning_rate():
    m = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    m.compile(optimizer="adam", loss="mse")
    assert hasattr(m.optimizer.learning_rate, "assign")
    assert float(m.optimizer.learning_rate.numpy()) == 0.0010000000474974513


def test_backend_get_value_and_set_value():
    opt = tf.keras.optimizers.SGD(0.1)
    opt.learning_rate.assign(0.02)
    got = tf.keras.backend.get_value(opt.learning_rate)
    assert type(got) is np.float32 and got == np.float32(0.02)
    assert tf.keras.backend.get_value(0.5) == 0.5
    got = tf.keras.backend.get_value(tf.constant(2.0))
    assert type(got) is np.float32 and got == 2.0
    v = tf.Variable(1.0)
    tf.keras.backend.set_value(v, 2.0)
    assert v.numpy() == 2.0
    tf.keras.backend.batch_set_value([(v, 3.0)])
    assert tf.keras.backend.batch_get_value([v]) == [3.0]


def test_learning_rate_in_tf_function():
    opt = tf.keras.optimizers.SGD(0.1)
    opt.learning_rate = 1.5

    @tf.function
    def doubled():
        return opt.learning_rate * 2

    assert doubled().numpy() == 3.0

    @tf.function
    def assign():
        opt.learning_rate.assign(0.125)

    assign()
    assert opt.learning_rate.numpy() == 0.125
    np.testing.assert_array_equal(np.asarray(opt.learning_rate), np.array(0.125, np.float32))


def test_schedule_gives_a_tensor_that_is_not_settable():
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    opt = tf.keras.optimizers.Adam(schedule)
    lr = opt.learning_rate
    assert tf.is_tensor(lr) and not hasattr(lr, "assign")
    assert lr.dtype == tf.float32 and lr.numpy() == np.float32(0.1)
    assert tf.keras.backend.get_value(lr) == np.float32(0.1)
    assert len(opt.variables) == 1  # the step count only
    opt.apply_gradients([(tf.zeros((1,)), tf.Variable([1.0]))])
    assert float(opt.learning_rate.numpy()) == 0.09330330044031143
    with pytest.raises(TypeError, match="hence its learning rate is not settable"):
        opt.learning_rate = 0.5


def test_setting_a_schedule_replaces_the_variable():
    opt = tf.keras.optimizers.SGD(0.1)
    opt.learning_rate = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    assert tf.is_tensor(opt.learning_rate) and not hasattr(opt.learning_rate, "assign")
    assert opt.get_config()["learning_rate"]["class_name"] == "ExponentialDecay"


def test_callable_learning_rate_returns_its_value():
    opt = tf.keras.optimizers.SGD(lambda: 0.7)
    assert float(opt.learning_rate) == 0.7


def _model(lr=0.1):
    m = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, kernel_initializer="zeros")])
    m.compile(optimizer=tf.keras.optimizers.SGD(lr), loss="mse")
    return m


X = np.arange(12, dtype="float32").reshape(4, 3) / 10
Y = np.ones((4, 1), "float32")


def test_learning_rate_scheduler_reads_and_writes_the_variable():
    m = _model()
    lr = m.optimizer.learning_rate
    cb = tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    h = m.fit(X, Y, epochs=3, verbose=0, callbacks=[cb])
    assert h.history["learning_rate"] == [0.05000000074505806, 0.02500000037252903, 0.012500000186264515]
    assert m.optimizer.learning_rate is lr and lr.numpy() == np.float32(0.0125)


def test_reduce_lr_on_plateau_logs_the_float32_value():
    m = _model(0.01)
    cb = tf.keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, min_delta=10)
    h = m.fit(X, Y, epochs=3, verbose=0, callbacks=[cb])
    assert h.history["learning_rate"] == [0.009999999776482582, 0.009999999776482582, 0.0009999999310821295]
    assert float(m.optimizer.learning_rate.numpy()) == 9.99999901978299e-05
