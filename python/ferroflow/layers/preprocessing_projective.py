"""Random projective augmentations with Keras 3's arguments and formulas: ``RandomShear`` and
``RandomPerspective``. Active only while training; each image draws its own transform, and is resampled by
``image_projective_transform_v3``."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, math_ops
from ..ops.image_transform_ops import image_projective_transform_v3
from ..ops.linalg_ops import solve
from ._augment import FILL_MODES, INTERPOLATIONS, _is_number, base_factor, column
from ._image_layer import ImageLayer, between, per_image
from .preprocessing_geometry import _matrix, _RandomAffine


def _shear_factor(factor: Any, name: str) -> tuple:
    """RandomShear's factors: one number ``f`` in ``[0, 1]`` means ``(-f, f)``; a pair is sorted. A pair may hold
    numbers down to -1, so that the ``(-f, f)`` a config stores rebuilds the layer (Keras refuses it)."""
    message = "The `factor` argument should be a number (or a list of two numbers) in the range [0, 1.0]. "
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message + f"Received: {name}={factor}")
        values = list(factor)
    elif _is_number(factor):
        values = [factor]
    else:
        raise ValueError(message + f"Received: {name}={factor}")
    lowest = -1.0 if len(values) == 2 else 0.0
    for v in values:
        if not _is_number(v) or v > 1.0 or v < lowest:
            raise ValueError(message + f"Received: input_number={v}")
    if len(values) == 1:
        return -abs(factor), abs(factor)
    lower, upper = sorted(values)
    return lower, upper


def _supported(value: str, name: str, choices: tuple) -> None:
    if value not in choices:
        raise NotImplementedError(f"Unknown `{name}` {value}. Expected of one {choices}.")


class RandomShear(_RandomAffine):
    """While training, shears each image by ``x' = x + s_x y`` and ``y' = y + s_y x`` (about the top-left
    corner), ``s_x`` and ``s_y`` drawn from ``x_factor``'s and ``y_factor``'s ranges (one number ``f`` means
    ``(-f, f)``, within ``[0, 1]``) and both negated for a random half of the images."""

    _draws = 3

    def __init__(
        self,
        x_factor: Any = 0.0,
        y_factor: Any = 0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        x_factor = _shear_factor(x_factor, "x_factor")
        y_factor = _shear_factor(y_factor, "y_factor")
        _supported(fill_mode, "fill_mode", FILL_MODES)
        _supported(interpolation, "interpolation", INTERPOLATIONS)
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.x_factor, self.y_factor = x_factor, y_factor

    def _transforms(self, u: Any, height: int, width: int) -> Any:
        sign = array_ops.where(math_ops.greater(column(u, 0), 0.5), -1.0, 1.0)
        shear_y = math_ops.multiply(between(column(u, 1), *self.y_factor), sign)
        shear_x = math_ops.multiply(between(column(u, 2), *self.x_factor), sign)
        return _matrix(1.0, shear_x, 0.0, shear_y, 1.0, 0.0, 0.0, 0.0)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(x_factor=self.x_factor, y_factor=self.y_factor)
        return config


def homography(start: Any, end: Any) -> Any:
    """Keras's ``compute_homography_matrix``: the ``[batch, 8]`` projective transforms that take each of the
    four ``end`` corners (``[batch, 8]``, x and y of each) to the matching ``start`` corner (Python numbers),
    as the 8 x 8 linear system Keras solves."""
    rows = []
    for k in range(4):
        sx, sy = start[2 * k], start[2 * k + 1]
        ex, ey = column(end, 2 * k), column(end, 2 * k + 1)
        x_terms = (math_ops.multiply(ex, -sx), math_ops.multiply(ey, -sx))
        y_terms = (math_ops.multiply(ex, -sy), math_ops.multiply(ey, -sy))
        rows.append(_matrix(ex, ey, 1.0, 0.0, 0.0, 0.0, *x_terms))
        rows.append(_matrix(0.0, 0.0, 0.0, ex, ey, 1.0, *y_terms))
    coefficients = array_ops.stack(rows, axis=1)
    target = math_ops.add(array_ops.zeros_like(end), [float(s) for s in start])
    return array_ops.reshape(solve(coefficients, array_ops.expand_dims(target, -1)), [-1, 8])


class RandomPerspective(ImageLayer):
    """While training, with a probability drawn from ``factor``'s range (one number ``f`` means ``(0, f)``),
    warps each image so that its corners move by random fractions in ``[-scale / 2, scale / 2]`` of their
    coordinates (the top-left corner stays), filling what comes from outside with ``fill_value``."""

    _cast_at_inference = True

    def __init__(
        self,
        factor: Any = 1.0,
        scale: float = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(0, 1))
        if not _is_number(scale) or scale < 0.0 or scale > 1.0:
            raise ValueError(f"The `scale` argument should be a number in the range [0,1]. Received: scale={scale}")
        _supported(interpolation, "interpolation", INTERPOLATIONS)
        self.scale, self.interpolation, self.fill_value = scale, interpolation, fill_value

    def _augment(self, images: Any) -> Any:
        height, width = int(images.shape[1]), int(images.shape[2])
        u = self._uniform(images, 10)
        chosen = math_ops.less(column(u, 1), between(column(u, 0), *self.factor))
        moves = between(u[:, 2:10], -0.5 * self.scale, 0.5 * self.scale)  # [batch, 4 corners x (x, y)]
        start = [0.0, 0.0, width - 1.0, 0.0, 0.0, height - 1.0, width - 1.0, height - 1.0]
        end = math_ops.add(math_ops.multiply(moves, start), start)
        transforms = homography(start, end)
        warped = image_projective_transform_v3(
            images, transforms, (height, width), float(self.fill_value), self.interpolation, "constant"
        )
        return array_ops.where(per_image(chosen), warped, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            factor=self.factor,
            scale=self.scale,
            interpolation=self.interpolation,
            fill_value=self.fill_value,
            seed=self.seed,
        )
        return config
