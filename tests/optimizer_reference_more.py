"""NumPy (float64) references of Keras 3's Adadelta, Adamax, Nadam, Lamb, Lion, Adafactor, Muon and
ScheduleFreeAdamW update rules, for tests/test_optimizers_more.py."""

from __future__ import annotations

import numpy as np


def _rms(x):
    return np.sqrt(np.mean(np.square(x)))


def _newton_schulz(x, steps, a, b, c):
    tall = x.shape[-2] > x.shape[-1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        m = x @ x.T
        x = a * x + (b * m + c * m @ m) @ x
    return x.T if tall else x


class MoreReference:
    """One optimizer over a list of parameters, step by step (weight decay before the update, as Keras)."""

    def __init__(self, kind: str, params: list, **hp) -> None:
        self.kind, self.hp = kind, hp
        self.params = [np.asarray(p, np.float64).copy() for p in params]
        self.t = 0
        self.s1 = [np.zeros_like(p) for p in self.params]
        self.s2 = [np.zeros_like(p) for p in self.params]
        self.u_product = 1.0
        if kind == "Adafactor":
            self.r = [np.zeros(p.shape[:-1]) if p.ndim >= 2 else None for p in self.params]
            self.c = [np.zeros(p.shape[:-2] + p.shape[-1:]) if p.ndim >= 2 else None for p in self.params]
        if kind == "ScheduleFreeAdamW":
            self.s1 = [p.copy() for p in self.params]  # z starts at the variable

    def step(self, grads: list, lr: float) -> list:
        hp, self.t = self.hp, self.t + 1
        t = float(self.t)
        if self.kind == "Nadam":
            self.u_product *= hp.get("beta_1", 0.9) * (1 - 0.5 * 0.96**t)
        for i, g in enumerate(grads):
            g = np.asarray(g, np.float64)
            p = self.params[i]
            decay = self._decay(p)
            if decay is not None:
                p -= p * decay * lr
            getattr(self, "_" + self.kind.lower())(i, p, g, lr, t)
        return self.params

    def _decay(self, p):
        if self.kind == "Muon":
            return self.hp.get("adam_weight_decay", 0.004) if p.ndim != 2 else self.hp.get("weight_decay", 0.004)
        return self.hp.get("weight_decay")

    def _adadelta(self, i, p, g, lr, t):
        rho, eps = self.hp.get("rho", 0.95), self.hp.get("epsilon", 1e-7)
        self.s1[i] = rho * self.s1[i] + (1 - rho) * g * g
        delta = -np.sqrt(self.s2[i] + eps) * g / np.sqrt(self.s1[i] + eps)
        self.s2[i] = rho * self.s2[i] + (1 - rho) * delta * delta
        p += lr * delta

    def _adamax(self, i, p, g, lr, t):
        b1, b2, eps = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999), self.hp.get("epsilon", 1e-7)
        self.s1[i] += (g - self.s1[i]) * (1 - b1)
        self.s2[i] = np.maximum(b2 * self.s2[i], np.abs(g))
        p -= lr * self.s1[i] / ((1 - b1**t) * (self.s2[i] + eps))

    def _nadam(self, i, p, g, lr, t):
        b1, b2, eps = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999), self.hp.get("epsilon", 1e-7)
        u_t, u_next = b1 * (1 - 0.5 * 0.96**t), b1 * (1 - 0.5 * 0.96 ** (t + 1))
        self.s1[i] += (g - self.s1[i]) * (1 - b1)
        self.s2[i] += (g * g - self.s2[i]) * (1 - b2)
        m_hat = u_next * self.s1[i] / (1 - self.u_product * u_next) + (1 - u_t) * g / (1 - self.u_product)
        p -= lr * m_hat / (np.sqrt(self.s2[i] / (1 - b2**t)) + eps)

    def _lamb(self, i, p, g, lr, t):
        b1, b2, eps = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999), self.hp.get("epsilon", 1e-7)
        self.s1[i] += (g - self.s1[i]) * (1 - b1)
        self.s2[i] += (g * g - self.s2[i]) * (1 - b2)
        update = (self.s1[i] / (1 - b1**t)) / (np.sqrt(self.s2[i] / (1 - b2**t)) + eps)
        w_norm, g_norm = np.linalg.norm(p), np.linalg.norm(update)
        ratio = w_norm / g_norm if w_norm > 0 and g_norm > 0 else 1.0
        p -= ratio * lr * update

    def _lion(self, i, p, g, lr, t):
        b1, b2 = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.99)
        p -= lr * np.sign(b1 * self.s1[i] + (1 - b1) * g)
        self.s1[i] = b2 * self.s1[i] + (1 - b2) * g

    def _adafactor(self, i, p, g, lr, t):
        hp = self.hp
        rho = min(lr, 1 / np.sqrt(t))
        alpha = max(hp.get("epsilon_2", 1e-3), _rms(p)) * rho
        sq = g * g + hp.get("epsilon_1", 1e-30)
        beta = 1 - t ** hp.get("beta_2_decay", -0.8)
        if p.ndim >= 2:
            self.r[i] = beta * self.r[i] + (1 - beta) * sq.mean(-1)
            self.c[i] = beta * self.c[i] + (1 - beta) * sq.mean(-2)
            self.s2[i] = (self.r[i] / self.r[i].mean(-1, keepdims=True))[..., None] * self.c[i][..., None, :]
        else:
            self.s2[i] = beta * self.s2[i] + (1 - beta) * sq
        u = g / np.sqrt(self.s2[i])
        u = u / max(1.0, _rms(u) / hp.get("clip_threshold", 1.0))
        p -= alpha * u

    def _muon(self, i, p, g, lr, t):
        hp = self.hp
        if p.ndim != 2:  # AdamW
            lr = lr * hp.get("adam_lr_ratio", 1)
            b1, b2, eps = hp.get("adam_beta_1", 0.9), hp.get("adam_beta_2", 0.999), hp.get("epsilon", 1e-7)
            self.s1[i] += (g - self.s1[i]) * (1 - b1)
            self.s2[i] += (g * g - self.s2[i]) * (1 - b2)
            p -= self.s1[i] * lr * np.sqrt(1 - b2**t) / (1 - b1**t) / (np.sqrt(self.s2[i]) + eps)
            return
        mom = hp.get("momentum", 0.95)
        self.s1[i] = mom * self.s1[i] + g
        direction = g + mom * self.s1[i] if hp.get("nesterov", True) else self.s1[i]
        abc = hp.get("muon_a", 3.4445), hp.get("muon_b", -4.7750), hp.get("muon_c", 2.0315)
        update = lr * _newton_schulz(direction, hp.get("ns_steps", 5), *abc)
        rms_rate = hp.get("rms_rate", 0.2)
        if rms_rate is not None:
            update = update * np.sqrt(max(p.shape)) * rms_rate
        p -= update

    def _schedulefreeadamw(self, i, p, g, lr, t):
        b1, b2, eps = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999), self.hp.get("epsilon", 1e-8)
        warmup = self.hp.get("warmup_steps", 0)
        if warmup > 0:
            lr = lr * min(t / warmup, 1.0)
        self.s2[i] += (g * g - self.s2[i]) * (1 - b2)
        self.s1[i] -= lr * g / (np.sqrt(self.s2[i] / (1 - b2**t)) + eps)
        z = self.s1[i]
        x_old = (p - (1 - b1) * z) / b1  # Keras 3.15 (TensorFlow backend) reads z after its update here
        x_new = (1 - 1 / t) * x_old + z / t
        p[...] = (1 - b1) * z + b1 * x_new
