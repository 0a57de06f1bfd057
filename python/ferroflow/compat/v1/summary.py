"""``tf.compat.v1.summary``: TF1's summary ops (``scalar``, ``histogram``, ``image``, ``text``, ``merge_all``
...), the ``FileWriter`` that writes them for TensorBoard, and the ``Summary`` / ``Event`` messages.

A TF1 loop: ``tf.compat.v1.summary.scalar("loss", loss)``; ``merged = tf.compat.v1.summary.merge_all()``;
``writer = tf.compat.v1.summary.FileWriter(logdir, sess.graph)``; each step
``writer.add_summary(sess.run(merged, feed_dict), step)``.
"""

from __future__ import annotations

from .summary_ops import histogram, image, merge, merge_all, scalar, tensor_summary, text
from .summary_proto import Event, SessionLog, Summary, TaggedRunMetadata
from .summary_writer import FileWriter, FileWriterCache

__all__ = [
    "Event",
    "FileWriter",
    "FileWriterCache",
    "SessionLog",
    "Summary",
    "TaggedRunMetadata",
    "histogram",
    "image",
    "merge",
    "merge_all",
    "scalar",
    "tensor_summary",
    "text",
]


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
