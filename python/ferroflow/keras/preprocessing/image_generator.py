"""``keras.preprocessing.image.ImageDataGenerator``: Keras's legacy real-time augmentation (random affine
transforms, flips, channel and brightness shifts, rescaling and standardization) over NumPy arrays or a
directory of class folders, as the batches of an endless iterator. Kept because guides still build
``tf.data`` pipelines from it with ``Dataset.from_generator``. Transform matrices, parameter draws and their
order are Keras's; sampling is bilinear (``interpolation_order=1``) or nearest (``0``) in NumPy.
"""

from __future__ import annotations

import math
import os
from typing import Any, Optional

import numpy as np

_IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")
_MODES = ("constant", "nearest", "reflect", "wrap")


def _fold(c: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Sample coordinates outside the image mapped back as SciPy's ndimage modes do (before sampling)."""
    if mode == "reflect":  # half-sample symmetric: d c b a | a b c d | d c b a
        f = np.mod(c + 0.5, 2 * n)
        return np.where((c < -0.5) | (c > n - 0.5), np.where(f > n, 2 * n - f, f) - 0.5, c)
    if mode == "wrap":  # period n - 1: the first and last samples overlap
        return np.where((c < 0) | (c > n - 1), np.mod(c, max(n - 1, 1)), c)
    return c


def _sample(channel: np.ndarray, rows: np.ndarray, cols: np.ndarray, order: int, mode: str, cval: float):
    h, w = channel.shape
    outside = (rows < 0) | (rows > h - 1) | (cols < 0) | (cols > w - 1)
    rows, cols = _fold(rows, h, mode), _fold(cols, w, mode)
    if order == 0:
        r = np.clip(np.floor(rows + 0.5).astype(np.int64), 0, h - 1)
        c = np.clip(np.floor(cols + 0.5).astype(np.int64), 0, w - 1)
        out = channel[r, c].astype(np.float64)
    else:
        r0, c0 = np.floor(rows).astype(np.int64), np.floor(cols).astype(np.int64)
        fr, fc = rows - r0, cols - c0
        out = np.zeros(rows.shape)
        for dr, wr in ((0, 1 - fr), (1, fr)):
            for dc, wc in ((0, 1 - fc), (1, fc)):
                out += wr * wc * channel[np.clip(r0 + dr, 0, h - 1), np.clip(c0 + dc, 0, w - 1)]
    return np.where(outside, cval, out) if mode == "constant" else out


def apply_affine_transform(
    x: np.ndarray,
    theta: float = 0,
    tx: float = 0,
    ty: float = 0,
    shear: float = 0,
    zx: float = 1,
    zy: float = 1,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    order: int = 1,
) -> np.ndarray:
    """Rotation (degrees), shift, shear (degrees) and zoom about the image centre, composed as Keras does."""
    if fill_mode not in _MODES:
        raise ValueError(f"fill_mode must be one of {_MODES}, received {fill_mode!r}")
    mats = []
    if theta != 0:
        t = np.deg2rad(theta)
        mats.append(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        mats.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=np.float64))
    if shear != 0:
        s = np.deg2rad(shear)
        mats.append(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        mats.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]], dtype=np.float64))
    if not mats:
        return x
    m = mats[0]
    for extra in mats[1:]:
        m = m @ extra
    h, w = x.shape[row_axis], x.shape[col_axis]
    o_r, o_c = h / 2 - 0.5, w / 2 - 0.5
    m = np.array([[1, 0, o_r], [0, 1, o_c], [0, 0, 1]]) @ m @ np.array([[1, 0, -o_r], [0, 1, -o_c], [0, 0, 1]])
    if col_axis > row_axis:  # the matrix is built as (x, y); arrays index (row, col)
        m[:, [0, 1]] = m[:, [1, 0]]
        m[[0, 1]] = m[[1, 0]]
    x = np.moveaxis(np.asarray(x), channel_axis, 0)
    plane = x.shape[1:]  # the two spatial axes in array order
    grid = np.indices(plane).reshape(2, -1).astype(np.float64)
    src = m[:2, :2] @ grid + m[:2, 2:3]
    rows, cols = src[0].reshape(plane), src[1].reshape(plane)
    out = np.stack([_sample(ch, rows, cols, order, fill_mode, cval) for ch in x], axis=0)
    return np.moveaxis(out, 0, channel_axis).astype(x.dtype)


def load_image(path: str, color_mode: str = "rgb", target_size: Optional[tuple] = None) -> np.ndarray:
    """An image file as a float32 array (height, width, channels), resized by nearest neighbour as PIL does."""
    from ...ops.image_codec_ops import decode_image

    channels = {"grayscale": 1, "rgb": 3, "rgba": 4}.get(color_mode)
    if channels is None:
        raise ValueError(f'color_mode must be "grayscale", "rgb" or "rgba", received {color_mode!r}')
    with open(path, "rb") as f:
        img = np.asarray(decode_image(f.read(), channels=channels, expand_animations=False).numpy())
    if target_size is not None and tuple(img.shape[:2]) != tuple(target_size):
        h, w = img.shape[:2]
        th, tw = target_size
        r = np.minimum(np.floor((np.arange(th) + 0.5) * h / th).astype(np.int64), h - 1)
        c = np.minimum(np.floor((np.arange(tw) + 0.5) * w / tw).astype(np.int64), w - 1)
        img = img[r][:, c]
    return img.astype(np.float32)


