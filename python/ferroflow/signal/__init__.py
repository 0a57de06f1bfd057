"""``ferroflow.signal``: TensorFlow's ``tf.signal``: Fourier transforms and their shifts, framing and
overlap-add, window functions, short-time Fourier transforms, DCTs and MDCTs, mel filterbanks and MFCCs."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .dct import dct, idct  # noqa: F401
from .fft_nd import fftnd, ifftnd, irfftnd, rfftnd  # noqa: F401
from .fft_ops import (  # noqa: F401
    fft,
    fft2d,
    fft3d,
    fftshift,
    ifft,
    ifft2d,
    ifft3d,
    ifftshift,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)
from .framing import frame, overlap_and_add  # noqa: F401
from .mel import linear_to_mel_weight_matrix, mfccs_from_log_mel_spectrograms  # noqa: F401
from .spectral import inverse_mdct, inverse_stft, inverse_stft_window_fn, mdct, stft  # noqa: F401
from .windows import (  # noqa: F401
    hamming_window,
    hann_window,
    kaiser_bessel_derived_window,
    kaiser_window,
    vorbis_window,
)

__dir__ = _public_dir(globals())
