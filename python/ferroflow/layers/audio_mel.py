"""Keras 3's ``MelSpectrogram`` layer: the power of a centred short-time Fourier transform (``keras.ops.stft``
with ``center=True``: reflect padding and a Hann window padded to ``fft_length``), an HTK mel filterbank and
a decibel scale clipped ``top_db`` below the maximum, computed as Keras 3.15's TensorFlow backend does."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops, tiling_ops
from .base_layer import Layer


def _reflect_pad(x: Any, width: int) -> Any:
    """``tf.pad(x, ..., mode="REFLECT")`` on the last axis, by slices (so the batch size may be unknown)."""
    if width == 0:
        return x
    left = x[..., width:0:-1]
    right = x[..., -2 : -width - 2 : -1]
    return array_ops.concat([left, x, right], -1)


def centered_stft(x: Any, sequence_length: int, sequence_stride: int, fft_length: int, window: Any) -> tuple:
    """``keras.ops.stft(x, ..., center=True)``: real and imaginary parts of the STFT of the signal padded by
    ``fft_length // 2`` reflected samples at each end."""
    from ..signal import hamming_window, hann_window, stft

    if x.dtype.name not in ("float32", "float64"):
        raise TypeError(f"Invalid input type. Expected `float32` or `float64`. Received: input type={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError(
            "`fft_length` must equal or larger than `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )
    if isinstance(window, str) and window not in ("hann", "hamming"):
        raise ValueError(
            f'If a string is passed to `window`, it must be one of `"hann"`, `"hamming"`. Received: window={window}'
        )
    x = _reflect_pad(x, fft_length // 2)
    l_pad = (fft_length - sequence_length) // 2
    r_pad = fft_length - sequence_length - l_pad
    window_fn = None
    if window is not None:
        if isinstance(window, str):
            fn = hann_window if window == "hann" else hamming_window
            values = fn(sequence_length, periodic=True, dtype=x.dtype)
        else:
            values = convert_to_tensor(window, dtype=x.dtype)
        if values.shape.rank != 1 or values.shape[-1] != sequence_length:
            raise ValueError(
                f"The shape of `window` must be equal to [sequence_length].Received: window shape={values.shape}"
            )
        padded = tiling_ops.pad(values, [[l_pad, r_pad]])

        def window_fn(frame_length: Any, dtype: Any) -> Any:
            return padded

    result = stft(x, sequence_length + l_pad + r_pad, sequence_stride, fft_length, window_fn=window_fn)
    from ..ops.complex_ops import imag, real

    return real(result), imag(result)


class MelSpectrogram(Layer):
    """Mel spectrograms ``(batch, num_mel_bins, frames)`` of ``(batch, samples)`` audio (or one unbatched
    signal): ``|STFT| ** mag_exp`` on the mel scale, in decibels relative to ``ref_power`` when
    ``power_to_db``."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: Optional[int] = None,
        window: Any = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: Optional[float] = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs: Any,
    ) -> None:
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                "`fft_length` must be greater than or equal to   `sequence_length`. Received: `sequence_length`="
                f"{self.sequence_length}, `fft_length`={self.fft_length}."
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)

    def call(self, inputs: Any) -> Any:
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        x = array_ops.cast(convert_to_tensor(inputs), dtype)
        real, imag = centered_stft(x, self.sequence_length, self.sequence_stride, self.fft_length, self.window)
        spec = math_ops.pow(math_ops.sqrt(math_ops.square(real) + math_ops.square(imag)), self.mag_exp)
        out = math_ops.matmul(spec, array_ops.cast(self._mel_matrix(spec.shape[-1]), spec.dtype))
        if self.power_to_db:
            out = self._dbscale(out)
        rank = out.shape.rank
        out = array_ops.transpose(out, list(range(rank - 2)) + [rank - 1, rank - 2])
        return array_ops.cast(out, self.compute_dtype)

    def _mel_matrix(self, num_spectrogram_bins: int) -> Any:
        from ..signal.mel import mel_weights

        return mel_weights(
            self.num_mel_bins, int(num_spectrogram_bins), self.sampling_rate, self.min_freq, self.max_freq, "float32"
        )

    def _dbscale(self, x: Any) -> Any:
        def log10(v: Any) -> Any:
            return math_ops.log(v) / math_ops.log(convert_to_tensor(10.0, dtype=v.dtype))

        log_spec = 10.0 * log10(math_ops.maximum(x, self.min_power))
        ref = math_ops.abs(convert_to_tensor(self.ref_power, dtype=log_spec.dtype))
        log_spec = log_spec - 10.0 * log10(math_ops.maximum(ref, self.min_power))
        return math_ops.maximum(log_spec, math_ops.reduce_max(log_spec) - self.top_db)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        time = shape[-1]
        # Keras's own rule (one frame more than the STFT gives when samples + 1 is a multiple of the stride).
        frames = None if time is None else (time + self.sequence_stride + 1) // self.sequence_stride
        return (self.num_mel_bins, frames) if len(shape) == 1 else (shape[0], self.num_mel_bins, frames)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            fft_length=self.fft_length,
            sequence_stride=self.sequence_stride,
            sequence_length=self.sequence_length,
            window=self.window,
            sampling_rate=self.sampling_rate,
            num_mel_bins=self.num_mel_bins,
            min_freq=self.min_freq,
            max_freq=self.max_freq,
            power_to_db=self.power_to_db,
            top_db=self.top_db,
            mag_exp=self.mag_exp,
            min_power=self.min_power,
            ref_power=self.ref_power,
        )
        return config
