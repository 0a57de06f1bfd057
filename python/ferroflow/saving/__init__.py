"""Saving and loading: the ``.keras`` model archive and ``.weights.npz`` weights files."""

from __future__ import annotations

from .archive import (
    FORMAT_VERSION,
    MODEL_FORMAT,
    WEIGHTS_FORMAT,
    ModelArchive,
    read_model_archive,
    read_weights_file,
    write_model_archive,
    write_weights_file,
)

__all__ = [
    "FORMAT_VERSION",
    "MODEL_FORMAT",
    "WEIGHTS_FORMAT",
    "ModelArchive",
    "read_model_archive",
    "read_weights_file",
    "write_model_archive",
    "write_weights_file",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
