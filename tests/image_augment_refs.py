"""NumPy references of the formulas Keras 3's image preprocessing layers use (TensorFlow's HSV conversions and
luma, zero-padded filters, Gaussian kernels, homographies), and the fixed test image the pasted Keras numbers
were computed from."""

import numpy as np

LUMA = np.array([0.2989, 0.5870, 0.1140], dtype="float64")


def image(b=2, h=6, w=7, c=3):
    """A fixed image batch in [0, 255] (the one the pasted Keras 3.15 numbers come from)."""
    n = np.arange(b * h * w * c, dtype="float64")
    return ((n * 37 + (n // 5) * 11) % 256).reshape(b, h, w, c).astype("float32")


def rgb_to_hsv(x):
    x = np.asarray(x, dtype="float64")
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = x.max(-1)
    spread = v - x.min(-1)
    s = np.where(v > 0, spread / np.where(v > 0, v, 1), 0.0)
    norm = 1.0 / (6.0 * np.where(spread > 0, spread, 1))
    h = np.where(r == v, norm * (g - b), np.where(g == v, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6))
    h = np.where(spread > 0, h, 0.0)
    h = np.where(h < 0, h + 1, h)
    return np.stack([h, s, v], -1)


def hsv_to_rgb(x):
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * 6
    channels = [
        np.clip(np.abs(dh - 3) - 1, 0, 1),
        np.clip(2 - np.abs(dh - 2), 0, 1),
        np.clip(2 - np.abs(dh - 4), 0, 1),
    ]
    return np.stack([((1 - s) + s * c) * v for c in channels], -1)


def luma(x):
    return (np.asarray(x, dtype="float64") @ LUMA)[..., None]


def filter_same(x, kernel):
    """Each channel of a [b, h, w, c] batch correlated with ``kernel``, zero padded to keep the size."""
    kh, kw = kernel.shape
    _, h, w, _ = x.shape
    padded = np.pad(np.asarray(x, dtype="float64"), ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    return sum(kernel[i, j] * padded[:, i : i + h, j : j + w] for i in range(kh) for j in range(kw))


def gaussian(size, sigma):
    x = np.arange(size) - (size - 1) / 2
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def homography(start, end):
    """The 8 parameters taking each end corner (x, y) to its start corner, as Keras solves for them."""
    a, t = [], []
    for (sx, sy), (ex, ey) in zip(start, end):
        a.append([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey])
        a.append([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey])
        t += [sx, sy]
    return np.linalg.solve(np.array(a, "float64"), np.array(t, "float64"))


def project(params, x, y):
    a0, a1, a2, b0, b1, b2, c0, c1 = params
    k = c0 * x + c1 * y + 1
    return (a0 * x + a1 * y + a2) / k, (b0 * x + b1 * y + b2) / k


def bilinear_constant(img, xs, ys, fill):
    """``img`` [h, w, c] read at float coordinates, bilinear, ``fill`` outside (as ImageProjectiveTransformV3)."""
    h, w, _ = img.shape

    def read(yy, xx):
        inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        vals = img[np.clip(yy, 0, h - 1).astype(int), np.clip(xx, 0, w - 1).astype(int)]
        return np.where(inside[..., None], vals, fill)

    x0, y0 = np.floor(xs), np.floor(ys)
    wx, wy = (xs - x0)[..., None], (ys - y0)[..., None]
    top = (1 - wx) * read(y0, x0) + wx * read(y0, x0 + 1)
    bottom = (1 - wx) * read(y0 + 1, x0) + wx * read(y0 + 1, x0 + 1)
    return (1 - wy) * top + wy * bottom
