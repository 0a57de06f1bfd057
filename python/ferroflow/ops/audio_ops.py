"""``tf.audio.decode_wav`` / ``encode_wav``: 16-bit PCM WAV files, byte for byte as TensorFlow's codec.

Both are file-format codecs, host-side work in TensorFlow as well (its kernels parse and write bytes on the
CPU): here they are Python over NumPy, called directly on eager tensors and through ``numpy_function``
inside ``tf.function``. The reader follows TensorFlow's ``wav_io.cc`` step by step (the padding chunks it
skips before ``fmt ``, the 16/18-byte format chunk, one ``data`` chunk, the same checks and messages);
samples are ``int16 / 32768``. The writer rounds ``sample * 32768`` half away from zero and clamps it to
int16, with TensorFlow's 44-byte header.
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple, Optional, Tuple

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor

_PADDING_CHUNKS = (b"JUNK", b"bext", b"iXML", b"qlty", b"mext", b"levl", b"link", b"axml")
_INT32_MAX = 2**31 - 1


class DecodeWav(NamedTuple):
    audio: Tensor
    sample_rate: Tensor


class _Reader:
    """TensorFlow's bounds-checked cursor over the file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def advance(self, n: int) -> int:
        start, end = self.offset, self.offset + n
        if end > len(self.data):
            raise InvalidArgumentError("Data too short when trying to read string")
        self.offset = end
        return start

    def text(self, n: int = 4) -> bytes:
        start = self.advance(n)
        return self.data[start : self.offset]

    def expect(self, text: bytes) -> None:
        end = self.offset + len(text)
        if end > len(self.data):
            raise InvalidArgumentError("Data too short when trying to read string")
        found = self.data[self.offset : end]
        if found != text:
            raise InvalidArgumentError(f"Header mismatch: Expected {text.decode()} but found {_str(found)}")
        self.offset = end

    def u16(self) -> int:
        return struct.unpack_from("<H", self.data, self.advance(2))[0]

    def u32(self) -> int:
        return struct.unpack_from("<I", self.data, self.advance(4))[0]


def _str(b: bytes) -> str:
    return b.decode("latin-1")


def _parse(data: bytes) -> Tuple[np.ndarray, int, int]:
    """(samples as float32 ``[frames * channels]``, channel count, sample rate) of a WAV file."""
    r = _Reader(data)
    r.expect(b"RIFF")
    r.u32()  # the RIFF size, unchecked as in TensorFlow
    r.expect(b"WAVE")
    found = r.text()
    while found != b"fmt ":
        if found not in _PADDING_CHUNKS:
            raise InvalidArgumentError(f"Unexpected field {_str(found)}")
        r.advance(r.u32())
        found = r.text()
    fmt_size = r.u32()
    if fmt_size not in (16, 18):
        raise InvalidArgumentError(f"Bad format chunk size for WAV: Expected 16 or 18, but got{fmt_size}")
    audio_format = r.u16()
    if audio_format != 1:
        raise InvalidArgumentError(f"Bad audio format for WAV: Expected 1 (PCM), but got{audio_format}")
    channels = r.u16()
    if channels < 1:
        raise InvalidArgumentError(f"Bad number of channels for WAV: Expected at least 1, but got {channels}")
    rate, bytes_per_second, bytes_per_frame, bits = r.u32(), r.u32(), r.u16(), r.u16()
    if bits != 16:
        raise InvalidArgumentError(f"Can only read 16-bit WAV files, but received {bits}")
    expected = (bits * channels + 7) // 8
    if bytes_per_frame != expected:
        raise InvalidArgumentError(f"Bad bytes per sample in WAV header: Expected {expected} but got {bytes_per_frame}")
    if bytes_per_second != bytes_per_frame * rate:
        raise InvalidArgumentError(
            f"Bad bytes per second in WAV header: Expected {bytes_per_frame * rate} but got {bytes_per_second} "
            f"(sample_rate={rate}, bytes_per_sample={bytes_per_frame})"
        )
    if fmt_size == 18:
        r.offset += 2
    samples = None
    while r.offset < len(data):
        chunk, size = r.text(), r.u32()
        if size > _INT32_MAX:
            raise InvalidArgumentError(
                f"WAV data chunk '{_str(chunk)}' is too large: {size} bytes, but the limit is {_INT32_MAX}"
            )
        if chunk != b"data":
            r.offset += size
            continue
        if samples is not None:
            raise InvalidArgumentError("More than one data chunk found in WAV")
        count = (size // bytes_per_frame) * channels
        start = r.advance(2 * count)
        samples = np.frombuffer(data, dtype="<i2", count=count, offset=start).astype(np.float32) / np.float32(32768)
    if samples is None:
        raise InvalidArgumentError("No data chunk found in WAV")
    return samples, channels, rate


def _decode(contents: Any, desired_channels: int, desired_samples: int) -> Tuple[np.ndarray, np.ndarray]:
    samples, channels, rate = _parse(bytes(np.asarray(contents, dtype=object).item()))
    frames = samples.reshape(-1, channels)
    out_frames = frames.shape[0] if desired_samples == -1 else desired_samples
    out_channels = channels if desired_channels == -1 else desired_channels
    # Missing frames are silence; channels beyond the file's repeat its last one.
    source = np.minimum(np.arange(out_channels), channels - 1)
    audio = np.zeros((out_frames, out_channels), np.float32)
    n = min(out_frames, frames.shape[0])
    audio[:n] = frames[:n][:, source]
    return audio, np.array(rate, np.int32)


def _encode(audio: np.ndarray, sample_rate: Any) -> np.ndarray:
    rate = int(np.asarray(sample_rate))
    frames, channels = audio.shape
    if rate <= 0 or rate > 2**32 - 1:
        raise InvalidArgumentError(f"sample_rate must be in (0, 2^32), got: {rate % 2**64}")
    if channels == 0 or channels > 2**16 - 1:
        raise InvalidArgumentError(f"num_channels must be in (0, 2^16), got: {channels}")
    data_size = frames * channels * 2
    if 44 + data_size > 2**32 - 1:
        raise InvalidArgumentError("Provided channels and frames cannot be encoded as a WAV.")
    # float32 products (exact: a power of two), rounded half away from zero in float64 so that the +-0.5
    # cannot round up first.
    scaled = (np.asarray(audio, np.float32) * np.float32(32768)).astype(np.float64)
    rounded = np.where(scaled >= 0, np.floor(scaled + 0.5), np.ceil(scaled - 0.5))
    rounded = np.nan_to_num(rounded, nan=0.0)
    samples = np.clip(rounded, -32768, 32767).astype("<i2")
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_size, b"WAVE", b"fmt ", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16,
        b"data", data_size,
    )  # fmt: skip
    return np.array(header + samples.tobytes(), dtype=object)


