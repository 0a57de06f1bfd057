"""``ferroflow.lookup``: TensorFlow's ``tf.lookup`` tables (static, vocabulary, mutable and dense hash tables)."""

from ferroflow._api import public_dir as _public_dir

from . import experimental  # noqa: F401
from .initializers import KeyValueTensorInitializer, TextFileIndex, TextFileInitializer  # noqa: F401
from .tables import StaticHashTable  # noqa: F401
from .vocabulary import StaticVocabularyTable  # noqa: F401

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
    "experimental",
]
__dir__ = _public_dir(globals())
