"""``keras.utils.audio_dataset_from_directory``: a ``tf.data.Dataset`` of the ``.wav`` files of a directory tree,
labelled by their class subdirectory, decoded with ``tf.audio.decode_wav`` as the dataset is iterated.

Batches of clips of different lengths are padded with zeros to the longest clip of the batch, cut to
``output_sequence_length`` when given, or kept as ``RaggedTensor``s with ``ragged=True``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from . import dataset_file_checks, dataset_files

__all__ = ["audio_dataset_from_directory"]

ALLOWED_FORMATS = (".wav",)


def _check_labels(labels: Any, label_mode: Any, class_names: Any) -> None:
    # Keras words the labels message for audio differently from text and images.
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "The `labels` argument should be a list/tuple of integer "
                "labels, of the same size as the number of audio files in "
                "the target directory. If you wish to infer the labels from "
                "the subdirectory names in the target directory,"
                ' pass `labels="inferred"`. '
                "If you wish to get a dataset that only contains audio samples "
                f"(no labels), pass `labels=None`. Received: labels={labels}"
            )
    dataset_file_checks.check_label_args(labels, label_mode, class_names, "audio")


def _audio_loader(output_sequence_length: Optional[int], ragged: bool) -> Any:
    from ..ops.audio_ops import decode_wav
    from ..ops.io_ops import read_file

    desired = -1 if output_sequence_length is None else int(output_sequence_length)

    def load(path: Any) -> Any:
        audio = decode_wav(read_file(path), desired_samples=desired).audio
        if ragged:
            from ..framework.ragged_tensor import RaggedTensor

            return RaggedTensor.from_tensor(audio)
        return audio

    return load


def audio_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: Optional[str] = "int",
    class_names: Optional[Sequence[str]] = None,
    batch_size: Optional[int] = 32,
    sampling_rate: Optional[int] = None,
    output_sequence_length: Optional[int] = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: Optional[int] = None,
    validation_split: Optional[float] = None,
    subset: Optional[str] = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> Any:
    """A dataset of ``(audio, labels)`` batches from the ``.wav`` files under ``directory``.

    Audio is float32 ``(batch, sequence_length, channels)`` in [-1, 1): clips are cut (or padded) to
    ``output_sequence_length`` when given, else padded with zeros to the longest clip of each batch, or kept
    at their own lengths as a ``RaggedTensor`` with ``ragged=True``. Labels, ``class_names``, shuffling and
    ``validation_split`` / ``subset`` ("both" gives a ``(training, validation)`` tuple) work as in
    ``text_dataset_from_directory``. Resampling to ``sampling_rate`` needs TensorFlow I/O's resampler, which
    is not available: a valid ``sampling_rate`` raises ``ImportError`` as Keras does without it.
    """
    _check_labels(labels, label_mode, class_names)
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(f"`sampling_rate` should have an integer value. Received: sampling_rate={sampling_rate}")
        if sampling_rate <= 0:
            raise ValueError(f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}")
        raise ImportError(
            "To use the argument `sampling_rate`, you should install tensorflow_io. You can install it via "
            "`pip install tensorflow-io`."
        )
    file_paths, labels, label_mode, class_names, seed = dataset_files.labelled_files(
        directory,
        labels,
        label_mode,
        class_names,
        ALLOWED_FORMATS,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
    )
    load = _audio_loader(output_sequence_length, ragged)
    padded = output_sequence_length is None and not ragged
    make = dataset_files.dataset_maker(
        load, label_mode, class_names, batch_size, shuffle, seed, prefetch=True, padded=padded
    )

    result = dataset_files.split_datasets(
        directory,
        file_paths,
        labels,
        validation_split,
        subset,
        make,
        "audio files",
        f"Allowed format(s): {ALLOWED_FORMATS}",
    )
    return tuple(result) if subset == "both" else result


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
