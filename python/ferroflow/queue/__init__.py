"""``tf.queue``: bounded, thread-safe queues of tensors (TensorFlow 1's input pipelines and producer/consumer
code), usable eagerly and from TF1 graphs run by ``Session.run``."""

from .queue_base import QueueBase
from .queues import FIFOQueue, PaddingFIFOQueue, PriorityQueue, RandomShuffleQueue

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
