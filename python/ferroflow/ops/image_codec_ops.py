"""Image files: ``tf.io.decode_png``/``decode_jpeg``/``decode_image``, the encoders, and JPEG helpers.

Decoding and encoding are native graph ops (PNG through the ``png`` crate, JPEG through ``zune-jpeg`` and
``jpeg-encoder``), so they run inside ``tf.function`` and ``Dataset.map`` as well as eagerly. As in
TensorFlow, every decoder reads both PNG and JPEG. GIF and BMP files are recognised but not decoded: they
raise ``InvalidArgumentError``. JPEG pixels may differ from libjpeg-turbo's by a level or two (another
IDCT and upsampler); PNG pixels are exact.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.dtypes import as_dtype, uint8, uint16
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, shape
from .image_color_ops import convert_image_dtype
from .image_resize_ops import resize
from .math_ops import ceil
from .math_ops import round as _round
from .slicing_ops import slice as _slice


def _contents(x: Any, what: str) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.name != "string":
        raise TypeError(f"{what} expects the file contents as a string tensor, received dtype {t.dtype.name}")
    return t


def decode_png(contents: Any, channels: int = 0, dtype: Any = uint8, name: Optional[str] = None) -> Tensor:
    """PNG (or JPEG) bytes to a ``[height, width, channels]`` uint8 or uint16 image; ``channels=0`` keeps the file's."""
    return apply(
        "strings.decode_png",
        [_contents(contents, "decode_png")],
        {"channels": int(channels), "dtype": as_dtype(dtype).name},
    )


def decode_jpeg(
    contents: Any,
    channels: int = 0,
    ratio: int = 1,
    fancy_upscaling: bool = True,
    try_recover_truncated: bool = False,
    acceptable_fraction: float = 1,
    dct_method: str = "",
    name: Optional[str] = None,
) -> Tensor:
    """JPEG (or PNG) bytes to a ``[height, width, channels]`` uint8 image.

    ``ratio`` 2, 4 or 8 shrinks the image by that factor (an antialiased resize to libjpeg's rounded-up
    size, not libjpeg's scaled IDCT). ``fancy_upscaling``, ``try_recover_truncated``,
    ``acceptable_fraction`` and ``dct_method`` are accepted for compatibility: the decoder always
    upsamples smoothly and rejects truncated files.
    """
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"ratio must be 1, 2, 4, or 8, got {ratio}")
    image = apply("strings.decode_jpeg", [_contents(contents, "decode_jpeg")], {"channels": int(channels)})
    return image if ratio == 1 else _shrink(image, ratio)


