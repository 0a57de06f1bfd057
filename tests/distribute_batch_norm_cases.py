"""``BatchNormalization`` trained with ``model.fit`` under a two-replica ``MirroredStrategy``, written against the
TensorFlow API so that the same code runs with ferroflow (``tests/test_distribute_batch_norm.py``) and with
TensorFlow 2.21, whose results ``tests/data/record_distribute_batch_norm.py`` writes to
``tests/distribute_batch_norm_expected.py``.

``tf`` is the module under test; the caller has already split the CPU into two logical devices.
"""

from __future__ import annotations

import numpy as np

RNG = np.random.default_rng(3)
X = RNG.normal(size=(16, 3)).astype(np.float32) * np.float32([1.0, 2.0, 0.5]) + np.float32([0.5, -1.0, 0.0])
Y = RNG.normal(size=(16, 2)).astype(np.float32)
X3 = RNG.normal(size=(16, 2, 3)).astype(np.float32)
Y3 = RNG.normal(size=(16, 2, 2)).astype(np.float32)
KERNEL = (np.arange(12, dtype=np.float32).reshape(3, 4) / 10.0 - 0.5).astype(np.float32)

# name -> (replicas, synchronized, run_eagerly, rank-3 inputs)
CASES = {
    "fit_r2_local": (2, False, False, False),
    "fit_r2_local_eager": (2, False, True, False),
    "fit_r2_sync": (2, True, False, False),
    "fit_r2_sync_eager": (2, True, True, False),
    "fit_r2_sync_rank3": (2, True, False, True),
    "fit_r1_sync": (1, True, False, False),
}


def _values(v) -> list:
    return np.asarray(v).tolist()


def _replica_copies(tf, variable) -> list:
    """Each replica's copy of a mirrored variable (a Keras weight holds TensorFlow's variable in ``value``)."""
    holder = variable.value if not callable(variable.value) else variable
    return [_values(c.numpy()) for c in getattr(holder, "values", [holder])]


def run_case(tf, name: str) -> dict:
    """Two epochs of ``fit`` (two steps of a global batch of 8 each), then the moving statistics (as read and on
    each replica), the weights, ``evaluate`` and ``predict`` under the strategy, and ``predict`` of a copy of the
    model outside it."""
    replicas, synchronized, eager, rank3 = CASES[name]
    x, y = (X3, Y3) if rank3 else (X, Y)
    if replicas == 1:
        strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    else:
        strategy = tf.distribute.MirroredStrategy([f"/cpu:{k}" for k in range(replicas)])
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.Input(x.shape[1:]),
                tf.keras.layers.Dense(4, kernel_initializer=tf.keras.initializers.Constant(KERNEL)),
                tf.keras.layers.BatchNormalization(momentum=0.5, synchronized=synchronized),
                tf.keras.layers.Dense(2, kernel_initializer="ones"),
            ]
        )
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", run_eagerly=eager)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    bn = model.layers[1]
    result = {
        "loss": history.history["loss"],
        "moving_mean": _values(bn.moving_mean),
        "moving_variance": _values(bn.moving_variance),
        "replica_moving_mean": _replica_copies(tf, bn.moving_mean),
        "replica_moving_variance": _replica_copies(tf, bn.moving_variance),
        "weights": [_values(w) for w in model.get_weights()],
        "evaluate": model.evaluate(x, y, batch_size=8, verbose=0),
        "predict": _values(model.predict(x[:8], batch_size=8, verbose=0)),
    }
    plain = tf.keras.models.clone_model(model)
    plain.set_weights(model.get_weights())
    result["predict_one_device"] = _values(plain.predict(x[:8], batch_size=8, verbose=0))
    return result


def all_reduce_gradients(tf) -> list:
    """Each replica's gradient of its own loss ``all_reduce(SUM, w * x) ** 2`` for a mirrored ``w``: the all-reduce's
    gradient is the all-reduce of the replicas' upstream gradients."""
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        w = tf.Variable(2.0)
    parts = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(1.5) if ctx.replica_id_in_sync_group == 0 else tf.constant(-0.5)
    )

    def step(x):
        ctx = tf.distribute.get_replica_context()
        with tf.GradientTape() as tape:
            total = ctx.all_reduce("SUM", w * x)
            loss = total * total * x
        return tape.gradient(loss, w)

    return [float(g) for g in strategy.experimental_local_results(strategy.run(step, args=(parts,)))]
