"""Keras 3's audio layers: ``STFTSpectrogram`` (an STFT as a strided convolution with trainable Fourier
kernels) and ``MelSpectrogram`` (centred STFT power, HTK mel filterbank, decibels), with Keras 3.15's
defaults, weights (``real_kernel``, ``imag_kernel``), output layouts and configs."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, conv_ops, math_ops, special_math_ops, tiling_ops
from ._conv_utils import data_format_of
from .base_layer import Layer

_MODES = ["log", "magnitude", "psd", "real", "imag", "angle", "stft"]


def _window_values(window: Any, length: int, periodic: bool, dtype: str) -> Optional[np.ndarray]:
    """The window as scipy.signal.get_window(window, length, fftbins=periodic) gives it, for the windows
    Keras documents ("hann", "hamming") or explicit values; None for no window."""
    from ..signal import hamming_window, hann_window

    if window is None:
        return None
    if isinstance(window, str):
        fn = {"hann": hann_window, "hamming": hamming_window}.get(window)
        if fn is None:
            raise ValueError(f"window must be 'hann', 'hamming', None or an array of values, received {window!r}")
        return fn(length, periodic=periodic, dtype="float64").numpy().astype(dtype)
    values = np.asarray(window.numpy() if hasattr(window, "numpy") else window, dtype=dtype)
    if values.ndim != 1 or values.shape[-1] != length:
        raise ValueError(f"The shape of `window` must be equal to [frame_length].Received: window shape={values.shape}")
    return values


def stft_kernel(side: str, window: Any, scaling: Optional[str], periodic: bool, shape: Any, dtype: str) -> np.ndarray:
    """Keras's ``initializers.STFT``: ``cos`` (real side) or ``sin`` (imaginary side) of ``-2 pi t f / n``
    for a ``(frame_length, 1, n // 2 + 1)`` kernel, times the window over its L2 ("density") or L1
    ("spectrum") norm."""
    frame_length, _, bins = (int(d) for d in shape)
    n = (bins - 1) * 2
    freq = np.arange(bins, dtype=dtype).reshape(1, 1, bins) / np.asarray(n, dtype)
    time = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
    args = (np.asarray(-2, dtype) * time * freq) * np.arccos(np.asarray(-1, dtype))
    kernel = (np.cos(args) if side == "real" else np.sin(args)).astype(dtype)
    win = _window_values(window, frame_length, periodic, dtype)
    if win is None:
        return kernel
    win = win.reshape(frame_length, 1, 1)
    scale = {"density": np.sqrt(np.sum(np.square(win))), "spectrum": np.sum(np.abs(win))}.get(scaling, 1)
    return (kernel * win / np.asarray(scale, dtype)).astype(dtype)


class STFTSpectrogram(Layer):
    """Spectrograms of ``(batch, time, channels)`` signals (``channels_last``) by a short-time Fourier
    transform computed as a strided 1-D convolution whose cosine and sine kernels are trainable weights."""

    def __init__(
        self,
        mode: str = "log",
        frame_length: int = 256,
        frame_step: Optional[int] = None,
        fft_length: Optional[int] = None,
        window: Any = "hann",
        periodic: bool = False,
        scaling: Optional[str] = "density",
        padding: str = "valid",
        expand_dims: bool = False,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                "`frame_step` should be a positive integer not greater than `frame_length`. "
                f"Received frame_step={frame_step}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                "`fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            import warnings

            warnings.warn(
                f"`fft_length` is recommended to be a power of two. Received fft_length={fft_length}", stacklevel=2
            )
        if mode not in _MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(_MODES)}. Received: mode={mode}")
        if scaling is not None and scaling not in ["density", "spectrum"]:
            raise ValueError(
                f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. Received scaling={scaling}"
            )
        if padding not in ["valid", "same"]:
            raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding}")
        _window_values(window, frame_length, periodic, "float64")
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = data_format_of(data_format)

    def build(self, input_shape: Any) -> None:
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != ("imag" if side == "real" else "real"):

                def init(shape: Any, dtype: Any = None, side: str = side) -> np.ndarray:
                    return stft_kernel(side, self.window, self.scaling, self.periodic, shape, dtype or "float32")

                setattr(self, f"{side}_kernel", self.add_weight(name=f"{side}_kernel", shape=shape, initializer=init))
        self.built = True

    def _conv(self, x: Any, kernel: Any) -> Any:
        """``(batch, time, 1)`` to ``(batch, frames, bins)``."""
        return conv_ops.conv1d(x, array_ops.cast(kernel, x.dtype), self._frame_step, self.padding.upper())

    def _channel(self, x: Any) -> Any:
        """One channel's ``(batch, frames, bins)`` output for the mode (``2 * bins`` for "stft")."""
        real = self._conv(x, self.real_kernel) if self.mode != "imag" else None
        imag = self._conv(x, self.imag_kernel) if self.mode != "real" else None
        if self.mode in ("real", "imag"):
            return real if self.mode == "real" else imag
        if self.mode == "angle":
            return special_math_ops.atan2(imag, real)
        if self.mode == "stft":
            return array_ops.concat([real, imag], -1)
        power = math_ops.square(real) + math_ops.square(imag)
        if self.mode == "psd":
            return power + tiling_ops.pad(power[..., 1:-1], [[0, 0], [0, 0], [1, 1]])
        from ..keras.backend import epsilon

        magnitude = math_ops.sqrt(math_ops.maximum(power, epsilon()))
        return magnitude if self.mode == "magnitude" else math_ops.log(math_ops.maximum(magnitude, epsilon()))

    def call(self, inputs: Any) -> Any:
        x = convert_to_tensor(inputs)
        if x.dtype.name not in ("float16", "float32", "float64"):
            raise TypeError(
                f"Invalid input type. Expected `float16`, `float32` or `float64`. Received: input type={x.dtype}"
            )
        if x.shape.rank != 3:
            raise ValueError(f"Input 0 of layer '{self.name}' expected ndim=3, found ndim={x.shape.rank}")
        last = self.data_format == "channels_last"
        channels = x.shape[-1] if last else x.shape[1]
        per_channel = [self._channel(x[..., c : c + 1] if last else x[:, c, :, None]) for c in range(channels)]
        if self.expand_dims:
            return array_ops.stack(per_channel, -1 if last else 1)
        if last:
            return array_ops.concat(per_channel, -1)
        return array_ops.concat([array_ops.transpose(y, [0, 2, 1]) for y in per_channel], 1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        batch, a, b = tuple(input_shape)
        time, channels = (a, b) if self.data_format == "channels_last" else (b, a)
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        if time is not None:
            if self.padding == "valid":
                time = (time - self.frame_length) // self._frame_step + 1
            else:
                time = -(-time // self._frame_step)
        last = self.data_format == "channels_last"
        if self.expand_dims:
            return (batch, time, bins, channels) if last else (batch, channels, time, bins)
        features = None if channels is None else bins * channels
        return (batch, time, features) if last else (batch, features, time)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            mode=self.mode,
            frame_length=self.frame_length,
            frame_step=self.frame_step,
            fft_length=self.fft_length,
            window=self.window,
            periodic=self.periodic,
            scaling=self.scaling,
            padding=self.padding,
            data_format=self.data_format,
            expand_dims=self.expand_dims,
        )
        return config
