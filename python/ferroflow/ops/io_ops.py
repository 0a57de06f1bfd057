"""``tf.io`` file ops: ``read_file``, ``write_file``, ``decode_raw``, and TFRecord writing
(``TFRecordOptions``, ``TFRecordWriter``) through the core's framing and compression."""

from __future__ import annotations

import os
from typing import Any, Optional, Union

import numpy as np

from .. import _core
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor

_COMPRESSION = {None: "", "": "", "NONE": "", "GZIP": "GZIP", "ZLIB": "ZLIB"}


def _path(value: Any, what: str) -> str:
    if isinstance(value, EagerTensor):
        value = value.numpy()
        value = value.item() if isinstance(value, np.ndarray) else value
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise TypeError(f"{what} must be a path (str or a scalar string tensor), received {value!r}")


def read_file(filename: Any, name: Optional[str] = None) -> Tensor:
    """The bytes of the file ``filename`` names, as a string tensor (in graphs too)."""
    t = convert_to_tensor(filename)
    if t.dtype.name != "string":
        raise TypeError(f"read_file expects a string file name, received dtype {t.dtype.name}")
    return apply("strings.read_file", [t])


def write_file(filename: Any, contents: Any, name: Optional[str] = None) -> None:
    """Writes the scalar string ``contents`` to ``filename`` atomically (a temporary file, then a rename);
    missing parent directories are made."""
    path = _path(filename, "filename")
    data = contents.numpy() if isinstance(contents, EagerTensor) else contents
    data = data.item() if isinstance(data, np.ndarray) else data
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, bytes):
        raise TypeError(f"write_file expects scalar string contents, received {contents!r}")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    from ..saving._atomic import atomic_write

    with atomic_write(path) as f:
        f.write(data)


def decode_raw(
    input_bytes: Any,
    out_type: Any,
    little_endian: bool = True,
    fixed_length: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Reinterprets the bytes of each string as numbers of ``out_type`` along a new last axis. With
    ``fixed_length``, each string is first cut or zero-padded to that many bytes."""
    t = convert_to_tensor(input_bytes)
    if t.dtype.name != "string":
        raise TypeError(f"decode_raw expects a string tensor, received dtype {t.dtype.name}")
    if fixed_length is not None:
        if fixed_length % as_dtype(out_type).size:
            raise ValueError(f"fixed_length {fixed_length} is not a multiple of the size of {as_dtype(out_type).name}")
        pad = apply("strings.join", [t, convert_to_tensor(b"\0" * fixed_length)], {"separator": b""})
        zero = convert_to_tensor(np.int32(0))
        t = apply("strings.substr", [pad, zero, convert_to_tensor(np.int32(fixed_length))], {"unit": "BYTE"})
    return apply("strings.decode_raw", [t], {"out_type": as_dtype(out_type).name, "little_endian": little_endian})


class TFRecordCompressionType:
    """``tf.compat.v1.io.TFRecordCompressionType``."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """``tf.io.TFRecordOptions``: the compression of a TFRecord file ("", "GZIP" or "ZLIB") and its level."""

    compression_type_map = {
        TFRecordCompressionType.NONE: "",
        TFRecordCompressionType.ZLIB: "ZLIB",
        TFRecordCompressionType.GZIP: "GZIP",
    }

    def __init__(
        self,
        compression_type: Any = None,
        flush_mode: Any = None,
        input_buffer_size: Any = None,
        output_buffer_size: Any = None,
        window_bits: Any = None,
        compression_level: Optional[int] = None,
        compression_method: Any = None,
        mem_level: Any = None,
        compression_strategy: Any = None,
    ) -> None:
        self.compression_type = self.get_compression_type_string(compression_type)
        self.compression_level = compression_level
        if compression_level is not None and not -1 <= compression_level <= 9:
            raise ValueError(f"compression_level must be in [-1, 9], received {compression_level}")

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """The compression name ("", "GZIP", "ZLIB") of options, a name or None."""
        if isinstance(options, TFRecordOptions):
            return options.compression_type
        if isinstance(options, int) and options in cls.compression_type_map:
            return cls.compression_type_map[options]
        key = options.upper() if isinstance(options, str) else options
        if key not in _COMPRESSION:
            raise ValueError(f'Unsupported compression_type: {options!r}; expected None, "", "GZIP" or "ZLIB"')
        return _COMPRESSION[key]

    def __repr__(self) -> str:
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


class TFRecordWriter:
    """``tf.io.TFRecordWriter(path, options=None)``: writes records to a TFRecord file; a context manager."""

    def __init__(self, path: Any, options: Union[TFRecordOptions, str, None] = None) -> None:
        opts = options if isinstance(options, TFRecordOptions) else TFRecordOptions(options)
        level = opts.compression_level
        self._path = _path(path, "path")
        self._writer = _core.RecordWriter(self._path, opts.compression_type, None if level in (None, -1) else level)

    def write(self, record: Any) -> None:
        """Appends one record (bytes, str, or a scalar string tensor)."""
        if isinstance(record, EagerTensor):
            record = record.numpy()
            record = record.item() if isinstance(record, np.ndarray) else record
        if isinstance(record, str):
            record = record.encode()
        if not isinstance(record, (bytes, bytearray, memoryview)):
            raise TypeError(f"TFRecordWriter.write expects bytes, received {type(record).__name__}")
        self._writer.write(bytes(record))

    def flush(self) -> None:
        """Pushes buffered records to the file."""
        self._writer.flush()

    def close(self) -> None:
        """Finishes the file (writes the compressed stream's end); later writes fail."""
        self._writer.close()

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
