"""The directory side of ``text_``, ``image_`` and ``audio_dataset_from_directory``: listing the files of each
class, their labels, the training/validation split and the label dataset (the argument checks are in
``dataset_file_checks``).

The files of class ``i`` are those under the ``i``-th subdirectory (alphanumeric order unless ``class_names``
gives one), walked in sorted order; with ``shuffle`` the whole list is shuffled with NumPy's
``RandomState(seed)``, so a seed gives the same files, in the same order, as Keras.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

import numpy as np

# Keras's progress messages ("Found 4 files belonging to 2 classes.") go to stdout, or to the log when
# interactive logging is off.
from .dataset_file_checks import check_binary, check_validation_split_arg
from .io_utils import print_msg


def _class_subdirectories(directory: str, class_names: Optional[Sequence[str]]) -> list:
    subdirs = []
    for subdir in sorted(os.listdir(directory)):
        if os.path.isdir(os.path.join(directory, subdir)) and not subdir.startswith("."):
            subdirs.append(subdir.rstrip("/"))
    if class_names is not None:
        if not set(class_names).issubset(set(subdirs)):
            raise ValueError(
                "The `class_names` passed did not match the "
                "names of the subdirectories of the target directory. "
                f"Expected: {subdirs} (or a subset of it), "
                f"but received: class_names={class_names}"
            )
        return list(class_names)  # the order given
    return subdirs


def _index_subdirectory(directory: str, follow_links: bool, formats: tuple) -> list:
    """The paths (relative to the parent of ``directory``) of the files with an allowed extension, walked in
    sorted order."""
    dirname = os.path.basename(directory)
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda x: x[0]):
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                found.append(os.path.join(dirname, os.path.relpath(os.path.join(root, fname), directory)))
    return found


def index_directory(
    directory: str,
    labels: Any,
    formats: tuple,
    class_names: Optional[Sequence[str]] = None,
    shuffle: bool = True,
    seed: Optional[int] = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> tuple:
    """``(file_paths, labels, class_names)`` of the files under ``directory`` whose names end with one of
    ``formats``: labels are int32 class indices when ``labels="inferred"``, the given list, or None."""
    directory = os.fspath(directory)
    if labels == "inferred":
        subdirs = _class_subdirectories(directory, class_names)
    else:
        subdirs = [""]  # explicit labels or none: index from the directory itself, down
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be specified.")
            raise ValueError(
                "When argument `labels` is specified, argument "
                "`class_names` cannot be specified (the `class_names` "
                "will be the sorted list of labels)."
            )
    class_names = subdirs
    filenames: list = []
    per_class: list = []
    for subdir in subdirs:
        found = _index_subdirectory(os.path.join(directory, subdir), follow_links, formats)
        filenames += found
        per_class.append(len(found))

    if labels == "inferred":
        labels = np.repeat(np.arange(len(subdirs), dtype="int32"), per_class)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number "
                "of files in the target directory. len(labels) is "
                f"{len(labels)} while we found {len(filenames)} files "
                f"in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            print_msg(f"Found {len(filenames)} files.")
        else:
            print_msg(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    file_paths = [os.path.join(directory, name) for name in filenames]

    if shuffle:  # globally, to erase the class-by-class order
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            labels = list(labels) if isinstance(labels, tuple) else labels
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def get_training_or_validation_split(samples: list, labels: Any, validation_split: Any, subset: Any) -> tuple:
    """The last ``int(validation_split * len(samples))`` samples are the validation subset, the rest training."""
    if not validation_split:
        return samples, labels
    num_val_samples = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val_samples} files for training.")
        samples = samples[:-num_val_samples]
        if labels is not None:
            labels = labels[:-num_val_samples]
    elif subset == "validation":
        print_msg(f"Using {num_val_samples} files for validation.")
        samples = samples[-num_val_samples:]
        if labels is not None:
            labels = labels[-num_val_samples:]
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return samples, labels


def labels_to_dataset(labels: Any, label_mode: str, num_classes: int) -> Any:
    """The labels as a dataset: int as given, "binary" as float32 ``(1,)``, "categorical" one-hot float32."""
    from ..data import Dataset
    from ..ops.array_ops import cast, expand_dims, one_hot

    label_ds = Dataset.from_tensor_slices(labels)
    if label_mode == "binary":
        return label_ds.map(lambda x: expand_dims(cast(x, "float32"), axis=-1))
    if label_mode == "categorical":
        return label_ds.map(lambda x: one_hot(x, num_classes))
    return label_ds


def paths_and_labels_to_dataset(
    file_paths: list,
    labels: Any,
    label_mode: Any,
    num_classes: int,
    load: Any,
    shuffle: bool = False,
    shuffle_buffer_size: Optional[int] = None,
    seed: Optional[int] = None,
) -> Any:
    """The dataset of ``load(path)`` (with its label unless ``label_mode`` is None), shuffled with a buffer of
    ``shuffle_buffer_size`` when ``shuffle``: the files are read as the dataset is iterated."""
    from ..data import Dataset

    ds = Dataset.from_tensor_slices(np.array([p.encode() for p in file_paths], dtype=object))
    if label_mode:
        ds = Dataset.zip((ds, labels_to_dataset(labels, label_mode, num_classes)))
    if shuffle:
        ds = ds.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)
    if label_mode:
        return ds.map(lambda x, y: (load(x), y))
    return ds.map(load)


def labelled_files(
    directory: str,
    labels: Any,
    label_mode: Any,
    class_names: Optional[Sequence[str]],
    formats: tuple,
    shuffle: bool,
    seed: Optional[int],
    validation_split: Any,
    subset: Any,
    follow_links: bool,
    verbose: bool,
) -> tuple:
    """The indexing every ``*_dataset_from_directory`` does after its own argument checks: no labels when
    ``labels`` or ``label_mode`` is None, the split arguments checked, a random seed when none is given, the
    files indexed and ``"binary"`` checked against the classes found. Returns
    ``(file_paths, labels, label_mode, class_names, seed)``."""
    if labels is None or label_mode is None:
        labels = None
        label_mode = None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = index_directory(
        directory,
        labels,
        formats=formats,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    check_binary(label_mode, class_names)
    return file_paths, labels, label_mode, class_names, seed


def dataset_maker(
    load: Any,
    label_mode: Any,
    class_names: Optional[list],
    batch_size: Optional[int],
    shuffle: bool,
    seed: Optional[int],
    keep_paths: bool = False,
    prefetch: bool = False,
    padded: bool = False,
) -> Any:
    """The ``make(paths, labels, train)`` that ``split_datasets`` calls: ``load`` over the files with their
    labels, shuffled (training only) with Keras's buffer of 8 batches, prefetched before batching when
    ``prefetch`` (as Keras's audio datasets), batched (zero-padded to the longest element when ``padded``),
    with ``class_names`` (and ``file_paths`` when ``keep_paths``) attached."""
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024

    def make(paths: list, path_labels: Any, train: bool) -> Any:
        ds = paths_and_labels_to_dataset(
            paths,
            path_labels,
            label_mode,
            len(class_names) if class_names else 0,
            load,
            shuffle=shuffle and train,
            shuffle_buffer_size=shuffle_buffer_size,
            seed=seed,
        )
        if prefetch:
            ds = ds.prefetch(-1)
        if batch_size is not None:
            ds = ds.padded_batch(batch_size) if padded else ds.batch(batch_size)
        ds.class_names = class_names
        if keep_paths:
            ds.file_paths = paths
        return ds

    return make


def split_datasets(
    directory: str,
    file_paths: list,
    labels: Any,
    validation_split: Any,
    subset: Any,
    make: Any,
    missing: str,
    allowed: str,
) -> Any:
    """``make(paths, labels, shuffle)`` for the ``subset`` asked for: one dataset, or ``[training,
    validation]`` for "both" (the validation one unshuffled). ``missing`` names the files in the error when a
    subset is empty ("text files", "images"), ``allowed`` the formats."""
    if subset == "both":
        train = get_training_or_validation_split(file_paths, labels, validation_split, "training")
        val = get_training_or_validation_split(file_paths, labels, validation_split, "validation")
        if not train[0]:
            raise ValueError(f"No training {missing} found in directory {directory}. {allowed}")
        if not val[0]:
            raise ValueError(f"No validation {missing} found in directory {directory}. {allowed}")
        return [make(*train, True), make(*val, False)]
    file_paths, labels = get_training_or_validation_split(file_paths, labels, validation_split, subset)
    if not file_paths:
        raise ValueError(f"No {missing} found in directory {directory}. {allowed}")
    return make(file_paths, labels, True)