class Iterator:
    """Batches of indices over ``n`` samples, reshuffled each epoch, without end (Keras's ``Iterator``)."""

    def __init__(self, n: int, batch_size: int, shuffle: bool, seed: Optional[int]) -> None:
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.batch_index, self.total_batches_seen = 0, 0
        self.index_array = None

    def _set_index_array(self) -> None:
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __len__(self) -> int:
        return math.ceil(self.n / self.batch_size)

    def on_epoch_end(self) -> None:
        self._set_index_array()

    def reset(self) -> None:
        self.batch_index = 0

    def __getitem__(self, idx: int) -> Any:
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}")
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batches_of_transformed_samples(
            self.index_array[self.batch_size * idx : self.batch_size * (idx + 1)]
        )

    def __iter__(self) -> Iterator:
        return self

    def __next__(self) -> Any:
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        if self.batch_index == 0:
            self._set_index_array()
        if self.n == 0:
            raise StopIteration
        start = self.batch_index * self.batch_size
        self.batch_index = self.batch_index + 1 if start + self.batch_size < self.n else 0
        self.total_batches_seen += 1
        return self._get_batches_of_transformed_samples(self.index_array[start : start + self.batch_size])

    def _transformed(self, x: np.ndarray) -> np.ndarray:
        gen = self.image_data_generator
        params = gen.get_random_transform(x.shape)
        return gen.standardize(gen.apply_transform(x.astype(gen.dtype), params))


class NumpyArrayIterator(Iterator):
    """``ImageDataGenerator.flow``: augmented batches of ``x`` (with ``y`` and ``sample_weight`` when given)."""

    def __init__(self, x, y, image_data_generator, batch_size, shuffle, sample_weight, seed) -> None:
        self.x = np.asarray(x, dtype=image_data_generator.dtype)
        if self.x.ndim != 4:
            raise ValueError(
                f"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with shape {self.x.shape}"
            )
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same length. "
                f"Found: x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}"
            )
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        batch_x = np.stack([self._transformed(self.x[j]) for j in index_array]).astype(self.x.dtype)
        out = (batch_x,) if self.y is None else (batch_x, self.y[index_array])
        if self.sample_weight is not None:
            out += (self.sample_weight[index_array],)
        return out[0] if len(out) == 1 else out


class DirectoryIterator(Iterator):
    """``ImageDataGenerator.flow_from_directory``: one class per subfolder, labels by ``class_mode``."""

    def __init__(self, directory, image_data_generator, target_size, color_mode, classes, class_mode,
                 batch_size, shuffle, seed, subset=None) -> None:  # fmt: skip
        if class_mode not in ("categorical", "binary", "sparse", "input", None):
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of "
                             '"categorical", "binary", "sparse", "input" or None.')  # fmt: skip
        directory = os.fsdecode(directory)
        self.directory, self.image_data_generator = directory, image_data_generator
        self.target_size, self.color_mode, self.class_mode = tuple(target_size), color_mode, class_mode
        if classes is None:
            classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        self.class_indices = {c: i for i, c in enumerate(classes)}
        self.filenames, labels = [], []
        for c in classes:
            for root, _, files in sorted(os.walk(os.path.join(directory, c))):
                for name in sorted(files):
                    if name.lower().endswith(_IMAGE_EXTENSIONS):
                        self.filenames.append(os.path.relpath(os.path.join(root, name), directory))
                        labels.append(self.class_indices[c])
        split = image_data_generator._validation_split
        if subset is not None and split:
            cut = int(len(self.filenames) * split)  # per directory order, as Keras's split of each class
            keep = slice(0, cut) if subset == "validation" else slice(cut, None)
            self.filenames, labels = self.filenames[keep], labels[keep]
        self.classes = np.array(labels, dtype=np.int32)
        self.num_classes = len(classes)
        print(f"Found {len(self.filenames)} images belonging to {self.num_classes} classes.")
        super().__init__(len(self.filenames), batch_size, shuffle, seed)

    @property
    def filepaths(self) -> list:
        return [os.path.join(self.directory, f) for f in self.filenames]

    def _get_batches_of_transformed_samples(self, index_array: np.ndarray) -> Any:
        paths = self.filepaths
        batch_x = np.stack(
            [self._transformed(load_image(paths[j], self.color_mode, self.target_size)) for j in index_array]
        ).astype(self.image_data_generator.dtype)
        dtype = self.image_data_generator.dtype
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, self.classes[index_array].astype(dtype)
        if self.class_mode == "categorical":
            return batch_x, np.eye(self.num_classes, dtype=dtype)[self.classes[index_array]]
        return batch_x
