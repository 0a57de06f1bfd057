"""Keras's checks of the arguments of ``text_``, ``image_`` and ``audio_dataset_from_directory``: labels,
label mode, class names and the validation split, with Keras's messages."""

from __future__ import annotations

from typing import Any, Optional


def check_label_args(labels: Any, label_mode: Any, class_names: Any, what: str) -> None:
    """``labels`` is "inferred", None or a list/tuple; ``class_names`` only with inferred labels; a known
    ``label_mode``. ``what`` names the samples in messages ("text", "image")."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, "
                f"of the same size as the number of {what} files in the target "
                "directory. If you wish to infer the labels from the "
                "subdirectory names in the target directory, "
                'pass `labels="inferred"`. '
                f"If you wish to get a dataset that only contains {what} samples "
                f"(no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                "You can only pass `class_names` if "
                f'`labels="inferred"`. Received: labels={labels}, and '
                f"class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", '
            '"categorical", "binary", '
            f"or None. Received: label_mode={label_mode}"
        )


def check_validation_split_arg(validation_split: Any, subset: Any, shuffle: bool, seed: Any) -> None:
    """Keras's checks of ``validation_split`` / ``subset`` / ``seed``."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must "
            "provide a `seed` argument, to make sure that there is no "
            "overlap between the training and validation subset."
        )


def check_binary(label_mode: Any, class_names: Optional[list]) -> None:
    if label_mode == "binary" and len(class_names or ()) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )
