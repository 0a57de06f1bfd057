"""``tf.data.experimental.TFRecordWriter``: writes every element of a dataset of scalar strings to a TFRecord
file, in one call (TensorFlow's ``DatasetToTFRecord`` op), through ``tf.io.TFRecordWriter``'s framing."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..framework.tensor import EagerTensor


class TFRecordWriter:
    """``TFRecordWriter(filename, compression_type=None)``; ``write(dataset)`` writes its elements."""

    def __init__(self, filename: Any, compression_type: Optional[str] = None) -> None:
        warnings.warn(
            "To write TFRecords to disk, use `tf.io.TFRecordWriter`. To save and load the contents of a dataset, "
            "use `tf.data.experimental.save` and `tf.data.experimental.load`",
            DeprecationWarning,
            stacklevel=2,
        )
        if isinstance(filename, EagerTensor):
            filename = filename.numpy()
        self._filename = filename.decode() if isinstance(filename, bytes) else str(filename)
        self._compression_type = compression_type

    def write(self, dataset: Any) -> None:
        """Writes the elements of ``dataset`` (scalar ``tf.string``s) in order; the file is created (empty)
        before the first element is read, so an element that fails leaves the records before it."""
        from ..framework.tensor_spec import TensorSpec
        from ..ops.io_ops import TFRecordOptions
        from ..ops.io_ops import TFRecordWriter as _RecordWriter
        from .dataset_ops import Dataset

        if not isinstance(dataset, Dataset):
            raise TypeError(f"Invalid `dataset.` Expected a `tf.data.Dataset` object but got {type(dataset)}.")
        spec = dataset.element_spec
        if not (isinstance(spec, TensorSpec) and spec.is_compatible_with(TensorSpec([], "string"))):
            shapes = getattr(spec, "shape", spec)
            dtypes = getattr(spec, "dtype", spec)
            raise TypeError(
                "Invalid `dataset`. Expected a`dataset` that produces scalar `tf.string` elements, but got a "
                f"dataset which produces elements with shapes {shapes} and types {dtypes}."
            )
        with _RecordWriter(self._filename, TFRecordOptions(self._compression_type)) as writer:
            from .. import errors

            try:
                for element in dataset:
                    writer.write(element)
            except errors.OpError as e:  # reported as the writing op's error, as TensorFlow's kernel does
                raise type(e)(None, None, _as_op("DatasetToTFRecord", str(e))) from e


def _as_op(op: str, message: str) -> str:
    prefix = "{{function_node __wrapped__"
    if message.startswith(prefix) and "}} " in message:
        message = message.split("}} ", 1)[1]
    return f"{prefix}{op}_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} {message}"
