"""NumPy (float64) reference implementations of Keras 3's optimizer updates, for the optimizer tests."""

from __future__ import annotations

import numpy as np


def clip(grads: list, clipnorm=None, clipvalue=None, global_clipnorm=None) -> list:
    if clipnorm:
        return [g * clipnorm / max(np.sqrt(np.sum(g * g)), clipnorm) for g in grads]
    if global_clipnorm:
        norm = np.sqrt(sum(np.sum(g * g) for g in grads))
        scale = global_clipnorm * min(1.0 / norm, 1.0 / global_clipnorm)
        return [g * scale for g in grads]
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


class Reference:
    """One optimizer's update rule over a list of parameters, step by step."""

    def __init__(self, kind: str, params: list, **hp) -> None:
        self.kind = kind
        self.hp = hp
        self.params = [np.asarray(p, np.float64).copy() for p in params]
        self.t = 0
        zeros = [np.zeros_like(p) for p in self.params]
        self.m = [z.copy() for z in zeros]
        self.v = [z.copy() for z in zeros]
        self.vhat = [z.copy() for z in zeros]
        self.avg = [z.copy() for z in zeros]
        if kind == "Adagrad":
            self.v = [np.full_like(p, hp.get("initial_accumulator_value", 0.1)) for p in self.params]

    def step(self, grads: list, lr: float) -> list:
        hp = self.hp
        self.t += 1
        grads = clip(
            [np.asarray(g, np.float64) for g in grads], hp.get("clipnorm"), hp.get("clipvalue"),
            hp.get("global_clipnorm"),
        )
        wd = hp.get("weight_decay", 0.004 if self.kind == "AdamW" else None)
        for i, g in enumerate(grads):
            p = self.params[i]
            if wd is not None:
                p -= p * wd * lr
            getattr(self, "_" + self.kind.lower())(i, p, g, lr)
        return self.params

    def _sgd(self, i, p, g, lr):
        mom, m = self.hp.get("momentum", 0.0), self.m[i]
        if mom == 0:
            p -= lr * g
            return
        m[...] = mom * m - lr * g
        p += (mom * m - lr * g) if self.hp.get("nesterov") else m

    def _adam(self, i, p, g, lr):
        b1, b2, eps = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999), self.hp.get("epsilon", 1e-7)
        alpha = lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        m, v = self.m[i], self.v[i]
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        if self.hp.get("amsgrad"):
            self.vhat[i][...] = np.maximum(self.vhat[i], v)
            v = self.vhat[i]
        p -= alpha * m / (np.sqrt(v) + eps)

    _adamw = _adam

    def _rmsprop(self, i, p, g, lr):
        rho, eps, mom = self.hp.get("rho", 0.9), self.hp.get("epsilon", 1e-7), self.hp.get("momentum", 0.0)
        v = self.v[i]
        v[...] = rho * v + (1 - rho) * g * g
        if self.hp.get("centered"):
            a = self.avg[i]
            a[...] = rho * a + (1 - rho) * g
            denominator = v - a * a + eps
        else:
            denominator = v + eps
        increment = lr * g / np.sqrt(denominator)
        if mom > 0:
            self.m[i][...] = mom * self.m[i] + increment
            p -= self.m[i]
        else:
            p -= increment

    def _adagrad(self, i, p, g, lr):
        acc = self.v[i]
        acc += g * g
        p -= lr * g / np.sqrt(acc + self.hp.get("epsilon", 1e-7))
