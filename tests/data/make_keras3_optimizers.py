"""Writes small models trained by Keras 3 with the optimizer states whose layout differs most from a plain
Adam's (run once, with Keras 3):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_optimizers.py   # with keras>=3.15 and h5py

Each ``keras3/optimizer_<name>.keras`` is a Dense(4, tanh) -> Dense(2) model trained 2 epochs (batches of 4,
no shuffle) with: Adam(amsgrad, use_ema, ema_overwrite_frequency), AdamW with an ExponentialDecay schedule
and amsgrad, RMSprop(momentum, centered), Ftrl, SGD(momentum, use_ema) and Adagrad with a piecewise-constant
schedule. ``keras3/optimizers.npz`` holds the data ``x``, ``y``, the initial weights ``w0/<i>`` and, per name,
the weights (``<name>/w<i>``) and optimizer variables in Keras's order (``<name>/o<i>``) after one more epoch.
tests/test_optimizer_state_keras3.py checks that ferroflow resumes each file to the same numbers.
"""

import os

import keras
import numpy as np
from make_keras3_convnet import deflate

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")


def optimizers() -> dict:
    opt = keras.optimizers
    return {
        "adam_amsgrad_ema": opt.Adam(0.05, amsgrad=True, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=5),
        "adamw_schedule": opt.AdamW(opt.schedules.ExponentialDecay(0.05, 3, 0.5), amsgrad=True),
        "rmsprop_centered": opt.RMSprop(0.01, momentum=0.5, centered=True),
        "ftrl": opt.Ftrl(0.1),
        "sgd_ema": opt.SGD(0.1, momentum=0.9, use_ema=True),
        "adagrad_schedule": opt.Adagrad(opt.schedules.PiecewiseConstantDecay([2, 4], [0.1, 0.05, 0.01])),
    }


def main() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((12, 3)).astype("float32")
    y = rng.random((12, 2)).astype("float32")
    w0 = [rng.normal(0, 0.5, (3, 4)), np.zeros(4), rng.normal(0, 0.5, (4, 2)), np.zeros(2)]
    arrays = {"x": x, "y": y, **{f"w0/{i}": w.astype("float32") for i, w in enumerate(w0)}}
    for name, optimizer in optimizers().items():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, "tanh"), keras.layers.Dense(2)], name=name)
        model.set_weights([w.astype("float32") for w in w0])
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
        path = f"{OUT}/optimizer_{name}.keras"
        model.save(path)
        deflate(path)
        model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
        arrays.update({f"{name}/w{i}": w for i, w in enumerate(model.get_weights())})
        arrays.update({f"{name}/o{i}": np.asarray(v) for i, v in enumerate(model.optimizer.variables)})
    np.savez_compressed(f"{OUT}/optimizers.npz", **arrays)


if __name__ == "__main__":
    main()