def decode_wav(
    contents: Any, desired_channels: int = -1, desired_samples: int = -1, name: Optional[str] = None
) -> DecodeWav:
    """A 16-bit PCM WAV file's samples as float32 ``[samples, channels]`` in [-1, 1) and its rate (int32).

    ``desired_channels`` repeats the last channel or drops channels; ``desired_samples`` pads with zeros or
    cuts; -1 keeps the file's.
    """
    t = convert_to_tensor(contents)
    if t.dtype.name != "string":
        raise InvalidArgumentError(
            f"cannot compute DecodeWav as input #0(zero-based) was expected to be a string tensor but is a "
            f"{t.dtype.name} tensor [Op:DecodeWav]"
        )
    if t.shape.rank is not None and t.shape.rank != 0:
        raise InvalidArgumentError(f"contents must be scalar, got shape {t.shape.as_list()} [Op:DecodeWav]")
    desired_channels, desired_samples = int(desired_channels), int(desired_samples)
    for what, value in (("desired_channels", desired_channels), ("desired_samples", desired_samples)):
        if value < -1:
            raise InvalidArgumentError(f"{what} must be >= -1, got {value} [Op:DecodeWav]")
    if isinstance(t, EagerTensor):
        audio, rate = _decode(t.numpy(), desired_channels, desired_samples)
        return DecodeWav(convert_to_tensor(audio), convert_to_tensor(rate))
    from .py_function_ops import numpy_function

    audio, rate = numpy_function(
        lambda c: _decode(c, desired_channels, desired_samples), [t], ["float32", "int32"], stateful=False
    )
    audio.set_shape(
        [None if desired_samples == -1 else desired_samples, None if desired_channels == -1 else desired_channels]
    )
    rate.set_shape([])
    return DecodeWav(audio, rate)


def encode_wav(audio: Any, sample_rate: Any, name: Optional[str] = None) -> Tensor:
    """float32 ``[samples, channels]`` audio as the bytes of a 16-bit PCM WAV file (a scalar string)."""
    if isinstance(audio, Tensor) and audio.dtype.name != "float32":
        raise InvalidArgumentError(
            f"cannot compute EncodeWav as input #0(zero-based) was expected to be a float tensor but is a "
            f"{audio.dtype.name} tensor [Op:EncodeWav]"
        )
    audio = convert_to_tensor(audio, dtype="float32")
    rate = convert_to_tensor(sample_rate, dtype="int32") if not isinstance(sample_rate, Tensor) else sample_rate
    if rate.dtype.name != "int32":
        raise InvalidArgumentError(
            f"cannot compute EncodeWav as input #1(zero-based) was expected to be a int32 tensor but is a "
            f"{rate.dtype.name} tensor [Op:EncodeWav]"
        )
    if audio.shape.rank is not None and audio.shape.rank != 2:
        raise InvalidArgumentError(f"audio must be 2-dimensional{audio.shape.as_list()} [Op:EncodeWav]")
    if rate.shape.rank is not None and rate.shape.rank != 0:
        raise InvalidArgumentError(
            f"Input sample_rate should be a scalar tensor, got {rate.shape.as_list()} instead. [Op:EncodeWav]"
        )
    if isinstance(audio, EagerTensor) and isinstance(rate, EagerTensor):
        return convert_to_tensor(_encode(audio.numpy(), rate.numpy()), dtype="string")
    from .py_function_ops import numpy_function

    out = numpy_function(_encode, [audio, rate], "string", stateful=False)
    out.set_shape([])
    return out
