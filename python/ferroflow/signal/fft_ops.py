"""``tf.signal``'s Fourier transforms: ``fft``/``ifft`` (1-D to 3-D) of complex tensors, ``rfft``/``irfft`` of
real signals with TensorFlow's ``fft_length`` rule (inputs cropped or zero-padded on the transformed
axes), and ``fftshift``/``ifftshift``. Each transforms the innermost axes and has a gradient."""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .. import errors
from ..framework.graph_constants import static_numpy
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor


def _complex_input(x: Any, what: str, error: type) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_complex:
        raise error(f"{what} requires tf.complex64 or tf.complex128 inputs, received {t.dtype.name}")
    return t


def _fft(x: Any, rank: int, inverse: bool, what: str, name: Optional[str]) -> Tensor:
    # TensorFlow finds no kernel for a real input: InvalidArgumentError, as its eager op raises.
    t = _complex_input(x, what, errors.InvalidArgumentError)
    return apply("complex.ifft" if inverse else "complex.fft", [t], {"rank": rank}, op_name=name)


def fft(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The discrete Fourier transform over the innermost axis."""
    return _fft(input, 1, False, "fft", name)


def ifft(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The inverse transform over the innermost axis, normalized by ``1/n``."""
    return _fft(input, 1, True, "ifft", name)


def fft2d(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    return _fft(input, 2, False, "fft2d", name)


def ifft2d(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    return _fft(input, 2, True, "ifft2d", name)


def fft3d(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    return _fft(input, 3, False, "fft3d", name)


def ifft3d(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    return _fft(input, 3, True, "ifft3d", name)


def _static_lengths(fft_length: Any, rank: int, what: str) -> List[int]:
    value = static_numpy(fft_length)
    lengths = [int(v) for v in np.asarray(value).reshape(-1)]
    if len(lengths) != rank:
        raise ValueError(f"{what} expects fft_length of shape [{rank}], received {lengths}")
    return lengths


def _inner_dims(t: Tensor, rank: int, what: str) -> List[Optional[int]]:
    dims = t.shape.as_list() if t.shape.rank is not None else None
    if dims is None or len(dims) < rank:
        raise ValueError(f"{what} expects a tensor of rank >= {rank}, received shape {t.shape}")
    return dims[len(dims) - rank :]


def _rfft(x: Any, fft_length: Any, rank: int, what: str, name: Optional[str]) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.name not in ("float32", "float64"):
        raise ValueError(f"{what.upper()} requires tf.float32 or tf.float64 inputs, received {t.dtype.name}")
    if fft_length is None:
        inner = _inner_dims(t, rank, what)
        if any(d is None for d in inner):
            raise ValueError(f"{what} needs fft_length when the transformed axes' sizes are unknown ({t.shape})")
        lengths = [int(d) for d in inner]  # type: ignore[arg-type]
    else:
        lengths = _static_lengths(fft_length, rank, what)
    return apply("complex.rfft", [t], {"fft_length": lengths}, op_name=name)


def _irfft(x: Any, fft_length: Any, rank: int, what: str, name: Optional[str]) -> Tensor:
    t = _complex_input(x, what.upper(), ValueError)
    if fft_length is None:
        inner = _inner_dims(t, rank, what)
        if any(d is None for d in inner):
            raise ValueError(f"{what} needs fft_length when the transformed axes' sizes are unknown ({t.shape})")
        # The last axis holds n/2 + 1 frequencies of an even-length signal, as TensorFlow assumes.
        lengths = [int(d) for d in inner[:-1]] + [2 * (int(inner[-1]) - 1)]  # type: ignore[arg-type]
    else:
        lengths = _static_lengths(fft_length, rank, what)
    return apply("complex.irfft", [t], {"fft_length": lengths}, op_name=name)


def rfft(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    """The ``fft_length // 2 + 1`` non-negative frequencies of a real signal's transform (innermost axis)."""
    return _rfft(input_tensor, fft_length, 1, "rfft", name)


def irfft(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    """The real signal of length ``fft_length`` whose non-negative frequencies are ``input_tensor``."""
    return _irfft(input_tensor, fft_length, 1, "irfft", name)


def rfft2d(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    return _rfft(input_tensor, fft_length, 2, "rfft2d", name)


def irfft2d(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    return _irfft(input_tensor, fft_length, 2, "irfft2d", name)


def rfft3d(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    return _rfft(input_tensor, fft_length, 3, "rfft3d", name)


def irfft3d(input_tensor: Any, fft_length: Any = None, name: Optional[str] = None) -> Tensor:
    return _irfft(input_tensor, fft_length, 3, "irfft3d", name)


def _shift(x: Any, axes: Any, inverse: bool) -> Tensor:
    from ..ops.slicing_ops import roll

    t = convert_to_tensor(x)
    rank = t.shape.rank
    if rank is None:
        raise ValueError("fftshift needs a tensor of known rank")
    axes_list = list(range(rank)) if axes is None else ([axes] if isinstance(axes, int) else list(axes))
    dims = t.shape.as_list()
    shifts = []
    for ax in axes_list:
        n = dims[ax]
        if n is None:
            raise ValueError(f"fftshift needs the size of axis {ax} to be known, received shape {t.shape}")
        shifts.append(-(n // 2) if inverse else n // 2)
    return roll(t, shift=shifts, axis=axes_list)


def fftshift(x: Any, axes: Any = None, name: Optional[str] = None) -> Tensor:
    """Moves the zero frequency to the middle of each of ``axes`` (all by default), as NumPy's."""
    return _shift(x, axes, inverse=False)


def ifftshift(x: Any, axes: Any = None, name: Optional[str] = None) -> Tensor:
    """Undoes ``fftshift``."""
    return _shift(x, axes, inverse=True)
