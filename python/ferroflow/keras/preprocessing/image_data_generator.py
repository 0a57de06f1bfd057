"""``keras.preprocessing.image.ImageDataGenerator``: the augmentation parameters, their random draws (in
Keras's order, from NumPy's global generator) and the standardization; the iterators it returns are in
``image_generator.py``."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .image_generator import DirectoryIterator, NumpyArrayIterator, apply_affine_transform


def _range_pair(value: Any, name: str) -> Optional[list]:
    if np.isscalar(value):
        return [1 - value, 1 + value]
    if len(value) == 2:
        return [value[0], value[1]]
    raise ValueError(f"`{name}` should be a float or a tuple or list of two floats. Received: {value}")


class ImageDataGenerator:
    """Batches of images with random rotations, shifts, shears, zooms, flips and channel or brightness shifts,
    then rescaled and standardized (sample- or feature-wise, ZCA after ``fit``)."""

    def __init__(
        self,
        featurewise_center: bool = False,
        samplewise_center: bool = False,
        featurewise_std_normalization: bool = False,
        samplewise_std_normalization: bool = False,
        zca_whitening: bool = False,
        zca_epsilon: float = 1e-6,
        rotation_range: float = 0,
        width_shift_range: Any = 0.0,
        height_shift_range: Any = 0.0,
        brightness_range: Any = None,
        shear_range: float = 0.0,
        zoom_range: Any = 0.0,
        channel_shift_range: float = 0.0,
        fill_mode: str = "nearest",
        cval: float = 0.0,
        horizontal_flip: bool = False,
        vertical_flip: bool = False,
        rescale: Optional[float] = None,
        preprocessing_function: Optional[Callable] = None,
        data_format: Optional[str] = None,
        validation_split: float = 0.0,
        interpolation_order: int = 1,
        dtype: Any = None,
    ) -> None:
        self.featurewise_center, self.samplewise_center = featurewise_center, samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range, self.shear_range = rotation_range, shear_range
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.channel_shift_range, self.fill_mode, self.cval = channel_shift_range, fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.interpolation_order = interpolation_order
        self.dtype = np.dtype("float32" if dtype is None else getattr(dtype, "name", dtype))
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                '`data_format` should be `"channels_last"` (channel after row and column) or '
                f'`"channels_first"` (channel before row and column). Received: {data_format}'
            )
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if data_format == "channels_first" else (3, 1, 2)
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(f"`validation_split` must be strictly between 0 and 1. Received: {validation_split}")
        self._validation_split = validation_split
        self.zoom_range = _range_pair(zoom_range, "zoom_range")
        if brightness_range is not None and len(brightness_range) != 2:
            raise ValueError(f"`brightness_range should be tuple or list of two floats. Received: {brightness_range}")
        self.brightness_range = brightness_range
        self.mean = self.std = self.zca_whitening_matrix = None

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, **kwargs) -> Any:
        return NumpyArrayIterator(x, y, self, batch_size, shuffle, sample_weight, seed)

    def flow_from_directory(
        self, directory, target_size=(256, 256), color_mode="rgb", classes=None, class_mode="categorical",
        batch_size=32, shuffle=True, seed=None, subset=None, **kwargs,
    ) -> Any:  # fmt: skip
        return DirectoryIterator(
            directory, self, target_size, color_mode, classes, class_mode, batch_size, shuffle, seed, subset
        )

    def standardize(self, x: np.ndarray) -> np.ndarray:
        """``preprocessing_function``, ``rescale``, then the sample- and feature-wise normalizations."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x = x * self.rescale
        axis = self.channel_axis - 1
        if self.samplewise_center:
            x = x - np.mean(x, axis=axis, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, axis=axis, keepdims=True) + 1e-6)
        if self.featurewise_center and self.mean is not None:
            x = x - self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x = x / (self.std + 1e-6)
        if self.zca_whitening and self.zca_whitening_matrix is not None:
            x = (np.reshape(x, (1, -1)) @ self.zca_whitening_matrix).reshape(x.shape)
        return x

    def get_random_transform(self, img_shape: tuple, seed: Optional[int] = None) -> dict:
        """One draw of every parameter, in Keras's order (so a seed gives Keras's parameters)."""
        row, col = self.row_axis - 1, self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)

        def shift(rng: Any, size: int) -> float:
            if not np.any(rng):
                return 0
            try:  # an int (pixels in range(rng)) or a list of values, with a random sign, as Keras draws
                v = np.random.choice(rng)
                v *= np.random.choice([-1, 1])
            except ValueError:  # a float: a fraction of the size
                v = np.random.uniform(-rng, rng)
            return v * size if np.max(rng) < 1 else v

        theta = np.random.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = shift(self.height_shift_range, img_shape[row])
        ty = shift(self.width_shift_range, img_shape[col])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        zx, zy = (1, 1) if self.zoom_range == [1, 1] else np.random.uniform(*self.zoom_range, 2)
        flip_h = (np.random.random() < 0.5) * self.horizontal_flip
        flip_v = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = np.random.uniform(*self.brightness_range) if self.brightness_range is not None else None
        return dict(theta=theta, tx=tx, ty=ty, shear=shear, zx=zx, zy=zy, flip_horizontal=flip_h,
                    flip_vertical=flip_v, channel_shift_intensity=channel_shift, brightness=brightness)  # fmt: skip

    def apply_transform(self, x: np.ndarray, transform_parameters: dict) -> np.ndarray:
        """One image (no batch axis) with the given parameters applied."""
        row, col, ch = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        p = transform_parameters
        x = apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0), p.get("zx", 1),
            p.get("zy", 1), row_axis=row, col_axis=col, channel_axis=ch, fill_mode=self.fill_mode,
            cval=self.cval, order=self.interpolation_order,
        )  # fmt: skip
        if p.get("channel_shift_intensity") is not None:
            x = np.moveaxis(x, ch, 0)
            lo, hi = np.min(x), np.max(x)
            x = np.moveaxis(np.clip(x + p["channel_shift_intensity"], lo, hi), 0, ch)
        if p.get("flip_horizontal", False):
            x = np.flip(x, col)
        if p.get("flip_vertical", False):
            x = np.flip(x, row)
        if p.get("brightness") is not None:  # PIL's Brightness enhance on the image scaled to 0..255
            lo, hi = float(np.min(x)), float(np.max(x))
            scale = 255.0 / (hi - lo) if hi > lo else 1.0
            img = np.clip(np.round(np.clip((x - lo) * scale, 0, 255) * p["brightness"]), 0, 255)
            x = img.astype(x.dtype)
        return x

    def random_transform(self, x: np.ndarray, seed: Optional[int] = None) -> np.ndarray:
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x: Any, augment: bool = False, rounds: int = 1, seed: Optional[int] = None) -> None:
        """Feature-wise mean, std and ZCA matrix of ``x`` (rank 4), optionally over augmented copies."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}")
        if seed is not None:
            np.random.seed(seed)
        if augment:
            x = np.stack([self.random_transform(x[i]) for _ in range(rounds) for i in range(len(x))])
        axes = (0, self.row_axis, self.col_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), shape)
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), shape)
            x = x / (self.std + 1e-6)
        if self.zca_whitening:
            flat = np.reshape(x, (x.shape[0], -1))
            u, s, _ = np.linalg.svd(flat.T @ flat / flat.shape[0])
            self.zca_whitening_matrix = (u * (1.0 / np.sqrt(s[np.newaxis] + self.zca_epsilon))) @ u.T
