"""More names of ``tf.compat.v1.train`` (learning rate decays, ``ExponentialMovingAverage``,
``AdadeltaOptimizer``): name -> module under ``ferroflow.compat.v1``, loaded on first use."""

from __future__ import annotations

MORE = {
    **dict.fromkeys(
        [
            "exponential_decay",
            "piecewise_constant",
            "piecewise_constant_decay",
            "polynomial_decay",
            "natural_exp_decay",
            "inverse_time_decay",
            "cosine_decay",
            "cosine_decay_restarts",
            "linear_cosine_decay",
            "noisy_linear_cosine_decay",
        ],
        "learning_rate_decay",
    ),
    "ExponentialMovingAverage": "moving_averages",
    "AdadeltaOptimizer": "train_optimizers_more",
}
