"""``ferroflow.audio``: TensorFlow's ``tf.audio`` (16-bit PCM WAV files)."""

from ferroflow._api import public_dir as _public_dir

from .ops.audio_ops import decode_wav, encode_wav  # noqa: F401

__dir__ = _public_dir(globals())
