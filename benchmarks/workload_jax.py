"""Raw ``jax.jit``: the hello-world MLP (dropout, Adam) and the tiny model written directly in JAX."""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np
from common import emit, mnist, reset_peak_rss, timed


def init(key, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((jax.random.uniform(sub, (fan_in, fan_out), minval=-limit, maxval=limit), jnp.zeros(fan_out)))
    return params


def make_step(loss_fn, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
    @jax.jit
    def step(params, m, v, t, key, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, key, x, y)
        t = t + 1
        alpha = lr * jnp.sqrt(1 - b2**t) / (1 - b1**t)
        m = jax.tree_util.tree_map(lambda m, g: m + (g - m) * (1 - b1), m, grads)
        v = jax.tree_util.tree_map(lambda v, g: v + (g * g - v) * (1 - b2), v, grads)
        params = jax.tree_util.tree_map(lambda p, m, v: p - alpha * m / (jnp.sqrt(v) + eps), params, m, v)
        return params, m, v, t, loss

    return step


def mlp_loss(params, key, x, y):
    (w1, b1), (w2, b2) = params
    h = jax.nn.relu(x.reshape(x.shape[0], -1) @ w1 + b1)
    keep = jax.random.bernoulli(key, 0.8, h.shape)
    h = jnp.where(keep, h / 0.8, 0.0)
    logits = h @ w2 + b2
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))


def tiny_loss(params, key, x, y):
    (w1, b1), (w2, b2) = params
    return jnp.mean(((x @ w1 + b1) @ w2 + b2 - y) ** 2)


def run_epoch(step, state, key, x, y, batch):
    params, m, v, t = state
    perm = np.random.permutation(len(x))
    for i in range(0, len(x), batch):
        idx = perm[i : i + batch]
        key, sub = jax.random.split(key)
        params, m, v, t, loss = step(params, m, v, t, sub, x[idx], y[idx])
    loss.block_until_ready()
    return (params, m, v, t), key


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--task", choices=["epoch", "tiny"], required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--epochs", type=int, default=2)
    a = p.parse_args()
    key = jax.random.PRNGKey(0)
    if a.task == "epoch":
        x, y, xt, yt = mnist()
        reset_peak_rss()  # the peak of training, not of loading the shared data
        params = init(key, [784, 512, 10])
        state = (
            params,
            jax.tree_util.tree_map(jnp.zeros_like, params),
            jax.tree_util.tree_map(jnp.zeros_like, params),
            0,
        )
        step = make_step(mlp_loss)
        times = []
        for _ in range(a.epochs):
            t0 = time.perf_counter()
            state, key = run_epoch(step, state, key, x, y, a.batch)
            times.append(time.perf_counter() - t0)
        (w1, b1), (w2, b2) = state[0]
        pred = np.argmax(np.maximum(xt.reshape(-1, 784) @ w1 + b1, 0) @ w2 + b2, axis=1)
        emit(seconds_per_epoch=min(times), test_accuracy=float((pred == yt).mean()))
    else:
        params = init(key, [8, 8, 1])
        state = (
            params,
            jax.tree_util.tree_map(jnp.zeros_like, params),
            jax.tree_util.tree_map(jnp.zeros_like, params),
            0,
        )
        step = make_step(tiny_loss)
        x = np.random.rand(32 * 200, 8).astype(np.float32)
        y = np.random.rand(32 * 200, 1).astype(np.float32)
        run_epoch(step, state, key, x, y, 32)
        sec = timed(lambda: run_epoch(step, state, key, x, y, 32), repeats=3)
        emit(step_us=sec / 200 * 1e6)


if __name__ == "__main__":
    main()