def _shrink(image: Tensor, ratio: int) -> Tensor:
    """The image shrunk ``ratio`` times with an antialiasing filter, to ``ceil(side / ratio)`` pixels a side."""
    height, width = image.shape[0], image.shape[1]
    if height is not None and width is not None:
        size: Any = [-(-height // ratio), -(-width // ratio)]
    else:
        size = cast(ceil(cast(shape(image)[:2], "float32") / ratio), "int32")
    return cast(_round(resize(cast(image, "float32"), size, antialias=True)), "uint8")


def decode_image(
    contents: Any,
    channels: Optional[int] = None,
    dtype: Any = uint8,
    name: Optional[str] = None,
    expand_animations: bool = True,
) -> Tensor:
    """Image bytes of any supported format to ``[height, width, channels]``; a float ``dtype`` scales to [0, 1].

    With ``expand_animations=True`` the static shape is unknown (TensorFlow returns 4-D frames for GIFs);
    pass ``False`` to get a known rank of 3, as ``image_dataset_from_directory`` does.
    """
    dtype = as_dtype(dtype)
    if dtype.name not in ("uint8", "uint16", "float16", "float32", "float64"):
        raise TypeError(f"decode_image: dtype must be uint8, uint16 or a float type, received {dtype.name}")
    stored = uint16 if dtype == uint16 else uint8
    image = apply(
        "strings.decode_image",
        [_contents(contents, "decode_image")],
        {"channels": int(channels or 0), "dtype": stored.name, "expand_animations": bool(expand_animations)},
    )
    return image if dtype == stored else convert_image_dtype(image, dtype)


def encode_png(image: Any, compression: int = -1, name: Optional[str] = None) -> Tensor:
    """A ``[height, width, 1-4]`` uint8 or uint16 image to PNG bytes; ``compression`` -1 (default) or 0-9."""
    return apply("strings.encode_png", [convert_to_tensor(image)], {"compression": int(compression)})


def encode_jpeg(
    image: Any,
    format: str = "",
    quality: int = 95,
    progressive: bool = False,
    optimize_size: bool = False,
    chroma_downsampling: bool = True,
    density_unit: str = "in",
    x_density: int = 300,
    y_density: int = 300,
    xmp_metadata: str = "",
    name: Optional[str] = None,
) -> Tensor:
    """A ``[height, width, 1 or 3]`` uint8 image to JPEG bytes, with TensorFlow's options and defaults."""
    image = convert_to_tensor(image)
    channels = image.shape[-1] if image.shape.rank else None
    if format not in ("", "grayscale", "rgb"):
        raise ValueError(f"format must be '', 'grayscale' or 'rgb', received {format!r}")
    wanted = {"grayscale": 1, "rgb": 3}.get(format)
    if wanted is not None and channels is not None and channels != wanted:
        raise ValueError(f"format {format!r} needs an image with {wanted} channels, received {channels}")
    attrs = {
        "quality": int(quality),
        "progressive": bool(progressive),
        "optimize_size": bool(optimize_size),
        "chroma_downsampling": bool(chroma_downsampling),
        "density_unit": density_unit,
        "x_density": int(x_density),
        "y_density": int(y_density),
        "xmp_metadata": xmp_metadata,
    }
    return apply("strings.encode_jpeg", [image], attrs)


def extract_jpeg_shape(contents: Any, output_type: Any = "int32", name: Optional[str] = None) -> Tensor:
    """``[height, width, channels]`` of a JPEG, read from its header without decoding the pixels."""
    return apply(
        "strings.extract_jpeg_shape",
        [_contents(contents, "extract_jpeg_shape")],
        {"output_type": as_dtype(output_type).name},
    )


def is_jpeg(contents: Any, name: Optional[str] = None) -> Tensor:
    """Whether the bytes start with JPEG's signature (a scalar bool)."""
    from .string_ops import regex_full_match, substr

    return regex_full_match(substr(_contents(contents, "is_jpeg"), 0, 3), "(?-u)\\xff\\xd8\\xff")


def decode_and_crop_jpeg(
    contents: Any, crop_window: Any, channels: int = 0, ratio: int = 1, name: Optional[str] = None, **kwargs: Any
) -> Tensor:
    """``decode_jpeg`` then the ``[y, x, height, width]`` window of the result."""
    image = decode_jpeg(contents, channels=channels, ratio=ratio)
    window = cast(convert_to_tensor(crop_window), "int32")
    begin = concat([window[:2], convert_to_tensor([0], dtype="int32")], 0)
    size = concat([window[2:], convert_to_tensor([-1], dtype="int32")], 0)
    return _slice(image, begin, size)


def adjust_jpeg_quality(image: Any, jpeg_quality: int, dct_method: str = "", name: Optional[str] = None) -> Tensor:
    """The image after a JPEG round trip at ``jpeg_quality``, in its own dtype (as ``tf.image.adjust_jpeg_quality``)."""
    image = convert_to_tensor(image)
    as_bytes = convert_image_dtype(image, uint8, saturate=True)
    channels = image.shape[-1]
    round_trip = decode_jpeg(encode_jpeg(as_bytes, quality=jpeg_quality), channels=channels or 0)
    return convert_image_dtype(round_trip, image.dtype)
