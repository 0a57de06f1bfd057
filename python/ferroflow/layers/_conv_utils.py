"""Argument forms and output sizes shared by the convolution and pooling layers (Keras 3's rules)."""

from __future__ import annotations

from typing import Any, Optional


def normalize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple:
    """An int or ``n`` ints as a tuple of ``n`` ints, with Keras's error for anything else."""
    values = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        values = tuple(int(v) for v in values)
    except (TypeError, ValueError):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}") from None
    if len(values) != n or any(isinstance(v, bool) for v in values):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}")
    if any(v < 0 or (v == 0 and not allow_zero) for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"The `{name}` argument must be a tuple of {n} {kind} integers. Received {name}={value}")
    return values


def data_format_of(data_format: Optional[str]) -> str:
    """``channels_last`` or ``channels_first``; None means ``keras.config.image_data_format()``."""
    if data_format is None:
        from ..keras.backend import image_data_format

        return image_data_format()
    fmt = str(data_format).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(
            f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. "
            f"Received: data_format={data_format}"
        )
    return fmt


def conv_output_length(length: Optional[int], kernel: int, padding: str, stride: int, dilation: int = 1) -> Any:
    """The output length of a convolution or pooling window along one axis (None stays None)."""
    if length is None:
        return None
    if padding == "valid":
        return max((length - dilation * (kernel - 1) - 1) // stride + 1, 0)
    return (length - 1) // stride + 1  # "same" and "causal"
