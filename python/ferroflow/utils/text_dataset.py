"""``keras.utils.text_dataset_from_directory``: a ``tf.data.Dataset`` of the ``.txt`` files of a directory tree,
labelled by their class subdirectory. The files are read as the dataset is iterated."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from . import dataset_file_checks, dataset_files

__all__ = ["text_dataset_from_directory"]


def _read_text(max_length: Optional[int]) -> Any:
    from ..ops.io_ops import read_file
    from ..strings import substr

    def load(path: Any) -> Any:
        text = read_file(path)
        return text if max_length is None else substr(text, 0, max_length)

    return load


def text_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: Optional[str] = "int",
    class_names: Optional[Sequence[str]] = None,
    batch_size: Optional[int] = 32,
    max_length: Optional[int] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    validation_split: Optional[float] = None,
    subset: Optional[str] = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> Any:
    """A dataset of ``(texts, labels)`` batches from the ``.txt`` files under ``directory``.

    With ``labels="inferred"`` each subdirectory is a class (alphanumeric order, or the order of
    ``class_names``) and labels are int32 indices (``label_mode="int"``), one-hot float32 (``"categorical"``)
    or float32 ``(1,)`` zeros and ones (``"binary"``, two classes); ``labels`` may also be a list of integer
    labels for the files in sorted path order, or None for texts alone. Texts are ``tf.string`` scalars,
    cut to ``max_length`` bytes when given. ``validation_split`` with ``subset`` "training", "validation"
    or "both" (a list of the two datasets) holds out the last fraction of the shuffled files. The dataset
    has a ``class_names`` attribute.
    """
    dataset_file_checks.check_label_args(labels, label_mode, class_names, "text")
    file_paths, labels, label_mode, class_names, seed = dataset_files.labelled_files(
        directory,
        labels,
        label_mode,
        class_names,
        (".txt",),
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
    )
    load = _read_text(max_length)
    make = dataset_files.dataset_maker(load, label_mode, class_names, batch_size, shuffle, seed)

    return dataset_files.split_datasets(
        directory, file_paths, labels, validation_split, subset, make, "text files", "Allowed format: .txt"
    )


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
