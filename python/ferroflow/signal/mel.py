"""Mel-scale filterbanks (``linear_to_mel_weight_matrix``) and MFCCs (``mfccs_from_log_mel_spectrograms``).

The mel scale is HTK's, ``mel(f) = 1127 ln(1 + f / 700)``, and the filterbank is built with TensorFlow's
operations in the requested dtype: triangles linear in mel with a peak of 1, the DC bin left out.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.dtypes import float32
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, construction_ops, math_ops, tiling_ops
from ._args import floating_dtype, static_value
from .dct import dct
from .framing import frame

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz: Tensor) -> Tensor:
    return _MEL_HIGH_FREQUENCY_Q * math_ops.log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def _validate(num_mel_bins: int, sample_rate: float, lower: float, upper: float) -> None:
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower}")
    if lower >= upper:
        raise ValueError(f"lower_edge_hertz {lower:.1f} >= upper_edge_hertz {upper:.1f}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper > sample_rate / 2:
        raise ValueError(
            "upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). "
            f"Got {upper} for sample_rate: {sample_rate}"
        )


def _python_number(value: Any, what: str, integer: bool = False) -> Any:
    arr = static_value(value, what)
    if arr.ndim != 0:
        raise ValueError(f"Shape {arr.shape} must have rank 0 ({what})")
    if integer and arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be an integer, received {value!r} of dtype {arr.dtype.name}")
    return arr.item()


def linear_to_mel_weight_matrix(
    num_mel_bins: int = 20,
    num_spectrogram_bins: Any = 129,
    sample_rate: Any = 8000,
    lower_edge_hertz: float = 125.0,
    upper_edge_hertz: float = 3800.0,
    dtype: Any = float32,
    name: Optional[str] = None,
) -> Tensor:
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix taking linear-frequency spectrogram bins (from 0 to
    ``sample_rate / 2``) to ``num_mel_bins`` triangular mel bands spanning ``[lower_edge_hertz,
    upper_edge_hertz]``: ``tf.tensordot(spectrogram, matrix, 1)`` is a mel spectrogram."""
    mel_bins = _python_number(num_mel_bins, "num_mel_bins", integer=True)
    bins = _python_number(num_spectrogram_bins, "num_spectrogram_bins", integer=True)
    rate = _python_number(sample_rate, "sample_rate")
    lower = float(_python_number(lower_edge_hertz, "lower_edge_hertz"))
    upper = float(_python_number(upper_edge_hertz, "upper_edge_hertz"))
    _validate(mel_bins, rate, lower, upper)
    d = floating_dtype(dtype)
    if bins < 0:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"num_spectrogram_bins must be non-negative, received {bins}")
    return mel_weights(mel_bins, bins, rate, lower, upper, d)


def mel_weights(num_mel_bins: int, num_spectrogram_bins: int, rate: Any, lower: Any, upper: Any, dtype: Any) -> Tensor:
    """The filterbank of ``linear_to_mel_weight_matrix`` without its argument checks (Keras's MelSpectrogram
    builds the same matrix and accepts any edges)."""
    rate_t = array_ops.cast(rate, dtype)
    lower_t = convert_to_tensor(lower, dtype=dtype)
    upper_t = convert_to_tensor(upper, dtype=dtype)
    zero = convert_to_tensor(0.0, dtype=dtype)
    # HTK leaves out the DC bin: its row of the matrix is zero.
    linear = construction_ops.linspace(zero, rate_t / 2.0, max(num_spectrogram_bins, 1))[1:]
    spectrogram_mel = array_ops.expand_dims(_hertz_to_mel(linear), 1)
    # Band k spans mel edges k .. k+2 of num_mel_bins + 2 equally spaced edges, peaking at edge k+1.
    edges = frame(
        construction_ops.linspace(_hertz_to_mel(lower_t), _hertz_to_mel(upper_t), num_mel_bins + 2),
        frame_length=3,
        frame_step=1,
    )
    lower_mel, center_mel, upper_mel = (array_ops.reshape(edges[:, i], [1, num_mel_bins]) for i in range(3))
    lower_slopes = (spectrogram_mel - lower_mel) / (center_mel - lower_mel)
    upper_slopes = (upper_mel - spectrogram_mel) / (upper_mel - center_mel)
    weights = math_ops.maximum(zero, math_ops.minimum(lower_slopes, upper_slopes))
    return tiling_ops.pad(weights, [[1, 0], [0, 0]])


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms: Any, name: Optional[str] = None) -> Tensor:
    """Mel-frequency cepstral coefficients of ``[..., num_mel_bins]`` log-magnitude mel spectrograms: their
    DCT-II scaled by ``sqrt(2 / num_mel_bins) / 2`` (HTK's scaling: orthonormal but for the 0th bin)."""
    t = convert_to_tensor(log_mel_spectrograms)
    if t.shape.rank == 0:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError("slice index -1 of dimension 0 out of bounds: log_mel_spectrograms is a scalar")
    num_mel_bins = t.shape[-1] if t.shape.rank is not None else None
    if num_mel_bins == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {t}")
    if num_mel_bins is None:
        raise ValueError(f"mfccs_from_log_mel_spectrograms needs the number of mel bins known, received {t.shape}")
    dct2 = dct(t, type=2)
    return dct2 * math_ops.rsqrt(array_ops.cast(num_mel_bins, dct2.dtype) * 2.0)
