"""``tf.compat.v1.lookup``: the tables with TF1's ``initializer`` op, which must run (``tables_initializer``)
before a lookup in a graph; ``experimental`` is TensorFlow 2's."""

from ferroflow._api import public_dir as _public_dir

from ...lookup import experimental  # noqa: F401
from ...lookup.initializers import KeyValueTensorInitializer, TextFileIndex, TextFileInitializer  # noqa: F401
from ...lookup.tables import StaticHashTableV1 as StaticHashTable  # noqa: F401
from ...lookup.vocabulary import StaticVocabularyTableV1 as StaticVocabularyTable  # noqa: F401

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
    "experimental",
]
__dir__ = _public_dir(globals())
