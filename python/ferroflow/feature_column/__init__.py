"""``ferroflow.feature_column`` (``tf.feature_column``): TensorFlow's feature columns.

Columns describe how raw features (a dict of tensors, ``SparseTensor``s, lists or arrays) become a model's
dense input; ``tf.keras.layers.DenseFeatures(columns)`` applies them, concatenating the columns sorted by name.
Ids match TensorFlow's, hashed ones included (FarmHash ``Fingerprint64`` / ``FingerprintCat64``), eagerly and
in graphs.
"""

from ferroflow._api import public_dir as _public_dir

from .categorical_api import (
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
)
from .dense_columns import embedding_column, indicator_column
from .numeric import bucketized_column, numeric_column
from .serialization import make_parse_example_spec
from .shared import shared_embeddings
from .weighted_crossed import crossed_column, weighted_categorical_column

__all__ = [
    "bucketized_column",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
    "crossed_column",
    "embedding_column",
    "indicator_column",
    "make_parse_example_spec",
    "numeric_column",
    "shared_embeddings",
    "weighted_categorical_column",
]

__dir__ = _public_dir(globals())
